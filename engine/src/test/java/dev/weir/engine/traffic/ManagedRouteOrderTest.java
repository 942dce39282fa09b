package dev.weir.engine.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order of Argo Rollouts' {@code trafficRouting.managedRoutes} (docs/features/
 * specification.md: "The order of managedRoutes array also sets the precedence of the route in the
 * traffic router. Argo Rollouts will place these routes in the order specified above any routes
 * already defined in the used traffic router"): header routes ({@code setHeaderRoute}) and mirror
 * routes ({@code setMirrorRoute}) are written in that order before the weighted route, so a request
 * that matches two takes the one listed first (Istio takes the first {@code http} route that
 * matches; decision 0048). Without an order (Weir's own Rollouts), header routes come first.
 */
class ManagedRouteOrderTest {
  static final HeaderRoute BETA =
      new HeaderRoute(
          "beta",
          List.of(new RouteMatch.Header("X-Beta", RouteMatch.MatchType.EXACT, "yes")));
  static final HeaderRoute TESTERS =
      new HeaderRoute(
          "testers",
          List.of(new RouteMatch.Header("X-Team", RouteMatch.MatchType.EXACT, "qa")));

  record Case(String name, TrafficRoutingSpec spec, String live, List<String> order, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final TrafficRoutingSpec ISTIO = new TrafficRoutingSpec.Istio("storefront", List.of("primary"));
  static final TrafficRoutingSpec GATEWAY = new TrafficRoutingSpec.GatewayApi("storefront");

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "Istio: the mirror route listed first comes first",
            ISTIO,
            TrafficRouterTest.VIRTUAL_SERVICE,
            List.of("mirror-all", "beta", "testers"),
            List.of("weir-mirror-all", "weir-beta", "weir-testers", "primary")),
        new Case(
            "Istio: a mirror route between two header routes",
            ISTIO,
            TrafficRouterTest.VIRTUAL_SERVICE,
            List.of("testers", "mirror-all", "beta"),
            List.of("weir-testers", "weir-mirror-all", "weir-beta", "primary")),
        new Case(
            "Istio: header routes first when listed first",
            ISTIO,
            TrafficRouterTest.VIRTUAL_SERVICE,
            List.of("beta", "testers", "mirror-all"),
            List.of("weir-beta", "weir-testers", "weir-mirror-all", "primary")),
        new Case(
            "Istio: no managedRoutes (Weir's own Rollout): header routes, then mirror routes",
            ISTIO,
            TrafficRouterTest.VIRTUAL_SERVICE,
            List.of(),
            List.of("weir-testers", "weir-beta", "weir-mirror-all", "primary")),
        new Case(
            "Gateway API: the mirror route listed first comes first",
            GATEWAY,
            TrafficRouterTest.HTTP_ROUTE,
            List.of("mirror-all", "beta", "testers"),
            List.of("weir-mirror-all", "weir-beta", "weir-testers", "null")),
        new Case(
            "Gateway API: a mirror route between two header routes",
            GATEWAY,
            TrafficRouterTest.HTTP_ROUTE,
            List.of("testers", "mirror-all", "beta"),
            List.of("weir-testers", "weir-mirror-all", "weir-beta", "null")));
  }

  /** The names of the written {@code http} routes or {@code rules}, in order. */
  static List<String> names(Map<String, Object> spec) {
    Object routes = spec.containsKey("http") ? spec.get("http") : spec.get("rules");
    List<String> names = new ArrayList<>();
    for (Object route : (List<?>) routes) {
      names.add(String.valueOf(((Map<?, ?>) route).get("name")));
    }
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void routesComeInManagedRoutesOrder(Case c) {
    TrafficRouter router = TrafficRouterTest.router(c.spec());
    var live = TrafficRouterTest.live(c.live());
    // the steps set them in another order than managedRoutes lists them
    TrafficShape shape =
        new TrafficShape(20, List.of(TESTERS, BETA), List.of(MirrorRouteTest.MIRROR_ALL), c.order());

    RoutePlan plan = router.plan(live, shape);
    Map<String, Object> spec =
        (Map<String, Object>) ((RoutePlan.Write) plan).objects().getFirst().get("spec");
    assertThat(names(spec)).isEqualTo(c.expected());

    var after = TrafficRouterTest.applied(live, plan);
    assertThat(router.plan(after, shape)).isEqualTo(new RoutePlan.Unchanged());
    assertThat(router.weight(after)).contains(20);
  }
}
