package dev.weir.engine.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mirror routes on each router, as Argo Rollouts documents {@code setMirrorRoute}
 * (docs/features/traffic-management/mirroring.md): "the mirror route is placed before the other
 * routes, its matching requests keep being served by the weighted destinations, and {@code
 * percentage} of them are copied to the canary" — Istio's {@code mirror}/{@code mirrorPercentage}
 * (Argo's Istio reconciler, {@code createMirrorRoute}), the Gateway API's {@code RequestMirror}
 * filter; refused with the reason where the router has no way to mirror.
 */
class MirrorRouteTest {
  static final MirrorRoute MIRROR_GET =
      new MirrorRoute(
          "mirror-get",
          35,
          List.of(
              new MirrorRoute.Match(
                  Optional.of(new MirrorRoute.StringMatch(RouteMatch.MatchType.EXACT, "GET")),
                  Optional.of(new MirrorRoute.StringMatch(RouteMatch.MatchType.PREFIX, "/api")),
                  Map.of(
                      "X-Agent",
                      new MirrorRoute.StringMatch(RouteMatch.MatchType.REGEX, "fire.*")))));

  static final MirrorRoute MIRROR_ALL =
      new MirrorRoute(
          "mirror-all",
          100,
          List.of(
              new MirrorRoute.Match(
                  Optional.empty(),
                  Optional.of(new MirrorRoute.StringMatch(RouteMatch.MatchType.PREFIX, "/")),
                  Map.of())));

  record Case(String name, TrafficRoutingSpec spec, String live, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> mirrors() {
    return Stream.of(
        new Case(
            "Istio: mirror and mirrorPercentage, the route at its weights",
            new TrafficRoutingSpec.Istio("storefront", List.of("primary")),
            TrafficRouterTest.VIRTUAL_SERVICE,
            "{name=weir-mirror-get, match=[{method={exact=GET}, uri={prefix=/api},"
                + " headers={x-agent={regex=fire.*}}}],"
                + " route=[{destination={host=storefront-stable.shop.svc.cluster.local,"
                + " port={number=80}}, weight=80},"
                + " {destination={host=storefront-canary.shop.svc.cluster.local,"
                + " port={number=80}}, weight=20}],"
                + " mirror={host=storefront-canary.shop.svc.cluster.local, port={number=80}},"
                + " mirrorPercentage={value=35.0}}"),
        new Case(
            "Istio with subsets: the canary subset is mirrored to",
            new TrafficRoutingSpec.Istio(
                "storefront", List.of("primary"), Optional.of(IstioSubsetsTest.RULE)),
            IstioSubsetsTest.VIRTUAL_SERVICE,
            "mirror={host=storefront, subset=canary, port={number=80}}, mirrorPercentage={value=35.0}"),
        new Case(
            "Gateway API: a RequestMirror filter to the canary",
            new TrafficRoutingSpec.GatewayApi("storefront"),
            TrafficRouterTest.HTTP_ROUTE,
            "{name=weir-mirror-get, matches=[{path={type=PathPrefix, value=/api},"
                + " headers=[{name=X-Agent, type=RegularExpression, value=fire.*}], method=GET}],"
                + " filters=[{type=RequestMirror, requestMirror={backendRef={name=storefront-canary,"
                + " port=80}, percent=35}}],"
                + " backendRefs=[{name=storefront-stable, port=80, weight=80},"
                + " {name=storefront-canary, port=80, weight=20}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mirrors")
  void aMirrorRouteComesFirstAndCopiesItsShareToTheCanary(Case c) {
    TrafficRouter router = TrafficRouterTest.router(c.spec());
    var live = TrafficRouterTest.live(c.live());
    RoutePlan plan = router.plan(live, new TrafficShape(20, List.of(), List.of(MIRROR_GET)));
    String spec = ((RoutePlan.Write) plan).objects().getFirst().get("spec").toString();
    assertThat(spec).contains(c.expected());
    assertThat(spec)
        .as("before the weighted route")
        .containsPattern("^\\{(http|rules)=\\[\\{name=weir-mirror-get");

    var after = TrafficRouterTest.applied(live, plan);
    assertThat(router.weight(after)).as("the mirror route is not the weighted one").contains(20);
    assertThat(router.plan(after, new TrafficShape(20, List.of(), List.of(MIRROR_GET))))
        .isEqualTo(new RoutePlan.Unchanged());

    RoutePlan removed = router.plan(after, TrafficShape.weight(20));
    assertThat(((RoutePlan.Write) removed).objects().getFirst().get("spec").toString())
        .as("a mirror route no longer in force is removed")
        .doesNotContain("mirror-get", "RequestMirror", "mirrorPercentage");
  }

  @Test
  void aHundredPercentMirrorOnTheGatewayApiNeedsNoPercent() {
    RoutePlan plan =
        TrafficRouterTest.router(new TrafficRoutingSpec.GatewayApi("storefront"))
            .plan(
                TrafficRouterTest.live(TrafficRouterTest.HTTP_ROUTE),
                new TrafficShape(0, List.of(), List.of(MIRROR_ALL)));
    assertThat(((RoutePlan.Write) plan).objects().getFirst().get("spec").toString())
        .contains("requestMirror={backendRef={name=storefront-canary, port=80}}")
        .doesNotContain("percent");
  }

  static Stream<Object[]> refused() {
    return Stream.of(
        new Object[] {
          new TrafficRoutingSpec.Smi("storefront", Optional.empty()),
          "",
          "TrafficSplit shop/storefront: SMI cannot mirror requests: a TrafficSplit only weighs"
              + " backends"
        },
        new Object[] {
          new TrafficRoutingSpec.Nginx("storefront"),
          TrafficRouterTest.INGRESS,
          "Ingress shop/storefront-canary: NGINX cannot mirror a share of matching requests:"
              + " ingress-nginx's mirror-target copies every request of an Ingress, with no match"
              + " and no percentage"
        },
        new Object[] {
          new TrafficRoutingSpec.ReplicaRatio(),
          "",
          "without a router (replica ratio) requests cannot be mirrored"
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aRouterThatCannotMirrorSaysWhy(TrafficRoutingSpec spec, String live, String reason) {
    var objects = live.isEmpty() ? Map.<dev.weir.engine.model.ResourceKey, Map<String, Object>>of() : TrafficRouterTest.live(live);
    assertThat(
            TrafficRouterTest.router(spec)
                .plan(objects, new TrafficShape(0, List.of(), List.of(MIRROR_ALL))))
        .isEqualTo(new RoutePlan.Impossible(reason));
  }
}
