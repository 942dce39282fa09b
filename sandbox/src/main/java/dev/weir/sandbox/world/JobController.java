package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Job controller, simply: runs up to {@code parallelism} pods at a time until {@code
 * completions} have succeeded (both default 1); each pod succeeds after its run time ({@code
 * sandbox.weir.dev/job-duration}, default 10 s, after start-up). Then the Job is {@code Complete}.
 * Failures, back-off limits, indexed completion, suspension and TTL are not modelled.
 */
final class JobController {
  static final String MANAGER = "kube-controller-manager";

  private final WorldContext world;

  JobController(WorldContext world) {
    this.world = world;
  }

  void reconcile(WorkKey key) {
    Optional<ObjectNode> found =
        world.objects().get("batch/v1", "Job", key.namespace(), key.name());
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return;
    }
    ObjectNode job = found.get();
    JsonNode spec = job.path("spec");
    int completions = Meta.intOr(spec.get("completions"), 1);
    int parallelism = Meta.intOr(spec.get("parallelism"), 1);
    List<ObjectNode> pods = ReplicaSetController.ownedPods(world, job);
    int succeeded =
        (int)
            pods.stream()
                .filter(p -> p.path("status").path("phase").asText().equals("Succeeded"))
                .count();
    int active = (int) pods.stream().filter(p -> !Kubelet.finished(p)).count();
    int ready = (int) pods.stream().filter(p -> !Kubelet.finished(p) && Kubelet.ready(p)).count();
    boolean complete = succeeded >= completions;
    if (!complete) {
      int toStart = Math.min(parallelism - active, completions - succeeded - active);
      Set<String> taken = new HashSet<>();
      pods.forEach(p -> taken.add(Meta.name(p)));
      for (int i = 0; i < toStart; i++) {
        String name =
            PodFactory.freeName(
                world.settings().seed(), key.name(), world.objects().resourceVersion(), taken);
        taken.add(name);
        Map<String, String> labels =
            Map.of(
                "batch.kubernetes.io/job-name", key.name(),
                "job-name", key.name(),
                "batch.kubernetes.io/controller-uid", Meta.uid(job),
                "controller-uid", Meta.uid(job));
        ObjectNode pod =
            PodFactory.pod(
                job, spec.path("template"), name, labels, PodFactory.node(world.settings(), name));
        try {
          world.objects().create(pod, MANAGER);
          active++;
        } catch (SandboxApiException e) {
          world.enqueue(key);
          return;
        }
      }
    }
    JsonNode old = job.path("status");
    ObjectNode status = Meta.NODES.objectNode();
    String now = Meta.time(world.now());
    status.put(
        "startTime", old.path("startTime").asText(Meta.time(Meta.created(job, world.now()))));
    if (active > 0 && !complete) {
      status.put("active", active);
    }
    if (succeeded > 0) {
      status.put("succeeded", succeeded);
    }
    status.put("ready", complete ? 0 : ready);
    if (complete) {
      String completion = old.path("completionTime").asText(now);
      status.put("completionTime", completion);
      ArrayNode conditions = status.putArray("conditions");
      for (String type : List.of("SuccessCriteriaMet", "Complete")) {
        ObjectNode condition = conditions.addObject();
        condition.put("type", type);
        condition.put("status", "True");
        condition.put("lastProbeTime", completion);
        condition.put("lastTransitionTime", completion);
        if (type.equals("SuccessCriteriaMet")) {
          condition.put("reason", "CompletionsReached");
          condition.put("message", "Reached expected number of succeeded pods");
        }
      }
      if (!old.has("completionTime")) {
        world.emit(job, "job completed: " + succeeded + "/" + completions + " pods succeeded", "");
      }
    }
    world.writeStatus(job, status, MANAGER);
  }
}
