package dev.weir.engine.reconcile;

import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.rollout.RolloutOwnership;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@link SyncPlanner#plan} decides from. Immutable.
 *
 * @param application the application
 * @param revision the revision being synced to
 * @param renderProblems the problems of the latest render of {@code revision}; not empty means it
 *     failed, and nothing may be applied or pruned
 * @param desired the desired state at {@code revision}; empty when the render failed
 * @param diff Git against the cluster, with tracked leftovers as {@code EXTRA}
 * @param trackedLive every object in the cluster tracked as this application's
 * @param deleting objects in the cluster being deleted already
 * @param hotfixes the application's hotfixes (expired ones are ignored)
 * @param freeze the application's (or everyone's) freeze, if any
 * @param now the time of the decision
 * @param request what was asked
 * @param rollouts what the application's rollouts own: their fields are kept as they are in the
 *     cluster when an existing object is applied, and their objects are never pruned
 * @param noPrune live objects that say {@code argocd.argoproj.io/sync-options: Prune=false}
 * @param missingNamespaces namespaces the desired objects go to that the cluster does not have
 */
public record PlanInput(
    Application application,
    String revision,
    List<String> renderProblems,
    Optional<DesiredState> desired,
    ApplicationDiff diff,
    Set<ResourceKey> trackedLive,
    Set<ResourceKey> deleting,
    List<Hotfix> hotfixes,
    Optional<Freeze> freeze,
    Instant now,
    SyncRequest request,
    RolloutOwnership rollouts,
    Set<ResourceKey> noPrune,
    Set<String> missingNamespaces) {

  /** An input without objects kept from prunes, every namespace there. */
  public PlanInput(
      Application application,
      String revision,
      List<String> renderProblems,
      Optional<DesiredState> desired,
      ApplicationDiff diff,
      Set<ResourceKey> trackedLive,
      Set<ResourceKey> deleting,
      List<Hotfix> hotfixes,
      Optional<Freeze> freeze,
      Instant now,
      SyncRequest request,
      RolloutOwnership rollouts) {
    this(
        application,
        revision,
        renderProblems,
        desired,
        diff,
        trackedLive,
        deleting,
        hotfixes,
        freeze,
        now,
        request,
        rollouts,
        Set.of(),
        Set.of());
  }

  /** An input for an application without rollouts. */
  public PlanInput(
      Application application,
      String revision,
      List<String> renderProblems,
      Optional<DesiredState> desired,
      ApplicationDiff diff,
      Set<ResourceKey> trackedLive,
      Set<ResourceKey> deleting,
      List<Hotfix> hotfixes,
      Optional<Freeze> freeze,
      Instant now,
      SyncRequest request) {
    this(
        application,
        revision,
        renderProblems,
        desired,
        diff,
        trackedLive,
        deleting,
        hotfixes,
        freeze,
        now,
        request,
        RolloutOwnership.of(List.of()));
  }

  public PlanInput {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    renderProblems = List.copyOf(renderProblems);
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(diff, "diff");
    trackedLive = Set.copyOf(trackedLive);
    deleting = Set.copyOf(deleting);
    hotfixes = List.copyOf(hotfixes);
    Objects.requireNonNull(freeze, "freeze");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(rollouts, "rollouts");
    noPrune = Set.copyOf(noPrune);
    missingNamespaces = Set.copyOf(missingNamespaces);
  }

  /** Never the desired objects, which may hold a Secret's values. */
  @Override
  public String toString() {
    return "PlanInput[" + application.name() + " at " + revision + ", " + request + "]";
  }
}
