package dev.weir.engine.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Kubernetes object as the cluster serves it: the whole object (metadata with {@code
 * managedFields}, spec, status …) as nested maps, lists and scalars, deeply immutable.
 *
 * <p>Numbers are {@link Long} when integral, else {@link Double}; JSON {@code null}s are dropped.
 * Instances are immutable and safe to share between threads.
 *
 * @param key the object's identity
 * @param apiVersion the version it was served in, e.g. {@code apps/v1}
 * @param object the whole object
 */
public record LiveObject(ResourceKey key, String apiVersion, Map<String, Object> object) {

  public LiveObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(object, "object");
  }

  /** {@code metadata.resourceVersion}, "" when absent (a dry-run create has none). */
  public String resourceVersion() {
    return metadataString("resourceVersion");
  }

  /** {@code metadata.uid}, "" when absent. */
  public String uid() {
    return metadataString("uid");
  }

  /** {@code metadata.generation}, 0 when absent. */
  public long generation() {
    return metadata().get("generation") instanceof Number n ? n.longValue() : 0;
  }

  /** {@code metadata.labels}, empty when there are none. */
  public Map<String, Object> labels() {
    return mapAt(metadata(), "labels");
  }

  /** {@code metadata.annotations}, empty when there are none. */
  public Map<String, Object> annotations() {
    return mapAt(metadata(), "annotations");
  }

  /** {@code metadata.managedFields} entries, empty when the server sent none. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> managedFields() {
    return metadata().get("managedFields") instanceof List<?> list
        ? (List<Map<String, Object>>) list
        : List.of();
  }

  /** Whether {@code metadata.deletionTimestamp} is set: the object is being deleted. */
  public boolean deleting() {
    return metadata().containsKey("deletionTimestamp");
  }

  /** The {@code status} map, empty when there is none. */
  public Map<String, Object> status() {
    return mapAt(object, "status");
  }

  /** The {@code spec} map, empty when there is none. */
  public Map<String, Object> spec() {
    return mapAt(object, "spec");
  }

  /** The value at a dotted path of map keys, e.g. {@code spec.replicas}. */
  public Optional<Object> at(String dottedPath) {
    Object current = object;
    for (String part : dottedPath.split("\\.")) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
        return Optional.empty();
      }
      current = map.get(part);
    }
    return Optional.ofNullable(current);
  }

  /** The {@code metadata} map. */
  public Map<String, Object> metadata() {
    return mapAt(object, "metadata");
  }

  private String metadataString(String field) {
    return metadata().get(field) instanceof String s ? s : "";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapAt(Map<String, Object> map, String field) {
    return map.get(field) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** {@code apps/Deployment shop/web@123}: never the object's content, which may hold secrets. */
  @Override
  public String toString() {
    return key + "@" + resourceVersion();
  }
}
