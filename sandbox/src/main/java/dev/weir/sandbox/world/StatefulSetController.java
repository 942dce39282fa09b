package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The StatefulSet controller, simply: pods {@code <name>-0 … <name>-(n-1)}, created in order, each
 * only when every lower ordinal is Ready ({@code OrderedReady}; {@code Parallel} creates them all),
 * extra ordinals deleted from the highest; on a template change, the highest pod of an old revision
 * is deleted once every pod is Ready, and recreated from the new template (a rolling update of one
 * pod at a time). Pods carry {@code controller-revision-hash} and {@code
 * statefulset.kubernetes.io/pod-name}. No ControllerRevisions, no volume claims, no partitions.
 */
final class StatefulSetController {
  static final String MANAGER = "kube-controller-manager";
  private static final String REVISION_LABEL = "controller-revision-hash";

  private final WorldContext world;

  StatefulSetController(WorldContext world) {
    this.world = world;
  }

  void reconcile(WorkKey key) {
    Optional<ObjectNode> found =
        world.objects().get("apps/v1", "StatefulSet", key.namespace(), key.name());
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return;
    }
    ObjectNode set = found.get();
    JsonNode spec = set.path("spec");
    int replicas = Meta.intOr(spec.get("replicas"), 1);
    String revision = key.name() + "-" + TemplateHash.of(spec.path("template"));
    boolean parallel = spec.path("podManagementPolicy").asText("OrderedReady").equals("Parallel");
    TreeMap<Integer, ObjectNode> pods = new TreeMap<>();
    for (ObjectNode pod : ReplicaSetController.ownedPods(world, set)) {
      String name = Meta.name(pod);
      try {
        pods.put(Integer.parseInt(name.substring(key.name().length() + 1)), pod);
      } catch (RuntimeException e) {
        // not one of ours by name: leave it
      }
    }
    boolean allReady = pods.values().stream().allMatch(Kubelet::ready);
    // scale down from the highest ordinal
    while (!pods.isEmpty() && pods.lastKey() >= replicas) {
      ObjectNode pod = pods.pollLastEntry().getValue();
      world.objects().delete("v1", "Pod", key.namespace(), Meta.name(pod));
    }
    boolean changed = false;
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      if (pods.containsKey(ordinal)) {
        continue;
      }
      boolean lowerReady =
          pods.headMap(ordinal).values().stream().allMatch(Kubelet::ready)
              && pods.headMap(ordinal).size() == ordinal;
      if (!parallel && !lowerReady) {
        break;
      }
      String name = key.name() + "-" + ordinal;
      ObjectNode pod =
          PodFactory.pod(
              set,
              spec.path("template"),
              name,
              Map.of(REVISION_LABEL, revision, "statefulset.kubernetes.io/pod-name", name),
              PodFactory.node(world.settings(), name));
      ObjectNode podSpec = (ObjectNode) pod.path("spec");
      podSpec.put("hostname", name);
      if (spec.hasNonNull("serviceName")) {
        podSpec.put("subdomain", spec.path("serviceName").asText());
      }
      try {
        pods.put(ordinal, world.objects().create(pod, MANAGER));
      } catch (SandboxApiException e) {
        world.enqueue(key);
        return;
      }
      changed = true;
      if (!parallel) {
        break;
      }
    }
    if (!changed && allReady && pods.size() == replicas) {
      for (ObjectNode pod : pods.descendingMap().values()) {
        if (!revision.equals(Meta.labels(pod).get(REVISION_LABEL))) {
          world.objects().delete("v1", "Pod", key.namespace(), Meta.name(pod));
          world.emit(
              set,
              "deleted pod " + Meta.name(pod) + " to update it",
              "rolling update to " + revision);
          pods.values().remove(pod);
          break;
        }
      }
    }
    int ready = (int) pods.values().stream().filter(Kubelet::ready).count();
    int updated =
        (int)
            pods.values().stream()
                .filter(p -> revision.equals(Meta.labels(p).get(REVISION_LABEL)))
                .count();
    ObjectNode status = Meta.NODES.objectNode();
    status.put("observedGeneration", Meta.generation(set));
    status.put("replicas", pods.size());
    if (ready > 0) {
      status.put("readyReplicas", ready);
      status.put("availableReplicas", ready);
    }
    String current = set.path("status").path("currentRevision").asText(revision);
    if (updated == replicas && pods.size() == replicas) {
      current = revision;
    }
    status.put("currentReplicas", current.equals(revision) ? updated : pods.size() - updated);
    status.put("updatedReplicas", updated);
    status.put("currentRevision", current);
    status.put("updateRevision", revision);
    status.put("collisionCount", 0);
    world.writeStatus(set, status, MANAGER);
  }
}
