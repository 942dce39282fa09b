package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.IgnoreRules;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.rollout.RolloutOwnership;
import dev.weir.engine.rollout.RolloutSpec;
import dev.weir.engine.rollout.RolloutSpecParser;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Compares and syncs applications against one cluster: reads the application's kept state (freeze,
 * pin, hotfixes, inventory), compares, plans purely ({@link SyncPlanner}), takes the application's
 * Lease, executes ({@link SyncExecutor}), and keeps the result.
 *
 * <p>Leases: {@code weir-app-NAME} (coordination.k8s.io/v1) in the application's namespace, held
 * for the duration of a sync (and renewed by whoever holds it longer, e.g. {@code weir reconcile
 * --watch}); a sync finding it held by someone else is refused, naming the holder and the expiry.
 * Dry runs need no Lease.
 *
 * <p>Rollouts: while the rollout engine has a Rollout's Deployment in hand ({@link #rollouts}), the
 * Rollout owns fields and objects ({@link RolloutOwnership}); the comparison ignores those fields
 * and those objects, and a sync keeps the cluster's values of those fields on objects that exist
 * and never prunes those objects. A new pod template in Git thus reaches an engaged Deployment
 * through its rollout, never through a sync or self-heal.
 *
 * <p>Thread-safe; blocking. One sync per application at a time is the Lease's job, not this
 * class's.
 */
public final class Reconciler {

