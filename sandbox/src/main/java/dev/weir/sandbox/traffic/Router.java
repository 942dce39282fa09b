package dev.weir.sandbox.traffic;

import java.util.List;
import java.util.Set;

/**
 * Decides which Services serve a simulated request, the way one kind of traffic router in front of
 * a workload does: Gateway API HTTPRoute, Istio VirtualService, SMI TrafficSplit, NGINX Ingress
 * canary annotations, or — with no router — the Service itself, whose ready pods share the traffic
 * by replica count.
 *
 * <p>Implementations are immutable and thread-safe; {@link #route} is a pure function.
 */
public sealed interface Router
    permits HttpRouteRouter,
        VirtualServiceRouter,
        TrafficSplitRouter,
        NginxCanaryRouter,
        ReplicaRatio {

  /** The kind of router, e.g. {@code HTTPRoute}. */
  String kind();

  /** The name of the router object (or of the Service for {@link ReplicaRatio}). */
  String name();

  /**
   * The Services that serve {@code request} and their shares, adding up to 1; empty when no rule
   * matches (the request is answered 404 by the router).
   */
  List<BackendWeight> route(SimulatedRequest request);

  /** Every Service this router may send requests to. */
  Set<String> services();

  /** Normalises weights to shares adding up to 1, dropping zero weights; empty when all are 0. */
  static List<BackendWeight> normalise(List<BackendWeight> weights) {
    double total = 0;
    for (BackendWeight weight : weights) {
      total += Math.max(0, weight.weight());
    }
    if (total <= 0) {
      return List.of();
    }
    double sum = total;
    return weights.stream()
        .filter(w -> w.weight() > 0)
        .map(w -> new BackendWeight(w.service(), w.weight() / sum, w.subset()))
        .toList();
  }
}
