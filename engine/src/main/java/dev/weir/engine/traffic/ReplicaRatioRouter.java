package dev.weir.engine.traffic;

import dev.weir.engine.model.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * No router: the canary's share of requests is its share of the pods behind the one Service, which
 * the rollout sets by scaling the two Deployments. Nothing to write; A/B routes are impossible.
 */
final class ReplicaRatioRouter implements TrafficRouter {

  @Override
  public List<ResourceKey> objects() {
    return List.of();
  }

  @Override
  public String describe() {
    return "replica ratio";
  }

  @Override
  public RoutePlan plan(Map<ResourceKey, Map<String, Object>> live, TrafficShape shape) {
    if (!shape.headerRoutes().isEmpty()) {
      return new RoutePlan.Impossible(
          "without a router (replica ratio) requests cannot be routed by header or cookie");
    }
    if (!shape.mirrorRoutes().isEmpty()) {
      return new RoutePlan.Impossible("without a router (replica ratio) requests cannot be mirrored");
    }
    return new RoutePlan.Unchanged();
  }

  @Override
  public Optional<Integer> weight(Map<ResourceKey, Map<String, Object>> live) {
    return Optional.empty();
  }
}
