package dev.weir.sandbox.traffic;

import java.util.Map;

/**
 * A share of requests sent to one Service of the router's namespace, or to one subset of its pods.
 *
 * @param service the Service's name
 * @param weight the share, between 0 and 1; a router's shares add up to 1 (or to 0 when nothing
 *     matched)
 * @param subset the labels a pod of the Service must also carry (an Istio DestinationRule subset's
 *     {@code labels}); empty for the whole Service
 */
public record BackendWeight(String service, double weight, Map<String, String> subset) {
  public BackendWeight {
    subset = Map.copyOf(subset);
  }

  /** A share sent to the whole Service. */
  public BackendWeight(String service, double weight) {
    this(service, weight, Map.of());
  }
}
