package dev.weir.engine.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Istio subset-level splitting, as Argo Rollouts documents it (docs/features/traffic-management/
 * istio.md, "Subset-level Traffic Splitting"): the VirtualService's route sends to the stable and
 * canary subsets of one host ("the controller modifies the weights of the subsets"), and the
 * DestinationRule's two subsets get each side's pod-template-hash label ("the controller injects
 * the rollouts-pod-template-hash label into the subsets", Weir's label being the one its pods
 * carry).
 */
class IstioSubsetsTest {
  static final String HASH = "rollouts.weir.dev/pod-template-hash";

  static final TrafficRoutingSpec.DestinationRule RULE =
      new TrafficRoutingSpec.DestinationRule("storefront", "canary", "stable");

  static final String VIRTUAL_SERVICE =
      """
      apiVersion: networking.istio.io/v1alpha3
      kind: VirtualService
      metadata: {name: storefront, namespace: shop}
      spec:
        hosts: [shop.example]
        http:
        - name: primary
          route:
          - destination: {host: storefront, subset: stable, port: {number: 80}}
            weight: 100
          - destination: {host: storefront, subset: canary, port: {number: 80}}
            weight: 0
      """;

  static final String DESTINATION_RULE =
      """
      apiVersion: networking.istio.io/v1beta1
      kind: DestinationRule
      metadata: {name: storefront, namespace: shop}
      spec:
        host: storefront
        subsets:
        - name: canary
          labels: {app: storefront}
        - name: stable
          labels: {app: storefront}
        - name: legacy
          labels: {version: "1.0"}
      """;

  static TrafficRouter router() {
    return TrafficRouter.of(
        new TrafficRoutingSpec.Istio("storefront", List.of("primary"), Optional.of(RULE)),
        "shop",
        null,
        null);
  }

  record WeightCase(String name, String virtualService, int weight, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<WeightCase> weights() {
    return Stream.of(
        new WeightCase(
            "both subsets in the route: their weights are set",
            VIRTUAL_SERVICE,
            20,
            "route=[{destination={host=storefront, subset=stable, port={number=80}}, weight=80},"
                + " {destination={host=storefront, subset=canary, port={number=80}}, weight=20}]"),
        new WeightCase(
            "only the stable subset: the canary's is added beside it, same host",
            VIRTUAL_SERVICE.replace(
                "  - destination: {host: storefront, subset: canary, port: {number: 80}}\n"
                    + "      weight: 0\n",
                ""),
            5,
            "route=[{destination={host=storefront, subset=stable, port={number=80}}, weight=95},"
                + " {destination={host=storefront, subset=canary, port={number=80}}, weight=5}]"),
        new WeightCase(
            "a fully qualified host: told apart by subset all the same",
            VIRTUAL_SERVICE.replace("host: storefront,", "host: storefront.shop.svc.cluster.local,"),
            50,
            "subset=stable, port={number=80}}, weight=50}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weights")
  void theVirtualServiceSplitsBetweenTheTwoSubsets(WeightCase c) {
    var live = TrafficRouterTest.live(c.virtualService());
    RoutePlan plan = router().plan(live, TrafficShape.weight(c.weight()));
    assertThat(((RoutePlan.Write) plan).objects().getFirst().get("spec").toString())
        .contains(c.expected());
    var after = TrafficRouterTest.applied(live, plan);
    assertThat(router().weight(after)).contains(c.weight());
    assertThat(router().plan(after, TrafficShape.weight(c.weight())))
        .isEqualTo(new RoutePlan.Unchanged());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> destinationRule(String yaml) {
    return (Map<String, Object>) new Yaml().load(yaml);
  }

  record SubsetCase(
      String name,
      String destinationRule,
      Optional<String> canary,
      Optional<String> stable,
      Object expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<SubsetCase> subsets() {
    return Stream.of(
        new SubsetCase(
            "each side's hash on its subset, other subsets untouched",
            DESTINATION_RULE,
            Optional.of("c0ffee"),
            Optional.of("5ab1e"),
            List.of(
                Map.of("name", "canary", "labels", Map.of("app", "storefront", HASH, "c0ffee")),
                Map.of("name", "stable", "labels", Map.of("app", "storefront", HASH, "5ab1e")),
                Map.of("name", "legacy", "labels", Map.of("version", "1.0")))),
        new SubsetCase(
            "a side whose pods are not labelled yet: the label is removed, not left stale",
            DESTINATION_RULE.replace(
                "labels: {app: storefront}\n  - name: stable",
                "labels: {app: storefront, " + HASH + ": old}\n  - name: stable"),
            Optional.empty(),
            Optional.of("5ab1e"),
            List.of(
                Map.of("name", "canary", "labels", Map.of("app", "storefront")),
                Map.of("name", "stable", "labels", Map.of("app", "storefront", HASH, "5ab1e")),
                Map.of("name", "legacy", "labels", Map.of("version", "1.0")))),
        new SubsetCase(
            "a subset without labels gets the hash alone",
            """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: storefront, namespace: shop}
            spec:
              host: storefront
              subsets: [{name: canary}, {name: stable}]
            """,
            Optional.of("c0ffee"),
            Optional.of("5ab1e"),
            "[{name=canary, labels={" + HASH + "=c0ffee}}"),
        new SubsetCase(
            "no canary subset: said in one line",
            DESTINATION_RULE.replace("name: canary", "name: preview"),
            Optional.of("c0ffee"),
            Optional.of("5ab1e"),
            new RoutePlan.Impossible("DestinationRule shop/storefront has no subset named canary")),
        new SubsetCase(
            "no DestinationRule",
            null,
            Optional.of("c0ffee"),
            Optional.of("5ab1e"),
            new RoutePlan.Impossible(
                "DestinationRule shop/storefront does not exist; the rollout sets the labels of its"
                    + " subsets")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subsets")
  void theSubsetsGetEachSidesPodTemplateHash(SubsetCase c) {
    IstioSubsets subsets = new IstioSubsets("shop", RULE, HASH);
    Map<String, Object> live = c.destinationRule() == null ? null : destinationRule(c.destinationRule());
    RoutePlan plan = subsets.plan(live, c.canary(), c.stable());
    switch (c.expected()) {
      case RoutePlan.Impossible impossible -> assertThat(plan).isEqualTo(impossible);
      case String text ->
          assertThat(((RoutePlan.Write) plan).objects().getFirst().get("spec").toString())
              .startsWith("{subsets=" + text);
      default -> {
        Map<String, Object> written = ((RoutePlan.Write) plan).objects().getFirst();
        assertThat(written.get("apiVersion")).isEqualTo("networking.istio.io/v1beta1");
        assertThat(ObjectTrees.same(ObjectTrees.map(written.get("spec")).get("subsets"), c.expected()))
            .as("%s", written.get("spec"))
            .isTrue();
        Map<String, Object> after = ObjectTrees.copy(live);
        ObjectTrees.map(after.get("spec")).put("subsets", ObjectTrees.map(written.get("spec")).get("subsets"));
        assertThat(subsets.plan(after, c.canary(), c.stable())).isEqualTo(new RoutePlan.Unchanged());
      }
    }
  }
}
