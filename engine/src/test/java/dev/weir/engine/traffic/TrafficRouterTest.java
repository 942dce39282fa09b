package dev.weir.engine.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.ResourceKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** Every router's pure plan: what it would write for a shape, read back as the weight it routes. */
class TrafficRouterTest {
  static final String NS = "shop";

  static final String HTTP_ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: storefront, namespace: shop}
      spec:
        parentRefs: [{name: shop-gateway}]
        hostnames: [shop.example]
        rules:
        - matches: [{path: {type: PathPrefix, value: /}}]
          backendRefs:
          - {name: storefront-stable, port: 80, weight: 100}
          - {name: storefront-canary, port: 80, weight: 0}
      """;

  static final String VIRTUAL_SERVICE =
      """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: storefront, namespace: shop}
      spec:
        hosts: [shop.example]
        http:
        - name: primary
          route:
          - destination: {host: storefront-stable.shop.svc.cluster.local, port: {number: 80}}
            weight: 100
      """;

  static final String INGRESS =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: storefront
        namespace: shop
        annotations: {kubernetes.io/ingress.class: nginx}
      spec:
        tls: [{hosts: [shop.example], secretName: shop-tls}]
        rules:
        - host: shop.example
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: storefront-stable, port: {number: 80}}}}
      """;

  static final HeaderRoute BETA_HEADER =
      new HeaderRoute(
          "beta", List.of(new RouteMatch.Header("X-Beta", RouteMatch.MatchType.EXACT, "yes")));
  static final HeaderRoute BETA_COOKIE =
      new HeaderRoute("beta", List.of(new RouteMatch.Cookie("beta", "always")));

  static TrafficRouter router(TrafficRoutingSpec spec) {
    return TrafficRouter.of(spec, NS, "storefront-stable", "storefront-canary");
  }

  static Map<ResourceKey, Map<String, Object>> live(String... yamls) {
    Map<ResourceKey, Map<String, Object>> live = new HashMap<>();
    for (String yaml : yamls) {
      Map<String, Object> object = new Yaml().load(yaml);
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
      live.put(
          ResourceKey.of(
              String.valueOf(object.get("apiVersion")),
              String.valueOf(object.get("kind")),
              String.valueOf(metadata.get("namespace")),
              String.valueOf(metadata.get("name"))),
          object);
    }
    return live;
  }

  /** Applies a plan's writes onto the live objects, as the API server would store them. */
  static Map<ResourceKey, Map<String, Object>> applied(
      Map<ResourceKey, Map<String, Object>> live, RoutePlan plan) {
    Map<ResourceKey, Map<String, Object>> after = new HashMap<>(live);
    if (plan instanceof RoutePlan.Write write) {
      for (Map<String, Object> object : write.objects()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
        ResourceKey key =
            ResourceKey.of(
                String.valueOf(object.get("apiVersion")),
                String.valueOf(object.get("kind")),
                String.valueOf(metadata.get("namespace")),
                String.valueOf(metadata.get("name")));
        Map<String, Object> merged = new HashMap<>(after.getOrDefault(key, Map.of()));
        Map<String, Object> spec =
            new HashMap<>(ObjectTrees.map(merged.getOrDefault("spec", Map.of())));
        spec.putAll(ObjectTrees.map(object.get("spec")));
        merged.putAll(object);
        merged.put("spec", spec);
        after.put(key, merged);
      }
    }
    return after;
  }

  record Case(String name, TrafficRoutingSpec spec, String[] live) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> routers() {
    return Stream.of(
        new Case(
            "Gateway API",
            new TrafficRoutingSpec.GatewayApi("storefront"),
            new String[] {HTTP_ROUTE}),
        new Case(
            "Istio",
            new TrafficRoutingSpec.Istio("storefront", List.of("primary")),
            new String[] {VIRTUAL_SERVICE}),
        new Case(
            "SMI", new TrafficRoutingSpec.Smi("storefront", Optional.empty()), new String[] {}),
        new Case("NGINX", new TrafficRoutingSpec.Nginx("storefront"), new String[] {INGRESS}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routers")
  void everyRouterWritesTheWeightItIsAskedForAndThenHasNothingToDo(Case c) {
    TrafficRouter router = router(c.spec());
    var live = live(c.live());
    for (int weight : new int[] {5, 25, 50, 100, 0}) {
      RoutePlan plan = router.plan(live, TrafficShape.weight(weight));
      assertThat(plan).isInstanceOf(RoutePlan.Write.class);
      live = applied(live, plan);
      assertThat(router.weight(live)).contains(weight);
      assertThat(router.plan(live, TrafficShape.weight(weight)))
          .isEqualTo(new RoutePlan.Unchanged());
    }
  }

  @Test
  void gatewayApiSetsBackendWeightsAndWritesOnlyTheRules() {
    var write =
        (RoutePlan.Write)
            router(new TrafficRoutingSpec.GatewayApi("storefront"))
                .plan(live(HTTP_ROUTE), TrafficShape.weight(25));
    Map<String, Object> object = write.objects().getFirst();
    assertThat(object).containsOnlyKeys("apiVersion", "kind", "metadata", "spec");
    assertThat(ObjectTrees.map(object.get("spec"))).containsOnlyKeys("rules");
    assertThat(object.get("spec").toString())
        .contains(
            "{name=storefront-stable, port=80, weight=75}",
            "{name=storefront-canary, port=80, weight=25}");
  }

  @Test
  void gatewayApiAddsTheCanaryBackendWhenTheRouteHasOnlyStable() {
    String stableOnly =
        HTTP_ROUTE.replace("    - {name: storefront-canary, port: 80, weight: 0}\n", "");
    var write =
        (RoutePlan.Write)
            router(new TrafficRoutingSpec.GatewayApi("storefront"))
                .plan(live(stableOnly), TrafficShape.weight(10));
    assertThat(write.objects().getFirst().get("spec").toString())
        .contains(
            "{name=storefront-stable, port=80, weight=90}",
            "{name=storefront-canary, port=80, weight=10}");
  }

  @Test
  void gatewayApiRoutesAHeaderOrCookieToTheCanaryInARuleOfItsOwn() {
    TrafficRouter router = router(new TrafficRoutingSpec.GatewayApi("storefront"));
    var write =
        (RoutePlan.Write) router.plan(live(HTTP_ROUTE), new TrafficShape(0, List.of(BETA_HEADER)));
    String spec = write.objects().getFirst().get("spec").toString();
    assertThat(spec)
        .startsWith(
            "{rules=[{name=weir-beta, matches=[{path={type=PathPrefix, value=/},"
                + " headers=[{name=X-Beta, type=Exact, value=yes}]}],"
                + " backendRefs=[{name=storefront-canary, port=80, weight=100}]}");

    var cookie =
        (RoutePlan.Write) router.plan(live(HTTP_ROUTE), new TrafficShape(0, List.of(BETA_COOKIE)));
    assertThat(cookie.objects().getFirst().get("spec").toString())
        .contains("{name=Cookie, type=RegularExpression, value=^(.*?;\\s*)?beta=always(;.*)?$}");

    var removed = router.plan(applied(live(HTTP_ROUTE), write), TrafficShape.ALL_STABLE);
    assertThat(((RoutePlan.Write) removed).objects().getFirst().get("spec").toString())
        .doesNotContain("weir-beta");
  }

  @Test
  void istioWeighsTheNamedRouteAndPutsAbRoutesFirst() {
    TrafficRouter router = router(new TrafficRoutingSpec.Istio("storefront", List.of()));
    var write =
        (RoutePlan.Write)
            router.plan(live(VIRTUAL_SERVICE), new TrafficShape(30, List.of(BETA_HEADER)));
    String spec = write.objects().getFirst().get("spec").toString();
    assertThat(spec)
        .startsWith(
            "{http=[{name=weir-beta, match=[{headers={x-beta={exact=yes}}}],"
                + " route=[{destination={host=storefront-canary.shop.svc.cluster.local,"
                + " port={number=80}}, weight=100}]}, {name=primary");
    assertThat(spec)
        .contains(
            "host=storefront-stable.shop.svc.cluster.local, port={number=80}}, weight=70}",
            "host=storefront-canary.shop.svc.cluster.local, port={number=80}}, weight=30}");
  }

  @Test
  void istioNamesAMissingRoute() {
    assertThat(
            router(new TrafficRoutingSpec.Istio("storefront", List.of("secondary")))
                .plan(live(VIRTUAL_SERVICE), TrafficShape.weight(5)))
        .isEqualTo(
            new RoutePlan.Impossible(
                "VirtualService shop/storefront has no http route named secondary sending to"
                    + " storefront-stable"));
  }

  @Test
  void smiCreatesTheTrafficSplitForTheRootService() {
    var write =
        (RoutePlan.Write)
            router(new TrafficRoutingSpec.Smi("storefront", Optional.of("storefront")))
                .plan(Map.of(), TrafficShape.weight(20));
    Map<String, Object> object = write.objects().getFirst();
    assertThat(object.get("apiVersion")).isEqualTo("split.smi-spec.io/v1alpha4");
    assertThat(ObjectTrees.map(object.get("spec")))
        .isEqualTo(
            Map.of(
                "service",
                "storefront",
                "backends",
                List.of(
                    Map.of("service", "storefront-stable", "weight", 80),
                    Map.of("service", "storefront-canary", "weight", 20))));
  }

  @Test
  void nginxGeneratesACanaryIngressWithTheControllersAnnotations() {
    var write =
        (RoutePlan.Write)
            router(new TrafficRoutingSpec.Nginx("storefront"))
                .plan(live(INGRESS), new TrafficShape(15, List.of(BETA_HEADER)));
    Map<String, Object> object = write.objects().getFirst();
    Map<String, Object> metadata = ObjectTrees.map(object.get("metadata"));
    assertThat(metadata.get("name")).isEqualTo("storefront-canary");
    assertThat(ObjectTrees.map(metadata.get("annotations")))
        .containsEntry("nginx.ingress.kubernetes.io/canary", "true")
        .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "15")
        .containsEntry("nginx.ingress.kubernetes.io/canary-by-header", "X-Beta")
        .containsEntry("nginx.ingress.kubernetes.io/canary-by-header-value", "yes")
        .containsEntry("kubernetes.io/ingress.class", "nginx");
    assertThat(object.get("spec").toString())
        .contains("name=storefront-canary")
        .doesNotContain("storefront-stable", "tls");

    var cookie =
        (RoutePlan.Write)
            router(new TrafficRoutingSpec.Nginx("storefront"))
                .plan(live(INGRESS), new TrafficShape(0, List.of(BETA_COOKIE)));
    assertThat(
            ObjectTrees.map(
                ObjectTrees.map(cookie.objects().getFirst().get("metadata")).get("annotations")))
        .containsEntry("nginx.ingress.kubernetes.io/canary-by-cookie", "beta");
  }

  record Impossible(
      String name,
      TrafficRoutingSpec spec,
      Map<ResourceKey, Map<String, Object>> live,
      TrafficShape shape,
      String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Impossible> impossible() {
    return Stream.of(
        new Impossible(
            "missing HTTPRoute",
            new TrafficRoutingSpec.GatewayApi("storefront"),
            Map.of(),
            TrafficShape.weight(5),
            "HTTPRoute shop/storefront does not exist; the rollout sets the weights of its"
                + " backendRefs"),
        new Impossible(
            "HTTPRoute without the stable service",
            new TrafficRoutingSpec.GatewayApi("storefront"),
            live(HTTP_ROUTE.replace("storefront-stable", "web")),
            TrafficShape.weight(5),
            "HTTPRoute shop/storefront has no rule with a backendRef to storefront-stable"),
        new Impossible(
            "SMI with a header route",
            new TrafficRoutingSpec.Smi("storefront", Optional.empty()),
            Map.of(),
            new TrafficShape(0, List.of(BETA_HEADER)),
            "TrafficSplit shop/storefront: SMI cannot route by header or cookie"),
        new Impossible(
            "NGINX cookie not always",
            new TrafficRoutingSpec.Nginx("storefront"),
            live(INGRESS),
            new TrafficShape(
                0, List.of(new HeaderRoute("b", List.of(new RouteMatch.Cookie("beta", "1"))))),
            "Ingress shop/storefront-canary: NGINX routes by cookie beta only when its value is"
                + " \"always\", not \"1\""),
        new Impossible(
            "NGINX two matches",
            new TrafficRoutingSpec.Nginx("storefront"),
            live(INGRESS),
            new TrafficShape(0, List.of(BETA_HEADER, BETA_COOKIE)),
            "Ingress shop/storefront-canary: NGINX takes one header or one cookie, got 2"),
        new Impossible(
            "missing stable Ingress",
            new TrafficRoutingSpec.Nginx("storefront"),
            Map.of(),
            TrafficShape.weight(5),
            "Ingress shop/storefront does not exist; the canary Ingress is made from it"),
        new Impossible(
            "replica ratio with a header route",
            new TrafficRoutingSpec.ReplicaRatio(),
            Map.of(),
            new TrafficShape(0, List.of(BETA_HEADER)),
            "without a router (replica ratio) requests cannot be routed by header or cookie"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("impossible")
  void whatCannotBeRoutedIsSaidInOneLine(Impossible c) {
    assertThat(router(c.spec()).plan(c.live(), c.shape()))
        .isEqualTo(new RoutePlan.Impossible(c.reason()));
  }

  @Test
  void replicaRatioHasNothingToWrite() {
    assertThat(
            router(new TrafficRoutingSpec.ReplicaRatio()).plan(Map.of(), TrafficShape.weight(50)))
        .isEqualTo(new RoutePlan.Unchanged());
  }
}
