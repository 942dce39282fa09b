package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import dev.weir.engine.traffic.TrafficShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rollout's passes (see {@link RolloutExecutor}): load, observe, decide, record, act — the
 * record through its {@link RolloutRecordStore}, the acts through its {@link EffectPerformer}, the
 * analysis runs owned by its {@link AnalysisRuns}; this class schedules passes and decides. Passes
 * run one at a time; a pass asked for while one runs is taken right after it (a trampoline), so a
 * direct executor and a pool behave alike and nothing waits on a lock while the cluster answers for
 * another rollout.
 */
final class RolloutRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);
  private static final Duration RETRY_FIRST = Duration.ofSeconds(2);
  private static final Duration RETRY_MAX = Duration.ofMinutes(1);

  private final RolloutExecutor owner;
  private final ClusterGateway cluster;
  private final MetricProvider metrics;
  private final EngineClock clock;
  private final Executor work;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final AnalysisRuns analyses;
  /** Series read back from the metrics source, by run name (see {@link RolloutViews#readBack}). */
  private final Map<String, List<dev.weir.engine.analysis.MetricSeries>> readBack =
      new ConcurrentHashMap<>();
  private final RolloutRecordStore store;
  private final EffectPerformer performer;

  private volatile RolloutSpec spec;
  private volatile Map<String, Object> desiredTemplate = Map.of();
  private volatile PodTemplateRef desired;
  private volatile String revision = "";
  private volatile int replicas = 1;
  private volatile Map<String, Object> selector = Map.of();
  private volatile Map<String, AnalysisTemplateSpec> analysisTemplates = Map.of();
  private volatile Optional<RolloutStatus> status = Optional.empty();
  private volatile RolloutState shown;
  private volatile Optional<String> problem = Optional.empty();
  /** The last save that lost a race found the rollout's state as this runner had judged it. */
  private boolean conflictLeftStateAlone;
  private volatile Optional<String> stalled = Optional.empty();

  /**
   * The recorded state this runner last acted on; another one in the record means someone else
   * acted.
   */
  private volatile RolloutState actedOn;

  private volatile boolean closed;
  private EngineClock.Scheduled wake;
  private Duration retry = RETRY_FIRST;




  /** What the last pass that read the cluster observed (its Deployments); null before one. */
  private volatile Observation lastSeen;



  RolloutRunner(
      RolloutExecutor owner,
      ClusterGateway cluster,
      MetricProvider metrics,
      EngineClock clock,
      Executor work,
      RolloutSpec spec) {
    this.owner = owner;
    this.cluster = cluster;
    this.metrics = metrics;
    this.clock = clock;
    this.work = work;
    this.spec = spec;
    this.analyses =
        new AnalysisRuns(
            metrics,
            new dev.weir.engine.analysis.ClusterSecretSource(
                cluster, spec.targetKey().namespace()),
            clock,
            work,
            owner::runsAnalysis);
    this.store = new RolloutRecordStore(cluster, clock);
    this.performer =
        new EffectPerformer(
            owner,
            cluster,
            work,
            store,
            analyses,
            () ->
                desired == null
                    ? null
                    : new EffectPerformer.Desired(
                        desired, desiredTemplate, replicas, selector, analysisTemplates),
            this::requestPass);
  }

  RolloutSpec spec() {
    return spec;
  }

  Optional<RolloutStatus> status() {
    return status;
  }

  Optional<String> problem() {
    return problem;
  }

  /**
   * The status with what holds the rollout back appended: an action that failed ({@link
   * #problem}), or a Deployment that stopped progressing (its {@code Progressing} condition False,
   * e.g. {@code ProgressDeadlineExceeded} for pods that never become ready).
   */
  Optional<RolloutStatus> statusWithBlockers() {
    return status.map(
        s -> {
          Optional<String> blocker = problem.or(() -> stalled);
          return blocker.isPresent() && s.phase() != RolloutPhase.HEALTHY
              ? s.withMessage(s.message() + "; blocked: " + blocker.get())
              : s;
        });
  }

  /**
   * The view of the rollout as of its last pass (see {@link RolloutViews}): steps, analyses, metric
   * rows and series, with what blocks it.
   */
  Optional<RolloutView> view() {
    RolloutState state = shown;
    Optional<RolloutStatus> withBlockers = statusWithBlockers();
    if (state == null || withBlockers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        RolloutViews.of(
            spec,
            state,
            withBlockers.get(),
            problem.or(() -> stalled),
            analysisTemplates,
            analyses::find,
            readBack,
            clock.instant()));
  }

  /** {@code Deployment shop/web-canary: ProgressDeadlineExceeded: …} when it stopped progressing. */
  private static Optional<String> stalled(LiveObject deployment) {
    if (deployment == null || !(deployment.status().get("conditions") instanceof List<?> list)) {
      return Optional.empty();
    }
    for (Object item : list) {
      if (item instanceof Map<?, ?> condition
          && "Progressing".equals(condition.get("type"))
          && "False".equals(condition.get("status"))) {
        return Optional.of(
            "Deployment "
                + deployment.key().namespace()
                + "/"
                + deployment.key().name()
                + ": "
                + condition.get("reason")
                + (condition.get("message") == null ? "" : ": " + condition.get("message")));
      }
    }
    return Optional.empty();
  }

  /** What Git wants now. */
  @SuppressWarnings("unchecked")
  void desire(
      RolloutSpec spec, DesiredState state, Map<String, AnalysisTemplateSpec> analysisTemplates) {
    Manifest target = state.resources().get(spec.targetKey());
    Map<String, Object> deploymentSpec =
        (Map<String, Object>) target.object().getOrDefault("spec", Map.of());
    Map<String, Object> template =
        (Map<String, Object>) deploymentSpec.getOrDefault("template", Map.of());
    Object rawSelector =
        ((Map<String, Object>) deploymentSpec.getOrDefault("selector", Map.of()))
            .get("matchLabels");
    this.spec = spec;
    this.desiredTemplate = template;
    this.desired = PodTemplateRef.of(template);
    store.templates().put(desired.hash(), template);
    this.revision = state.revision();
    this.replicas = deploymentSpec.get("replicas") instanceof Number n ? n.intValue() : 1;
    this.selector = rawSelector instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    this.analysisTemplates = Map.copyOf(analysisTemplates);
  }

  // ---- scheduling -------------------------------------------------------------------------

  /**
   * Forgets the cached record, so that the next pass reads what other consoles may have written.
   */
  void refresh() {
    store.forget();
    performer.forgetRoutes();
    requestPass();
  }

  void requestPass() {
    dirty.set(true);
    if (lock.isHeldByCurrentThread()) {
      return;
    }
    work.execute(this::drain);
  }

  private void drain() {
    while (dirty.get() && !closed) {
      if (!analysisFailed()) {
        // rollbacks under way go first; waited for without the lock, so that this rollout's own
        // rollback, should its analysis fail meanwhile, is not held up behind this pass
        owner.awaitCalm();
      }
      if (!lock.tryLock()) {
        return; // the holder looks at dirty again after unlocking
      }
      try {
        if (dirty.getAndSet(false) && !closed) {
          pass(Optional.empty());
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Whether a run of this rollout ended unsuccessfully: its pass may be a rollback. */
  private boolean analysisFailed() {
    return analyses.anyUnsuccessful();
  }

  CommandOutcome command(ManualCommand command) {
    CommandOutcome outcome;
    lock.lock();
    try {
      if (actedOn == null && !closed && !(command instanceof ManualCommand.Rollback)) {
        // a runner that has not taken a pass yet (a one-shot console's) first catches up with Git
        // and the cluster, so that the command is judged on the rollout as it stands; not for a
        // rollback, whose Git is already the restored revision: such a pass would cancel the canary
        // ("Git is back on …") before the person's rollback is recorded (decision 0044). The
        // command's own pass still resumes the record first.
        pass(Optional.empty());
      }
      outcome = pass(Optional.of(command));
      // another writer saved the record between this pass's read and its write (decision 0007).
      // Judged again on the record as it is now when that write left the rollout where the person
      // saw it (a driving replica's bookkeeping), or when the command is an abort: "traffic back
      // on stable" is meant whatever the rollout became meanwhile. Any other command on a rollout
      // that moved stays refused: a promote judged on step 2 must not promote past step 3
      for (int again = 0;
          again < CONFLICT_RETRIES
              && outcome.kind() == CommandOutcome.Kind.CONFLICT
              && !closed
              && (conflictLeftStateAlone || command instanceof ManualCommand.Abort);
          again++) {
        outcome = pass(Optional.of(command));
      }
    } finally {
      lock.unlock();
    }
    drain();
    return outcome;
  }

  /** How often a command that lost a race for the record is judged again (see {@link #command}). */
  private static final int CONFLICT_RETRIES = 3;

  // ---- one pass ---------------------------------------------------------------------------

  private CommandOutcome pass(Optional<ManualCommand> command) {
    if (desired == null) {
      return failed("not tracked yet");
    }
    RolloutSpec spec = this.spec;
    boolean rollingBack = false;
    try {
      Map<String, AnalysisStatus> analyses = analysisStatuses();
      RolloutRecordStore.Record record;
      Observation seen;
      RolloutState state;
      RolloutRecordStore.Record cached = store.cached(); // a refresh may forget it meanwhile
      Observation last = lastSeen;
      Optional<Transition<RolloutState>> rollback =
          command.isEmpty() ? rollbackDecided(spec, cached, last, analyses) : Optional.empty();
      if (rollback.isPresent()) {
        // an analysis failed: decided from what this runner recorded and last saw, which is all a
        // rollback depends on, so the record and the weight 0 are the first requests of the pass
        rollingBack = true;
        owner.rollbackBegins();
        record = cached;
        state = cached.state().orElseThrow();
        seen = asLastSeen(last, analyses);
        performer.beginPass(Map.of());
      } else {
        // the three reads are independent: one round trip, not three
        CompletableFuture<RolloutRecordStore.Record> recordRead =
            CompletableFuture.supplyAsync(() -> store.load(spec), work);
        CompletableFuture<Optional<LiveObject>> stableRead =
            CompletableFuture.supplyAsync(() -> cluster.get(spec.targetKey()), work);
        CompletableFuture<Optional<LiveObject>> secondaryRead =
            CompletableFuture.supplyAsync(() -> cluster.get(spec.secondaryKey()), work);
        CompletableFuture<List<LiveObject>> experimentsRead =
            spec.strategy() instanceof CanaryStrategy canary
                    && CanaryMachine.hasExperimentStep(canary)
                ? CompletableFuture.supplyAsync(
                    () ->
                        cluster.list(
                            cluster.resourceType("apps/v1", "Deployment"),
                            spec.namespace(),
                            EffectPerformer.experimentSelector(spec)),
                    work)
                : CompletableFuture.completedFuture(List.of());
        record = joined(recordRead);
        performer.beginPass(
            Map.of(
                spec.targetKey(), joined(stableRead), spec.secondaryKey(), joined(secondaryRead)));
        LiveObject stableLive = performer.seen(spec.targetKey()).orElse(null);
        LiveObject secondaryLive = performer.seen(spec.secondaryKey()).orElse(null);
        stalled = stalled(secondaryLive).or(() -> stalled(stableLive));
        seen =
            new Observation(
                desired,
                revision,
                replicas,
                workload(stableLive),
                workload(secondaryLive).withStalled(stalled(secondaryLive).isPresent()),
                analyses,
                command,
                experiments(joined(experimentsRead)));
        lastSeen = seen.withoutCommand();
        Observation initial = seen.withoutCommand();
        state = record.state().orElseGet(() -> RolloutMachine.initial(spec, initial));
      }
      LiveObject stableLive =
          performer.seen(spec.targetKey()).orElse(null);
      if (record.state().isPresent() && !record.state().get().equals(actedOn)) {
        // resuming after a crash, or another console moved the rollout: make the cluster (and our
        // analysis runs) match the record before deciding anything
        performer.perform(spec, state, RolloutMachine.restore(state, spec, seen));
      }
      actedOn = state;
      Transition<RolloutState> transition =
          rollback.isPresent()
              ? rollback.get()
              : RolloutMachine.next(state, spec, seen, clock.instant());
      if (rollback.isEmpty() && command.isEmpty() && transition.refused().isEmpty()) {
        Optional<ManualCommand> fromGit = GitPause.command(spec, state);
        if (fromGit.isPresent()) {
          Transition<RolloutState> paused =
              RolloutMachine.next(
                  state,
                  spec,
                  new Observation(
                      seen.desired(),
                      seen.revision(),
                      seen.replicas(),
                      seen.stable(),
                      seen.secondary(),
                      seen.analyses(),
                      fromGit,
                      seen.experiments()),
                  clock.instant());
          if (paused.refused().isEmpty()) {
            transition = paused;
          }
        }
      }
      if (transition.refused().isPresent()) {
        publishStatus(spec, state);
        return new CommandOutcome(
            CommandOutcome.Kind.REFUSED, spec.name() + ": " + transition.refused().get());
      }
      if (!transition.next().equals(state) || record.state().isEmpty()) {
        owner.hooks.beforeSave(spec);
        try {
          store.save(
              spec,
              transition.next(),
              record.resourceVersion(),
              stableLive,
              stableLive == null ? null : performer.liveRef(stableLive));
        } catch (ClusterException e) {
          if (e.error().reason() == ClusterError.Reason.CONFLICT) {
            store.forget();
            actedOn = null;
            dirty.set(true);
            Optional<RolloutState> fresh = store.load(spec).state();
            conflictLeftStateAlone = fresh.isPresent() && fresh.get().equals(state);
            String now =
                fresh
                    .map(s -> RolloutStatus.of(s, spec, clock.instant()).line())
                    .orElse(spec.name());
            return new CommandOutcome(
                CommandOutcome.Kind.CONFLICT,
                spec.name()
                    + " changed meanwhile (another"
                    + " console acted): now "
                    + now
                    + command.map(c -> "; your " + c.verb() + " was not applied").orElse(""));
          }
          throw e;
        }
        owner.hooks.afterSave(spec, transition.next());
      }
      if (rollingBack) {
        List<Effect> effects = transition.effects();
        int traffic = 0;
        while (traffic < effects.size() && movesTraffic(effects.get(traffic))) {
          traffic++;
        }
        performer.perform(spec, transition.next(), effects.subList(0, traffic));
        rollingBack = false;
        owner.rollbackWritten();
        owner.awaitCalm(); // the rest (replicas, selectors, events) after every weight 0
        performer.perform(spec, transition.next(), effects.subList(traffic, effects.size()));
      } else {
        performer.perform(spec, transition.next(), transition.effects());
      }
      actedOn = transition.next();
      if (transition.next() instanceof CanaryState canary && CanaryMachine.owesFlags(canary)) {
        // its flag restore is done (a rollback's, a cancellation's, a superseded canary's): the
        // pass right after records that it owes nothing more, so that no console starting later
        // puts it back over a person's newer flag edit
        requestPass();
      }
      performer.syncSelectors(spec, transition.next());
      performer.knowRoutes(spec, transition.next());
      publishStatus(spec, transition.next());
      problem = Optional.empty();
      retry = RETRY_FIRST;
      transition.wakeAfter().ifPresent(this::wakeIn);
      String message =
          transition.events().stream()
              .filter(e -> command.isPresent() && e.who().equals(command.get().who()))
              .map(RolloutEvent::message)
              .findFirst()
              .orElse(status.map(RolloutStatus::line).orElse(spec.name()));
      return new CommandOutcome(CommandOutcome.Kind.APPLIED, spec.name() + ": " + message);
    } catch (ClusterException e) {
      actedOn = null; // the effects may be half done: re-assert the recorded state next time
      store.forget();
      performer.forgetRoutes();
      problem = Optional.of(e.getMessage());
      if (!closed) { // a console closing as its cluster goes away has nothing to report
        LOG.warn("rollout {}: {}", spec.qualifiedName(), e.getMessage());
      }
      retryLater(e.reason().isTransient());
      return new CommandOutcome(CommandOutcome.Kind.FAILED, spec.name() + ": " + e.getMessage());
    } catch (ActionException e) {
      actedOn = null;
      problem = Optional.of(e.getMessage());
      retryLater(true);
      return new CommandOutcome(CommandOutcome.Kind.FAILED, spec.name() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      if (closed) {
        return failed("the console stopped");
      }
      actedOn = null; // whatever broke, the next pass re-asserts the recorded state
      problem = Optional.of("internal error: " + e);
      LOG.error("rollout {}: pass failed", spec.qualifiedName(), e);
      retryLater(true);
      return failed("internal error: " + e);
    } finally {
      if (rollingBack) {
        owner.rollbackWritten();
      }
    }
  }

  /**
   * The transition of an analysis that just failed, when it can be decided without reading the
   * cluster: this runner holds the record it wrote or read last and acted on it, and the machine
   * rolls the canary back from it. A rollback depends only on the record, Git and the analysis, not
   * on the Deployments (the machine checks Git and analysis before it looks at pods), so the
   * Deployments as last seen do. Empty otherwise: the pass reads as usual.
   */
  private Optional<Transition<RolloutState>> rollbackDecided(
      RolloutSpec spec,
      RolloutRecordStore.Record cached,
      Observation last,
      Map<String, AnalysisStatus> analyses) {
    if (cached == null
        || last == null
        || cached.state().isEmpty()
        || !cached.state().get().equals(actedOn)
        || !(cached.state().get() instanceof CanaryState before)
        || before instanceof CanaryState.Aborted
        || analyses.values().stream().noneMatch(a -> a.counts().phase().unsuccessful())) {
      return Optional.empty();
    }
    Transition<RolloutState> transition =
        RolloutMachine.next(before, spec, asLastSeen(last, analyses), clock.instant());
    return transition.refused().isEmpty()
            && transition.next() instanceof CanaryState.Aborted aborted
            && aborted.automatic()
        ? Optional.of(transition)
        : Optional.empty();
  }

  /** Git as it is now, the Deployments as {@code last} saw them, the analysis as it is now. */
  private Observation asLastSeen(Observation last, Map<String, AnalysisStatus> analyses) {
    return new Observation(
        desired,
        revision,
        replicas,
        last.stable(),
        last.secondary(),
        analyses,
        Optional.empty(),
        last.experiments());
  }

  /** The effects that move users' requests, carried out first in a rollback. */
  private static boolean movesTraffic(Effect effect) {
    return effect instanceof Effect.SetWeight
        || effect instanceof Effect.SetHeaderRoutes
        || effect instanceof Effect.SetMirrorRoutes;
  }

  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private CommandOutcome failed(String message) {
    return new CommandOutcome(CommandOutcome.Kind.FAILED, spec.name() + ": " + message);
  }

  private void publishStatus(RolloutSpec spec, RolloutState state) {
    RolloutState before = shown;
    status = Optional.of(RolloutStatus.of(state, spec, clock.instant()));
    shown = state;
    readBackOnce(spec, state);
    if (!state.equals(before)) {
      // what the pass decided is what a console shows: tell it now, not at its next comparison
      owner.stateChanged(spec);
    }
  }

  /**
   * Reads the series of the analyses {@code state} has under way back from the metrics source,
   * once per run: what they measured before this console started (after a restart, or when another
   * console drove the rollout) is then on the chart too. Off the pass's path.
   */
  private void readBackOnce(RolloutSpec spec, RolloutState state) {
    if (!owner.runsAnalysis()) {
      return;
    }
    List<String> due = new ArrayList<>();
    for (RolloutViews.Slot slot : RolloutViews.slots(spec, state)) {
      if (readBack.putIfAbsent(slot.run(), List.of()) == null) {
        due.add(slot.run());
      }
    }
    if (due.isEmpty()) {
      return;
    }
    Map<String, AnalysisTemplateSpec> known = analysisTemplates;
    work.execute(
        () -> {
          try {
            RolloutViews.readBack(spec, state, known, metrics, clock.instant())
                .forEach(
                    (run, series) -> {
                      if (due.contains(run)) {
                        readBack.put(run, series);
                      }
                    });
          } catch (RuntimeException e) {
            LOG.warn("rollout {}: series not read back: {}", spec.qualifiedName(), e.toString());
          }
        });
  }

  private synchronized void wakeIn(Duration delay) {
    if (wake != null) {
      wake.cancel();
    }
    wake = clock.schedule(delay, this::requestPass);
  }

  private void retryLater(boolean transientError) {
    Duration delay = transientError ? retry : RETRY_MAX;
    retry = retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
    wakeIn(delay);
  }

  // ---- observe ----------------------------------------------------------------------------

  private Workload workload(LiveObject deployment) {
    if (deployment == null) {
      return Workload.ABSENT;
    }
    int specReplicas = deployment.at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(1);
    Map<String, Object> status = deployment.status();
    long observed = status.get("observedGeneration") instanceof Number n ? n.longValue() : 0;
    int ready = 0;
    if (observed >= deployment.generation()) {
      int updated = status.get("updatedReplicas") instanceof Number n ? n.intValue() : 0;
      int available = status.get("availableReplicas") instanceof Number n ? n.intValue() : 0;
      ready = Math.min(updated, available);
    }
    return Workload.of(performer.liveRef(deployment), specReplicas, ready);
  }

  /**
   * The experiment Deployments as {@link Workload}s by name, each's template named by the hash its
   * pods carry (what the machine compares with the experiment's pod hash).
   */
  private static Map<String, Workload> experiments(List<LiveObject> deployments) {
    Map<String, Workload> out = new java.util.LinkedHashMap<>();
    for (LiveObject deployment : deployments) {
      Object hash =
          deployment
              .at("spec.template.metadata.labels")
              .map(l -> ((Map<?, ?>) l).get(RolloutExecutor.HASH_LABEL))
              .orElse(null);
      int specReplicas =
          deployment.at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(1);
      Map<String, Object> status = deployment.status();
      long observed = status.get("observedGeneration") instanceof Number n ? n.longValue() : 0;
      int ready = 0;
      if (observed >= deployment.generation()) {
        int updated = status.get("updatedReplicas") instanceof Number n ? n.intValue() : 0;
        int available = status.get("availableReplicas") instanceof Number n ? n.intValue() : 0;
        ready = Math.min(updated, available);
      }
      out.put(
          deployment.key().name(),
          Workload.of(new PodTemplateRef(String.valueOf(hash), ""), specReplicas, ready)
              .withStalled(stalled(deployment).isPresent()));
    }
    return out;
  }

  private Map<String, AnalysisStatus> analysisStatuses() {
    return analyses.statuses();
  }

  /** The label on every object the rollout engine makes for a rollout, naming it. */
  static final String ROLLOUT_LABEL = "rollouts.weir.dev/rollout";

  /**
   * The Rollout left Git: its Deployment becomes a plain one of the reconciler's. A canary's
   * traffic goes back to stable first, the Services' selectors are given back to Git, then what the
   * rollout made (its canary or preview Deployment, an NGINX canary Ingress or SMI TrafficSplit it
   * created, its state) is deleted. A blue/green that is not at rest keeps everything: its active
   * Service may select the preview's pods, and only a person can say which color stays (the
   * Rollout put back in Git and aborted or promoted, then removed). Returns one line on what was
   * done.
   */
  String retire() {
    close();
    RolloutSpec spec = this.spec;
    try {
      store.forget();
      Optional<RolloutState> recorded = store.load(spec).state();
      if (spec.strategy() instanceof BlueGreenStrategy
          && recorded.isPresent()
          && !(recorded.get() instanceof BlueGreenState.Steady)) {
        return spec.name()
            + " left Git while "
            + RolloutStatus.of(recorded.get(), spec, clock.instant()).line().strip()
            + "; left as it is: put the Rollout back, promote or abort it, then remove it";
      }
      List<String> services = new ArrayList<>();
      if (spec.strategy() instanceof CanaryStrategy canary) {
        performer.route(spec, TrafficShape.ALL_STABLE);
        canary.stableService().ifPresent(services::add);
        canary.canaryService().ifPresent(services::add);
        performer.releaseSubsets(spec);
      } else {
        services.add(spec.blueGreen().activeService());
        spec.blueGreen().previewService().ifPresent(services::add);
      }
      for (String service : services) {
        performer.selectHash(spec, service, Optional.empty());
      }
      int deleted = performer.endExperiments(spec, java.util.Set.of());
      for (ResourceKey key : RolloutOwnership.of(List.of(spec)).objects()) {
        Optional<LiveObject> made = cluster.get(key);
        if (made.isPresent()
            && spec.name().equals(made.get().labels().get(ROLLOUT_LABEL))
            && cluster.delete(key, false)) {
          deleted++;
        }
      }
      String message =
          spec.name()
              + " left Git: all traffic on stable, Services given back to Git, "
              + deleted
              + (deleted == 1 ? " object" : " objects")
              + " it made deleted";
      owner.publish(
          new RolloutEvent(
              clock.instant(),
              spec.name(),
              RolloutEvent.Reason.CANCELLED,
              recorded.map(r -> r.describe()).orElse("unrecorded"),
              "removed",
              RolloutEvent.ENGINE,
              message,
              Map.of()));
      return message;
    } catch (ClusterException | ActionException e) {
      return spec.name() + " left Git; cleaning up after it failed: " + e.getMessage();
    }
  }

  void close() {
    closed = true;
    synchronized (this) {
      if (wake != null) {
        wake.cancel();
      }
    }
    analyses.close("the console stopped");
  }

  /**
   * An action that cannot be carried out as the cluster stands (missing object, unknown template).
   */
  static final class ActionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ActionException(String message) {
      super(message, null, false, false);
    }
  }
}
