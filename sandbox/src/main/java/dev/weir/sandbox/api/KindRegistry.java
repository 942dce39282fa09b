package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kinds the sandbox API server knows, keyed by group, version and plural (URLs) and by
 * apiVersion and kind (bodies). {@link #builtin()} holds the kinds Weir and kubectl use; any other
 * kind can be {@link #register registered} and is then served as schemaless JSON with discovery,
 * CRUD, watch and patches like the built-in ones.
 *
 * <p>Thread-safe: registration may happen while the server runs; lookups see it at once.
 */
public final class KindRegistry {
  private final List<KindInfo> kinds = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> schemas = new java.util.concurrent.ConcurrentHashMap<>();

  /** An empty registry. */
  public KindRegistry() {}

  /** A registry with the kinds the sandbox serves out of the box. */
  public static KindRegistry builtin() {
    KindRegistry registry = new KindRegistry();
    List<String> all = KindInfo.ALL_VERBS;
    List<String> noCategory = List.of();
    List<String> allCategory = List.of("all");
    // core/v1
    registry.register(
        new KindInfo(
            "",
            "v1",
            "Namespace",
            "namespaces",
            "namespace",
            false,
            List.of("ns"),
            List.of("create", "delete", "get", "list", "patch", "update", "watch"),
            true,
            noCategory));
    registry.register(
        new KindInfo(
            "",
            "v1",
            "ConfigMap",
            "configmaps",
            "configmap",
            true,
            List.of("cm"),
            all,
            false,
            noCategory));
    registry.register(
        new KindInfo(
            "", "v1", "Secret", "secrets", "secret", true, List.of(), all, false, noCategory));
    registry.register(
        new KindInfo(
            "",
            "v1",
            "Service",
            "services",
            "service",
            true,
            List.of("svc"),
            List.of(
                "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            true,
            allCategory));
    registry.register(
        new KindInfo("", "v1", "Pod", "pods", "pod", true, List.of("po"), all, true, allCategory));
    registry.register(
        new KindInfo(
            "",
            "v1",
            "ServiceAccount",
            "serviceaccounts",
            "serviceaccount",
            true,
            List.of("sa"),
            all,
            false,
            noCategory));
    registry.register(
        new KindInfo(
            "", "v1", "Event", "events", "event", true, List.of("ev"), all, false, noCategory));
    // apps/v1
    registry.register(
        new KindInfo(
            "apps",
            "v1",
            "Deployment",
            "deployments",
            "deployment",
            true,
            List.of("deploy"),
            all,
            true,
            allCategory));
    registry.register(
        new KindInfo(
            "apps",
            "v1",
            "ReplicaSet",
            "replicasets",
            "replicaset",
            true,
            List.of("rs"),
            all,
            true,
            allCategory));
    registry.register(
        new KindInfo(
            "apps",
            "v1",
            "StatefulSet",
            "statefulsets",
            "statefulset",
            true,
            List.of("sts"),
            all,
            true,
            allCategory));
    registry.register(
        new KindInfo(
            "apps",
            "v1",
            "DaemonSet",
            "daemonsets",
            "daemonset",
            true,
            List.of("ds"),
            all,
            true,
            allCategory));
    registry.register(
        new KindInfo(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
            "customresourcedefinition",
            false,
            List.of("crd", "crds"),
            all,
            true,
            List.of("api-extensions")));
    // policy/v1 and rbac.authorization.k8s.io/v1: stored and served, not enforced (the sandbox's
    // authorisation stays its simplified one; deploy/ applies them)
    registry.register(
        new KindInfo(
            "policy",
            "v1",
            "PodDisruptionBudget",
            "poddisruptionbudgets",
            "poddisruptionbudget",
            true,
            List.of("pdb"),
            all,
            true,
            noCategory));
    for (String[] rbac :
        new String[][] {
          {"Role", "roles", "role", "true"},
          {"RoleBinding", "rolebindings", "rolebinding", "true"},
          {"ClusterRole", "clusterroles", "clusterrole", "false"},
          {"ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", "false"}
        }) {
      registry.register(
          new KindInfo(
              "rbac.authorization.k8s.io",
              "v1",
              rbac[0],
              rbac[1],
              rbac[2],
              Boolean.parseBoolean(rbac[3]),
              List.of(),
              all,
              false,
              noCategory));
    }
    // others
    registry.register(
        new KindInfo(
            "coordination.k8s.io",
            "v1",
            "Lease",
            "leases",
            "lease",
            true,
            List.of(),
            all,
            false,
            noCategory));
    registry.register(
        new KindInfo("batch", "v1", "Job", "jobs", "job", true, List.of(), all, true, allCategory));
    registry.register(
        new KindInfo(
            "networking.k8s.io",
            "v1",
            "Ingress",
            "ingresses",
            "ingress",
            true,
            List.of("ing"),
            all,
            true,
            noCategory));
    registry.register(
        new KindInfo(
            "gateway.networking.k8s.io",
            "v1",
            "HTTPRoute",
            "httproutes",
            "httproute",
            true,
            List.of(),
            all,
            true,
            List.of("gateway-api")));
    // Istio's kinds in each version Istio serves them (one object, several versions, as its CRDs),
    // v1 first: the version the sandbox prefers
    for (String version : List.of("v1", "v1beta1", "v1alpha3")) {
      registry.register(
          new KindInfo(
              "networking.istio.io",
              version,
              "VirtualService",
              "virtualservices",
              "virtualservice",
              true,
              List.of("vs"),
              all,
              true,
              List.of("istio-io", "networking-istio-io")));
      registry.register(
          new KindInfo(
              "networking.istio.io",
              version,
              "DestinationRule",
              "destinationrules",
              "destinationrule",
              true,
              List.of("dr"),
              all,
              true,
              List.of("istio-io", "networking-istio-io")));
    }
    registry.register(
        new KindInfo(
            "split.smi-spec.io",
            "v1alpha4",
            "TrafficSplit",
            "trafficsplits",
            "trafficsplit",
            true,
            List.of("ts"),
            all,
            false,
            noCategory));
    return registry;
  }

  /**
   * Adds a kind, replacing one with the same group, version and plural. A kind may be served in
   * several versions of its group (as a CustomResourceDefinition's versions are), under one plural.
   *
   * @throws IllegalArgumentException if the group already has this kind under another plural
   */
  public synchronized void register(KindInfo kind) {
    for (KindInfo existing : kinds) {
      boolean sameResource =
          existing.group().equals(kind.group())
              && existing.version().equals(kind.version())
              && existing.plural().equals(kind.plural());
      if (sameResource) {
        kinds.remove(existing);
        break;
      }
      if (existing.group().equals(kind.group())
          && existing.kind().equals(kind.kind())
          && !existing.plural().equals(kind.plural())) {
        throw new IllegalArgumentException(
            "kind "
                + kind.kind()
                + " of group '"
                + kind.group()
                + "' is already registered as "
                + existing.plural());
      }
    }
    kinds.add(kind);
  }

  /** Stops serving {@code /apis/<group>/<version>/<plural>}; true when it was served. */
  public synchronized boolean unregister(String group, String version, String plural) {
    schemas.remove(group + "/" + version + "/" + plural);
    return kinds.removeIf(
        k -> k.group().equals(group) && k.version().equals(version) && k.plural().equals(plural));
  }

  /**
   * Sets the OpenAPI v3 schema of a served kind (a CustomResourceDefinition version's {@code
   * schema.openAPIV3Schema}), whose defaults the server fills in; null removes it.
   */
  void schema(KindInfo kind, JsonNode schema) {
    String key = kind.group() + "/" + kind.version() + "/" + kind.plural();
    if (schema == null) {
      schemas.remove(key);
    } else {
      schemas.put(key, schema);
    }
  }

  /** The schema set for {@code kind}, or null. */
  JsonNode schema(KindInfo kind) {
    return schemas.get(kind.group() + "/" + kind.version() + "/" + kind.plural());
  }

  /** The kind served at {@code /apis/<group>/<version>/<plural>} (or {@code /api/v1/<plural>}). */
  public Optional<KindInfo> byResource(String group, String version, String plural) {
    for (KindInfo kind : kinds) {
      if (kind.group().equals(group)
          && kind.version().equals(version)
          && kind.plural().equals(plural)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** The kind an object with this {@code apiVersion} and {@code kind} belongs to. */
  public Optional<KindInfo> byKind(String apiVersion, String kind) {
    for (KindInfo info : kinds) {
      if (info.apiVersion().equals(apiVersion) && info.kind().equals(kind)) {
        return Optional.of(info);
      }
    }
    return Optional.empty();
  }

  /** Every registered kind, in registration order. */
  public List<KindInfo> all() {
    return List.copyOf(kinds);
  }

  /** The kinds of one group version, in registration order. */
  public List<KindInfo> inGroupVersion(String group, String version) {
    List<KindInfo> result = new ArrayList<>();
    for (KindInfo kind : kinds) {
      if (kind.group().equals(group) && kind.version().equals(version)) {
        result.add(kind);
      }
    }
    return result;
  }

  /** Named groups (not the core group) and their versions, in registration order. */
  public Map<String, List<String>> namedGroups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (KindInfo kind : kinds) {
      if (!kind.group().isEmpty()) {
        List<String> versions = groups.computeIfAbsent(kind.group(), g -> new ArrayList<>());
        if (!versions.contains(kind.version())) {
          versions.add(kind.version());
        }
      }
    }
    return groups;
  }
}
