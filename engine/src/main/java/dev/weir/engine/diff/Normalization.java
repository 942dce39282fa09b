package dev.weir.engine.diff;

import java.util.Map;
import java.util.Set;

/**
 * What is dropped before Git and the cluster are compared: what the server writes about an object
 * rather than what anyone wants of it.
 *
 * <ul>
 *   <li>{@code status};
 *   <li>{@code metadata.managedFields}, {@code resourceVersion}, {@code uid}, {@code generation},
 *       {@code creationTimestamp}, {@code deletionTimestamp}, {@code deletionGracePeriodSeconds},
 *       {@code selfLink};
 *   <li>the annotations {@code kubectl.kubernetes.io/last-applied-configuration} (a copy of the
 *       object, Secrets included) and {@code deployment.kubernetes.io/revision} (a controller's
 *       counter); empty {@code labels} and {@code annotations} maps;
 *   <li>{@code null}s; numbers are made canonical (3 and 3.0 are the same).
 * </ul>
 *
 * <p>Stateless; returns fresh mutable trees that the caller owns.
 */
public final class Normalization {
  private static final Set<String> SERVER_METADATA =
      Set.of(
          "managedFields",
          "resourceVersion",
          "uid",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "selfLink");

  private static final Set<String> SERVER_ANNOTATIONS =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision");

  private Normalization() {}

  /** A normalised, mutable deep copy of {@code object}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> normalize(Map<String, Object> object) {
    Map<String, Object> copy = (Map<String, Object>) Values.canonical(object);
    copy.remove("status");
    if (copy.get("metadata") instanceof Map<?, ?> m) {
      Map<String, Object> metadata = (Map<String, Object>) m;
      SERVER_METADATA.forEach(metadata::remove);
      if (metadata.get("annotations") instanceof Map<?, ?> a) {
        SERVER_ANNOTATIONS.forEach(a::remove);
        if (a.isEmpty()) {
          metadata.remove("annotations");
        }
      }
      if (metadata.get("labels") instanceof Map<?, ?> l && l.isEmpty()) {
        metadata.remove("labels");
      }
    }
    return copy;
  }
}
