package dev.weir.engine.traffic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How traffic should be split between the stable and canary services: the canary's weight in
 * percent, the A/B routes whose requests go to the canary whatever the weight, and the mirror
 * routes whose requests are also copied to the canary. Immutable.
 *
 * @param routeOrder the route names in the order they take precedence (Argo Rollouts' {@code
 *     trafficRouting.managedRoutes}, decision 0048); a route it does not name comes after those it
 *     names, header routes before mirror routes (Weir's own order, and all of it when empty)
 */
public record TrafficShape(
    int canaryWeight,
    List<HeaderRoute> headerRoutes,
    List<MirrorRoute> mirrorRoutes,
    List<String> routeOrder) {
  /** Everything to stable. */
  public static final TrafficShape ALL_STABLE = new TrafficShape(0, List.of());

  public TrafficShape {
    if (canaryWeight < 0 || canaryWeight > 100) {
      throw new IllegalArgumentException("weight must be within 0..100, got " + canaryWeight);
    }
    headerRoutes = List.copyOf(headerRoutes);
    mirrorRoutes = List.copyOf(mirrorRoutes);
    routeOrder = List.copyOf(routeOrder);
  }

  /** A weight, A/B routes and mirror routes, in Weir's own order. */
  public TrafficShape(
      int canaryWeight, List<HeaderRoute> headerRoutes, List<MirrorRoute> mirrorRoutes) {
    this(canaryWeight, headerRoutes, mirrorRoutes, List.of());
  }

  /** A weight and A/B routes, nothing mirrored. */
  public TrafficShape(int canaryWeight, List<HeaderRoute> headerRoutes) {
    this(canaryWeight, headerRoutes, List.of());
  }

  public static TrafficShape weight(int canaryWeight) {
    return new TrafficShape(canaryWeight, List.of());
  }

  public TrafficShape withWeight(int weight) {
    return new TrafficShape(weight, headerRoutes, mirrorRoutes, routeOrder);
  }

  public TrafficShape withHeaderRoutes(List<HeaderRoute> routes) {
    return new TrafficShape(canaryWeight, routes, mirrorRoutes, routeOrder);
  }

  public TrafficShape withMirrorRoutes(List<MirrorRoute> routes) {
    return new TrafficShape(canaryWeight, headerRoutes, routes, routeOrder);
  }

  public TrafficShape withRouteOrder(List<String> order) {
    return new TrafficShape(canaryWeight, headerRoutes, mirrorRoutes, order);
  }

  /**
   * The header and mirror routes in the order a router writes them before the weighted ones, the
   * first taking a request both match: as {@link #routeOrder} names them (Argo's "the order of
   * managedRoutes array also sets the precedence of the route in the traffic router"), then the
   * others, header routes first.
   */
  public List<ManagedRoute> managedRoutes() {
    List<ManagedRoute> all = new ArrayList<>(headerRoutes);
    all.addAll(mirrorRoutes);
    all.sort(
        Comparator.comparingInt(
            r -> routeOrder.contains(r.name()) ? routeOrder.indexOf(r.name()) : routeOrder.size()));
    return List.copyOf(all);
  }
}
