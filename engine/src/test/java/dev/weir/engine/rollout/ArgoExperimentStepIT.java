package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Argo Rollouts' canary {@code experiment} step (docs/features/experiment.md, "Integration With
 * Rollouts"; decision 0045) on the sandbox API server, through client-java, in virtual time. The
 * test plays the Deployment controller (pods ready when asked) and Prometheus (a scripted answer
 * for the query of the experiment canary's own pod hash); Git holds an Argo Rollout of the
 * storefront whose step 2 runs a fresh baseline (the stable pod spec) and the canary as workloads
 * of their own for 5 minutes, judged by an analysis given both pod hashes.
 */
class ArgoExperimentStepIT {
  static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        replicas: 4
        workloadRef: {apiVersion: apps/v1, kind: Deployment, name: storefront}
        strategy:
          canary:
            steps:
            - setWeight: 25
            - experiment:
                duration: 5m
                templates:
                - {name: baseline, specRef: stable}
                - {name: canary, specRef: canary}
                analyses:
                - name: compare
                  templateName: experiment-success
                  requiredForCompletion: true
                  args:
                  - {name: canary-hash, value: "{{templates.canary.podTemplateHash}}"}
                  - {name: baseline-hash, value: "{{templates.baseline.podTemplateHash}}"}
            - setWeight: 50
            - pause: {duration: 1m}
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: experiment-success}
      spec:
        args: [{name: canary-hash}, {name: baseline-hash}]
        metrics:
        - name: canary-vs-baseline
          interval: 1m
          count: 3
          successCondition: result >= 0.99
          provider:
            prometheus:
              query: 'rate(exp_ok{hash="{{args.canary-hash}}",baseline="{{args.baseline-hash}}"}[1m])'
      """;

  static final DesiredState V1 =
      Apps.state(
          "storefront",
          Apps.manifests(
              Apps.STOREFRONT_OBJECTS + "---\n" + ROLLOUT, "apps/storefront/all.yaml"));
  static final DesiredState V2 =
      Apps.state(
          "storefront",
          Apps.manifests(
              Apps.STOREFRONT_OBJECTS.replace("2.4.0", "2.4.1") + "---\n" + ROLLOUT,
              "apps/storefront/all.yaml"));

  static final ResourceKey STABLE = new ResourceKey("apps", "Deployment", "shop", "storefront");
  static final ResourceKey CANARY =
      new ResourceKey("apps", "Deployment", "shop", "storefront-canary");
  static final ResourceKey BASELINE_EXP =
      new ResourceKey("apps", "Deployment", "shop", "storefront-exp2-baseline");
  static final ResourceKey CANARY_EXP =
      new ResourceKey("apps", "Deployment", "shop", "storefront-exp2-canary");
  static final ResourceKey STATE = new ResourceKey("", "ConfigMap", "shop", "storefront-rollout");

  @TempDir Path dir;
  TestCluster cluster;
  ClusterGateway gateway;
  ScriptedMetrics metrics;
  final List<RolloutExecutor> executors = new ArrayList<>();
  final List<RolloutEvent> events = new ArrayList<>();
  final AtomicBoolean crashed = new AtomicBoolean();

  /** What the experiment's workloads were seen running, tick by tick: {@code name image hash}. */
  final Set<String> seenDuringTheStep = new LinkedHashSet<>();

  /** What the experiment canary's analysis is answered: a good canary's rate, or a bad one's. */
  double experimentCanaryRate = 0.998;

  /** The query part that selects the experiment canary's pods, once they exist. */
  String experimentCanaryQuery = "(no experiment canary yet)";

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    for (var manifest : V1.resources().values()) {
      if (!manifest.kind().equals("Ingress")) {
        gateway.apply(RolloutExecutorIT.withNamespace(manifest.object()), ApplyOptions.weir());
      }
    }
    podsReady();
    metrics = new ScriptedMetrics();
  }

  @AfterEach
  void stop() throws Exception {
    executors.forEach(RolloutExecutor::close);
    cluster.close();
  }

  /** The Deployment controller and kubelet: every Deployment's pods are up and ready. */
  void podsReady() {
    for (LiveObject deployment :
        gateway.list(gateway.resourceType("apps/v1", "Deployment"), "shop", "")) {
      long replicas = deployment.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
      gateway.patchStatus(
          deployment.key(),
          Map.of(
              "observedGeneration", deployment.generation(),
              "replicas", replicas,
              "updatedReplicas", replicas,
              "readyReplicas", replicas,
              "availableReplicas", replicas),
          "kube-controller-manager");
    }
  }

  RolloutExecutor executor() {
    RolloutExecutor executor =
        new RolloutExecutor(gateway, metrics, cluster.clock, Runnable::run, Duration.ZERO);
    executor.addListener(events::add);
    executors.add(executor);
    return executor;
  }

  String image(LiveObject deployment) {
    Object containers = deployment.at("spec.template.spec.containers").orElseThrow();
    return String.valueOf(((Map<?, ?>) ((List<?>) containers).getFirst()).get("image"));
  }

  static String hashLabel(LiveObject deployment) {
    return String.valueOf(
        ((Map<?, ?>) deployment.at("spec.template.metadata.labels").orElseThrow())
            .get(RolloutExecutor.HASH_LABEL));
  }

  int replicas(ResourceKey key) {
    return gateway
        .get(key)
        .flatMap(d -> d.at("spec.replicas"))
        .map(v -> ((Number) v).intValue())
        .orElse(-1);
  }

  Map<String, Object> stateRecord() {
    @SuppressWarnings("unchecked")
    Map<String, Object> data =
        (Map<String, Object>) gateway.get(STATE).orElseThrow().object().get("data");
    return data;
  }

  /**
   * Plays the rollout out in 30s ticks: before the pods become ready, Prometheus is given the
   * experiment canary's series under the hash its pods carry (so a query with any other hash finds
   * none); a crashed console is replaced by a new one. Ends Healthy on v2.4.1 or Degraded.
   */
  RolloutExecutor playOut(RolloutExecutor executor) {
    for (int tick = 0; tick < 200; tick++) {
      if (crashed.getAndSet(false)) {
        executor = executor();
        executor.track(V2);
      }
      for (ResourceKey key : List.of(BASELINE_EXP, CANARY_EXP)) {
        gateway
            .get(key)
            .ifPresent(
                d -> seenDuringTheStep.add(key.name() + " " + image(d) + " " + hashLabel(d)));
      }
      gateway
          .get(CANARY_EXP)
          .ifPresent(
              d -> {
                experimentCanaryQuery = "hash=\"" + hashLabel(d) + "\"";
                metrics.set(experimentCanaryQuery, experimentCanaryRate);
              });
      podsReady();
      executor.reconcile();
      Optional<RolloutStatus> status = executor.status("storefront", Optional.empty());
      if (status.isPresent()
          && (status.get().phase() == RolloutPhase.HEALTHY
                  && status.get().stableVersion().equals("v2.4.1")
              || status.get().phase() == RolloutPhase.DEGRADED)) {
        return executor;
      }
      cluster.clock.advance(Duration.ofSeconds(30));
    }
    throw new AssertionError("the rollout did not end: " + executor.statuses());
  }

  List<String> messages() {
    return events.stream().map(RolloutEvent::message).toList();
  }

  void assertTheStepRanFreshWorkloadsOfItsOwn() {
    LiveObject canary = gateway.get(CANARY).orElseThrow();
    assertThat(seenDuringTheStep)
        .as("a baseline of the stable pod spec and the canary's, each with pods of their own")
        .anySatisfy(
            s -> assertThat(s).startsWith("storefront-exp2-baseline registry.example/shop/storefront:2.4.0 "))
        .anySatisfy(
            s -> assertThat(s).startsWith("storefront-exp2-canary registry.example/shop/storefront:2.4.1 "));
    assertThat(seenDuringTheStep)
        .as("their pod hashes are not the rollout's own sides' (Argo: delineated in metrics)")
        .noneMatch(s -> s.endsWith(" " + hashLabel(canary)))
        .noneMatch(s -> s.endsWith(" " + hashLabel(gateway.get(STABLE).orElseThrow())));
    assertThat(metrics.asked(experimentCanaryQuery))
        .as("the analysis asked for the experiment canary's own pods")
        .isNotEmpty();
  }

  void assertTheWorkloadsAreGone() {
    assertThat(gateway.get(BASELINE_EXP)).as("baseline deleted when the step ended").isEmpty();
    assertThat(gateway.get(CANARY_EXP)).as("canary workload deleted when the step ended").isEmpty();
    assertThat(
            gateway.list(
                gateway.resourceType("apps/v1", "Deployment"),
                "shop",
                TemplateExperiment.TEMPLATE_LABEL))
        .as("no experiment workload left behind")
        .isEmpty();
  }

  @Test
  void aGoodCanaryPassesTheExperimentAndIsPromoted() {
    RolloutExecutor executor = executor();
    assertThat(executor.track(V1)).isEmpty();
    executor.track(V2);

    playOut(executor);

    assertTheStepRanFreshWorkloadsOfItsOwn();
    assertTheWorkloadsAreGone();
    assertThat(metrics.asked(experimentCanaryQuery)).as("count 3").hasSize(3);
    assertThat(messages())
        .anySatisfy(m -> assertThat(m).startsWith("step 2/4: experiment baseline (stable) + canary (canary), 5m started"))
        .contains("step 2/4: experiment running, its pods ready; analyses compare started; ends in 5m")
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("step 2/4: experiment passed: compare Successful")
                    .endsWith("; its workloads deleted"));
    assertThat(stateRecord())
        .containsEntry("phase", "Healthy")
        .containsEntry("message", "v2.4.1 promoted: 100% on stable");
    assertThat(image(gateway.get(STABLE).orElseThrow()))
        .isEqualTo("registry.example/shop/storefront:2.4.1");
  }

  @Test
  void aBadCanaryFailsTheExperimentAndIsRolledBack() {
    experimentCanaryRate = 0.91;
    RolloutExecutor executor = executor();
    executor.track(V1);
    executor.track(V2);

    playOut(executor);

    assertTheStepRanFreshWorkloadsOfItsOwn();
    assertTheWorkloadsAreGone();
    assertThat(stateRecord())
        .containsEntry("phase", "Degraded")
        .containsEntry(
            "message",
            "v2.4.1 rolled back: experiment analysis compare: canary-vs-baseline 0.91 < 0.99 at"
                + " step 2");
    assertThat(replicas(CANARY)).as("the canary scaled down").isZero();
    assertThat(image(gateway.get(STABLE).orElseThrow()))
        .isEqualTo("registry.example/shop/storefront:2.4.0");
    assertThat(replicas(STABLE)).isEqualTo(4);
  }

  /** Kills the first console right after it records a state {@code when} accepts, once. */
  RolloutExecutor crashWhen(Predicate<RolloutState> when) {
    RolloutExecutor first = executor();
    first.hooks =
        new RolloutExecutor.Hooks() {
          @Override
          public void afterSave(RolloutSpec spec, RolloutState state) {
            if (!crashed.get() && when.test(state)) {
              first.hooks = RolloutExecutor.Hooks.NONE;
              first.close(); // the process dies: no effect of this transition is carried out
              crashed.set(true);
              throw new RolloutExecutorIT.SimulatedCrash();
            }
          }
        };
    first.track(V1);
    first.track(V2);
    return playOut(first);
  }

  @Test
  void aConsoleThatDiesWhileTheExperimentRunsIsResumedAndTheExperimentEndsAsRecorded() {
    crashWhen(
        s ->
            s instanceof CanaryState.Progressing p
                && p.activity() instanceof CanaryState.WaitForExperiment x
                && x.runs().values().stream().anyMatch(r -> r.counts().measured() == 1));

    assertThat(executors).hasSize(2);
    assertTheStepRanFreshWorkloadsOfItsOwn();
    assertTheWorkloadsAreGone();
    assertThat(metrics.asked(experimentCanaryQuery)).as("count 3, across both consoles").hasSize(3);
    assertThat(stateRecord()).containsEntry("phase", "Healthy");
  }

  @Test
  void aConsoleThatDiesAsTheExperimentEndsLeavesNoWorkloadBehind() {
    // recorded past the experiment, its workloads never deleted by the console that died
    crashWhen(s -> s instanceof CanaryState.Progressing p && p.cursor().step() == 2);

    assertThat(executors).hasSize(2);
    assertTheStepRanFreshWorkloadsOfItsOwn();
    assertTheWorkloadsAreGone();
    assertThat(stateRecord()).containsEntry("phase", "Healthy");
  }
}
