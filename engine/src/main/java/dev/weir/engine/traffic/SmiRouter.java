package dev.weir.engine.traffic;

import static dev.weir.engine.traffic.ObjectTrees.header;
import static dev.weir.engine.traffic.ObjectTrees.list;
import static dev.weir.engine.traffic.ObjectTrees.map;

import dev.weir.engine.model.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SMI: one {@code split.smi-spec.io/v1alpha4} TrafficSplit for the root service with two backends,
 * stable and canary, whose weights are the split. Created when missing (it then belongs to Weir).
 * SMI's TrafficSplit cannot route by header, so A/B routes are refused.
 */
final class SmiRouter implements TrafficRouter {
  static final String API_VERSION = "split.smi-spec.io/v1alpha4";

  private final ResourceKey key;
  private final String root;
  private final String stable;
  private final String canary;

  SmiRouter(String namespace, String name, String root, String stable, String canary) {
    this.key = new ResourceKey("split.smi-spec.io", "TrafficSplit", namespace, name);
    this.root = root;
    this.stable = stable;
    this.canary = canary;
  }

  @Override
  public List<ResourceKey> objects() {
    return List.of(key);
  }

  @Override
  public String describe() {
    return "TrafficSplit " + key.namespace() + "/" + key.name();
  }

  /** Why SMI cannot play a mirror route. */
  static final String MIRROR_REASON = "cannot mirror requests: a TrafficSplit only weighs backends";

  @Override
  public RoutePlan plan(Map<ResourceKey, Map<String, Object>> live, TrafficShape shape) {
    if (!shape.headerRoutes().isEmpty()) {
      return new RoutePlan.Impossible(describe() + ": SMI cannot route by header or cookie");
    }
    if (!shape.mirrorRoutes().isEmpty()) {
      return new RoutePlan.Impossible(describe() + ": SMI " + MIRROR_REASON);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("service", root);
    spec.put(
        "backends",
        List.of(
            new LinkedHashMap<>(Map.of("service", stable, "weight", 100 - shape.canaryWeight())),
            new LinkedHashMap<>(Map.of("service", canary, "weight", shape.canaryWeight()))));
    Map<String, Object> current = live.get(key);
    if (current != null
        && weights(current).equals(weights(Map.of("spec", spec)))
        && root.equals(map(current.get("spec")).get("service"))) {
      return new RoutePlan.Unchanged();
    }
    Map<String, Object> object = header(API_VERSION, "TrafficSplit", key.namespace(), key.name());
    ObjectTrees.map(object.get("metadata"))
        .put("labels", Map.of("app.kubernetes.io/managed-by", "weir"));
    object.put("spec", spec);
    return new RoutePlan.Write(List.of(object));
  }

  @Override
  public Optional<Integer> weight(Map<ResourceKey, Map<String, Object>> live) {
    Map<String, Object> current = live.get(key);
    if (current == null) {
      return Optional.empty();
    }
    Map<String, Integer> weights = weights(current);
    int s = weights.getOrDefault(stable, 0);
    int c = weights.getOrDefault(canary, 0);
    return Optional.of(s + c == 0 ? 0 : Math.round(100f * c / (s + c)));
  }

  private static Map<String, Integer> weights(Map<String, Object> split) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    Map<String, Object> spec = map(split.get("spec"));
    List<Object> backends = spec == null ? null : list(spec.get("backends"));
    if (backends != null) {
      for (Object raw : backends) {
        Map<String, Object> backend = map(raw);
        if (backend != null) {
          weights.put(
              String.valueOf(backend.get("service")),
              ObjectTrees.integer(backend.get("weight"), 0));
        }
      }
    }
    return weights;
  }
}
