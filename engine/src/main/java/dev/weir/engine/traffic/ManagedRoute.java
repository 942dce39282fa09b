package dev.weir.engine.traffic;

/**
 * A route a rollout writes before the weighted ones (Argo Rollouts' {@code managedRoutes}): an A/B
 * {@link HeaderRoute} or a {@link MirrorRoute}, each known by its name.
 */
public sealed interface ManagedRoute permits HeaderRoute, MirrorRoute {
  String name();
}
