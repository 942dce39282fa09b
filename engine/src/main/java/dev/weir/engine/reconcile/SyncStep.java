package dev.weir.engine.reconcile;

import dev.weir.engine.model.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One step of a {@link SyncPlan}: apply an object, prune one, or skip one with a reason. */
public sealed interface SyncStep
    permits SyncStep.Apply, SyncStep.Prune, SyncStep.Skip, SyncStep.Hook {

  ResourceKey key();

  /** One line for people, e.g. {@code create apps/Deployment shop/web (wave 0)}. */
  String describe();

  /**
   * Server-side apply {@code object}.
   *
   * @param group the wave group: steps of one group are applied together, and the next group waits
   *     until they are healthy
   * @param wave the {@code weir.dev/sync-wave} annotation's value (0 when absent)
   * @param create whether the object is missing in the cluster
   * @param object what is applied (Git's object with Weir's tracking label and annotation)
   * @param keepLive JSON pointers of hotfixed fields: their cluster values are applied instead of
   *     Git's
   */
  record Apply(
      ResourceKey key,
      int group,
      int wave,
      boolean create,
      Map<String, Object> object,
      List<String> keepLive)
      implements SyncStep {
    public Apply {
      Objects.requireNonNull(key, "key");
      object = dev.weir.engine.model.Manifest.freeze(object);
      keepLive = List.copyOf(keepLive);
    }

    /** Never the object, which may hold a Secret's values. */
    @Override
    public String toString() {
      return describe();
    }

    @Override
    public String describe() {
      return (create ? "create " : "update ")
          + key
          + " (wave "
          + wave
          + ")"
          + (keepLive.isEmpty() ? "" : ", keeping hotfixed " + String.join(", ", keepLive));
    }
  }

  /**
   * Run an Argo CD hook in its phase ({@code argocd.argoproj.io/hook}): created anew (a {@code
   * generateName} gets its name then), waited for (a Job until it completes), and deleted as its
   * {@code hook-delete-policy} says. Hooks are not tracked, so never pruned.
   *
   * @param phase when it runs
   * @param wave its wave within the phase
   * @param object what is applied (Git's object)
   * @param deletePolicies when it is deleted
   */
  record Hook(
      ResourceKey key,
      ArgoAnnotations.HookPhase phase,
      int wave,
      Map<String, Object> object,
      java.util.Set<ArgoAnnotations.DeletePolicy> deletePolicies)
      implements SyncStep {
    public Hook {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(phase, "phase");
      object = dev.weir.engine.model.Manifest.freeze(object);
      deletePolicies = java.util.Set.copyOf(deletePolicies);
    }

    /** Never the object. */
    @Override
    public String toString() {
      return describe();
    }

    @Override
    public String describe() {
      return "hook " + phase.word() + " " + key + " (wave " + wave + ")";
    }
  }

  /** Delete a tracked object that left Git. */
  record Prune(ResourceKey key) implements SyncStep {
    @Override
    public String describe() {
      return "prune " + key;
    }
  }

  /** Leave an object alone, and why. */
  record Skip(ResourceKey key, Reason reason, String detail) implements SyncStep {
    public Skip {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
      detail = detail == null ? "" : detail;
    }

    @Override
    public String describe() {
      return "skip " + key + ": " + (detail.isEmpty() ? reason.text : detail);
    }
  }

  /** Why an object is left alone. */
  enum Reason {
    IN_SYNC("in sync"),
    HOTFIX("hotfix: left as it is in the cluster"),
    PRUNE_DISABLED("not in Git; prune is off"),
    PRUNE_NEEDS_CONFIRMATION("not in Git; the prune needs a confirmation"),
    BEING_DELETED("being deleted"),
    PRUNE_FALSE("not in Git; argocd.argoproj.io/sync-options: Prune=false keeps it"),
    ROLLOUT("made by a rollout: left to the rollout, never pruned");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }
}
