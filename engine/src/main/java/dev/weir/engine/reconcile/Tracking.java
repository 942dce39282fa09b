package dev.weir.engine.reconcile;

import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How Weir marks what it applies, and so what it may ever prune: the label {@code
 * app.kubernetes.io/managed-by: weir} (selectable on the server) and the annotation {@code
 * weir.dev/application: NAME}. An object without both, naming this application, is never pruned.
 *
 * <p>Stateless.
 */
public final class Tracking {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "weir";
  public static final String APPLICATION_ANNOTATION = "weir.dev/application";
  public static final String SYNC_WAVE_ANNOTATION = "weir.dev/sync-wave";

  /** The label selector that finds every object Weir applied. */
  public static final String SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;

  private Tracking() {}

  /** The object to apply: Git's object with the tracking label and annotation added. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> prepare(Manifest manifest, String application) {
    Map<String, Object> object = deepCopy(manifest.object());
    Map<String, Object> metadata =
        (Map<String, Object>) object.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    Map<String, Object> labels =
        metadata.get("labels") instanceof Map<?, ?> l
            ? (Map<String, Object>) l
            : new LinkedHashMap<>();
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    metadata.put("labels", labels);
    Map<String, Object> annotations =
        metadata.get("annotations") instanceof Map<?, ?> a
            ? (Map<String, Object>) a
            : new LinkedHashMap<>();
    annotations.put(APPLICATION_ANNOTATION, application);
    metadata.put("annotations", annotations);
    return object;
  }

  /** Whether {@code object} carries Weir's label and names {@code application}. */
  public static boolean isTrackedBy(LiveObject object, String application) {
    return MANAGED_BY.equals(object.labels().get(MANAGED_BY_LABEL))
        && application.equals(object.annotations().get(APPLICATION_ANNOTATION));
  }

  /** A mutable deep copy of a tree. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, copyValue(v)));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> m) {
      return deepCopy((Map<String, Object>) m);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(v -> copy.add(copyValue(v)));
      return copy;
    }
    return value;
  }
}
