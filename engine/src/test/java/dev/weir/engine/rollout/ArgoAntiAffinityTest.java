package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Argo Rollouts' {@code canary.antiAffinity} (docs/features/anti-affinity.md): "the new pods get an
 * anti-affinity rule against the stable ReplicaSet's pods", a {@code podAntiAffinity} term
 * selecting {@code rollouts-pod-template-hash In [stable]} on {@code kubernetes.io/hostname} in the
 * Rollout's namespace, required or preferred with its {@code weight}, appended to what the
 * template already has ({@code GenerateReplicaSetAffinity}). Weir selects by its own hash label,
 * the one its pods carry.
 */
class ArgoAntiAffinityTest {
  static final String HASH = RolloutExecutor.HASH_LABEL;

  record Case(String name, OptionalInt weight, String template, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String TERM =
      "{labelSelector={matchExpressions=[{key="
          + HASH
          + ", operator=In, values=[5ab1e]}]}, namespaces=[shop],"
          + " topologyKey=kubernetes.io/hostname}";

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "required",
            OptionalInt.empty(),
            "spec: {containers: [{name: web, image: web:2}]}",
            "{podAntiAffinity={requiredDuringSchedulingIgnoredDuringExecution=[" + TERM + "]}}"),
        new Case(
            "preferred, with its weight",
            OptionalInt.of(40),
            "spec: {containers: [{name: web, image: web:2}]}",
            "{podAntiAffinity={preferredDuringSchedulingIgnoredDuringExecution=[{weight=40,"
                + " podAffinityTerm="
                + TERM
                + "}]}}"),
        new Case(
            "appended to the template's own terms, its node affinity kept",
            OptionalInt.empty(),
            """
            spec:
              containers: [{name: web, image: web:2}]
              affinity:
                nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [web]}]}]}}
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                  - {labelSelector: {matchLabels: {app: db}}, topologyKey: kubernetes.io/hostname}
            """,
            "{nodeAffinity={requiredDuringSchedulingIgnoredDuringExecution={nodeSelectorTerms="
                + "[{matchExpressions=[{key=pool, operator=In, values=[web]}]}]}},"
                + " podAntiAffinity={requiredDuringSchedulingIgnoredDuringExecution=["
                + "{labelSelector={matchLabels={app=db}}, topologyKey=kubernetes.io/hostname}, "
                + TERM
                + "]}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theCanaryPodsAvoidTheStablePods(Case c) {
    Map<String, Object> template = new Yaml().load(c.template());
    String before = template.toString();
    Map<String, Object> applied =
        new CanaryPods.AntiAffinity(c.weight()).applyTo(template, HASH, "5ab1e", "shop");
    assertThat(((Map<?, ?>) applied.get("spec")).get("affinity").toString()).isEqualTo(c.expected());
    assertThat(template.toString()).as("the template given is left as it is").isEqualTo(before);
  }
}
