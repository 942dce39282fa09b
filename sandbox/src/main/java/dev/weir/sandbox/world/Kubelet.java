package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.Draws;
import dev.weir.sandbox.SandboxAnnotations;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet of the sandbox's virtual nodes: moves each pod through its life in sandbox time.
 *
 * <p>A pod is Pending ({@code ContainerCreating}) from its creation until its ready time — its
 * creation plus a start-up delay jittered by the seed and the pod's name, so the same pod becomes
 * Ready at the same time in every run and after a restart — then Running and Ready. A pod whose
 * template says {@code sandbox.weir.dev/crashloop: "true"} runs 5 s, crashes, and is restarted with
 * Kubernetes' back-off (10 s doubling to 5 min), never Ready; its {@code restartCount} grows. A
 * Job's pod succeeds after its run time. Every status is a pure function of the pod and the time,
 * so a pass is idempotent.
 */
final class Kubelet {
  static final String MANAGER = "kubelet";
  static final Duration CRASH_AFTER = Duration.ofSeconds(5);
  private static final Duration JOB_RUN = Duration.ofSeconds(10);

  private final WorldContext world;

  Kubelet(WorldContext world) {
    this.world = world;
  }

  void reconcile(WorkKey key) {
    Optional<ObjectNode> found = world.objects().get("v1", "Pod", key.namespace(), key.name());
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return;
    }
    ObjectNode pod = found.get();
    Instant now = world.now();
    Instant created = Meta.created(pod, now);
    Instant readyAt = readyAt(pod, created);
    String phase = pod.path("status").path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      return; // finished pods stay finished
    }
    if (phase.equals("Running") && now.isBefore(readyAt)) {
      // sandbox time went back (a sped-up run ended): a started pod does not un-start
      now = readyAt;
    }
    Map<String, String> annotations = Meta.annotations(pod);
    boolean job = Meta.controllerOwner(pod, "Job") != null;
    ObjectNode status;
    Instant next = null;
    if (now.isBefore(readyAt)) {
      status = status(pod, "Pending", created, null, Containers.CREATING, 0, null);
      next = readyAt;
    } else if (SandboxAnnotations.crashloop(annotations)) {
      Instant crash = readyAt.plus(CRASH_AFTER);
      int crashes = 0;
      Instant lastCrash = null;
      while (!crash.isAfter(now)) {
        crashes++;
        lastCrash = crash;
        crash = crash.plus(backOff(crashes)).plus(CRASH_AFTER);
      }
      status =
          status(
              pod,
              "Running",
              created,
              readyAt,
              crashes == 0 ? Containers.RUNNING_UNREADY : Containers.BACK_OFF,
              crashes,
              lastCrash);
      next = crash;
      int before =
          pod.path("status").path("containerStatuses").path(0).path("restartCount").asInt(0);
      if (crashes < before) {
        world.wakeAt(key, crash); // sandbox time went back: restarts never decrease
        return;
      }
      if (crashes > before) {
        world.emit(
            pod,
            "container crashed, back-off "
                + backOff(crashes).toSeconds()
                + "s restarting (restart "
                + crashes
                + ")",
            "CrashLoopBackOff: " + SandboxAnnotations.CRASHLOOP);
      }
    } else if (job) {
      Instant finish =
          readyAt.plus(
              SandboxAnnotations.duration(annotations.get(SandboxAnnotations.JOB_DURATION))
                  .orElse(JOB_RUN));
      if (now.isBefore(finish)) {
        status = status(pod, "Running", created, readyAt, Containers.RUNNING, 0, null);
        next = finish;
      } else {
        status = status(pod, "Succeeded", created, readyAt, Containers.COMPLETED, 0, finish);
      }
    } else {
      status = status(pod, "Running", created, readyAt, Containers.RUNNING, 0, null);
    }
    world.writeStatus(pod, status, MANAGER);
    if (next != null) {
      world.wakeAt(key, next);
    }
  }

  /** When the pod becomes Ready (its containers start): creation plus the jittered delay. */
  Instant readyAt(JsonNode pod, Instant created) {
    WorldSettings settings = world.settings();
    Duration base =
        SandboxAnnotations.duration(Meta.annotations(pod).get(SandboxAnnotations.STARTUP_DELAY))
            .orElse(settings.podStartup());
    double u =
        Draws.unit(
            Draws.hash(settings.seed(), Meta.namespace(pod), Meta.name(pod), created.toString()));
    double factor = 1 + settings.startupJitter() * (2 * u - 1);
    return created.plusMillis(Math.round(base.toMillis() * factor));
  }

  /** Kubernetes' crash back-off after {@code crashes} crashes: 10 s doubling, at most 5 min. */
  static Duration backOff(int crashes) {
    long seconds = 10L << Math.min(Math.max(crashes - 1, 0), 5);
    return Duration.ofSeconds(Math.min(seconds, 300));
  }

  private enum Containers {
    CREATING,
    RUNNING,
    RUNNING_UNREADY,
    BACK_OFF,
    COMPLETED
  }

  private ObjectNode status(
      ObjectNode pod,
      String phase,
      Instant created,
      Instant started,
      Containers containers,
      int restarts,
      Instant finished) {
    boolean ready = containers == Containers.RUNNING;
    ObjectNode status = Meta.NODES.objectNode();
    status.put("phase", phase);
    ArrayNode conditions = status.putArray("conditions");
    String since = Meta.time(started == null ? created : started);
    if (started != null) {
      condition(conditions, "PodReadyToStartContainers", true, since, null);
      condition(conditions, "Initialized", true, Meta.time(created), null);
      String reason =
          containers == Containers.COMPLETED ? "PodCompleted" : ready ? null : "ContainersNotReady";
      String readySince = containers == Containers.COMPLETED ? Meta.time(finished) : since;
      condition(conditions, "Ready", ready, readySince, reason);
      condition(conditions, "ContainersReady", ready, readySince, reason);
    }
    condition(conditions, "PodScheduled", true, Meta.time(created), null);
    long h = Draws.hash(0, Meta.namespace(pod), Meta.name(pod));
    String node = pod.path("spec").path("nodeName").asText("sandbox-node-1");
    status.put("hostIP", "172.18.0." + (2 + nodeIndex(node)));
    if (started != null) {
      String ip = "10.244." + ((h >>> 8) & 0xFF) + "." + (1 + (h & 0x7F));
      status.put("podIP", ip);
      status.putArray("podIPs").addObject().put("ip", ip);
      status.put("startTime", Meta.time(created));
    }
    ArrayNode statuses = status.putArray("containerStatuses");
    for (JsonNode container : pod.path("spec").path("containers")) {
      ObjectNode entry = statuses.addObject();
      String name = container.path("name").asText();
      entry.put("name", name);
      String image = container.path("image").asText();
      entry.put("image", image);
      // written even when empty, as the kubelet does (client-java's model requires it)
      boolean pulled = started != null;
      entry.put("imageID", pulled ? imageId(image) : "");
      if (pulled) {
        entry.put(
            "containerID",
            "containerd://" + String.format("%016x", Draws.hash(0, Meta.uid(pod), name)).repeat(4));
      }
      entry.put("ready", ready);
      entry.put("restartCount", restarts);
      entry.put(
          "started", containers == Containers.RUNNING || containers == Containers.RUNNING_UNREADY);
      ObjectNode state = entry.putObject("state");
      switch (containers) {
        case CREATING -> state.putObject("waiting").put("reason", "ContainerCreating");
        case RUNNING, RUNNING_UNREADY -> state.putObject("running").put("startedAt", since);
        case BACK_OFF -> {
          state
              .putObject("waiting")
              .put("reason", "CrashLoopBackOff")
              .put(
                  "message",
                  "back-off "
                      + backOff(restarts).toSeconds()
                      + "s restarting failed container="
                      + name
                      + " pod="
                      + Meta.name(pod)
                      + "_"
                      + Meta.namespace(pod)
                      + "("
                      + Meta.uid(pod)
                      + ")");
          ObjectNode terminated = entry.putObject("lastState").putObject("terminated");
          terminated.put("exitCode", 1);
          terminated.put("reason", "Error");
          terminated.put("finishedAt", Meta.time(finished));
        }
        case COMPLETED -> {
          ObjectNode terminated = state.putObject("terminated");
          terminated.put("exitCode", 0);
          terminated.put("reason", "Completed");
          terminated.put("startedAt", since);
          terminated.put("finishedAt", Meta.time(finished));
        }
      }
    }
    status.put("qosClass", "Burstable");
    return status;
  }

  /** A simulated image ID: the repository and a digest derived from the image reference. */
  private static String imageId(String image) {
    String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = repository.lastIndexOf(':');
    if (colon > repository.lastIndexOf('/')) {
      repository = repository.substring(0, colon);
    }
    return repository + "@sha256:" + String.format("%016x", Draws.hash(0, image)).repeat(4);
  }

  private static int nodeIndex(String node) {
    int dash = node.lastIndexOf('-');
    try {
      return Integer.parseInt(node.substring(dash + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void condition(
      ArrayNode conditions, String type, boolean value, String since, String reason) {
    ObjectNode condition = conditions.addObject();
    condition.put("type", type);
    condition.put("status", value ? "True" : "False");
    condition.put("lastTransitionTime", since);
    if (reason != null) {
      condition.put("reason", reason);
    }
  }

  /** Whether a pod is Ready (its Ready condition is True). */
  static boolean ready(JsonNode pod) {
    JsonNode condition = Meta.condition(pod.path("status"), "Ready");
    return condition != null && condition.path("status").asText().equals("True");
  }

  /** Whether a pod has finished (Succeeded or Failed). */
  static boolean finished(JsonNode pod) {
    String phase = pod.path("status").path("phase").asText();
    return phase.equals("Succeeded") || phase.equals("Failed");
  }
}
