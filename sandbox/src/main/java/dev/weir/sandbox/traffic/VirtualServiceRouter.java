package dev.weir.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Istio {@code VirtualService}: the first {@code http} route (in order) with a matching {@code
 * match} entry (or none) sends the request to its {@code route} destinations by {@code weight}
 * (missing weights: the destinations share equally). A destination's {@code host} names a Service
 * of the namespace ({@code storefront}, {@code storefront.shop.svc.cluster.local}). Header matches
 * are {@code exact}, {@code prefix} or {@code regex}; {@code uri} matches likewise; cookies match
 * through the {@code cookie} header, as with Istio. A destination's {@code subset} is resolved
 * through the namespace's DestinationRules (the one whose {@code host} names the same Service): its
 * {@code labels} narrow the Service's pods; a subset no DestinationRule defines has no pods (Istio
 * answers 503). Mirrors, fault injection, retries and other hosts' gateways are not modelled.
 */
public record VirtualServiceRouter(String name, List<HttpRoute> http) implements Router {

  /** One {@code http} entry: its matches (empty: everything) and weighted destinations. */
  public record HttpRoute(
      List<List<HttpRouteRouter.HeaderMatch>> matches, List<BackendWeight> destinations) {}

  /** Reads a VirtualService object whose destinations name no subset. */
  public static VirtualServiceRouter from(JsonNode virtualService) {
    return from(virtualService, List.of());
  }

  /** Reads a VirtualService object, its destinations' subsets resolved by {@code rules}. */
  public static VirtualServiceRouter from(
      JsonNode virtualService, List<? extends JsonNode> rules) {
    List<HttpRoute> routes = new ArrayList<>();
    for (JsonNode http : virtualService.path("spec").path("http")) {
      List<List<HttpRouteRouter.HeaderMatch>> matches = new ArrayList<>();
      for (JsonNode match : http.path("match")) {
        List<HttpRouteRouter.HeaderMatch> conditions = new ArrayList<>();
        match
            .path("headers")
            .properties()
            .forEach(h -> conditions.add(condition(h.getKey(), h.getValue())));
        if (match.has("uri")) {
          conditions.add(condition(":path", match.path("uri")));
        }
        matches.add(conditions);
      }
      List<BackendWeight> destinations = new ArrayList<>();
      JsonNode route = http.path("route");
      boolean anyWeight = false;
      for (JsonNode destination : route) {
        anyWeight |= destination.has("weight");
      }
      for (JsonNode destination : route) {
        String host = destination.path("destination").path("host").asText();
        String service = serviceName(host);
        double weight = anyWeight ? destination.path("weight").asDouble(0) : 1;
        String subset = destination.path("destination").path("subset").asText("");
        destinations.add(
            new BackendWeight(
                service, weight, subset.isEmpty() ? Map.of() : subset(rules, service, subset)));
      }
      routes.add(new HttpRoute(matches, destinations));
    }
    return new VirtualServiceRouter(
        virtualService.path("metadata").path("name").asText(), List.copyOf(routes));
  }

  /** A label no pod carries: the pods of a subset no DestinationRule defines. */
  static final String UNDEFINED_SUBSET = "sandbox.weir.dev/undefined-subset";

  private static String serviceName(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  /** The labels of {@code subset} of the DestinationRule whose host is {@code service}. */
  private static Map<String, String> subset(
      List<? extends JsonNode> rules, String service, String subset) {
    for (JsonNode rule : rules) {
      if (!serviceName(rule.path("spec").path("host").asText()).equals(service)) {
        continue;
      }
      for (JsonNode candidate : rule.path("spec").path("subsets")) {
        if (candidate.path("name").asText().equals(subset)) {
          Map<String, String> labels = new LinkedHashMap<>();
          candidate.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
          return labels;
        }
      }
    }
    return Map.of(UNDEFINED_SUBSET, subset);
  }

  private static HttpRouteRouter.HeaderMatch condition(String name, JsonNode match) {
    if (match.has("exact")) {
      return new HttpRouteRouter.HeaderMatch("Exact", name, match.path("exact").asText());
    }
    if (match.has("prefix")) {
      return new HttpRouteRouter.HeaderMatch("Prefix", name, match.path("prefix").asText());
    }
    if (match.has("regex")) {
      return new HttpRouteRouter.HeaderMatch(
          "RegularExpression", name, match.path("regex").asText());
    }
    return new HttpRouteRouter.HeaderMatch("RegularExpression", name, "(?!)");
  }

  @Override
  public String kind() {
    return "VirtualService";
  }

  @Override
  public List<BackendWeight> route(SimulatedRequest request) {
    SimulatedRequest withPath =
        new SimulatedRequest(request.path(), withPseudoHeaders(request), request.cookies());
    for (HttpRoute route : http) {
      boolean matches =
          route.matches().isEmpty()
              || route.matches().stream()
                  .anyMatch(all -> all.stream().allMatch(c -> c.matches(withPath)));
      if (matches) {
        return Router.normalise(route.destinations());
      }
    }
    return List.of();
  }

  private static java.util.Map<String, String> withPseudoHeaders(SimulatedRequest request) {
    java.util.Map<String, String> headers = new java.util.HashMap<>(request.headers());
    headers.put(":path", request.path());
    return headers;
  }

  @Override
  public Set<String> services() {
    Set<String> services = new LinkedHashSet<>();
    http.forEach(r -> r.destinations().forEach(d -> services.add(d.service())));
    return services;
  }
}
