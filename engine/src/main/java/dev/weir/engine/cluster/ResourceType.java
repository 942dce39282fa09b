package dev.weir.engine.cluster;

import java.util.List;
import java.util.Objects;

/**
 * A kind as the API server serves it, found through discovery: where its objects live ({@code
 * /apis/apps/v1/namespaces/NS/deployments}) and whether they are namespaced. Immutable.
 *
 * @param group the API group, "" for the core group
 * @param version the version served (the group's preferred one unless asked otherwise)
 * @param kind e.g. {@code Deployment}
 * @param plural the resource name, e.g. {@code deployments}
 * @param namespaced whether objects live in namespaces
 * @param verbs what the server allows on the resource, e.g. {@code [get, list, watch, patch]}
 * @param subresources e.g. {@code [status, scale]}
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    List<String> verbs,
    List<String> subresources) {

  public ResourceType {
    group = group == null ? "" : group;
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    verbs = List.copyOf(verbs);
    subresources = List.copyOf(subresources);
  }

  /** {@code apps/v1}, or {@code v1} for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code deployments.apps}, or {@code configmaps} for the core group, as RBAC names it. */
  public String qualifiedPlural() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** Whether the server has a {@code status} subresource for this kind. */
  public boolean hasStatus() {
    return subresources.contains("status");
  }

  @Override
  public String toString() {
    return qualifiedPlural() + " (" + apiVersion() + " " + kind + ")";
  }
}
