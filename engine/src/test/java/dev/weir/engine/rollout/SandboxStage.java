package dev.weir.engine.rollout;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a rollout test plays against the sandbox's Kubernetes API server in virtual time: the
 * namespace {@code shop}, an application's objects applied as Git has them, a {@link
 * RolloutExecutor} on the test cluster's manual clock, and the controller manager's part (the
 * pods of every Deployment reported ready) played by the test. Close it after each test.
 */
final class SandboxStage implements AutoCloseable {
  static final String NAMESPACE = "shop";

  final TestCluster cluster;
  final ClusterGateway gateway;
  private RolloutExecutor executor;

  SandboxStage(Path dir) throws Exception {
    cluster = new TestCluster(dir);
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", NAMESPACE)),
        ApplyOptions.weir());
  }

  /** Applies {@code state}'s objects that {@code which} picks, in the namespace, as a sync would. */
  void apply(DesiredState state, Predicate<Manifest> which) {
    for (Manifest manifest : state.resources().values()) {
      if (which.test(manifest)) {
        gateway.apply(RolloutExecutorIT.withNamespace(manifest.object()), ApplyOptions.weir());
      }
    }
  }

  /** The executor, made at the first call (metrics scripted, passes on the caller's thread). */
  RolloutExecutor executor() {
    if (executor == null) {
      executor =
          new RolloutExecutor(
              gateway, new ScriptedMetrics(), cluster.clock, Runnable::run, Duration.ZERO);
    }
    return executor;
  }

  /** Every Deployment's pods ready, as the controller manager would report them. */
  void podsReady() {
    ResourceType deployments = gateway.resourceType("apps/v1", "Deployment");
    for (LiveObject deployment : gateway.list(deployments, NAMESPACE, "")) {
      available(deployment.key(), replicas(deployment));
    }
  }

  /** {@code key}'s status as the controller manager writes it, {@code available} pods ready. */
  void available(ResourceKey key, long available) {
    LiveObject deployment = gateway.get(key).orElseThrow();
    gateway.patchStatus(
        key,
        Map.of(
            "observedGeneration", deployment.generation(),
            "replicas", replicas(deployment),
            "updatedReplicas", replicas(deployment),
            "readyReplicas", available,
            "availableReplicas", available),
        "kube-controller-manager");
  }

  private static long replicas(LiveObject deployment) {
    return deployment.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
  }

  /**
   * Pods ready, a pass, 30 seconds; until {@code done} says rollout {@code name} is where it should
   * be (then the pods the last pass asked for report ready and one more pass takes them in, as the
   * watches would bring it).
   */
  void playUntil(String name, Predicate<RolloutStatus> done) {
    RolloutExecutor playing = executor();
    for (int tick = 0; tick < 60; tick++) {
      podsReady();
      playing.reconcile();
      Optional<RolloutStatus> status = playing.status(name, Optional.empty());
      if (status.isPresent() && done.test(status.get())) {
        podsReady();
        playing.reconcile();
        return;
      }
      cluster.clock.advance(Duration.ofSeconds(30));
    }
    throw new AssertionError("the rollout did not get there: " + playing.statuses());
  }

  /** The pod-template hash label {@code deployment}'s pods carry. */
  String hash(ResourceKey deployment) {
    return String.valueOf(
        ((Map<?, ?>)
                gateway
                    .get(deployment)
                    .orElseThrow()
                    .at("spec.template.metadata.labels")
                    .orElseThrow())
            .get(RolloutExecutor.HASH_LABEL));
  }

  @Override
  public void close() throws Exception {
    if (executor != null) {
      executor.close();
    }
    cluster.close();
  }
}
