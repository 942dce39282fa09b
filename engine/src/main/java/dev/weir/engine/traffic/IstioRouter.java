package dev.weir.engine.traffic;

import static dev.weir.engine.traffic.ObjectTrees.copy;
import static dev.weir.engine.traffic.ObjectTrees.header;
import static dev.weir.engine.traffic.ObjectTrees.list;
import static dev.weir.engine.traffic.ObjectTrees.map;
import static dev.weir.engine.traffic.ObjectTrees.serviceName;

import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Istio: sets the weights of the stable and canary destinations in the named HTTP routes of one
 * VirtualService (every HTTP route that sends to the stable service when none is named), adding the
 * canary destination beside the stable one when missing; each A/B route becomes an HTTP route named
 * {@code weir-<route>} placed first (Istio takes the first route that matches), sending requests
 * with the header (or cookie) to the canary; each mirror route becomes an HTTP route named {@code
 * weir-<route>}, serving its matches by the weights and mirroring {@code mirrorPercentage} of them
 * to the canary (Argo's form). The two kinds come in {@link TrafficShape#managedRoutes()} order
 * (Argo's {@code managedRoutes} order), before the weighted routes. Only {@code spec.http} is
 * written.
 *
 * <p>With a DestinationRule (subset-level splitting, Argo Rollouts' {@code istio.md}), the two
 * destinations are one host's {@code stableSubsetName} and {@code canarySubsetName} subsets (the
 * canary's added beside the stable's when missing); {@link IstioSubsets} keeps the subsets' labels
 * on each side's pods.
 */
final class IstioRouter implements TrafficRouter {
  static final String GROUP = "networking.istio.io";

  private final ResourceKey key;
  private final List<String> routes;
  private final String stable;
  private final String canary;
  private final Optional<TrafficRoutingSpec.DestinationRule> subsets;

  IstioRouter(
      String namespace, String virtualService, List<String> routes, String stable, String canary) {
    this(namespace, virtualService, routes, stable, canary, Optional.empty());
  }

  /**
   * @param stable the stable Service (host-level splitting), or null with {@code subsets}
   * @param subsets the DestinationRule whose subsets the destinations name (subset-level
   *     splitting): a destination is then told apart by its {@code subset}, whatever its host
   */
  IstioRouter(
      String namespace,
      String virtualService,
      List<String> routes,
      String stable,
      String canary,
      Optional<TrafficRoutingSpec.DestinationRule> subsets) {
    this.key = new ResourceKey(GROUP, "VirtualService", namespace, virtualService);
    this.routes = List.copyOf(routes);
    this.stable = stable;
    this.canary = canary;
    this.subsets = subsets;
  }

  /** {@code storefront-stable} or {@code subset stable}, for messages. */
  private String stableName() {
    return subsets.map(d -> "subset " + d.stableSubsetName()).orElse(stable);
  }

  @Override
  public List<ResourceKey> objects() {
    return List.of(key);
  }

  @Override
  public String describe() {
    return "VirtualService " + key.namespace() + "/" + key.name();
  }

  @Override
  public RoutePlan plan(Map<ResourceKey, Map<String, Object>> live, TrafficShape shape) {
    Map<String, Object> service = live.get(key);
    if (service == null) {
      return new RoutePlan.Impossible(
          describe() + " does not exist; the rollout sets its route weights");
    }
    Map<String, Object> spec = map(service.get("spec"));
    List<Object> http = spec == null ? null : list(spec.get("http"));
    if (http == null) {
      return new RoutePlan.Impossible(describe() + " has no http routes");
    }
    List<Object> weighted = new ArrayList<>();
    Map<String, Object> canaryDestination = null;
    List<Object> primaryDestinations = null;
    List<String> missing = new ArrayList<>(routes);
    for (Object raw : http) {
      Map<String, Object> entry = copy(map(raw));
      String name = entry.get("name") == null ? "" : String.valueOf(entry.get("name"));
      if (name.startsWith(GatewayApiRouter.MANAGED_RULE)) {
        continue;
      }
      List<Object> destinations = list(entry.get("route"));
      Map<String, Object> stableRoute = find(destinations, true);
      if ((!routes.isEmpty() && !routes.contains(name)) || stableRoute == null) {
        weighted.add(entry);
        continue;
      }
      missing.remove(name);
      Map<String, Object> canaryRoute = find(destinations, false);
      if (canaryRoute == null) {
        canaryRoute = copy(stableRoute);
        Map<String, Object> destination = map(canaryRoute.get("destination"));
        if (subsets.isPresent()) {
          destination.put("subset", subsets.get().canarySubsetName());
        } else {
          String host = String.valueOf(destination.get("host"));
          destination.put("host", canary + host.substring(serviceName(host).length()));
        }
        destinations.add(canaryRoute);
      }
      stableRoute.put("weight", 100 - shape.canaryWeight());
      canaryRoute.put("weight", shape.canaryWeight());
      if (canaryDestination == null) {
        canaryDestination = map(canaryRoute.get("destination"));
        primaryDestinations = destinations;
      }
      weighted.add(entry);
    }
    if (!missing.isEmpty()) {
      return new RoutePlan.Impossible(
          describe()
              + " has no http route named "
              + String.join(", ", missing)
              + " sending to "
              + stableName());
    }
    if (canaryDestination == null) {
      return new RoutePlan.Impossible(describe() + " has no http route sending to " + stableName());
    }
    List<Object> next = new ArrayList<>();
    for (ManagedRoute managed : shape.managedRoutes()) {
      switch (managed) {
        case HeaderRoute headerRoute -> next.add(headerEntry(headerRoute, canaryDestination));
        case MirrorRoute mirror ->
            next.add(mirrorEntry(mirror, primaryDestinations, canaryDestination));
      }
    }
    next.addAll(weighted);
    if (ObjectTrees.same(next, http)) {
      return new RoutePlan.Unchanged();
    }
    Map<String, Object> object =
        header(
            String.valueOf(service.get("apiVersion")),
            "VirtualService",
            key.namespace(),
            key.name());
    object.put("spec", new LinkedHashMap<>(Map.of("http", next)));
    return new RoutePlan.Write(List.of(object));
  }

  /** An A/B route: requests with the header (or cookie) go to the canary's destination. */
  private static Map<String, Object> headerEntry(
      HeaderRoute headerRoute, Map<String, Object> canaryDestination) {
    Map<String, Object> headers = new LinkedHashMap<>();
    for (RouteMatch match : headerRoute.matches()) {
      switch (match) {
        case RouteMatch.Header h ->
            headers.put(
                h.name().toLowerCase(Locale.ROOT),
                Map.of(
                    switch (h.type()) {
                      case EXACT -> "exact";
                      case PREFIX -> "prefix";
                      case REGEX -> "regex";
                    },
                    h.value()));
        case RouteMatch.Cookie c -> headers.put("cookie", Map.of("regex", c.headerRegex()));
      }
    }
    Map<String, Object> destination = new LinkedHashMap<>();
    destination.put("destination", copy(canaryDestination));
    destination.put("weight", 100);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", GatewayApiRouter.MANAGED_RULE + headerRoute.name());
    entry.put("match", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("headers", headers)))));
    entry.put("route", new ArrayList<>(List.of(destination)));
    return entry;
  }

  /**
   * Argo's mirror route ({@code createMirrorRoute} of its Istio reconciler): the mirror's matches,
   * the weighted route's destinations at their weights, and the canary's destination as {@code
   * mirror} with {@code mirrorPercentage}.
   */
  private static Map<String, Object> mirrorEntry(
      MirrorRoute mirror, List<Object> destinations, Map<String, Object> canaryDestination) {
    List<Object> matches = new ArrayList<>();
    for (MirrorRoute.Match match : mirror.matches()) {
      Map<String, Object> request = new LinkedHashMap<>();
      match.method().ifPresent(m -> request.put("method", new LinkedHashMap<>(m.istio())));
      match.path().ifPresent(p -> request.put("uri", new LinkedHashMap<>(p.istio())));
      if (!match.headers().isEmpty()) {
        Map<String, Object> headers = new java.util.TreeMap<>();
        match
            .headers()
            .forEach(
                (name, value) ->
                    headers.put(name.toLowerCase(Locale.ROOT), new LinkedHashMap<>(value.istio())));
        request.put("headers", new LinkedHashMap<>(headers));
      }
      matches.add(request);
    }
    List<Object> route = new ArrayList<>();
    destinations.forEach(d -> route.add(copy(map(d))));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", GatewayApiRouter.MANAGED_RULE + mirror.name());
    entry.put("match", matches);
    entry.put("route", route);
    entry.put("mirror", copy(canaryDestination));
    entry.put("mirrorPercentage", new LinkedHashMap<>(Map.of("value", (double) mirror.percentage())));
    return entry;
  }

  @Override
  public Optional<Integer> weight(Map<ResourceKey, Map<String, Object>> live) {
    Map<String, Object> service = live.get(key);
    Map<String, Object> spec = service == null ? null : map(service.get("spec"));
    List<Object> http = spec == null ? null : list(spec.get("http"));
    if (http == null) {
      return Optional.empty();
    }
    for (Object raw : http) {
      Map<String, Object> entry = map(raw);
      List<Object> destinations = entry == null ? null : list(entry.get("route"));
      Map<String, Object> stableRoute = find(destinations, true);
      if (stableRoute != null
          && !String.valueOf(entry.get("name")).startsWith(GatewayApiRouter.MANAGED_RULE)) {
        Map<String, Object> canaryRoute = find(destinations, false);
        return Optional.of(
            canaryRoute == null ? 0 : ObjectTrees.integer(canaryRoute.get("weight"), 0));
      }
    }
    return Optional.empty();
  }

  /** The stable (or canary) side's destination: by its subset, or by its host's Service. */
  private Map<String, Object> find(List<Object> destinations, boolean stableSide) {
    if (destinations == null) {
      return null;
    }
    for (Object raw : destinations) {
      Map<String, Object> route = map(raw);
      Map<String, Object> destination = route == null ? null : map(route.get("destination"));
      if (destination == null) {
        continue;
      }
      boolean match =
          subsets.isPresent()
              ? String.valueOf(destination.get("subset"))
                  .equals(
                      stableSide
                          ? subsets.get().stableSubsetName()
                          : subsets.get().canarySubsetName())
              : (stableSide ? stable : canary).equals(serviceName(destination.get("host")));
      if (match) {
        return route;
      }
    }
    return null;
  }
}
