package dev.weir.engine.traffic;

import static dev.weir.engine.traffic.ObjectTrees.copy;
import static dev.weir.engine.traffic.ObjectTrees.header;
import static dev.weir.engine.traffic.ObjectTrees.list;
import static dev.weir.engine.traffic.ObjectTrees.map;

import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gateway API: sets the weights of the stable and canary {@code backendRefs} in every rule of one
 * HTTPRoute that sends to the stable service (adding the canary backend beside it when missing),
 * and puts each A/B route in a rule of its own named {@code weir-<route>}, with the header (or
 * {@code Cookie} header) matches added to the primary rule's matches and the canary as its only
 * backend. Each mirror route is a rule of its own named {@code weir-<route>}: its matches, the
 * primary rule's backends at their weights, and a {@code RequestMirror} filter to the canary. The
 * two kinds come in {@link TrafficShape#managedRoutes()} order (Argo's {@code managedRoutes}
 * order), before the other rules. The HTTPRoute itself belongs to the application; only {@code
 * spec.rules} is written.
 */
final class GatewayApiRouter implements TrafficRouter {
  static final String GROUP = "gateway.networking.k8s.io";
  static final String MANAGED_RULE = "weir-";

  private final ResourceKey key;
  private final String stable;
  private final String canary;

  GatewayApiRouter(String namespace, String route, String stable, String canary) {
    this.key = new ResourceKey(GROUP, "HTTPRoute", namespace, route);
    this.stable = stable;
    this.canary = canary;
  }

  @Override
  public List<ResourceKey> objects() {
    return List.of(key);
  }

  @Override
  public String describe() {
    return "HTTPRoute " + key.namespace() + "/" + key.name();
  }

  @Override
  public RoutePlan plan(Map<ResourceKey, Map<String, Object>> live, TrafficShape shape) {
    Map<String, Object> route = live.get(key);
    if (route == null) {
      return new RoutePlan.Impossible(
          describe() + " does not exist; the rollout sets the weights of its backendRefs");
    }
    Map<String, Object> spec = map(route.get("spec"));
    List<Object> rules = spec == null ? null : list(spec.get("rules"));
    if (rules == null) {
      return new RoutePlan.Impossible(describe() + " has no rules");
    }
    List<Object> weighted = new ArrayList<>();
    Map<String, Object> primary = null;
    Map<String, Object> canaryTemplate = null;
    for (Object raw : rules) {
      Map<String, Object> rule = copy(map(raw));
      if (String.valueOf(rule.get("name")).startsWith(MANAGED_RULE)) {
        continue;
      }
      List<Object> refs = list(rule.get("backendRefs"));
      Map<String, Object> stableRef = find(refs, stable);
      if (stableRef == null) {
        weighted.add(rule);
        continue;
      }
      Map<String, Object> canaryRef = find(refs, canary);
      if (canaryRef == null) {
        canaryRef = copy(stableRef);
        canaryRef.put("name", canary);
        refs.add(canaryRef);
      }
      stableRef.put("weight", 100 - shape.canaryWeight());
      canaryRef.put("weight", shape.canaryWeight());
      if (primary == null) {
        primary = rule;
        canaryTemplate = canaryRef;
      }
      weighted.add(rule);
    }
    if (primary == null) {
      return new RoutePlan.Impossible(describe() + " has no rule with a backendRef to " + stable);
    }
    List<Object> next = new ArrayList<>();
    for (ManagedRoute managed : shape.managedRoutes()) {
      switch (managed) {
        case HeaderRoute headerRoute -> next.add(headerRule(headerRoute, primary, canaryTemplate));
        case MirrorRoute mirror -> {
          Map<String, Object> rule = mirrorRule(mirror, primary, canaryTemplate);
          if (rule == null) {
            return new RoutePlan.Impossible(
                describe()
                    + ": the Gateway API matches a method exactly, not by prefix or regex (mirror"
                    + " route "
                    + mirror.name()
                    + ")");
          }
          next.add(rule);
        }
      }
    }
    next.addAll(weighted);
    if (ObjectTrees.same(next, rules)) {
      return new RoutePlan.Unchanged();
    }
    Map<String, Object> object =
        header(String.valueOf(route.get("apiVersion")), "HTTPRoute", key.namespace(), key.name());
    object.put("spec", new LinkedHashMap<>(Map.of("rules", next)));
    return new RoutePlan.Write(List.of(object));
  }

