package dev.weir.engine.reconcile;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Compares and syncs applications against one cluster: reads the application's kept state (freeze,
 * pin, hotfixes, inventory), compares, plans purely ({@link SyncPlanner}), takes the application's
 * Lease, executes ({@link SyncExecutor}), and keeps the result.
 *
 * <p>Leases: {@code weir-app-NAME} (coordination.k8s.io/v1) in the application's namespace, held
 * for the duration of a sync and renewed while it runs, by a {@link LeaseHolder} that names this
 * reconciler's user, host, process and instance. A sync takes the Lease first and only then reads
 * the state, chooses the target and plans; a sync finding the Lease held by anyone else — another
 * process, another console of this process, an earlier version of Weir — is refused at once,
 * naming the holder and since when it holds it. It does not wait: the person or the automation
 * that asked tries again. Dry runs need no Lease.
 *
 * <p>Rollouts: while the rollout engine has a Rollout's Deployment in hand ({@link #rollouts}), the
 * Rollout owns fields and objects ({@link RolloutOwnership}); the comparison ignores those fields
 * and those objects, and a sync keeps the cluster's values of those fields on objects that exist
 * and never prunes those objects. A new pod template in Git thus reaches an engaged Deployment
 * through its rollout, never through a sync or self-heal.
 *
 * <p>Thread-safe; blocking. One sync per application at a time: across processes and consoles
 * by the Lease, and through one reconciler also by refusing a second sync of an application while
 * the first runs (both would present the same Lease holder).
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
  private final LeaseHolder holder;
  private final Options options;
  private final ApplicationComparer comparer;
  private final ApplicationStateStore store;
  private final Set<String> syncing = ConcurrentHashMap.newKeySet();

  /**
   * @param holder who this is, for Leases: e.g. {@code alice@bastion (pid 4242, weir sync)
   *     #5f0c9e1a2b3c4d6e}; one per console, never shared with another reconciler
   */
  public Reconciler(
      ClusterGateway gateway, EngineClock clock, LeaseHolder holder, Options options) {
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

  public LeaseHolder holder() {
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
    return plan(target, request, live, state(target.application()));
  }

  private Planned plan(
      SyncTarget target, SyncRequest request, LiveSource live, ApplicationState state) {
    Application app = target.application();
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
                .orElseGet(() -> RolloutOwnership.of(List.of())),
            noPrune(comparison),
            desired.map(this::missingNamespaces).orElse(java.util.Set.of()));
    SyncPlan plan = SyncPlanner.plan(input);
    if (comparison.unreachable()) {
      List<String> blockers = new ArrayList<>(plan.blockers());
      blockers.add("the cluster could not be read: " + String.join("; ", comparison.problems()));
      plan = new SyncPlan(plan.application(), plan.revision(), request, List.of(), blockers, "");
    }
    return new Planned(plan, comparison, state);
  }

  /** Live objects that say {@code argocd.argoproj.io/sync-options: Prune=false}. */
  private static java.util.Set<ResourceKey> noPrune(Comparison comparison) {
    java.util.Set<ResourceKey> keys = new java.util.HashSet<>();
    comparison
        .live()
        .forEach(
            (key, object) -> {
              if (ArgoAnnotations.hasSyncOption(object.annotations(), "Prune=false")) {
                keys.add(key);
              }
            });
    return keys;
  }

  /**
   * The namespaces {@code desired}'s objects and hooks go to that neither the cluster nor Git has.
   * A namespace that cannot be read counts as there: the apply then says what is wrong.
   */
  private java.util.Set<String> missingNamespaces(DesiredState desired) {
    java.util.Set<String> wanted = new java.util.TreeSet<>();
    java.util.List<dev.weir.engine.model.Manifest> all =
        new ArrayList<>(desired.resources().values());
    all.addAll(desired.hooks());
    for (dev.weir.engine.model.Manifest manifest : all) {
      if (!manifest.key().namespace().isEmpty()) {
        wanted.add(manifest.key().namespace());
      }
    }
    java.util.Set<String> missing = new java.util.TreeSet<>();
    for (String namespace : wanted) {
      ResourceKey key = new ResourceKey("", "Namespace", "", namespace);
      if (desired.resources().containsKey(key)) {
        continue;
      }
      try {
        if (gateway.get(key).isEmpty()) {
          missing.add(namespace);
        }
      } catch (ClusterException e) {
        // counted as there
      }
    }
    return missing;
  }

  /** A plan with what it was made from. */
  public record Planned(SyncPlan plan, Comparison comparison, ApplicationState state) {}

  /**
   * Syncs {@code target}: Lease, plan, execute, keep the result. As {@link #sync(Application,
   * Function, SyncRequest, String, LiveSource, Consumer)} with a target fixed beforehand.
   */
  public SyncResult sync(
      SyncTarget target,
      SyncRequest request,
      String by,
      LiveSource live,
      Consumer<ResourceResult> onStep) {
    return sync(target.application(), state -> target, request, by, live, onStep);
  }

  /**
   * Syncs {@code application}: takes its Lease, then reads its kept state, chooses the target
   * ({@code targetFor}, e.g. the pinned revision or Git's head), plans, executes and keeps the
   * result, and gives the Lease up. Everything the plan is made of is read while the Lease is held,
   * so a sync that had to wait for another never carries out a plan made before that other one
   * changed the cluster.
   *
   * <p>A Lease held by anyone else (another process, another console in this process, an earlier
   * version of Weir) refuses the sync at once, naming the holder: {@code storefront is being synced
   * by alice@bastion (pid 4242, weir sync) since 2026-11-20T10:42:07Z; try again when it
   * finishes}. So does a second sync of the same application through this reconciler while the
   * first runs. The Lease is renewed while the sync runs (wave health waits can outlast it). A dry
   * run takes no Lease and changes nothing.
   *
   * @param targetFor the target, given the application's kept state read under the Lease
   * @param by who asked, for the record ({@code alice}, {@code automated}, {@code self-heal})
   * @param onStep told each resource's result as it happens
   */
  public SyncResult sync(
      Application application,
      Function<ApplicationState, SyncTarget> targetFor,
      SyncRequest request,
      String by,
      LiveSource live,
      Consumer<ResourceResult> onStep) {
    Instant started = clock.instant();
    if (request.dryRun()) {
      Planned planned;
      try {
        ApplicationState state = state(application);
        planned = plan(targetFor.apply(state), request, live, state);
      } catch (ClusterException e) {
        return refused(
            application, "", started, "the cluster could not be read: " + e.getMessage());
      }
      return new SyncExecutor(gateway, clock, options.execution()).execute(planned.plan(), onStep);
    }
    if (!syncing.add(application.name())) {
      return refused(
          application,
          "",
          started,
          application.name()
              + " is being synced by "
              + holder.describe()
              + " already (this console); try again when it finishes");
    }
    try {
      return leasedSync(application, targetFor, request, by, live, onStep, started);
    } finally {
      syncing.remove(application.name());
    }
  }

  private SyncResult leasedSync(
      Application app,
      Function<ApplicationState, SyncTarget> targetFor,
      SyncRequest request,
      String by,
      LiveSource live,
      Consumer<ResourceResult> onStep,
      Instant started) {
    String namespace = ApplicationStateStore.namespaceOf(app);
    LeaseRecord lease;
    boolean madeNamespace = false;
    try {
      lease = take(app);
      if (lease == null) {
        // the application's namespace does not exist, so neither can its Lease: unless the sync
        // would be refused anyway, make the namespace (as keeping the sync's result would) and
        // take the Lease in it, so that a concurrent first sync is serialised too
        ApplicationState state = state(app);
        SyncPlan unleased = plan(targetFor.apply(state), request, live, state).plan();
        if (unleased.blocked()) {
          return new SyncExecutor(gateway, clock, options.execution()).execute(unleased, onStep);
        }
        madeNamespace = store.ensureNamespace(namespace);
        lease = take(app);
        if (lease == null) {
          return refused(
              app, "", started, "could not take the Lease: namespace " + namespace + " is gone");
        }
      }
    } catch (ClusterException e) {
      return refused(app, "", started, "could not take the Lease: " + e.getMessage());
    }
    if (!lease.acquired()) {
      return refused(app, "", started, heldElsewhere(app, lease));
    }
    Renewal renewal = new Renewal(app);
    try {
      Planned planned;
      try {
        ApplicationState state = state(app);
        planned = plan(targetFor.apply(state), request, live, state);
      } catch (ClusterException e) {
        return refused(app, "", started, "the cluster could not be read: " + e.getMessage());
      }
      SyncPlan plan = planned.plan();
      if (madeNamespace) {
        plan = createdNamespace(plan, namespace);
      }
      SyncResult result =
          new SyncExecutor(gateway, clock, options.execution()).execute(plan, onStep);
      if (!plan.blocked()) {
        keep(app, planned, result, by);
      }
      return result;
    } finally {
      renewal.stop();
      try {
        gateway.releaseLease(namespace, leaseName(app), holder.identity());
      } catch (ClusterException e) {
        // it expires by itself
      }
    }
  }

  /**
   * {@code plan} with the step of Namespace {@code namespace} reported as a creation: this sync
   * made the namespace to hold its Lease in, just before planning.
   */
  private static SyncPlan createdNamespace(SyncPlan plan, String namespace) {
    ResourceKey key = new ResourceKey("", "Namespace", "", namespace);
    List<SyncStep> steps = new ArrayList<>();
    for (SyncStep step : plan.steps()) {
      steps.add(
          step instanceof SyncStep.Apply a && a.key().equals(key) && !a.create()
              ? new SyncStep.Apply(a.key(), a.group(), a.wave(), true, a.object(), a.keepLive())
              : step);
    }
    return new SyncPlan(
        plan.application(),
        plan.revision(),
        plan.request(),
        steps,
        plan.blockers(),
        plan.confirmation());
  }

  /** The application's Lease, taken or as someone else holds it; null without its namespace. */
  private LeaseRecord take(Application app) {
    try {
      return gateway.acquireLease(
          ApplicationStateStore.namespaceOf(app),
          leaseName(app),
          holder.identity(),
          options.leaseDuration());
    } catch (ClusterException e) {
      if (e.error().reason() == ClusterError.Reason.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Renews an application's Lease every third of its duration on the clock while a sync runs.
   * {@link #stop()} waits for a renewal under way, so none can take the Lease again after the sync
   * gave it up.
   */
  private final class Renewal {
    private final Application app;
    private final ReentrantLock lock = new ReentrantLock();
    private final EngineClock.Scheduled schedule;
    private boolean stopped;

    Renewal(Application app) {
      this.app = app;
      Duration every = options.leaseDuration().dividedBy(3);
      this.schedule = clock.every(every.isZero() ? Duration.ofSeconds(1) : every, this::renew);
    }

    private void renew() {
      lock.lock();
      try {
        if (!stopped) {
          take(app);
        }
      } catch (ClusterException e) {
        // the next renewal tries again; past the Lease's end another sync may start
      } finally {
        lock.unlock();
      }
    }

    void stop() {
      schedule.cancel();
      lock.lock();
      try {
        stopped = true;
      } finally {
        lock.unlock();
      }
    }
  }

  private static String heldElsewhere(Application app, LeaseRecord lease) {
    return app.name()
        + " is being synced by "
        + lease.holderIdentity().describe()
        + " since "
        + lease.acquiredAt().truncatedTo(ChronoUnit.SECONDS)
        + "; try again when it finishes (Lease "
        + lease.namespace()
        + "/"
        + lease.name()
        + ", held until "
        + lease.expiresAt().truncatedTo(ChronoUnit.SECONDS)
        + " unless renewed)";
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
