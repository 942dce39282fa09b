package dev.weir.engine.traffic;

import java.util.List;

/**
 * How traffic should be split between the stable and canary services: the canary's weight in
 * percent, the A/B routes whose requests go to the canary whatever the weight, and the mirror
 * routes whose requests are also copied to the canary. Immutable.
 */
public record TrafficShape(
    int canaryWeight, List<HeaderRoute> headerRoutes, List<MirrorRoute> mirrorRoutes) {
  /** Everything to stable. */
  public static final TrafficShape ALL_STABLE = new TrafficShape(0, List.of());

  public TrafficShape {
    if (canaryWeight < 0 || canaryWeight > 100) {
      throw new IllegalArgumentException("weight must be within 0..100, got " + canaryWeight);
    }
    headerRoutes = List.copyOf(headerRoutes);
    mirrorRoutes = List.copyOf(mirrorRoutes);
  }

  /** A weight and A/B routes, nothing mirrored. */
  public TrafficShape(int canaryWeight, List<HeaderRoute> headerRoutes) {
    this(canaryWeight, headerRoutes, List.of());
  }

  public static TrafficShape weight(int canaryWeight) {
    return new TrafficShape(canaryWeight, List.of());
  }

  public TrafficShape withWeight(int weight) {
    return new TrafficShape(weight, headerRoutes, mirrorRoutes);
  }

  public TrafficShape withHeaderRoutes(List<HeaderRoute> routes) {
    return new TrafficShape(canaryWeight, routes, mirrorRoutes);
  }

  public TrafficShape withMirrorRoutes(List<MirrorRoute> routes) {
    return new TrafficShape(canaryWeight, headerRoutes, routes);
  }
}
