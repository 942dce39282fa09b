package dev.weir.engine.model;

import java.util.List;

/**
 * One {@code spec.ignoreDifferences} entry of an application, as in Argo CD: the fields of matching
 * objects that never count as drift. Empty {@code group}, {@code name} or {@code namespace} match any.
 */
public record IgnoreDifference(
    String group,
    String kind,
    String name,
    String namespace,
    List<String> jsonPointers,
    List<String> jqPathExpressions) {

  public IgnoreDifference {
    group = group == null ? "" : group;
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
    jsonPointers = List.copyOf(jsonPointers == null ? List.of() : jsonPointers);
    jqPathExpressions = List.copyOf(jqPathExpressions == null ? List.of() : jqPathExpressions);
  }

  public boolean matches(ResourceKey key) {
    return (group.isEmpty() || group.equals(key.group()))
        && kind.equals(key.kind())
        && (name.isEmpty() || name.equals(key.name()))
        && (namespace.isEmpty() || namespace.equals(key.namespace()));
  }
}
