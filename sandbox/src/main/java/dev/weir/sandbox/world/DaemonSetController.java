package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.Draws;
import dev.weir.sandbox.api.SandboxApiException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The DaemonSet controller, simply: one pod per virtual node ({@link WorldSettings#nodes()}), named
 * {@code <name>-xxxxx}, with {@code spec.nodeName} set; on a template change, one outdated pod at a
 * time is deleted once every pod is Ready, and recreated from the new template. No node selectors,
 * affinities or tolerations.
 */
final class DaemonSetController {
  static final String MANAGER = "kube-controller-manager";
  private static final String REVISION_LABEL = "controller-revision-hash";

  private final WorldContext world;

  DaemonSetController(WorldContext world) {
    this.world = world;
  }

  void reconcile(WorkKey key) {
    Optional<ObjectNode> found =
        world.objects().get("apps/v1", "DaemonSet", key.namespace(), key.name());
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return;
    }
    ObjectNode set = found.get();
    JsonNode template = set.path("spec").path("template");
    String revision = TemplateHash.of(template);
    int nodes = world.settings().nodes();
    Map<String, ObjectNode> byNode = new HashMap<>();
    for (ObjectNode pod : ReplicaSetController.ownedPods(world, set)) {
      String node = pod.path("spec").path("nodeName").asText();
      if (byNode.putIfAbsent(node, pod) != null) {
        world.objects().delete("v1", "Pod", key.namespace(), Meta.name(pod));
      }
    }
    boolean allReady = byNode.values().stream().allMatch(Kubelet::ready);
    for (int i = 1; i <= nodes; i++) {
      String node = "sandbox-node-" + i;
      if (byNode.containsKey(node)) {
        continue;
      }
      String name =
          key.name()
              + "-"
              + Draws.nameSuffix(Draws.hash(world.settings().seed(), key.name(), node), 5);
      ObjectNode pod = PodFactory.pod(set, template, name, Map.of(REVISION_LABEL, revision), node);
      try {
        byNode.put(node, world.objects().create(pod, MANAGER));
      } catch (SandboxApiException e) {
        world.enqueue(key);
        return;
      }
    }
    if (allReady && byNode.size() == nodes) {
      for (ObjectNode pod : byNode.values()) {
        if (!revision.equals(Meta.labels(pod).get(REVISION_LABEL))) {
          world.objects().delete("v1", "Pod", key.namespace(), Meta.name(pod));
          byNode.values().remove(pod);
          break;
        }
      }
    }
    int ready = (int) byNode.values().stream().filter(Kubelet::ready).count();
    int updated =
        (int)
            byNode.values().stream()
                .filter(p -> revision.equals(Meta.labels(p).get(REVISION_LABEL)))
                .count();
    ObjectNode status = Meta.NODES.objectNode();
    status.put("currentNumberScheduled", byNode.size());
    status.put("desiredNumberScheduled", nodes);
    status.put("numberMisscheduled", 0);
    status.put("numberReady", ready);
    if (ready > 0) {
      status.put("numberAvailable", ready);
    }
    if (nodes - ready > 0) {
      status.put("numberUnavailable", nodes - ready);
    }
    status.put("observedGeneration", Meta.generation(set));
    status.put("updatedNumberScheduled", updated);
    world.writeStatus(set, status, MANAGER);
  }
}
