package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.ResourceKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Argo Rollouts' {@code blueGreen.antiAffinity} (docs/features/anti-affinity.md: "Anti-affinity can
 * be enabled for both the canary and blue-green strategies"; the new ReplicaSet's pods get a
 * {@code podAntiAffinity} term against the previous, still-serving ReplicaSet's pod-template hash on
 * {@code kubernetes.io/hostname}, required or preferred with its weight). In Weir the new pods are
 * the preview Deployment's, the previous ones the active Deployment's (decision 0048). Played by the
 * executor against the sandbox Kubernetes API server in virtual time.
 */
class ArgoBlueGreenAntiAffinityIT {
  @TempDir Path dir;
  SandboxStage stage;
  ClusterGateway gateway;
  RolloutExecutor executor;

  static final String OBJECTS =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: checkout}
      spec:
        replicas: 3
        selector: {matchLabels: {app.kubernetes.io/name: checkout}}
        template:
          metadata:
            labels: {app.kubernetes.io/name: checkout}
          spec:
            containers:
            - {name: checkout, image: "registry.example/shop/checkout:VERSION"}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: checkout-active}
      spec: {selector: {app.kubernetes.io/name: checkout}, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: checkout-preview}
      spec: {selector: {app.kubernetes.io/name: checkout}, ports: [{port: 80}]}
      ---
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: checkout}
      spec:
        replicas: 3
        workloadRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
        strategy:
          blueGreen:
            activeService: checkout-active
            previewService: checkout-preview
            autoPromotionEnabled: false
            ANTI_AFFINITY
      """;

  static final ResourceKey ACTIVE = new ResourceKey("apps", "Deployment", "shop", "checkout");
  static final ResourceKey PREVIEW =
      new ResourceKey("apps", "Deployment", "shop", "checkout-preview");

  record Case(String name, String antiAffinity, String key, Long weight) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "required",
            "antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}",
            "requiredDuringSchedulingIgnoredDuringExecution",
            null),
        new Case(
            "preferred, with its weight",
            "antiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 70}}",
            "preferredDuringSchedulingIgnoredDuringExecution",
            70L));
  }

  static DesiredState version(String version, String antiAffinity) {
    return Apps.state(
        "checkout",
        Apps.manifests(
            OBJECTS.replace("VERSION", version).replace("ANTI_AFFINITY", antiAffinity),
            "apps/checkout/all.yaml"));
  }

  @BeforeEach
  void start() throws Exception {
    stage = new SandboxStage(dir.resolve("cluster"));
    gateway = stage.gateway;
    stage.apply(version("1.0.0", ""), m -> !"Rollout".equals(m.object().get("kind")));
    executor = stage.executor();
  }

  @AfterEach
  void stop() throws Exception {
    stage.close();
  }

  void playUntil(Predicate<RolloutStatus> done) {
    stage.playUntil("checkout", done);
  }

  String hash(ResourceKey deployment) {
    return stage.hash(deployment);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void thePreviewPodsAvoidTheActivePods(Case c) {
    assertThat(executor.track(version("1.0.0", c.antiAffinity()))).isEmpty();
    playUntil(s -> s.phase() == RolloutPhase.HEALTHY);
    assertThat(gateway.get(ACTIVE).orElseThrow().at("spec.template.spec.affinity"))
        .as("the first version has no previous pods to avoid")
        .isEmpty();

    assertThat(executor.track(version("1.1.0", c.antiAffinity()))).isEmpty();
    playUntil(s -> s.phase() == RolloutPhase.PAUSED);

    String active = hash(ACTIVE);
    assertThat(hash(PREVIEW)).isNotEqualTo(active).isNotEqualTo("null");
    Map<String, Object> term =
        Map.of(
            "labelSelector",
            Map.of(
                "matchExpressions",
                List.of(
                    Map.of(
                        "key", RolloutExecutor.HASH_LABEL,
                        "operator", "In",
                        "values", List.of(active)))),
            "namespaces", List.of("shop"),
            "topologyKey", "kubernetes.io/hostname");
    Object wanted =
        c.weight() == null ? term : Map.of("weight", c.weight(), "podAffinityTerm", term);
    assertThat(gateway.get(PREVIEW).orElseThrow().at("spec.template.spec.affinity").orElseThrow())
        .isEqualTo(Map.of("podAntiAffinity", Map.of(c.key(), List.of(wanted))));
    assertThat(gateway.get(ACTIVE).orElseThrow().at("spec.template.spec.affinity"))
        .as("the active pods get none")
        .isEmpty();

    executor.command(
        "checkout", Optional.empty(), new ManualCommand.Promote("alice", "preview looks fine"));
    playUntil(
        s -> s.phase() == RolloutPhase.HEALTHY && s.stableVersion().endsWith("1.1.0"));
    assertThat(gateway.get(ACTIVE).orElseThrow().at("spec.template.spec.affinity"))
        .as("once promoted, the active pods have no previous pods to avoid")
        .isEmpty();
  }
}
