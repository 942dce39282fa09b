package dev.weir.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Kubernetes object as desired in Git, with the place it was read from.
 *
 * <p>{@link #object()} is the whole document (apiVersion, kind, metadata, spec …) as nested maps,
 * lists and scalars, deeply immutable and in the document's key order. Instances are immutable and
 * safe to share between threads.
 */
public record Manifest(ResourceKey key, String apiVersion, Map<String, Object> object, SourceLocation source) {

  public Manifest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(apiVersion, "apiVersion");
    object = freeze(object);
    Objects.requireNonNull(source, "source");
  }

  public String kind() {
    return key.kind();
  }

  public String name() {
    return key.name();
  }

  public String namespace() {
    return key.namespace();
  }

  /** The {@code metadata.annotations} map, empty when there is none. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> annotations() {
    Object metadata = object.get("metadata");
    if (metadata instanceof Map<?, ?> m && m.get("annotations") instanceof Map<?, ?> a) {
      return (Map<String, Object>) a;
    }
    return Map.of();
  }

  /**
   * {@code apps/Deployment shop/web (apps/web/deploy.yaml:3:1)}: the identity and the place, never
   * the content, which may hold Secret values.
   */
  @Override
  public String toString() {
    return key + " (" + source + ")";
  }

  /** A deeply immutable copy of a YAML or JSON tree; scalars are kept as they are. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> freeze(Map<String, Object> map) {
    return (Map<String, Object>) freezeValue(Objects.requireNonNull(map, "object"));
  }

  private static Object freezeValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), freezeValue(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(freezeValue(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
