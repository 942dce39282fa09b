package dev.weir.engine.traffic;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a rollout's traffic between its stable and canary services through one kind of object (an
 * HTTPRoute, a VirtualService, a TrafficSplit, an NGINX canary Ingress), or through pod counts
 * alone.
 *
 * <p>Decide purely, act in one place: {@link #plan} computes the objects to write from the live
 * ones, without I/O, so every router is tested without a cluster; the rollout executor reads {@link
 * #objects()}, calls {@link #plan} and applies the result through the cluster port. Implementations
 * are immutable and thread-safe.
 */
public interface TrafficRouter {

  /** The objects this router reads (and may write), by key. */
  List<ResourceKey> objects();

  /**
   * The writes that make the cluster route {@code shape}.
   *
   * @param live the current objects of {@link #objects()} that exist, as the cluster serves them
   */
  RoutePlan plan(Map<ResourceKey, Map<String, Object>> live, TrafficShape shape);

  /** The canary weight the live objects route now, when they say (empty: no router object yet). */
  Optional<Integer> weight(Map<ResourceKey, Map<String, Object>> live);

  /**
   * Reads {@link #objects()} through {@code cluster}, plans, and server-side applies the writes as
   * {@code fieldManager} (forcing: these fields belong to the rollout). Blocking; thread-safe.
   *
   * @return the plan carried out ({@link RoutePlan.Impossible} is returned, not thrown)
   * @throws ClusterException when the cluster cannot be read or written
   */
  default RoutePlan apply(ClusterGateway cluster, TrafficShape shape, String fieldManager) {
    return apply(cluster, read(cluster), shape, fieldManager).plan();
  }

  /**
   * Like {@link #apply(ClusterGateway, TrafficShape, String)}, planning from {@code live} as the
   * caller last read or wrote it (saving a read on the path that moves traffic). The writes are
   * forced, so a stale {@code live} can only overwrite fields that belong to the rollout.
   *
   * @return the plan and the objects as they stand afterwards
   */
  default Routed apply(
      ClusterGateway cluster,
      Map<ResourceKey, Map<String, Object>> live,
      TrafficShape shape,
      String fieldManager) {
    RoutePlan plan = plan(live, shape);
    Map<ResourceKey, Map<String, Object>> after = new HashMap<>(live);
    if (plan instanceof RoutePlan.Write write) {
      for (Map<String, Object> object : write.objects()) {
        LiveObject stored = cluster.apply(object, new ApplyOptions(fieldManager, true, false));
        after.put(stored.key(), stored.object());
      }
    }
    return new Routed(plan, after);
  }

  /** The objects of {@link #objects()} that exist, read through {@code cluster}. */
  default Map<ResourceKey, Map<String, Object>> read(ClusterGateway cluster) {
    Map<ResourceKey, Map<String, Object>> live = new HashMap<>();
    for (ResourceKey key : objects()) {
      cluster.get(key).map(LiveObject::object).ifPresent(object -> live.put(key, object));
    }
    return live;
  }

  /** What {@link #apply(ClusterGateway, Map, TrafficShape, String)} did. */
  record Routed(RoutePlan plan, Map<ResourceKey, Map<String, Object>> objects) {
    public Routed {
      objects = Map.copyOf(objects);
    }
  }

  /** The weight the cluster routes now, read through {@code cluster}. */
  default Optional<Integer> weight(ClusterGateway cluster) {
    return weight(read(cluster));
  }

  /** {@code HTTPRoute shop/storefront}, for messages. */
  String describe();

  /**
   * The router for {@code spec} in {@code namespace}, between the two services (which may be null
   * for Istio with a DestinationRule, whose subsets tell the sides apart).
   */
  static TrafficRouter of(
      TrafficRoutingSpec spec, String namespace, String stableService, String canaryService) {
    return switch (spec) {
      case TrafficRoutingSpec.GatewayApi g ->
          new GatewayApiRouter(namespace, g.httpRoute(), stableService, canaryService);
      case TrafficRoutingSpec.Istio i ->
          new IstioRouter(
              namespace,
              i.virtualService(),
              i.routes(),
              stableService,
              canaryService,
              i.destinationRule());
      case TrafficRoutingSpec.Smi s ->
          new SmiRouter(
              namespace,
              s.trafficSplitName(),
              s.rootService().orElse(stableService),
              stableService,
              canaryService);
      case TrafficRoutingSpec.Nginx n ->
          new NginxRouter(namespace, n.stableIngress(), stableService, canaryService);
      case TrafficRoutingSpec.ReplicaRatio r -> new ReplicaRatioRouter();
    };
  }
}
