package dev.weir.engine.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identity of a Kubernetes object: API group, kind, namespace and name.
 *
 * <p>The version is deliberately not part of the key: {@code apps/v1 Deployment} and a future
 * {@code apps/v2 Deployment} of the same name are the same object. The core group is the empty
 * string, as is the namespace of a cluster-scoped object. Keys order by group, kind, namespace and
 * name, which is the stable order every listing uses.
 */
public record ResourceKey(String group, String kind, String namespace, String name)
    implements Comparable<ResourceKey> {

  private static final Comparator<ResourceKey> ORDER =
      Comparator.comparing(ResourceKey::group)
          .thenComparing(ResourceKey::kind)
          .thenComparing(ResourceKey::namespace)
          .thenComparing(ResourceKey::name);

  public ResourceKey {
    group = group == null ? "" : group;
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
  }

  /** The key of an object whose {@code apiVersion} is {@code group/version} or just {@code version}. */
  public static ResourceKey of(String apiVersion, String kind, String namespace, String name) {
    return new ResourceKey(groupOf(apiVersion), kind, namespace, name);
  }

  /** The API group of an apiVersion: {@code apps/v1} gives {@code apps}, {@code v1} gives "". */
  public static String groupOf(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public boolean clusterScoped() {
    return namespace.isEmpty();
  }

  @Override
  public int compareTo(ResourceKey other) {
    return ORDER.compare(this, other);
  }

  /** {@code apps/Deployment shop/storefront}, or {@code Namespace shop} when core and cluster-scoped. */
  @Override
  public String toString() {
    String kindPart = group.isEmpty() ? kind : group + "/" + kind;
    return kindPart + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
