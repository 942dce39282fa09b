package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.ResourceKey;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's {@code weir rollback} under Argo Rollouts' {@code canary.dynamicStableScale: true}
 * (docs/features/canary.md, "Dynamic Stable Scale": the stable ReplicaSet is scaled back up before
 * traffic shifts back to it; Argo's {@code calculateDesiredWeightOnAbortOrStableRollback} applies
 * to a rollback to the stable version as to an abort; decision 0048), played by the executor
 * against the sandbox Kubernetes API server in virtual time: the VirtualService's canary weight
 * follows the stable Deployment's available pods, never sending more to stable than they can take.
 * Without {@code dynamicStableScale} the rollback stays one switch.
 */
class ArgoDynamicStableScaleIT {
  @TempDir Path dir;
  SandboxStage stage;
  ClusterGateway gateway;
  RolloutExecutor executor;

  static final String OBJECTS =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: storefront}
      spec:
        replicas: 4
        selector: {matchLabels: {app.kubernetes.io/name: storefront}}
        template:
          metadata:
            labels: {app.kubernetes.io/name: storefront}
          spec:
            containers:
            - {name: storefront, image: "registry.example/shop/storefront:VERSION"}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: storefront-stable}
      spec: {selector: {app.kubernetes.io/name: storefront}, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: storefront-canary}
      spec: {selector: {app.kubernetes.io/name: storefront}, ports: [{port: 80}]}
      ---
      apiVersion: networking.istio.io/v1beta1
      kind: VirtualService
      metadata: {name: storefront}
      spec:
        hosts: [shop.example]
        http:
        - name: primary
          route:
          - destination: {host: storefront-stable}
            weight: 100
          - destination: {host: storefront-canary}
            weight: 0
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        replicas: 4
        workloadRef: {apiVersion: apps/v1, kind: Deployment, name: storefront}
        strategy:
          canary:
            canaryService: storefront-canary
            stableService: storefront-stable
            DYNAMIC
            trafficRouting:
              istio:
                virtualService: {name: storefront, routes: [primary]}
            steps:
            - setWeight: 50
            - pause: {}
      """;

  static final ResourceKey STABLE = new ResourceKey("apps", "Deployment", "shop", "storefront");
  static final ResourceKey CANARY =
      new ResourceKey("apps", "Deployment", "shop", "storefront-canary");
  static final ResourceKey VIRTUAL_SERVICE =
      new ResourceKey("networking.istio.io", "VirtualService", "shop", "storefront");

  String dynamic = "dynamicStableScale: true";

  DesiredState version(String version) {
    return Apps.state(
        "storefront",
        Apps.manifests(
            OBJECTS.replace("VERSION", version).replace("DYNAMIC", dynamic),
            "apps/storefront/all.yaml"));
  }

  @BeforeEach
  void start() throws Exception {
    stage = new SandboxStage(dir.resolve("cluster"));
    gateway = stage.gateway;
  }

  void deploy() {
    stage.apply(version("1.0.0"), m -> true);
    stage.podsReady();
    executor = stage.executor();
  }

  @AfterEach
  void stop() throws Exception {
    stage.close();
  }

  void available(ResourceKey key, long available) {
    stage.available(key, available);
  }

  void playUntil(Predicate<RolloutStatus> done) {
    stage.playUntil("storefront", done);
  }

  /** Each destination's weight by host, as the API server stores them. */
  Map<String, Integer> weights() {
    Map<String, Integer> out = new LinkedHashMap<>();
    List<?> http = (List<?>) gateway.get(VIRTUAL_SERVICE).orElseThrow().at("spec.http").orElseThrow();
    for (Object route : (List<?>) ((Map<?, ?>) http.getFirst()).get("route")) {
      Map<?, ?> destination = (Map<?, ?>) ((Map<?, ?>) route).get("destination");
      out.put(
          String.valueOf(destination.get("host")),
          ((Number) ((Map<?, ?>) route).get("weight")).intValue());
    }
    return out;
  }

  int replicas(ResourceKey key) {
    return gateway
        .get(key)
        .flatMap(d -> d.at("spec.replicas"))
        .map(v -> ((Number) v).intValue())
        .orElse(0);
  }

  /** The canary at 50% and paused; then Git restored to 1.0.0 and the person's rollback. */
  CommandOutcome rollBackAtHalf() {
    deploy();
    assertThat(executor.track(version("1.0.0"))).isEmpty();
    playUntil(s -> s.phase() == RolloutPhase.HEALTHY);
    assertThat(executor.track(version("1.1.0"))).isEmpty();
    playUntil(s -> s.phase() == RolloutPhase.PAUSED);
    assertThat(weights()).containsExactly(Map.entry("storefront-stable", 50), Map.entry("storefront-canary", 50));

    // as `weir rollback` does: the restored revision desired without a pass, then the command
    executor.desire(version("1.0.0"));
    return executor.command(
        "storefront", Optional.empty(), new ManualCommand.Rollback("alice", "bad release"));
  }

  @Test
  void theTrafficFollowsTheStablePodsBackAfterARollback() {
    assertThat(rollBackAtHalf().message()).contains("rolled back to");
    assertThat(replicas(STABLE)).as("the stable Deployment is asked for all its pods").isEqualTo(4);
    assertThat(weights())
        .as("2 of 4 stable pods available: the canary keeps its 50%")
        .containsExactly(Map.entry("storefront-stable", 50), Map.entry("storefront-canary", 50));
    assertThat(replicas(CANARY)).as("the canary keeps its pods meanwhile").isEqualTo(2);

    available(STABLE, 3);
    executor.reconcile();
    assertThat(weights())
        .as("3 of 4 available: 75% to stable")
        .containsExactly(Map.entry("storefront-stable", 75), Map.entry("storefront-canary", 25));
    assertThat(replicas(CANARY)).isEqualTo(2);

    available(STABLE, 4);
    executor.reconcile();
    assertThat(weights())
        .containsExactly(Map.entry("storefront-stable", 100), Map.entry("storefront-canary", 0));
    assertThat(replicas(CANARY)).as("the canary goes once its traffic has").isZero();
    RolloutStatus status = executor.status("storefront", Optional.empty()).orElseThrow();
    assertThat(status.phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(status.message()).startsWith("rolled back to v1.0.0").contains("by alice");
  }

  @Test
  void withoutDynamicStableScaleTheRollbackIsOneSwitch() {
    dynamic = "";
    rollBackAtHalf();
    assertThat(weights())
        .containsExactly(Map.entry("storefront-stable", 100), Map.entry("storefront-canary", 0));
    assertThat(replicas(CANARY)).isZero();
    assertThat(executor.status("storefront", Optional.empty()).orElseThrow().phase())
        .isEqualTo(RolloutPhase.HEALTHY);
  }
}
