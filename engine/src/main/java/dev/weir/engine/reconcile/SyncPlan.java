package dev.weir.engine.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a sync would do, decided purely ({@link SyncPlanner}) and carried out by a {@link
 * SyncExecutor}: applies in wave order, then prunes, and the objects left alone with the reason. A
 * plan with blockers does nothing at all. Immutable.
 *
 * @param application the application's name
 * @param revision the Git revision synced to
 * @param request what was asked
 * @param steps applies (by wave group), then prunes, then skips
 * @param blockers why nothing may be done (a failed or empty render, a freeze …); empty when the
 *     plan may run
 * @param confirmation when not empty, what a person must confirm before the prunes run (they are
 *     skipped until then)
 */
public record SyncPlan(
    String application,
    String revision,
    SyncRequest request,
    List<SyncStep> steps,
    List<String> blockers,
    String confirmation) {

  public SyncPlan {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(request, "request");
    steps = List.copyOf(steps);
    blockers = List.copyOf(blockers);
    confirmation = confirmation == null ? "" : confirmation;
  }

  public boolean blocked() {
    return !blockers.isEmpty();
  }

  public List<SyncStep.Apply> applies() {
    return steps.stream()
        .filter(s -> s instanceof SyncStep.Apply)
        .map(s -> (SyncStep.Apply) s)
        .toList();
  }

  public List<SyncStep.Prune> prunes() {
    return steps.stream()
        .filter(s -> s instanceof SyncStep.Prune)
        .map(s -> (SyncStep.Prune) s)
        .toList();
  }

  /** The hooks of {@code phase}, in wave order. */
  public List<SyncStep.Hook> hooks(ArgoAnnotations.HookPhase phase) {
    return steps.stream()
        .filter(s -> s instanceof SyncStep.Hook h && h.phase() == phase)
        .map(s -> (SyncStep.Hook) s)
        .toList();
  }

  public List<SyncStep.Skip> skips() {
    return steps.stream()
        .filter(s -> s instanceof SyncStep.Skip)
        .map(s -> (SyncStep.Skip) s)
        .toList();
  }

  /** Whether the plan changes anything. */
  public boolean hasWork() {
    return !blocked() && (!applies().isEmpty() || !prunes().isEmpty());
  }

  /** One line per step, blockers first, for {@code weir sync --dry-run}. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    blockers.forEach(b -> lines.add("blocked: " + b));
    if (!confirmation.isEmpty()) {
      lines.add("needs confirmation: " + confirmation);
    }
    steps.forEach(s -> lines.add(s.describe()));
    return lines;
  }
}
