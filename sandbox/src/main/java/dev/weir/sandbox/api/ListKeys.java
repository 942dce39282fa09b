package dev.weir.sandbox.api;

import java.util.List;
import java.util.Set;

/**
 * How the lists of a kind merge, for strategic merge patches and server-side apply: by a key field
 * ({@code containers} by {@code name}, {@code volumeMounts} by {@code mountPath} …), as a set of
 * primitives ({@code metadata.finalizers}), or atomically (replaced whole: everything else). This
 * is the part of the Kubernetes Go types' {@code patchMergeKey}/{@code listMapKey} tags that the
 * sandbox's kinds need; the real server has it for every field of every built-in type.
 *
 * <p>Custom kinds (groups a real cluster serves through CRDs, e.g. {@code
 * gateway.networking.k8s.io}) have no merge keys below {@code metadata}, like a CRD without {@code
 * x-kubernetes-list-type} markers, and refuse strategic merge patches as a real server does.
 *
 * <p>Stateless and thread-safe.
 */
final class ListKeys {
  /** How one list merges. */
  sealed interface Rule {}

  /** Items are matched by the value of {@code key}. */
  record MergeByKey(String key) implements Rule {}

  /** A set of primitive values. */
  record PrimitiveSet() implements Rule {}

  /** The list is replaced as a whole. */
  record Atomic() implements Rule {}

  private static final Set<String> BUILT_IN_GROUPS =
      Set.of(
          "",
          "apps",
          "batch",
          "autoscaling",
          "policy",
          "coordination.k8s.io",
          "networking.k8s.io",
          "rbac.authorization.k8s.io",
          "storage.k8s.io",
          "discovery.k8s.io",
          "events.k8s.io",
          "scheduling.k8s.io",
          "node.k8s.io",
          "certificates.k8s.io",
          "admissionregistration.k8s.io",
          "apiextensions.k8s.io");

  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");

  private ListKeys() {}

  /** Whether a real cluster serves this kind from its own Go types (not a CRD). */
  static boolean isBuiltIn(KindInfo kind) {
    return BUILT_IN_GROUPS.contains(kind.group());
  }

  /**
   * The rule for the list at {@code path}: the field names from the object's root to the list, list
   * items left out (so a container's ports are {@code [spec, template, spec, containers, ports]}).
   */
  static Rule ruleFor(KindInfo kind, List<String> path) {
    if (path.isEmpty()) {
      return new Atomic();
    }
    String field = path.get(path.size() - 1);
    if (path.size() == 2 && path.get(0).equals("metadata")) {
      return switch (field) {
        case "finalizers" -> new PrimitiveSet();
        case "ownerReferences" -> new MergeByKey("uid");
        case "managedFields" -> new Atomic();
        default -> new Atomic();
      };
    }
    if (!isBuiltIn(kind)) {
      return new Atomic();
    }
    String parent = path.size() >= 2 ? path.get(path.size() - 2) : "";
    return switch (field) {
      case "containers", "initContainers", "ephemeralContainers", "volumes", "imagePullSecrets" ->
          new MergeByKey("name");
      case "env" -> CONTAINER_LISTS.contains(parent) ? new MergeByKey("name") : new Atomic();
      case "volumeMounts" -> new MergeByKey("mountPath");
      case "volumeDevices" -> new MergeByKey("devicePath");
      case "hostAliases" -> new MergeByKey("ip");
      case "topologySpreadConstraints" -> new MergeByKey("topologyKey");
      case "ports" -> {
        if (CONTAINER_LISTS.contains(parent)) {
          yield new MergeByKey("containerPort");
        }
        if (kind.kind().equals("Service") && path.equals(List.of("spec", "ports"))) {
          yield new MergeByKey("port");
        }
        yield new Atomic();
      }
      case "conditions" -> path.get(0).equals("status") ? new MergeByKey("type") : new Atomic();
      default -> new Atomic();
    };
  }
}
