package dev.weir.sandbox.api;

import java.util.List;
import java.util.Objects;

/**
 * One kind the sandbox API server serves: where it lives (group, version, plural), whether it is
 * namespaced, the names kubectl accepts for it and what may be done to it. The server treats every
 * kind's content as schemaless JSON; only the few behaviours listed here (status subresource, list
 * merge keys in {@link ListKeys}) depend on the kind.
 *
 * @param group API group, {@code ""} for the core group
 * @param version API version within the group, e.g. {@code v1}
 * @param kind the kind, e.g. {@code Deployment}
 * @param plural the resource name in URLs, e.g. {@code deployments}
 * @param singular the singular resource name, e.g. {@code deployment}
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl's short names, e.g. {@code deploy}
 * @param verbs the verbs discovery advertises and the server allows
 * @param statusSubresource whether {@code .../status} exists and main-resource writes keep status
 * @param categories discovery categories, e.g. {@code all}
 */
public record KindInfo(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> verbs,
    boolean statusSubresource,
    List<String> categories) {

  /** Every verb a fully writable resource has. */
  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public KindInfo {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    singular =
        singular == null || singular.isEmpty() ? kind.toLowerCase(java.util.Locale.ROOT) : singular;
    shortNames = List.copyOf(shortNames);
    verbs = List.copyOf(verbs);
    categories = List.copyOf(categories);
  }

  /** A schemaless kind with every verb, no status subresource, no short names. */
  public static KindInfo of(
      String group, String version, String kind, String plural, boolean namespaced) {
    return new KindInfo(
        group, version, kind, plural, null, namespaced, List.of(), ALL_VERBS, false, List.of());
  }

  /** {@code apps/v1}, or {@code v1} for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code deployments.apps}, or {@code pods} for the core group: how errors name the resource. */
  public String qualifiedResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The list kind, e.g. {@code DeploymentList}. */
  public String listKind() {
    return kind + "List";
  }

  /** Whether {@code verb} is allowed on this kind. */
  public boolean allows(String verb) {
    return verbs.contains(verb);
  }
}
