package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The Deployment controller, simply: one ReplicaSet per pod template ({@code <name>-<hash>}, labels
 * and selector with {@code pod-template-hash}, annotation {@code deployment.kubernetes.io/revision}
 * raised when a template becomes current again), rolled by {@code RollingUpdate} (maxSurge and
 * maxUnavailable, 25 % each by default, as integers or percentages) or {@code Recreate}; old
 * ReplicaSets beyond {@code revisionHistoryLimit} (default 10) are deleted; a paused Deployment
 * only has its status updated.
 *
 * <p>Design note: like the real controller this is level-based — each pass reads the Deployment,
 * its ReplicaSets and their status, decides the replica count of every ReplicaSet from the current
 * picture alone ({@link #plan}), writes the differences, and writes {@code status} with {@code
 * Available} and {@code Progressing} conditions. Progress is made as the ReplicaSet controller and
 * the kubelet report pods Ready; a rollout with no progress for {@code progressDeadlineSeconds}
 * (default 600) gets {@code Progressing=False ProgressDeadlineExceeded}. Proportional scaling of a
 * resized Deployment in mid-rollout is not modelled: the new ReplicaSet absorbs the change.
 */
final class DeploymentController {
  static final String MANAGER = "kube-controller-manager";
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String HASH_LABEL = "pod-template-hash";

  private final WorldContext world;

  DeploymentController(WorldContext world) {
    this.world = world;
  }

  /** One ReplicaSet as the plan sees it. */
  record Set(String name, long revision, int replicas, int current, int available, boolean isNew) {}

  /** Replica counts per ReplicaSet name, in the order given. */
  record Plan(List<Integer> replicas) {}

  void reconcile(WorkKey key) {
    Optional<ObjectNode> found =
        world.objects().get("apps/v1", "Deployment", key.namespace(), key.name());
    if (found.isEmpty() || Meta.deleting(found.get())) {
      return;
    }
    ObjectNode deployment = found.get();
    JsonNode spec = deployment.path("spec");
    JsonNode template = spec.path("template");
    String hash = TemplateHash.of(template);
    int replicas = Meta.intOr(spec.get("replicas"), 1);
    List<ObjectNode> owned = new ArrayList<>();
    for (ObjectNode rs :
        world
            .objects()
            .listOwnedBy("apps/v1", "ReplicaSet", key.namespace(), Meta.uid(deployment))) {
      if (!Meta.deleting(rs)) {
        owned.add(rs);
      }
    }
    owned.sort(Comparator.comparingLong(DeploymentController::revision));
    long maxRevision = owned.stream().mapToLong(DeploymentController::revision).max().orElse(0);
    ObjectNode newSet =
        owned.stream()
            .filter(rs -> hash.equals(Meta.labels(rs).get(HASH_LABEL)))
            .findFirst()
            .orElse(null);
    boolean paused = spec.path("paused").asBoolean(false);
    boolean recreate =
        spec.path("strategy").path("type").asText("RollingUpdate").equals("Recreate");
    int surge =
        recreate
            ? 0
            : bound(spec.path("strategy").path("rollingUpdate").get("maxSurge"), replicas, true);
    int unavailable =
        recreate
            ? replicas
            : bound(
                spec.path("strategy").path("rollingUpdate").get("maxUnavailable"), replicas, false);
    if (!recreate && surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    String created = null;
    if (!paused) {
      if (newSet == null) {
        try {
          newSet =
              world
                  .objects()
                  .create(
                      newReplicaSet(deployment, hash, maxRevision + 1, replicas, surge), MANAGER);
        } catch (SandboxApiException e) {
          world.enqueue(key);
          return;
        }
        created = Meta.name(newSet);
        owned.add(newSet);
        world.emit(
            deployment,
            "created replica set " + created,
            "new pod template, revision " + (maxRevision + 1));
      } else if (revision(newSet) < maxRevision) {
        newSet = setRevision(newSet, maxRevision + 1);
        world.emit(
            deployment,
            "rolled back to replica set " + Meta.name(newSet),
            "the pod template of an older revision became current: revision " + (maxRevision + 1));
        owned.sort(Comparator.comparingLong(DeploymentController::revision));
      }
      String newName = Meta.name(newSet);
      List<Set> sets = new ArrayList<>();
      for (ObjectNode rs : owned) {
        sets.add(
            new Set(
                Meta.name(rs),
                revision(rs),
                Meta.intOr(rs.path("spec").get("replicas"), 0),
                Meta.intOr(rs.path("status").get("replicas"), 0),
                Meta.intOr(rs.path("status").get("availableReplicas"), 0),
                Meta.name(rs).equals(newName)));
      }
      Plan plan = plan(sets, replicas, surge, unavailable, recreate);
      for (int i = 0; i < owned.size(); i++) {
        int target = plan.replicas().get(i);
        Set set = sets.get(i);
        if (target != set.replicas()) {
          boolean rolling = sets.stream().anyMatch(o -> !o.isNew() && o.replicas() > 0);
          scale(deployment, owned.get(i), target, set.isNew(), rolling);
        }
      }
      cleanUp(deployment, owned, sets, plan);
    }
    writeStatus(deployment, owned, newSet, replicas, unavailable, created, paused);
  }

  /**
   * The replica count of every ReplicaSet for one pass, from the current picture alone: the new one
   * grows while the total stays within {@code replicas + surge}; old ones shrink, oldest first, as
   * far as keeping {@code replicas - unavailable} pods available allows (not-available pods of old
   * sets go first). {@code Recreate} empties the old sets and grows the new one once their pods are
   * gone.
   *
   * <p>Worked example: 4 replicas, surge 1, unavailable 1, old set 4/4 available, new set created
   * with 0. First pass: new 0→1 (total 5 ≤ 5); old may lose {@code 5 - 3 - 1 (new unavailable)} = 1
   * → 3. When the new pod is available: new 1→2, old 3→2, and so on until new 4, old 0.
   */
  static Plan plan(List<Set> sets, int replicas, int surge, int unavailable, boolean recreate) {
    List<Integer> target = new ArrayList<>();
    sets.forEach(s -> target.add(s.replicas()));
    int newIndex = -1;
    for (int i = 0; i < sets.size(); i++) {
      if (sets.get(i).isNew()) {
        newIndex = i;
      }
    }
    if (newIndex < 0) {
      return new Plan(target);
    }
    Set newSet = sets.get(newIndex);
    if (recreate) {
      boolean oldGone = true;
      for (int i = 0; i < sets.size(); i++) {
        if (i != newIndex) {
          target.set(i, 0);
          oldGone &= sets.get(i).current() == 0;
        }
      }
      target.set(newIndex, oldGone ? replicas : newSet.replicas());
      return new Plan(target);
    }
    int oldTotal = 0;
    for (int i = 0; i < sets.size(); i++) {
      if (i != newIndex) {
        oldTotal += sets.get(i).replicas();
      }
    }
    int newReplicas = newSet.replicas();
    if (oldTotal == 0) {
      newReplicas = replicas;
    } else if (newReplicas < replicas) {
      int room = replicas + surge - oldTotal - newReplicas;
      newReplicas += Math.max(0, Math.min(room, replicas - newReplicas));
    } else if (newReplicas > replicas) {
      newReplicas = replicas;
    }
    target.set(newIndex, newReplicas);
    if (oldTotal == 0) {
      return new Plan(target);
    }
    int minAvailable = replicas - unavailable;
    int newUnavailable = Math.max(0, newReplicas - newSet.available());
    int maxScaleDown = oldTotal + newReplicas - minAvailable - newUnavailable;
    // not-available pods of old sets first: removing them costs no availability
    for (int i = 0; i < sets.size() && maxScaleDown > 0; i++) {
      if (i == newIndex) {
        continue;
      }
      int unhealthy = Math.max(0, target.get(i) - sets.get(i).available());
      int cut = Math.min(unhealthy, maxScaleDown);
      target.set(i, target.get(i) - cut);
      maxScaleDown -= cut;
    }
    int available = 0;
    for (int i = 0; i < sets.size(); i++) {
      available += Math.min(sets.get(i).available(), target.get(i));
    }
    int canRemove = Math.min(maxScaleDown, available - minAvailable);
    for (int i = 0; i < sets.size() && canRemove > 0; i++) {
      if (i == newIndex) {
        continue;
      }
      int cut = Math.min(target.get(i), canRemove);
      target.set(i, target.get(i) - cut);
      canRemove -= cut;
    }
    return new Plan(target);
  }

  private ObjectNode newReplicaSet(
      ObjectNode deployment, String hash, long revision, int replicas, int surge) {
    ObjectNode rs = Meta.NODES.objectNode();
    rs.put("apiVersion", "apps/v1");
    rs.put("kind", "ReplicaSet");
    ObjectNode metadata = rs.putObject("metadata");
    metadata.put("name", Meta.name(deployment) + "-" + hash);
    metadata.put("namespace", Meta.namespace(deployment));
    ObjectNode template = deployment.path("spec").path("template").deepCopy();
    ObjectNode templateLabels = Meta.child(Meta.child(template, "metadata"), "labels");
    templateLabels.put(HASH_LABEL, hash);
    metadata.set("labels", templateLabels.deepCopy());
    ObjectNode annotations = metadata.putObject("annotations");
    Meta.annotations(deployment)
        .forEach(
            (k, v) -> {
              if (!k.equals("kubectl.kubernetes.io/last-applied-configuration")
                  && !k.equals(REVISION)) {
                annotations.put(k, v);
              }
            });
    annotations.put(REVISION, Long.toString(revision));
    annotations.put("deployment.kubernetes.io/desired-replicas", Integer.toString(replicas));
    annotations.put("deployment.kubernetes.io/max-replicas", Integer.toString(replicas + surge));
    metadata.set("ownerReferences", Meta.ownedBy(deployment));
    ObjectNode spec = rs.putObject("spec");
    spec.put("replicas", 0);
    ObjectNode selector = deployment.path("spec").path("selector").deepCopy();
    Meta.child(selector, "matchLabels").put(HASH_LABEL, hash);
    spec.set("selector", selector);
    spec.set("template", template);
    return rs;
  }

  private ObjectNode setRevision(ObjectNode rs, long revision) {
    ObjectNode patch = Meta.NODES.objectNode();
    patch.putObject("metadata").putObject("annotations").put(REVISION, Long.toString(revision));
    return world
        .objects()
        .mergePatch("apps/v1", "ReplicaSet", Meta.namespace(rs), Meta.name(rs), patch, MANAGER);
  }

  private void scale(
      ObjectNode deployment, ObjectNode rs, int replicas, boolean isNew, boolean rolling) {
    int from = Meta.intOr(rs.path("spec").get("replicas"), 0);
    ObjectNode patch = Meta.NODES.objectNode();
    patch.putObject("spec").put("replicas", replicas);
    ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
    int desired = Meta.intOr(deployment.path("spec").get("replicas"), 1);
    annotations.put("deployment.kubernetes.io/desired-replicas", Integer.toString(desired));
    world
        .objects()
        .mergePatch("apps/v1", "ReplicaSet", Meta.namespace(rs), Meta.name(rs), patch, MANAGER);
    world.emit(
        deployment,
        "scaled "
            + (replicas > from ? "up" : "down")
            + " replica set "
            + Meta.name(rs)
            + " from "
            + from
            + " to "
            + replicas,
        isNew && rolling
            ? "rolling out revision " + revision(rs)
            : isNew ? "the Deployment's replicas are " + desired : "replaced by the new revision");
  }

  private void cleanUp(ObjectNode deployment, List<ObjectNode> owned, List<Set> sets, Plan plan) {
    int limit = Meta.intOr(deployment.path("spec").get("revisionHistoryLimit"), 10);
    List<ObjectNode> empty = new ArrayList<>();
    for (int i = 0; i < owned.size(); i++) {
      if (!sets.get(i).isNew() && plan.replicas().get(i) == 0 && sets.get(i).current() == 0) {
        empty.add(owned.get(i));
      }
    }
    for (int i = 0; i < empty.size() - limit; i++) {
      ObjectNode rs = empty.get(i);
      world.objects().delete("apps/v1", "ReplicaSet", Meta.namespace(rs), Meta.name(rs));
    }
  }

  private void writeStatus(
      ObjectNode deployment,
      List<ObjectNode> owned,
      ObjectNode newSet,
      int replicas,
      int unavailable,
      String created,
      boolean paused) {
    int total = 0;
    int ready = 0;
    int available = 0;
    for (ObjectNode rs : owned) {
      total += Meta.intOr(rs.path("status").get("replicas"), 0);
      ready += Meta.intOr(rs.path("status").get("readyReplicas"), 0);
      available += Meta.intOr(rs.path("status").get("availableReplicas"), 0);
    }
    int updated = newSet == null ? 0 : Meta.intOr(newSet.path("status").get("replicas"), 0);
    int newAvailable =
        newSet == null ? 0 : Meta.intOr(newSet.path("status").get("availableReplicas"), 0);
    JsonNode old = deployment.path("status");
    ObjectNode status = Meta.NODES.objectNode();
    status.put("observedGeneration", Meta.generation(deployment));
    putPositive(status, "replicas", total);
    putPositive(status, "updatedReplicas", updated);
    putPositive(status, "readyReplicas", ready);
    putPositive(status, "availableReplicas", available);
    putPositive(status, "unavailableReplicas", Math.max(0, replicas - available));
    Instant now = world.now();
    String nowText = Meta.time(now);
    ArrayNode conditions = status.putArray("conditions");
    boolean minimum = available >= replicas - unavailable;
    condition(
        conditions,
        old,
        "Available",
        minimum ? "True" : "False",
        minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        minimum
            ? "Deployment has minimum availability."
            : "Deployment does not have minimum availability.",
        nowText,
        false);
    String newName = newSet == null ? "" : Meta.name(newSet);
    boolean complete =
        newSet != null && updated == replicas && newAvailable == replicas && total == replicas;
    ObjectNode previous = Meta.condition(old, "Progressing");
    String reason;
    String message;
    String progressing = "True";
    boolean progressed =
        updated != Meta.intOr(old.get("updatedReplicas"), 0)
            || available != Meta.intOr(old.get("availableReplicas"), 0)
            || ready != Meta.intOr(old.get("readyReplicas"), 0);
    if (paused) {
      reason = "DeploymentPaused";
      message = "Deployment is paused";
      progressing = "Unknown";
    } else if (complete) {
      reason = "NewReplicaSetAvailable";
      message = "ReplicaSet \"" + newName + "\" has successfully progressed.";
    } else if (created != null) {
      reason = "NewReplicaSetCreated";
      message = "Created new replica set \"" + newName + "\"";
    } else {
      reason = "ReplicaSetUpdated";
      message = "ReplicaSet \"" + newName + "\" is progressing.";
    }
    int deadlineSeconds = Meta.intOr(deployment.path("spec").get("progressDeadlineSeconds"), 600);
    if (!paused && !complete) {
      Instant lastUpdate =
          progressed || created != null || previous == null
              ? now
              : Meta.parseTime(previous.get("lastUpdateTime"), now);
      Instant deadline = lastUpdate.plus(Duration.ofSeconds(deadlineSeconds));
      boolean alreadyExceeded =
          previous != null && previous.path("reason").asText().equals("ProgressDeadlineExceeded");
      if (!progressed && (alreadyExceeded || !now.isBefore(deadline))) {
        reason = "ProgressDeadlineExceeded";
        message = "ReplicaSet \"" + newName + "\" has timed out progressing.";
        progressing = "False";
        if (!alreadyExceeded) {
          world.emit(
              deployment,
              "rollout stalled: " + message,
              "no progress for " + deadlineSeconds + "s (progressDeadlineSeconds)");
        }
      } else {
        world.wakeAt(
            new WorkKey(WorkKey.Kind.DEPLOYMENT, Meta.namespace(deployment), Meta.name(deployment)),
            deadline);
      }
    }
    boolean keepTimes = !progressed && created == null;
    condition(conditions, old, "Progressing", progressing, reason, message, nowText, !keepTimes);
    if (complete
        && previous != null
        && !previous.path("reason").asText().equals("NewReplicaSetAvailable")) {
      world.emit(
          deployment,
          replicas
              + "/"
              + replicas
              + " pods available: replica set "
              + newName
              + " has successfully progressed",
          "revision " + revision(newSet));
    }
    world.writeStatus(deployment, status, MANAGER);
  }

  private static void condition(
      ArrayNode conditions,
      JsonNode oldStatus,
      String type,
      String statusText,
      String reason,
      String message,
      String now,
      boolean touched) {
    ObjectNode previous = Meta.condition(oldStatus, type);
    ObjectNode condition = conditions.addObject();
    condition.put("type", type);
    condition.put("status", statusText);
    boolean same =
        previous != null
            && previous.path("status").asText().equals(statusText)
            && previous.path("reason").asText().equals(reason)
            && previous.path("message").asText().equals(message);
    boolean sameStatus = previous != null && previous.path("status").asText().equals(statusText);
    condition.put(
        "lastUpdateTime", same && !touched ? previous.path("lastUpdateTime").asText(now) : now);
    condition.put(
        "lastTransitionTime", sameStatus ? previous.path("lastTransitionTime").asText(now) : now);
    condition.put("reason", reason);
    condition.put("message", message);
  }

  private static void putPositive(ObjectNode status, String field, int value) {
    if (value > 0) {
      status.put(field, value);
    }
  }

  static long revision(JsonNode rs) {
    try {
      return Long.parseLong(Meta.annotations(rs).getOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * maxSurge (rounded up) or maxUnavailable (rounded down), an int or a percentage; 25 % default.
   */
  static int bound(JsonNode value, int replicas, boolean roundUp) {
    if (value != null && value.canConvertToInt()) {
      return Math.max(0, value.asInt());
    }
    String text = value != null && value.isTextual() ? value.asText().trim() : "25%";
    try {
      double percent =
          Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
      double exact = replicas * percent / 100;
      return (int) Math.max(0, roundUp ? Math.ceil(exact) : Math.floor(exact));
    } catch (NumberFormatException e) {
      return roundUp ? (int) Math.ceil(replicas * 0.25) : (int) Math.floor(replicas * 0.25);
    }
  }
}