  /**
   * @param leaseDuration how long a Lease is valid without renewal
   * @param execution wave timeouts and health polling
   */
  public record Options(Duration leaseDuration, SyncExecutor.Options execution) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(30), SyncExecutor.Options.defaults());
    }
  }

  private final ClusterGateway gateway;
  private final EngineClock clock;
  private final String holder;
  private final Options options;
  private final ApplicationComparer comparer;
  private final ApplicationStateStore store;

  /**
   * @param holder who this is, for Leases and records: e.g. {@code alice@bastion (console)}
   */
  public Reconciler(ClusterGateway gateway, EngineClock clock, String holder, Options options) {
    this.gateway = gateway;
    this.clock = clock;
    this.holder = holder;
    this.options = options;
    this.comparer = new ApplicationComparer(gateway);
    this.store = new ApplicationStateStore(gateway);
  }

  public ClusterGateway gateway() {
    return gateway;
  }

  public String holder() {
    return holder;
  }

  public ApplicationStateStore store() {
    return store;
  }

  public static String leaseName(Application application) {
    return "weir-app-" + application.name();
  }

  /** The kept state of {@code application}, with the freeze of all applications folded in. */
  public ApplicationState state(Application application) {
    ApplicationState state = store.load(application);
    if (state.activeFreeze(clock.instant()).isEmpty()) {
      Optional<Freeze> global = store.loadGlobalFreeze().filter(f -> f.activeAt(clock.instant()));
      if (global.isPresent()) {
        state = state.withFreeze(global);
      }
    }
    return state;
  }

  /** Git against the cluster for a desired state, given the application's kept state. */
  public Comparison compare(DesiredState desired, ApplicationState state, LiveSource live) {
    RolloutOwnership rollouts = rollouts(desired);
    return comparer.compare(
        desired,
        live,
        state.inventory(),
        rules(desired.application(), state).with(rollouts.asIgnoreDifferences()),
        rollouts::ownsObject);
  }

  /**
   * What the Rollouts of {@code desired} own now: for each Rollout the rollout engine has in hand
   * ({@link RolloutExecutor#engaged}: a canary or preview runs, is paused or was aborted, or a
   * rollout of Git's new template is due), the difference between Git's template and the stable
   * Deployment, the weights and selectors it sets, and the objects it makes are its own: not
   * drift, never synced over nor pruned. Invalid Rollouts own nothing (their errors are reported by
   * the rollout engine). Reads each Rollout's recorded state from the cluster.
   */
  public RolloutOwnership rollouts(DesiredState desired) {
    List<RolloutSpec> engaged = new ArrayList<>();
    for (RolloutSpec spec : RolloutSpecParser.parseAll(desired).rollouts()) {
      Manifest deployment = desired.resources().get(spec.targetKey());
      if (RolloutExecutor.engaged(
          gateway, spec, deployment == null ? null : deployment.object())) {
        engaged.add(spec);
      }
    }
    return RolloutOwnership.of(engaged);
  }

  /** The ignore rules of an application: its {@code ignoreDifferences} and its hotfixed fields. */
  public IgnoreRules rules(Application application, ApplicationState state) {
    List<IgnoreDifference> hotfixed = new ArrayList<>();
    for (Hotfix hotfix : state.activeHotfixes(clock.instant())) {
      if (!hotfix.wholeObject()) {
        ResourceKey key = hotfix.key();
        hotfixed.add(
            new IgnoreDifference(
                key.group(),
                key.kind(),
                key.name(),
                key.namespace(),
                List.of(hotfix.pointer()),
                List.of()));
      }
    }
    return IgnoreRules.compile(application.ignoreDifferences()).with(hotfixed);
  }

  /** The plan a sync of {@code target} would run now (reads the cluster; changes nothing). */
  public Planned plan(SyncTarget target, SyncRequest request, LiveSource live) {
    Application app = target.application();
    ApplicationState state = state(app);
    // rollout targets carry Git's template stamp, so that a later new template is told from a
    // hand edit (RolloutExecutor.engaged)
    Optional<DesiredState> desired = target.desired().map(RolloutOwnership::stamped);
    Comparison comparison =
        desired
            .map(d -> compare(d, state, live))
            .orElseGet(
                () ->
                    new Comparison(
                        new ApplicationDiff(app.name(), target.revision(), List.of(), List.of()),
                        java.util.Map.of(),
                        java.util.Set.of(),
                        java.util.Set.of(),
                        false,
                        List.of()));
    PlanInput input =
        new PlanInput(
            app,
            target.revision(),
            target.renderProblems(),
            desired,
            comparison.diff(),
            comparison.trackedLive(),
            comparison.deleting(),
            state.hotfixes(),
            state.freeze(),
            clock.instant(),
            request,
            desired
                .map(this::rollouts)
                .orElseGet(() -> RolloutOwnership.of(List.of())));
    SyncPlan plan = SyncPlanner.plan(input);
    if (comparison.unreachable()) {
      List<String> blockers = new ArrayList<>(plan.blockers());
      blockers.add("the cluster could not be read: " + String.join("; ", comparison.problems()));
      plan = new SyncPlan(plan.application(), plan.revision(), request, List.of(), blockers, "");
    }
    return new Planned(plan, comparison, state);
  }

  /** A plan with what it was made from. */
  public record Planned(SyncPlan plan, Comparison comparison, ApplicationState state) {}

  /**
   * Syncs {@code target}: plan, Lease, execute, keep the result.
   *
   * @param by who asked, for the record ({@code alice}, {@code automated}, {@code self-heal})
   * @param onStep told each resource's result as it happens
   */
  public SyncResult sync(
      SyncTarget target,
      SyncRequest request,
      String by,
      LiveSource live,
      Consumer<ResourceResult> onStep) {
    Application app = target.application();
    Instant started = clock.instant();
    Planned planned;
    try {
      planned = plan(target, request, live);
    } catch (ClusterException e) {
      return refused(
          app, target.revision(), started, "the cluster could not be read: " + e.getMessage());
    }
    SyncPlan plan = planned.plan();
    if (plan.blocked() || request.dryRun()) {
      SyncResult result =
          new SyncExecutor(gateway, clock, options.execution()).execute(plan, onStep);
      return result;
    }
    String namespace = ApplicationStateStore.namespaceOf(app);
    LeaseRecord lease;
    try {
      lease = gateway.acquireLease(namespace, leaseName(app), holder, options.leaseDuration());
    } catch (ClusterException e) {
      if (e.error().reason() == dev.weir.engine.cluster.ClusterError.Reason.NOT_FOUND) {
        lease = null; // the namespace does not exist yet: nobody else can hold a Lease in it either
      } else {
        return refused(
            app, target.revision(), started, "could not take the Lease: " + e.getMessage());
      }
    }
    if (lease != null && !lease.acquired()) {
      return refused(
          app,
          target.revision(),
          started,
          app.name()
              + " is being synced by "
              + lease.holder()
              + " (Lease "
              + namespace
              + "/"
              + leaseName(app)
              + " until "
              + lease.expiresAt()
              + ")");
    }
    SyncResult result;
    try {
      result = new SyncExecutor(gateway, clock, options.execution()).execute(plan, onStep);
    } finally {
      if (lease != null) {
        try {
          gateway.releaseLease(namespace, leaseName(app), holder);
        } catch (ClusterException e) {
          // it expires by itself
        }
      }
    }
    keep(app, planned, result, by);
    return result;
  }

  private void keep(Application app, Planned planned, SyncResult result, String by) {
    List<ResourceType> applied = new ArrayList<>();
    for (ResourceResult r : result.resources()) {
      if (r.action() == ResourceResult.Action.CREATED
          || r.action() == ResourceResult.Action.CONFIGURED) {
        try {
          applied.add(gateway.resourceType(r.key()));
        } catch (ClusterException e) {
          // the kind vanished meanwhile: nothing to remember
        }
      }
    }
    try {
      ApplicationState current = store.load(app);
      store.save(app, current.withLastSync(LastSync.of(result, by)).withInventory(applied));
    } catch (ClusterException e) {
      // the sync happened; only its record is lost, and the next sync writes it again
    }
  }

  private SyncResult refused(Application app, String revision, Instant started, String why) {
    return new SyncResult(
        app.name(),
        revision,
        SyncResult.Outcome.BLOCKED,
        List.of(),
        "sync of " + app.name() + " refused: " + why,
        started,
        clock.instant(),
        "");
  }
}
