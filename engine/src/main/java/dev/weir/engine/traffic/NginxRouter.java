package dev.weir.engine.traffic;

import static dev.weir.engine.traffic.ObjectTrees.copy;
import static dev.weir.engine.traffic.ObjectTrees.header;
import static dev.weir.engine.traffic.ObjectTrees.list;
import static dev.weir.engine.traffic.ObjectTrees.map;

import dev.weir.engine.model.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NGINX Ingress: a generated {@code <stable-ingress>-canary} Ingress, a copy of the stable one's
 * rules sending to the canary service, with the controller's canary annotations: {@code
 * canary-weight} for the split, and for an A/B route {@code canary-by-header} (with {@code
 * canary-by-header-value} or {@code -pattern}) or {@code canary-by-cookie}. NGINX takes one header
 * or one cookie, and routes by cookie only when its value is {@code always}. The stable Ingress is
 * never written.
 */
final class NginxRouter implements TrafficRouter {
  static final String PREFIX = "nginx.ingress.kubernetes.io/";
  static final String GROUP = "networking.k8s.io";

  private final ResourceKey stableKey;
  private final ResourceKey canaryKey;
  private final String stable;
  private final String canary;

  NginxRouter(String namespace, String stableIngress, String stable, String canary) {
    this.stableKey = new ResourceKey(GROUP, "Ingress", namespace, stableIngress);
    this.canaryKey = new ResourceKey(GROUP, "Ingress", namespace, stableIngress + "-canary");
    this.stable = stable;
    this.canary = canary;
  }

  @Override
  public List<ResourceKey> objects() {
    return List.of(stableKey, canaryKey);
  }

  @Override
  public String describe() {
    return "Ingress " + canaryKey.namespace() + "/" + canaryKey.name();
  }

  /** Why the NGINX canary Ingress cannot play a mirror route. */
  static final String MIRROR_REASON =
      "cannot mirror a share of matching requests: ingress-nginx's mirror-target copies every"
          + " request of an Ingress, with no match and no percentage";

  @Override
  public RoutePlan plan(Map<ResourceKey, Map<String, Object>> live, TrafficShape shape) {
    Map<String, Object> stableIngress = live.get(stableKey);
    if (stableIngress == null) {
      return new RoutePlan.Impossible(
          "Ingress "
              + stableKey.namespace()
              + "/"
              + stableKey.name()
              + " does not exist; the canary Ingress is made from it");
    }
    Map<String, Object> spec =
        copy(map(stableIngress.get("spec")) == null ? Map.of() : map(stableIngress.get("spec")));
    spec.remove("tls");
    if (!retarget(spec)) {
      return new RoutePlan.Impossible(
          "Ingress "
              + stableKey.namespace()
              + "/"
              + stableKey.name()
              + " sends nothing to "
              + stable);
    }
    Map<String, Object> annotations = new LinkedHashMap<>();
    Object ingressClass =
        map(map(stableIngress.get("metadata")).getOrDefault("annotations", Map.of()))
            .get("kubernetes.io/ingress.class");
    if (ingressClass != null) {
      annotations.put("kubernetes.io/ingress.class", ingressClass);
    }
    annotations.put(PREFIX + "canary", "true");
    annotations.put(PREFIX + "canary-weight", String.valueOf(shape.canaryWeight()));
    if (!shape.mirrorRoutes().isEmpty()) {
      return new RoutePlan.Impossible(describe() + ": NGINX " + MIRROR_REASON);
    }
    List<RouteMatch> matches =
        shape.headerRoutes().stream().flatMap(r -> r.matches().stream()).toList();
    if (matches.size() > 1) {
      return new RoutePlan.Impossible(
          describe() + ": NGINX takes one header or one cookie, got " + matches.size());
    }
    if (!matches.isEmpty()) {
      switch (matches.getFirst()) {
        case RouteMatch.Header h -> {
          annotations.put(PREFIX + "canary-by-header", h.name());
          if (h.type() == RouteMatch.MatchType.EXACT) {
            annotations.put(PREFIX + "canary-by-header-value", h.value());
          } else {
            annotations.put(PREFIX + "canary-by-header-pattern", h.regex());
          }
        }
        case RouteMatch.Cookie c -> {
          if (!"always".equals(c.value())) {
            return new RoutePlan.Impossible(
                describe()
                    + ": NGINX routes by cookie "
                    + c.name()
                    + " only when its value is \"always\", not \""
                    + c.value()
                    + "\"");
          }
          annotations.put(PREFIX + "canary-by-cookie", c.name());
        }
      }
    }
    Map<String, Object> current = live.get(canaryKey);
    if (current != null
        && ObjectTrees.same(spec, map(current.get("spec")))
        && ObjectTrees.same(annotations, nginxAnnotations(current))) {
      return new RoutePlan.Unchanged();
    }
    Map<String, Object> object =
        header("networking.k8s.io/v1", "Ingress", canaryKey.namespace(), canaryKey.name());
    Map<String, Object> metadata = map(object.get("metadata"));
    metadata.put("labels", Map.of("app.kubernetes.io/managed-by", "weir"));
    Map<String, Object> allAnnotations = new LinkedHashMap<>(annotations);
    allAnnotations.put("rollouts.weir.dev/stable-ingress", stableKey.name());
    metadata.put("annotations", allAnnotations);
    object.put("spec", spec);
    return new RoutePlan.Write(List.of(object));
  }

  /**
   * Points every backend of {@code spec} at the stable service to the canary; false when there is
   * none.
   */
  private boolean retarget(Map<String, Object> spec) {
    boolean found = retargetBackend(map(spec.get("defaultBackend")));
    List<Object> rules = list(spec.get("rules"));
    if (rules != null) {
      for (Object rawRule : rules) {
        Map<String, Object> http = map(map(rawRule) == null ? null : map(rawRule).get("http"));
        List<Object> paths = http == null ? null : list(http.get("paths"));
        if (paths != null) {
          for (Object rawPath : paths) {
            Map<String, Object> path = map(rawPath);
            found |= path != null && retargetBackend(map(path.get("backend")));
          }
        }
      }
    }
    return found;
  }

  private boolean retargetBackend(Map<String, Object> backend) {
    Map<String, Object> service = backend == null ? null : map(backend.get("service"));
    if (service != null && stable.equals(service.get("name"))) {
      service.put("name", canary);
      return true;
    }
    return false;
  }

  private static Map<String, Object> nginxAnnotations(Map<String, Object> ingress) {
    Map<String, Object> metadata = map(ingress.get("metadata"));
    Map<String, Object> annotations = metadata == null ? null : map(metadata.get("annotations"));
    Map<String, Object> out = new LinkedHashMap<>();
    if (annotations != null) {
      annotations.forEach(
          (k, v) -> {
            if (k.startsWith(PREFIX) || k.equals("kubernetes.io/ingress.class")) {
              out.put(k, v);
            }
          });
    }
    return out;
  }

  @Override
  public Optional<Integer> weight(Map<ResourceKey, Map<String, Object>> live) {
    Map<String, Object> current = live.get(canaryKey);
    if (current == null) {
      return Optional.empty();
    }
    Object weight = nginxAnnotations(current).get(PREFIX + "canary-weight");
    try {
      return Optional.of(weight == null ? 0 : Integer.parseInt(String.valueOf(weight)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
