package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.Draws;
import java.util.Map;
import java.util.Set;

/** Builds the pods the workload controllers create from their pod templates. */
final class PodFactory {
  private PodFactory() {}

  /**
   * A pod named {@code name} from {@code owner}'s template, with {@code extraLabels}, owned by
   * {@code owner} (as its controller) and placed on {@code node}.
   */
  static ObjectNode pod(
      JsonNode owner,
      JsonNode template,
      String name,
      Map<String, String> extraLabels,
      String node) {
    ObjectNode pod = Meta.NODES.objectNode();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", Meta.namespace(owner));
    ObjectNode labels = metadata.putObject("labels");
    template
        .path("metadata")
        .path("labels")
        .properties()
        .forEach(e -> labels.set(e.getKey(), e.getValue()));
    extraLabels.forEach(labels::put);
    JsonNode annotations = template.path("metadata").path("annotations");
    if (annotations.isObject() && !annotations.isEmpty()) {
      metadata.set("annotations", annotations.deepCopy());
    }
    metadata.set("ownerReferences", Meta.ownedBy(owner));
    ObjectNode spec =
        template.path("spec") instanceof ObjectNode s ? s.deepCopy() : Meta.NODES.objectNode();
    if (!spec.hasNonNull("nodeName")) {
      spec.put("nodeName", node);
    }
    pod.set("spec", spec);
    return pod;
  }

  /**
   * A free name {@code prefix-xxxxx}, the same for the same seed, owner, {@code salt} and attempt.
   * The controllers salt it with the store's resourceVersion, which every write moves on: a pod
   * that replaces a deleted one gets a new name, as a real controller's random suffix gives it, and
   * the same run of events still gives the same names.
   */
  static String freeName(long seed, String prefix, long salt, Set<String> taken) {
    for (int attempt = 0; ; attempt++) {
      String name =
          prefix
              + "-"
              + Draws.nameSuffix(
                  Draws.hash(seed, prefix, Long.toString(salt), Integer.toString(attempt)), 5);
      if (!taken.contains(name)) {
        return name;
      }
    }
  }

  /** The virtual node for a pod, spread by the pod's name. */
  static String node(WorldSettings settings, String podName) {
    long h = Draws.hash(settings.seed(), "node", podName);
    return "sandbox-node-" + (1 + Long.remainderUnsigned(h, settings.nodes()));
  }
}