  private Map<String, Object> headerRule(
      HeaderRoute headerRoute, Map<String, Object> primary, Map<String, Object> canaryTemplate) {
    List<Object> headers = new ArrayList<>();
    for (RouteMatch match : headerRoute.matches()) {
      Map<String, Object> header = new LinkedHashMap<>();
      switch (match) {
        case RouteMatch.Header h -> {
          header.put("name", h.name());
          header.put(
              "type", h.type() == RouteMatch.MatchType.EXACT ? "Exact" : "RegularExpression");
          header.put("value", h.type() == RouteMatch.MatchType.EXACT ? h.value() : h.regex());
        }
        case RouteMatch.Cookie c -> {
          header.put("name", "Cookie");
          header.put("type", "RegularExpression");
          header.put("value", c.headerRegex());
        }
      }
      headers.add(header);
    }
    List<Object> baseMatches = list(primary.get("matches"));
    List<Object> matches = new ArrayList<>();
    for (Object base :
        baseMatches == null || baseMatches.isEmpty() ? List.<Object>of(Map.of()) : baseMatches) {
      Map<String, Object> match = copy(map(base));
      List<Object> existing = list(match.get("headers"));
      List<Object> all = new ArrayList<>(existing == null ? List.of() : existing);
      all.addAll(headers);
      match.put("headers", all);
      matches.add(match);
    }
    Map<String, Object> backend = copy(canaryTemplate);
    backend.put("weight", 100);
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("name", MANAGED_RULE + headerRoute.name());
    rule.put("matches", matches);
    rule.put("backendRefs", new ArrayList<>(List.of(backend)));
    return rule;
  }

  /**
   * A rule of its own for a mirror route: the mirror's matches, the primary rule's backends at
   * their weights, and a {@code RequestMirror} filter to the canary ({@code percent} below 100);
   * null when a method is matched other than exactly, which the Gateway API cannot say.
   */
  private static Map<String, Object> mirrorRule(
      MirrorRoute mirror, Map<String, Object> primary, Map<String, Object> canaryTemplate) {
    List<Object> matches = new ArrayList<>();
    for (MirrorRoute.Match match : mirror.matches()) {
      Map<String, Object> request = new LinkedHashMap<>();
      if (match.path().isPresent()) {
        MirrorRoute.StringMatch path = match.path().get();
        Map<String, Object> pathMatch = new LinkedHashMap<>();
        pathMatch.put(
            "type",
            switch (path.type()) {
              case EXACT -> "Exact";
              case PREFIX -> "PathPrefix";
              case REGEX -> "RegularExpression";
            });
        pathMatch.put("value", path.value());
        request.put("path", pathMatch);
      }
      if (!match.headers().isEmpty()) {
        List<Object> headers = new ArrayList<>();
        new java.util.TreeMap<>(match.headers())
            .forEach(
                (name, value) -> {
                  Map<String, Object> header = new LinkedHashMap<>();
                  header.put("name", name);
                  header.put(
                      "type",
                      value.type() == RouteMatch.MatchType.EXACT ? "Exact" : "RegularExpression");
                  header.put(
                      "value",
                      value.type() == RouteMatch.MatchType.EXACT ? value.value() : value.regex());
                  headers.add(header);
                });
        request.put("headers", headers);
      }
      if (match.method().isPresent()) {
        if (match.method().get().type() != RouteMatch.MatchType.EXACT) {
          return null;
        }
        request.put("method", match.method().get().value());
      }
      matches.add(request);
    }
    List<Object> backends = new ArrayList<>();
    list(primary.get("backendRefs")).forEach(b -> backends.add(copy(map(b))));
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("name", canaryTemplate.get("name"));
    if (canaryTemplate.get("port") != null) {
      target.put("port", canaryTemplate.get("port"));
    }
    Map<String, Object> requestMirror = new LinkedHashMap<>();
    requestMirror.put("backendRef", target);
    if (mirror.percentage() < 100) {
      requestMirror.put("percent", mirror.percentage());
    }
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("name", MANAGED_RULE + mirror.name());
    rule.put("matches", matches);
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("type", "RequestMirror");
    filter.put("requestMirror", requestMirror);
    rule.put("filters", new ArrayList<>(List.of(filter)));
    rule.put("backendRefs", backends);
    return rule;
  }

  @Override
  public Optional<Integer> weight(Map<ResourceKey, Map<String, Object>> live) {
    Map<String, Object> route = live.get(key);
    Map<String, Object> spec = route == null ? null : map(route.get("spec"));
    List<Object> rules = spec == null ? null : list(spec.get("rules"));
    if (rules == null) {
      return Optional.empty();
    }
    for (Object raw : rules) {
      Map<String, Object> rule = map(raw);
      if (rule == null || String.valueOf(rule.get("name")).startsWith(MANAGED_RULE)) {
        continue;
      }
      List<Object> refs = list(rule.get("backendRefs"));
      Map<String, Object> stableRef = find(refs, stable);
      if (stableRef != null) {
        Map<String, Object> canaryRef = find(refs, canary);
        int s = ObjectTrees.integer(stableRef.get("weight"), 1);
        int c = canaryRef == null ? 0 : ObjectTrees.integer(canaryRef.get("weight"), 1);
        return Optional.of(s + c == 0 ? 0 : Math.round(100f * c / (s + c)));
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> find(List<Object> refs, String service) {
    if (refs == null) {
      return null;
    }
    for (Object raw : refs) {
      Map<String, Object> ref = map(raw);
      if (ref != null
          && service.equals(ref.get("name"))
          && (ref.get("kind") == null || "Service".equals(ref.get("kind")))) {
        return ref;
      }
    }
    return null;
  }
}
