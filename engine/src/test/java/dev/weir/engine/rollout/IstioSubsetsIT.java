package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio subset-level splitting as Argo Rollouts documents it (docs/features/traffic-management/
 * istio.md, "Subset-level Traffic Splitting"): one Service, a VirtualService whose route sends to
 * the {@code stable} and {@code canary} subsets of one host, and a DestinationRule whose subsets the
 * rollout labels with each side's pod-template hash ("the controller injects the
 * rollouts-pod-template-hash label into the subsets"). Played by the executor against the sandbox
 * Kubernetes API server, Istio's kinds at {@code v1alpha3} and {@code v1beta1} as older
 * repositories write them. The Rollout also asks for {@code antiAffinity} (docs/features/
 * anti-affinity.md), whose term the canary's pods carry.
 */
class IstioSubsetsIT {
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
            labels: {app.kubernetes.io/name: storefront, app.kubernetes.io/version: "2.4.0"}
          spec:
            containers:
            - {name: storefront, image: "registry.example/shop/storefront:2.4.0"}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: storefront}
      spec: {selector: {app.kubernetes.io/name: storefront}, ports: [{port: 80}]}
      ---
      apiVersion: networking.istio.io/v1alpha3
      kind: VirtualService
      metadata: {name: storefront}
      spec:
        hosts: [shop.example]
        http:
        - name: primary
          route:
          - destination: {host: storefront, subset: stable}
            weight: 100
          - destination: {host: storefront, subset: canary}
            weight: 0
      ---
      apiVersion: networking.istio.io/v1beta1
      kind: DestinationRule
      metadata: {name: storefront}
      spec:
        host: storefront
        trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
        subsets:
        - name: canary
          labels: {app.kubernetes.io/name: storefront}
        - name: stable
          labels: {app.kubernetes.io/name: storefront}
        - name: legacy
          labels: {app.kubernetes.io/version: "1.0"}
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        replicas: 4
        workloadRef: {apiVersion: apps/v1, kind: Deployment, name: storefront}
        strategy:
          canary:
            scaleDownDelaySeconds: 0
            antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}
            trafficRouting:
              istio:
                virtualService: {name: storefront, routes: [primary]}
                destinationRule: {name: storefront, canarySubsetName: canary, stableSubsetName: stable}
            steps:
            - setWeight: 20
            - pause: {}
      """;

  static final ResourceKey STABLE = new ResourceKey("apps", "Deployment", "shop", "storefront");
  static final ResourceKey CANARY =
      new ResourceKey("apps", "Deployment", "shop", "storefront-canary");
  static final ResourceKey VIRTUAL_SERVICE =
      new ResourceKey("networking.istio.io", "VirtualService", "shop", "storefront");
  static final ResourceKey DESTINATION_RULE =
      new ResourceKey("networking.istio.io", "DestinationRule", "shop", "storefront");

  static DesiredState version(String version) {
    return Apps.state(
        "storefront", Apps.manifests(OBJECTS.replace("2.4.0", version), "apps/storefront/all.yaml"));
  }

  @BeforeEach
  void start() throws Exception {
    stage = new SandboxStage(dir.resolve("cluster"));
    gateway = stage.gateway;
    stage.apply(version("2.4.0"), m -> true);
    stage.podsReady();
    executor = stage.executor();
  }

  @AfterEach
  void stop() throws Exception {
    stage.close();
  }

  void podsReady() {
    stage.podsReady();
  }

  /** Pods ready, a pass, 30 seconds; until {@code done} says the rollout is where it should be. */
  void playUntil(java.util.function.Predicate<RolloutStatus> done) {
    stage.playUntil("storefront", done);
  }

  String hash(ResourceKey deployment) {
    return stage.hash(deployment);
  }

  /** Each subset's labels by name, as the API server stores them. */
  Map<String, Object> subsets() {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (Object subset : (List<?>) gateway.get(DESTINATION_RULE).orElseThrow().at("spec.subsets").orElseThrow()) {
      Map<?, ?> map = (Map<?, ?>) subset;
      out.put(String.valueOf(map.get("name")), map.get("labels"));
    }
    return out;
  }

  /** Each destination's weight by subset, as the API server stores them. */
  Map<String, Integer> weights() {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    List<?> http = (List<?>) gateway.get(VIRTUAL_SERVICE).orElseThrow().at("spec.http").orElseThrow();
    for (Object route : (List<?>) ((Map<?, ?>) http.getFirst()).get("route")) {
      Map<?, ?> destination = (Map<?, ?>) ((Map<?, ?>) route).get("destination");
      out.put(
          String.valueOf(destination.get("subset")),
          ((Number) ((Map<?, ?>) route).get("weight")).intValue());
    }
    return out;
  }

  @Test
  void theSubsetsFollowEachSidesPodsAndTheVirtualServiceSplitsBetweenThem() {
    assertThat(executor.track(version("2.4.0"))).isEmpty();
    executor.track(version("2.4.1"));
    playUntil(s -> s.message().endsWith("paused until promoted"));

    String canary = hash(CANARY);
    String stable = hash(STABLE);
    assertThat(canary).isNotEqualTo(stable).isNotEqualTo("null");
    assertThat(weights()).containsExactly(Map.entry("stable", 80), Map.entry("canary", 20));
    assertThat(subsets())
        .containsEntry(
            "canary",
            Map.of("app.kubernetes.io/name", "storefront", RolloutExecutor.HASH_LABEL, canary))
        .containsEntry(
            "stable",
            Map.of("app.kubernetes.io/name", "storefront", RolloutExecutor.HASH_LABEL, stable))
        .as("a subset the rollout does not name is left as Git has it")
        .containsEntry("legacy", Map.of("app.kubernetes.io/version", "1.0"));
    LiveObject rule = gateway.get(DESTINATION_RULE).orElseThrow();
    assertThat(rule.at("spec.trafficPolicy").orElseThrow().toString()).contains("ROUND_ROBIN");
    assertThat(rule.object().get("apiVersion")).isNotNull();

    executor.command(
        "storefront", Optional.empty(), new ManualCommand.Promote("alice", "subsets look fine"));
    playUntil(
        s -> s.phase() == RolloutPhase.HEALTHY && s.stableVersion().equals("v2.4.1"));

    assertThat(weights()).containsExactly(Map.entry("stable", 100), Map.entry("canary", 0));
    String promoted = hash(STABLE);
    assertThat(promoted).as("the stable Deployment runs the canary's template").isEqualTo(canary);
    assertThat(subsets())
        .as("both subsets name the new stable pods, as in Argo once the canary hash is stable's")
        .containsEntry(
            "stable",
            Map.of("app.kubernetes.io/name", "storefront", RolloutExecutor.HASH_LABEL, promoted))
        .containsEntry(
            "canary",
            Map.of("app.kubernetes.io/name", "storefront", RolloutExecutor.HASH_LABEL, promoted));
  }

  /**
   * Argo's anti-affinity.md: "the canary pods get a required anti-affinity rule against the stable
   * pods' hash on kubernetes.io/hostname"; the stable pods get none.
   */
  @Test
  void theCanaryPodsCarryTheAntiAffinityAgainstTheStablePods() {
    executor.track(version("2.4.0"));
    executor.track(version("2.4.1"));
    playUntil(s -> s.message().endsWith("paused until promoted"));

    String stable = hash(STABLE);
    Object canaryAffinity =
        gateway.get(CANARY).orElseThrow().at("spec.template.spec.affinity").orElseThrow();
    assertThat(canaryAffinity)
        .isEqualTo(
            Map.of(
                "podAntiAffinity",
                Map.of(
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    List.of(
                        Map.of(
                            "labelSelector",
                            Map.of(
                                "matchExpressions",
                                List.of(
                                    Map.of(
                                        "key", RolloutExecutor.HASH_LABEL,
                                        "operator", "In",
                                        "values", List.of(stable)))),
                            "namespaces", List.of("shop"),
                            "topologyKey", "kubernetes.io/hostname")))));
    assertThat(gateway.get(STABLE).orElseThrow().at("spec.template.spec.affinity")).isEmpty();
  }

  /**
   * Argo's specification.md: "The order of managedRoutes array also sets the precedence of the
   * route in the traffic router" (decision 0048): the steps set the header route before the mirror
   * route, managedRoutes lists the mirror route first, and so does the VirtualService.
   */
  @Test
  void managedRoutesComeInTheOrderTheRolloutListsThem() {
    String objects =
        OBJECTS
            .replace(
                "      trafficRouting:\n",
                "      trafficRouting:\n"
                    + "        managedRoutes: [{name: mirror-all}, {name: beta}]\n")
            .replace(
                "      - setWeight: 20\n",
                "      - setWeight: 20\n"
                    + "      - setHeaderRoute: {name: beta, match: [{headerName: X-Beta,"
                    + " headerValue: {exact: \"yes\"}}]}\n"
                    + "      - setMirrorRoute: {name: mirror-all, match: [{path: {prefix: /}}]}\n");
    assertThat(objects).contains("managedRoutes", "setMirrorRoute");
    assertThat(
            executor.track(
                Apps.state("storefront", Apps.manifests(objects, "apps/storefront/all.yaml"))))
        .isEmpty();
    assertThat(
            executor.track(
                Apps.state(
                    "storefront",
                    Apps.manifests(
                        objects.replace("2.4.0", "2.4.1"), "apps/storefront/all.yaml"))))
        .isEmpty();
    playUntil(s -> s.message().endsWith("paused until promoted"));

    List<String> names = new ArrayList<>();
    for (Object route :
        (List<?>) gateway.get(VIRTUAL_SERVICE).orElseThrow().at("spec.http").orElseThrow()) {
      names.add(String.valueOf(((Map<?, ?>) route).get("name")));
    }
    assertThat(names).containsExactly("weir-mirror-all", "weir-beta", "primary");
  }

  /**
   * A Rollout that leaves Git gives its subsets back without its hash labels, as its Services get
   * their selectors back (Argo's controller stops managing them likewise).
   */
  @Test
  void aRolloutThatLeavesGitGivesTheSubsetsBackWithoutItsLabels() {
    executor.track(version("2.4.0"));
    executor.track(version("2.4.1"));
    playUntil(s -> s.message().endsWith("paused until promoted"));
    assertThat(subsets().get("stable").toString()).contains(RolloutExecutor.HASH_LABEL);

    String withoutRollout = OBJECTS.substring(0, OBJECTS.indexOf("---\napiVersion: argoproj.io"));
    executor.track(
        Apps.state(
            "storefront",
            Apps.manifests(withoutRollout.replace("2.4.0", "2.4.1"), "apps/storefront/all.yaml")));

    assertThat(subsets())
        .containsEntry("canary", Map.of("app.kubernetes.io/name", "storefront"))
        .containsEntry("stable", Map.of("app.kubernetes.io/name", "storefront"))
        .containsEntry("legacy", Map.of("app.kubernetes.io/version", "1.0"));
    assertThat(weights()).containsExactly(Map.entry("stable", 100), Map.entry("canary", 0));
  }

  @Test
  void aDestinationRuleWithoutTheCanarySubsetStopsTheRolloutWithAReason() {
    executor.track(version("2.4.0"));
    gateway.apply(
        Map.of(
            "apiVersion", "networking.istio.io/v1beta1",
            "kind", "DestinationRule",
            "metadata", Map.of("name", "storefront", "namespace", "shop"),
            "spec",
                Map.of(
                    "host", "storefront",
                    "subsets", List.of(Map.of("name", "stable")))),
        ApplyOptions.weir());
    executor.track(version("2.4.1"));
    List<String> problems = new ArrayList<>();
    for (int tick = 0; tick < 6; tick++) {
      podsReady();
      executor.reconcile();
      executor.problem("storefront", Optional.empty()).ifPresent(problems::add);
      stage.cluster.clock.advance(Duration.ofSeconds(30));
    }
    assertThat(String.join("\n", problems))
        .contains("DestinationRule shop/storefront has no subset named canary");
  }
}
