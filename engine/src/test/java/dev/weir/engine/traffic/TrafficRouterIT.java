package dev.weir.engine.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every router through the ClusterGateway against the sandbox API server: the objects are applied
 * as the reconciler applies Git's ({@code weir}), the router writes as the rollout engine, and the
 * test reads back what the server stored.
 */
class TrafficRouterIT {
  @TempDir static Path dir;
  static TestCluster cluster;
  static ClusterGateway gateway;
  static int namespaces;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    gateway = cluster.gateway();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  /**
   * A fresh namespace holding {@code yamls} (with {@code shop} replaced by it), applied as Git sync
   * does.
   */
  static String namespaceWith(String... yamls) {
    String ns = "traffic-" + (++namespaces);
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", ns)),
        ApplyOptions.weir());
    for (String yaml : yamls) {
      Map<String, Object> object =
          new Yaml().load(yaml.replace("namespace: shop", "namespace: " + ns));
      gateway.apply(object, ApplyOptions.weir());
    }
    return ns;
  }

  record Case(String name, TrafficRoutingSpec spec, String[] objects) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> routers() {
    return Stream.of(
        new Case(
            "Gateway API HTTPRoute",
            new TrafficRoutingSpec.GatewayApi("storefront"),
            new String[] {TrafficRouterTest.HTTP_ROUTE}),
        new Case(
            "Istio VirtualService",
            new TrafficRoutingSpec.Istio("storefront", List.of("primary")),
            new String[] {TrafficRouterTest.VIRTUAL_SERVICE}),
        new Case(
            "SMI TrafficSplit",
            new TrafficRoutingSpec.Smi("storefront", Optional.of("storefront")),
            new String[] {}),
        new Case(
            "NGINX canary Ingress",
            new TrafficRoutingSpec.Nginx("storefront"),
            new String[] {TrafficRouterTest.INGRESS}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routers")
  void theWeightWrittenIsTheWeightReadBackFromTheCluster(Case c) {
    String ns = namespaceWith(c.objects());
    TrafficRouter router = TrafficRouter.of(c.spec(), ns, "storefront-stable", "storefront-canary");
    for (int weight : new int[] {5, 25, 50, 0}) {
      assertThat(router.apply(gateway, TrafficShape.weight(weight), "weir-rollout"))
          .isInstanceOf(RoutePlan.Write.class);
      assertThat(router.weight(gateway)).contains(weight);
      assertThat(router.apply(gateway, TrafficShape.weight(weight), "weir-rollout"))
          .isEqualTo(new RoutePlan.Unchanged());
    }
  }

  @Test
  void anAbRouteIsStoredOnTheHttpRouteBesideTheGitFields() {
    String ns = namespaceWith(TrafficRouterTest.HTTP_ROUTE);
    TrafficRouter router =
        TrafficRouter.of(
            new TrafficRoutingSpec.GatewayApi("storefront"),
            ns,
            "storefront-stable",
            "storefront-canary");
    router.apply(
        gateway, new TrafficShape(10, List.of(TrafficRouterTest.BETA_HEADER)), "weir-rollout");

    LiveObject route =
        gateway
            .get(new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", ns, "storefront"))
            .orElseThrow();
    assertThat(route.at("spec.hostnames").orElseThrow()).isEqualTo(List.of("shop.example"));
    assertThat(route.at("spec.rules").orElseThrow().toString())
        .contains(
            "name=weir-beta", "name=X-Beta", "type=Exact", "value=yes", "weight=90", "weight=10");
  }

  /**
   * Argo Rollouts' subset-level Istio splitting (docs/features/traffic-management/istio.md) with
   * Istio's kinds as older repositories write them: the VirtualService at {@code v1alpha3}, the
   * DestinationRule at {@code v1beta1}; the server keeps their fields the rollout does not own.
   */
  @Test
  void istioSubsetsAtOlderApiVersionsAreWeighedAndLabelledThroughTheApiServer() {
    String ns = namespaceWith(IstioSubsetsTest.VIRTUAL_SERVICE, IstioSubsetsTest.DESTINATION_RULE);
    TrafficRouter router =
        TrafficRouter.of(
            new TrafficRoutingSpec.Istio(
                "storefront", List.of("primary"), Optional.of(IstioSubsetsTest.RULE)),
            ns,
            null,
            null);
    for (int weight : new int[] {10, 60, 0}) {
      assertThat(router.apply(gateway, TrafficShape.weight(weight), "weir-rollout"))
          .isInstanceOf(RoutePlan.Write.class);
      assertThat(router.weight(gateway)).contains(weight);
    }
    IstioSubsets subsets = new IstioSubsets(ns, IstioSubsetsTest.RULE, IstioSubsetsTest.HASH);
    assertThat(subsets.apply(gateway, Optional.of("c0ffee"), Optional.of("5ab1e"), "weir-rollout"))
        .isInstanceOf(RoutePlan.Write.class);
    assertThat(subsets.apply(gateway, Optional.of("c0ffee"), Optional.of("5ab1e"), "weir-rollout"))
        .isEqualTo(new RoutePlan.Unchanged());

    LiveObject rule =
        gateway
            .get(new ResourceKey("networking.istio.io", "DestinationRule", ns, "storefront"))
            .orElseThrow();
    assertThat(rule.at("spec.host").orElseThrow()).isEqualTo("storefront");
    assertThat(rule.at("spec.subsets").orElseThrow())
        .isEqualTo(
            List.of(
                Map.of(
                    "name", "canary",
                    "labels", Map.of("app", "storefront", IstioSubsetsTest.HASH, "c0ffee")),
                Map.of(
                    "name", "stable",
                    "labels", Map.of("app", "storefront", IstioSubsetsTest.HASH, "5ab1e")),
                Map.of("name", "legacy", "labels", Map.of("version", "1.0"))));
    LiveObject service =
        gateway
            .get(new ResourceKey("networking.istio.io", "VirtualService", ns, "storefront"))
            .orElseThrow();
    assertThat(service.at("spec.hosts").orElseThrow()).isEqualTo(List.of("shop.example"));
  }

  /**
   * Argo Rollouts' setMirrorRoute (docs/features/traffic-management/mirroring.md) through the API
   * server: the mirror route is stored first and removed again, the weight read back unchanged.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("mirroringRouters")
  void aMirrorRouteIsStoredAndRemovedThroughTheApiServer(Case c) {
    String ns = namespaceWith(c.objects());
    TrafficRouter router = TrafficRouter.of(c.spec(), ns, "storefront-stable", "storefront-canary");
    TrafficShape mirrored = new TrafficShape(10, List.of(), List.of(MirrorRouteTest.MIRROR_GET));
    assertThat(router.apply(gateway, mirrored, "weir-rollout")).isInstanceOf(RoutePlan.Write.class);
    assertThat(router.apply(gateway, mirrored, "weir-rollout"))
        .isEqualTo(new RoutePlan.Unchanged());
    assertThat(router.weight(gateway)).contains(10);
    String stored = stored(router, ns);
    assertThat(stored).contains("weir-mirror-get").containsAnyOf("mirrorPercentage", "RequestMirror");

    router.apply(gateway, TrafficShape.weight(10), "weir-rollout");
    assertThat(stored(router, ns)).doesNotContain("weir-mirror-get");
    assertThat(router.weight(gateway)).contains(10);
  }

  static Stream<Case> mirroringRouters() {
    return Stream.of(
        new Case(
            "Gateway API HTTPRoute",
            new TrafficRoutingSpec.GatewayApi("storefront"),
            new String[] {TrafficRouterTest.HTTP_ROUTE}),
        new Case(
            "Istio VirtualService v1alpha3",
            new TrafficRoutingSpec.Istio("storefront", List.of("primary")),
            new String[] {
              TrafficRouterTest.VIRTUAL_SERVICE.replace(
                  "networking.istio.io/v1", "networking.istio.io/v1alpha3")
            }));
  }

  static String stored(TrafficRouter router, String ns) {
    ResourceKey key = router.objects().getFirst();
    return gateway
        .get(new ResourceKey(key.group(), key.kind(), ns, key.name()))
        .orElseThrow()
        .object()
        .get("spec")
        .toString();
  }

  @Test
  void theNginxCanaryIngressCarriesTheHeaderAnnotations() {
    String ns = namespaceWith(TrafficRouterTest.INGRESS);
    TrafficRouter router =
        TrafficRouter.of(
            new TrafficRoutingSpec.Nginx("storefront"),
            ns,
            "storefront-stable",
            "storefront-canary");
    router.apply(
        gateway, new TrafficShape(20, List.of(TrafficRouterTest.BETA_HEADER)), "weir-rollout");

    LiveObject canary =
        gateway
            .get(new ResourceKey("networking.k8s.io", "Ingress", ns, "storefront-canary"))
            .orElseThrow();
    assertThat(canary.annotations())
        .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "20")
        .containsEntry("nginx.ingress.kubernetes.io/canary-by-header", "X-Beta");
    assertThat(canary.labels()).containsEntry("app.kubernetes.io/managed-by", "weir");
  }
}
