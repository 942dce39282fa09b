package dev.weir.engine.traffic;

import dev.weir.engine.model.ResourceKey;
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

  /** {@code HTTPRoute shop/storefront}, for messages. */
  String describe();

  /** The router for {@code spec} in {@code namespace}, between the two services. */
  static TrafficRouter of(
      TrafficRoutingSpec spec, String namespace, String stableService, String canaryService) {
    return switch (spec) {
      case TrafficRoutingSpec.GatewayApi g ->
          new GatewayApiRouter(namespace, g.httpRoute(), stableService, canaryService);
      case TrafficRoutingSpec.Istio i ->
          new IstioRouter(namespace, i.virtualService(), i.routes(), stableService, canaryService);
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
