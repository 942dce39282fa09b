package dev.weir.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An SMI {@code TrafficSplit}: requests for the root {@code spec.service} go to {@code
 * spec.backends} by {@code weight}. {@code matches} (HTTPRouteGroups) are not modelled.
 */
public record TrafficSplitRouter(String name, String rootService, List<BackendWeight> backends)
    implements Router {

  /** Reads a TrafficSplit object. */
  public static TrafficSplitRouter from(JsonNode split) {
    List<BackendWeight> backends = new ArrayList<>();
    for (JsonNode backend : split.path("spec").path("backends")) {
      backends.add(
          new BackendWeight(backend.path("service").asText(), backend.path("weight").asDouble(0)));
    }
    return new TrafficSplitRouter(
        split.path("metadata").path("name").asText(),
        split.path("spec").path("service").asText(),
        List.copyOf(backends));
  }

  @Override
  public String kind() {
    return "TrafficSplit";
  }

  @Override
  public List<BackendWeight> route(SimulatedRequest request) {
    return Router.normalise(backends);
  }

  @Override
  public Set<String> services() {
    Set<String> services = new LinkedHashSet<>();
    backends.forEach(b -> services.add(b.service()));
    return services;
  }
}
