package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ReplicaSet controller: keeps {@code spec.replicas} pods, creating missing ones from the
 * template (names {@code <replicaset>-xxxxx} drawn from the seed) and deleting extra ones — not
 * Ready first, then the newest — and writes {@code status} (replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas, observedGeneration). {@code minReadySeconds} is not modelled: a
 * Ready pod is available.
 */
final class ReplicaSetController {
  static final String MANAGER = "kube-controller-manager";

  private final WorldContext world;

  ReplicaSetController(WorldContext world) {
    this.world = world;
  }

  void reconcile(WorkKey key) {
    Optional<ObjectNode> found =
        world.objects().get("apps/v1", "ReplicaSet", key.namespace(), key.name());
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return;
    }
    ObjectNode replicaSet = found.get();
    List<ObjectNode> pods = ownedPods(world, replicaSet);
    int want = Meta.intOr(replicaSet.path("spec").get("replicas"), 1);
    if (pods.size() < want) {
      Set<String> taken = new HashSet<>();
      world.objects().list("v1", "Pod", key.namespace()).forEach(p -> taken.add(Meta.name(p)));
      JsonNode template = replicaSet.path("spec").path("template");
      for (int i = pods.size(); i < want; i++) {
        String name =
            PodFactory.freeName(
                world.settings().seed(), key.name(), world.objects().resourceVersion(), taken);
        taken.add(name);
        ObjectNode pod =
            PodFactory.pod(
                replicaSet, template, name, Map.of(), PodFactory.node(world.settings(), name));
        try {
          pods.add(world.objects().create(pod, MANAGER));
        } catch (SandboxApiException e) {
          world.enqueue(key);
          return;
        }
      }
    } else if (pods.size() > want) {
      List<ObjectNode> ranked = new ArrayList<>(pods);
      ranked.sort(
          Comparator.comparing((ObjectNode p) -> Kubelet.ready(p))
              .thenComparing(
                  (ObjectNode p) -> p.path("metadata").path("creationTimestamp").asText(),
                  Comparator.reverseOrder())
              .thenComparing(Meta::name, Comparator.reverseOrder()));
      for (ObjectNode pod : ranked.subList(0, pods.size() - want)) {
        world.objects().delete("v1", "Pod", key.namespace(), Meta.name(pod));
        pods.remove(pod);
      }
    }
    int ready = (int) pods.stream().filter(Kubelet::ready).count();
    ObjectNode status = Meta.NODES.objectNode();
    status.put("replicas", pods.size());
    status.put("fullyLabeledReplicas", pods.size());
    if (ready > 0) {
      status.put("readyReplicas", ready);
      status.put("availableReplicas", ready);
    }
    status.put("observedGeneration", Meta.generation(replicaSet));
    world.writeStatus(replicaSet, status, MANAGER);
  }

  static List<ObjectNode> ownedPods(WorldContext world, JsonNode owner) {
    List<ObjectNode> pods = new ArrayList<>();
    for (ObjectNode pod :
        world.objects().listOwnedBy("v1", "Pod", Meta.namespace(owner), Meta.uid(owner))) {
      if (!Meta.deleting(pod)) {
        pods.add(pod);
      }
    }
    return pods;
  }
}
