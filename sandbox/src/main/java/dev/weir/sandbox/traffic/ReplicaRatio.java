package dev.weir.sandbox.traffic;

import java.util.List;
import java.util.Set;

/**
 * No router: every request goes to the Service, and its ready pods share the traffic by count (as
 * kube-proxy spreads connections), so a canary's share is its share of the replicas.
 */
public record ReplicaRatio(String service) implements Router {
  @Override
  public String kind() {
    return "Service";
  }

  @Override
  public String name() {
    return service;
  }

  @Override
  public List<BackendWeight> route(SimulatedRequest request) {
    return List.of(new BackendWeight(service, 1));
  }

  @Override
  public Set<String> services() {
    return Set.of(service);
  }
}
