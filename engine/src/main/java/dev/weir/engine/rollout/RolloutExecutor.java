package dev.weir.engine.rollout;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Drives the rollouts of the applications it is given: for each, feeds observations of Git and the
 * cluster to the pure {@link RolloutMachine} and carries out the effects through the {@link
 * ClusterGateway} — the one place where rollouts act.
 *
 * <p>Design note. Each rollout has a {@link RolloutRunner} that takes passes one at a time: read
 * the recorded state (the ConfigMap of {@link RolloutStateStore}) and the cluster, decide, write
 * the new state with the resourceVersion it read, and only then act. A crash between writing and
 * acting is repaired by the next runner that takes over (another console, or this one restarted):
 * it first re-asserts what the recorded state implies ({@link RolloutMachine#restore}); effects are
 * idempotent. Two consoles acting at once are serialised by the resourceVersion: the loser's write
 * fails, its command is reported as a conflict and nothing of it is carried out. Passes are taken
 * when Git changes ({@link #track}), on commands, on wake-ups the machine asks for, when an
 * analysis run measures, on {@link #reconcile()}, and every {@code resync} period.
 *
 * <p>Threading: thread-safe. Passes run on the given executor (virtual threads in production, the
 * caller's thread in tests) and block on cluster I/O; {@link #command} blocks until its pass is
 * done. Listeners are called on pass threads with each event; they must be quick.
 */
public final class RolloutExecutor implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(RolloutExecutor.class);
  /** The field manager of every write the rollout engine makes. */
  public static final String FIELD_MANAGER = "weir-rollout";

  /** The pod label that tells one template's pods from another's. */
  public static final String HASH_LABEL = "rollouts.weir.dev/pod-template-hash";

  /**
   * The label on every object the rollout engine makes for a rollout (its canary or preview
   * Deployment, routes, analysis records), naming the rollout.
   */
  public static final String ROLLOUT_LABEL = RolloutRunner.ROLLOUT_LABEL;

  /** The annotation recording which template (by hash) a Deployment runs. */
  public static final String TEMPLATE_ANNOTATION = "rollouts.weir.dev/template-hash";

  private final ClusterGateway cluster;
  private final MetricProvider metrics;
  private final EngineClock clock;
  private final Executor work;
  private final Map<String, RolloutRunner> runners = new LinkedHashMap<>();
  private final List<Consumer<RolloutEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<RolloutSpec>> stateListeners = new CopyOnWriteArrayList<>();
  private final EngineClock.Scheduled resync;
  private volatile boolean runsAnalysis;
  // work that may wait (event records) takes at most a few connections, so that the writes that
  // move traffic are not queued behind it
  private final java.util.concurrent.Semaphore backgroundLane =
      new java.util.concurrent.Semaphore(4);
  // rollbacks on their way to weight 0 go before any other cluster work (see rollbackBegins)
  private final java.util.concurrent.locks.ReentrantLock calm =
      new java.util.concurrent.locks.ReentrantLock();
  private final java.util.concurrent.locks.Condition calmed = calm.newCondition();
  private int rollingBack;
  private final ThreadLocal<Integer> rollingBackHere = ThreadLocal.withInitial(() -> 0);
  volatile Hooks hooks = Hooks.NONE;
  private volatile RolloutFlags flags = RolloutFlags.NONE;

  /**
   * From now on the rollouts' {@code setFlag} steps and flag restores go through {@code flags}
   * (the console's Git); without it they fail with one line.
   */
  public void useFlags(RolloutFlags value) {
    flags = java.util.Objects.requireNonNull(value, "flags");
  }

  RolloutFlags flags() {
    return flags;
  }

  /** Test seams: called inside a pass after the state is recorded and before acting. */
  interface Hooks {
    Hooks NONE = new Hooks() {};

    default void beforeSave(RolloutSpec spec) {}

    default void afterSave(RolloutSpec spec, RolloutState state) {}
  }

  /**
   * @param work where passes and analysis measurements run
   * @param resync how often every rollout takes a pass anyway (a safety net for missed triggers);
   *     {@link Duration#ZERO} for never
   */
  public RolloutExecutor(
      ClusterGateway cluster,
      MetricProvider metrics,
      EngineClock clock,
      Executor work,
      Duration resync) {
    this(cluster, metrics, clock, work, resync, true);
  }

  private RolloutExecutor(
      ClusterGateway cluster,
      MetricProvider metrics,
      EngineClock clock,
      Executor work,
      Duration resync,
      boolean runsAnalysis) {
    this.runsAnalysis = runsAnalysis;
    this.cluster = cluster;
    this.metrics = metrics;
    this.clock = clock;
    this.work = work;
    this.resync = resync.isZero() ? null : clock.every(resync, this::reconcile);
  }

  /**
   * An executor for one-shot commands (the CLI): it takes passes and carries out commands but runs
   * no analysis — the long-running console that drives the rollout starts the runs a new state
   * calls for when it sees the state another console recorded.
   */
  public static RolloutExecutor forCommands(ClusterGateway cluster, EngineClock clock) {
    MetricProvider none =
        new MetricProvider() {
          @Override
          public dev.weir.engine.analysis.QueryResult<dev.weir.engine.analysis.MetricValue> instant(
              String query, java.time.Instant at) {
            throw new IllegalStateException("a command executor runs no analysis");
          }

          @Override
          public dev.weir.engine.analysis.QueryResult<List<dev.weir.engine.analysis.TimeSeries>>
              range(String query, java.time.Instant start, java.time.Instant end, Duration step) {
            throw new IllegalStateException("a command executor runs no analysis");
          }
        };
    return new RolloutExecutor(cluster, none, clock, Runnable::run, Duration.ZERO, false);
  }

  /**
   * The status recorded in the cluster for {@code spec}, without taking a pass (read-only); empty
   * when no console has recorded one yet.
   */
  public static Optional<RolloutStatus> recorded(
      ClusterGateway cluster, RolloutSpec spec, java.time.Instant now) {
    return recordedState(cluster, spec).map(state -> RolloutStatus.of(state, spec, now));
  }

  private static Optional<RolloutState> recordedState(ClusterGateway cluster, RolloutSpec spec) {
    return cluster
        .get(RolloutStateStore.key(spec))
        .map(configMap -> configMap.object().get("data"))
        .filter(Map.class::isInstance)
        .map(data -> ((Map<?, ?>) data).get("state"))
        .map(json -> RolloutStateCodec.decode(String.valueOf(json)));
  }

  /** The template a rollout at rest keeps on stable; empty while one runs or was aborted. */
  private static Optional<PodTemplateRef> atRestOn(RolloutState state) {
    return switch (state) {
      case CanaryState.Steady s -> Optional.of(s.stable());
      case BlueGreenState.Steady s -> Optional.of(s.active());
      default -> Optional.empty();
    };
  }

  /**
   * The status of {@code spec} as the cluster shows it (read-only): the recorded one, unless the
   * rollout is at rest on another template than Git's ({@code gitDeployment}) or none is recorded
   * while the stable Deployment's stamp names another template than Git's — then a rollout due
   * ({@link RolloutStatus#due}), waiting for a console to drive it.
   */
  public static Optional<RolloutStatus> observed(
      ClusterGateway cluster,
      RolloutSpec spec,
      Map<String, Object> gitDeployment,
      java.time.Instant now) {
    Optional<RolloutState> state = recordedState(cluster, spec);
    Optional<RolloutStatus> recorded = state.map(s -> RolloutStatus.of(s, spec, now));
    if (gitDeployment == null) {
      return recorded;
    }
    PodTemplateRef git = PodTemplateRef.ofDeployment(gitDeployment);
    if (state.isPresent()) {
      Optional<PodTemplateRef> rest = atRestOn(state.get());
      return rest.isPresent() && !rest.get().hash().equals(git.hash())
          ? Optional.of(RolloutStatus.due(spec, rest.get().version(), git.version()))
          : recorded;
    }
    return cluster
        .get(spec.targetKey())
        .filter(live -> stampDiffers(live, git))
        .map(
            live ->
                RolloutStatus.due(
                    spec,
                    PodTemplateRef.of(
                            live.spec().get("template") instanceof Map<?, ?> t
                                ? asObject(t)
                                : Map.of())
                        .version(),
                    git.version()));
  }

  /**
   * The view of {@code spec} as the cluster shows it (read-only, see {@link #observed}), for a
   * console that does not drive it ({@code weir rollout status}): steps and metric rows from the
   * recorded state and its analysis checkpoints, series read back from {@code metrics} over the
   * last 15 minutes (none when {@code metrics} is null). Empty when nothing is recorded and no
   * rollout is due.
   *
   * @param templates the application's AnalysisTemplates by name
   */
  public static Optional<RolloutView> observedView(
      ClusterGateway cluster,
      RolloutSpec spec,
      Map<String, Object> gitDeployment,
      Map<String, dev.weir.engine.analysis.AnalysisTemplateSpec> templates,
      MetricProvider metrics,
      java.time.Instant now) {
    Optional<RolloutStatus> status = observed(cluster, spec, gitDeployment, now);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    Optional<RolloutState> state = recordedState(cluster, spec);
    if (state.isEmpty() || !status.get().equals(RolloutStatus.of(state.get(), spec, now))) {
      return Optional.of(RolloutView.of(status.get())); // due: nothing recorded of this one yet
    }
    Map<String, List<dev.weir.engine.analysis.MetricSeries>> series =
        metrics == null
            ? Map.of()
            : RolloutViews.readBack(spec, state.get(), templates, metrics, now);
    return Optional.of(
        RolloutViews.of(
            spec,
            state.get(),
            status.get(),
            Optional.empty(),
            templates,
            run -> Optional.empty(),
            series,
            now));
  }

  private static boolean stampDiffers(dev.weir.engine.model.LiveObject live, PodTemplateRef git) {
    Object stamp = live.annotations().get(TEMPLATE_ANNOTATION);
    return stamp != null && !String.valueOf(stamp).equals(git.hash());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asObject(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /**
   * Whether the rollout engine has {@code spec}'s Deployment in hand (read-only). With a recorded
   * state: when that state is not at rest (a canary or preview runs, is paused, or was aborted or
   * rolled back) or Git's template ({@code gitDeployment}) differs from the recorded stable one (a
   * rollout is due). With none recorded yet: when the live Deployment's template stamp ({@link
   * #TEMPLATE_ANNOTATION}, written by every sync and rollout) names another template than Git's —
   * Git moved on since the last apply, so the new template must reach users through a canary, not
   * through a sync of the stable Deployment. While engaged, what {@link RolloutOwnership} names
   * belongs to the rollout, not to Git sync. Otherwise the Deployment is the reconciler's: a hand
   * edit of its template leaves the stamp as it was, and is drift like any other (self-healed,
   * rolled back).
   */
  public static boolean engaged(
      ClusterGateway cluster, RolloutSpec spec, Map<String, Object> gitDeployment) {
    Optional<RolloutState> state = recordedState(cluster, spec);
    if (state.isEmpty()) {
      return gitDeployment != null
          && cluster
              .get(spec.targetKey())
              .filter(live -> stampDiffers(live, PodTemplateRef.ofDeployment(gitDeployment)))
              .isPresent();
    }
    Optional<PodTemplateRef> rest = atRestOn(state.get());
    return rest.isEmpty()
        || gitDeployment == null
        || !PodTemplateRef.ofDeployment(gitDeployment).hash().equals(rest.get().hash());
  }

  java.util.concurrent.Semaphore backgroundLane() {
    return backgroundLane;
  }

  /**
   * A pass is on its way to a weight 0 after a failed analysis: until {@link #rollbackWritten},
   * other cluster work of this executor waits in {@link #awaitCalm}, so that with many rollbacks at
   * once every weight 0 goes before any replica change, selector or event record.
   */
  void rollbackBegins() {
    calm.lock();
    try {
      rollingBack++;
    } finally {
      calm.unlock();
    }
    rollingBackHere.set(rollingBackHere.get() + 1);
  }

  /** The rollback's traffic write is done (or failed). */
  void rollbackWritten() {
    rollingBackHere.set(rollingBackHere.get() - 1);
    calm.lock();
    try {
      if (--rollingBack == 0) {
        calmed.signalAll();
      }
    } finally {
      calm.unlock();
    }
  }

  /**
   * Waits while rollbacks are on their way to their weight 0 (never on the thread of one: a test's
   * direct executor runs everything on one thread).
   */
  void awaitCalm() {
    if (rollingBackHere.get() > 0) {
      return;
    }
    calm.lock();
    try {
      while (rollingBack > 0) {
        calmed.awaitUninterruptibly();
      }
    } finally {
      calm.unlock();
    }
  }

  boolean runsAnalysis() {
    return runsAnalysis;
  }

  /**
   * Whether passes start the analysis runs a state calls for (true unless made {@link
   * #forCommands}): a console that only carries out commands runs none — the console that drives
   * the rollout starts them when it sees the state recorded.
   */
  public void runAnalysis(boolean value) {
    runsAnalysis = value;
  }

  /** Calls {@code listener} with every event of every rollout. */
  public void addListener(Consumer<RolloutEvent> listener) {
    listeners.add(listener);
  }

  /**
   * Calls {@code listener} with the rollout whenever a pass leaves it in another state than the one
   * it showed before (a weight reached, a pause begun or ended, an analysis measured, another
   * console's command taken over): what a console shows of it is stale until it redraws. Called on
   * pass threads; must be quick.
   */
  public void addStateListener(Consumer<RolloutSpec> listener) {
    stateListeners.add(listener);
  }

  void stateChanged(RolloutSpec spec) {
    for (Consumer<RolloutSpec> listener : stateListeners) {
      listener.accept(spec);
    }
  }

  void publish(RolloutEvent event) {
    for (Consumer<RolloutEvent> listener : listeners) {
      listener.accept(event);
    }
  }

  /**
   * Drives the rollouts of {@code state}, an application rendered at a revision: starts the new
   * ones, gives the others the new desired template, stops those that left Git and — when every
   * Rollout of the application is valid, so that "left" is not "became invalid" — hands their
   * Deployments back to the reconciler ({@code RolloutRunner.retire}). Takes a pass of
   * each. Returns the problems of invalid Rollouts and AnalysisTemplates (those are not driven).
   */
  public List<RolloutSpecError> track(DesiredState state) {
    List<RolloutRunner> touched = new ArrayList<>();
    List<RolloutSpecError> errors = track(state, touched);
    touched.forEach(RolloutRunner::requestPass);
    return errors;
  }

  /**
   * As {@link #track}, without taking a pass: for a command that must be judged on the new desired
   * state before any pass sees it — a {@code weir rollback}'s restored revision would otherwise be
   * seen first as Git back on the stable version, and the canary cancelled rather than rolled back
   * by the person who asked (decision 0044). The command's pass follows at once.
   */
  public List<RolloutSpecError> desire(DesiredState state) {
    return track(state, new ArrayList<>());
  }

  private List<RolloutSpecError> track(DesiredState state, List<RolloutRunner> touched) {
    RolloutSpecParser.ApplicationRollouts parsed = RolloutSpecParser.parseAll(state);
    synchronized (runners) {
      String prefix = state.application().name() + "/";
      runners
          .entrySet()
          .removeIf(
              entry -> {
                boolean gone =
                    entry.getKey().startsWith(prefix)
                        && parsed.rollouts().stream().noneMatch(r -> id(r).equals(entry.getKey()));
                if (gone) {
                  RolloutRunner runner = entry.getValue();
                  if (parsed.errors().isEmpty()) {
                    // the Rollout left Git (not merely became invalid): hand its Deployment back
                    work.execute(() -> LOG.info("rollout {}", runner.retire()));
                  } else {
                    runner.close();
                  }
                }
                return gone;
              });
      for (RolloutSpec spec : parsed.rollouts()) {
        RolloutRunner runner =
            runners.computeIfAbsent(
                id(spec), id -> new RolloutRunner(this, cluster, metrics, clock, work, spec));
        runner.desire(spec, state, parsed.templates());
        touched.add(runner);
      }
    }
    return parsed.errors();
  }

  /**
   * Stops driving the rollouts of {@code application} without touching the cluster: their timers
   * and analysis runs stop, their records stay as they are, for the replica that drives the
   * application next to resume from ({@code ShardKeeper}).
   */
  public void release(String application) {
    synchronized (runners) {
      String prefix = application + "/";
      runners
          .entrySet()
          .removeIf(
              entry -> {
                if (entry.getKey().startsWith(prefix)) {
                  entry.getValue().close();
                  return true;
                }
                return false;
              });
    }
  }

  /** A pass of every rollout now, reading each one's record afresh (what other consoles wrote). */
  public void reconcile() {
    runners().forEach(RolloutRunner::refresh);
  }

  /**
   * Carries out {@code command} on the rollout of {@code application} (its only one, or the one
   * named {@code rollout}), blocking until the pass is done.
   */
  public CommandOutcome command(
      String application, Optional<String> rollout, ManualCommand command) {
    Optional<RolloutRunner> runner = find(application, rollout);
    if (runner.isEmpty()) {
      List<String> known = ids();
      return new CommandOutcome(
          CommandOutcome.Kind.UNKNOWN,
          "no rollout in application "
              + application
              + rollout.map(r -> " named " + r).orElse("")
              + (known.isEmpty() ? "" : "; known: " + String.join(", ", known)));
    }
    return runner.get().command(command);
  }

  /** The status of every rollout, as recorded in the cluster at its last pass. */
  public List<RolloutStatus> statuses() {
    return runners().stream()
        .map(RolloutRunner::statusWithBlockers)
        .flatMap(Optional::stream)
        .toList();
  }

  /** The view of every rollout as of its last pass (see {@link RolloutView}). */
  public List<RolloutView> views() {
    return runners().stream().map(RolloutRunner::view).flatMap(Optional::stream).toList();
  }

  /**
   * The status of the rollout of {@code application}, with what blocks it (a failed action, a
   * Deployment past its progress deadline) in its message.
   */
  public Optional<RolloutStatus> status(String application, Optional<String> rollout) {
    return find(application, rollout).flatMap(RolloutRunner::statusWithBlockers);
  }

  /**
   * What blocks the rollout's last action, if anything (a missing HTTPRoute, an unreachable API…).
   */
  public Optional<String> problem(String application, Optional<String> rollout) {
    return find(application, rollout).flatMap(RolloutRunner::problem);
  }

  /** What the tracked rollouts own, for the reconciler (see {@link RolloutOwnership}). */
  public RolloutOwnership ownership() {
    return RolloutOwnership.of(runners().stream().map(RolloutRunner::spec).toList());
  }

  private Optional<RolloutRunner> find(String application, Optional<String> rollout) {
    List<RolloutRunner> matching =
        runners().stream()
            .filter(r -> r.spec().application().equals(application))
            .filter(r -> rollout.map(name -> r.spec().name().equals(name)).orElse(true))
            .toList();
    return matching.size() == 1 ? Optional.of(matching.getFirst()) : Optional.empty();
  }

  private Collection<RolloutRunner> runners() {
    synchronized (runners) {
      return List.copyOf(runners.values());
    }
  }

  private List<String> ids() {
    synchronized (runners) {
      return List.copyOf(runners.keySet());
    }
  }

  private static String id(RolloutSpec spec) {
    return spec.application() + "/" + spec.name();
  }

  /** Stops every analysis run and timer; recorded states stay in the cluster. */
  @Override
  public void close() {
    if (resync != null) {
      resync.cancel();
    }
    synchronized (runners) {
      runners.values().forEach(RolloutRunner::close);
      runners.clear();
    }
  }
}
