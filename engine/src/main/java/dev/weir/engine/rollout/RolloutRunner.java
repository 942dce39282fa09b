package dev.weir.engine.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisRunExecutor;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import dev.weir.engine.traffic.RoutePlan;
import dev.weir.engine.traffic.TrafficRouter;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import dev.weir.engine.traffic.TrafficShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rollout's passes (see {@link RolloutExecutor}): load, observe, decide, record, act. Passes
 * run one at a time; a pass asked for while one runs is taken right after it (a trampoline), so a
 * direct executor and a pool behave alike and nothing waits on a lock while the cluster answers for
 * another rollout.
 */
final class RolloutRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ApplyOptions WRITE =
      new ApplyOptions(RolloutExecutor.FIELD_MANAGER, true, false);
  private static final Duration RETRY_FIRST = Duration.ofSeconds(2);
  private static final Duration RETRY_MAX = Duration.ofMinutes(1);
  private static final AtomicLong EVENT_SEQUENCE = new AtomicLong();

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
  private final Map<String, Map<String, Object>> templates = new ConcurrentHashMap<>();

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
  private volatile Optional<String> stalled = Optional.empty();

  /**
   * The recorded state this runner last acted on; another one in the record means someone else
   * acted.
   */
  private volatile RolloutState actedOn;

  private volatile boolean closed;
  private TrafficShape shape = TrafficShape.ALL_STABLE;
  private EngineClock.Scheduled wake;
  private Duration retry = RETRY_FIRST;
  private String selectorsSyncedFor = "";

  /** The Deployments as this pass read or wrote them, so that acting does not read them again. */
  private final Map<ResourceKey, Optional<LiveObject>> seenThisPass = new ConcurrentHashMap<>();

  /**
   * The router's objects as this runner last read or wrote them; null when they must be read (after
   * a refresh or an error), so that someone else's change is seen within a resync period.
   */
  private volatile Map<ResourceKey, Map<String, Object>> routeObjects;

  /**
   * The record as this runner last wrote or read it; null when it must be read from the cluster.
   */
  private volatile Record written;

  /** What the last pass that read the cluster observed (its Deployments); null before one. */
  private volatile Observation lastSeen;

  private boolean selectorsPending;

  /** A pass's read of the recorded state. */
  private record Record(Optional<RolloutState> state, String resourceVersion) {}

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
    this.analyses = new AnalysisRuns(metrics, clock, work, owner::runsAnalysis);
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
    this.templates.put(desired.hash(), template);
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
    written = null;
    routeObjects = null;
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
      if (actedOn == null && !closed) {
        // a runner that has not taken a pass yet (a one-shot console's) first catches up with Git
        // and the cluster, so that the command is judged on the rollout as it stands
        pass(Optional.empty());
      }
      outcome = pass(Optional.of(command));
    } finally {
      lock.unlock();
    }
    drain();
    return outcome;
  }

  // ---- one pass ---------------------------------------------------------------------------

  private CommandOutcome pass(Optional<ManualCommand> command) {
    if (desired == null) {
      return failed("not tracked yet");
    }
    RolloutSpec spec = this.spec;
    boolean rollingBack = false;
    try {
      Map<String, AnalysisStatus> analyses = analysisStatuses();
      Record record;
      Observation seen;
      RolloutState state;
      Record cached = written; // a refresh may forget it meanwhile
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
        seenThisPass.clear();
      } else {
        // the three reads are independent: one round trip, not three
        CompletableFuture<Record> recordRead =
            CompletableFuture.supplyAsync(() -> load(spec), work);
        CompletableFuture<Optional<LiveObject>> stableRead =
            CompletableFuture.supplyAsync(() -> cluster.get(spec.targetKey()), work);
        CompletableFuture<Optional<LiveObject>> secondaryRead =
            CompletableFuture.supplyAsync(() -> cluster.get(spec.secondaryKey()), work);
        record = joined(recordRead);
        seenThisPass.clear();
        seenThisPass.put(spec.targetKey(), joined(stableRead));
        seenThisPass.put(spec.secondaryKey(), joined(secondaryRead));
        LiveObject stableLive = seenThisPass.get(spec.targetKey()).orElse(null);
        LiveObject secondaryLive = seenThisPass.get(spec.secondaryKey()).orElse(null);
        stalled = stalled(secondaryLive).or(() -> stalled(stableLive));
        seen =
            new Observation(
                desired,
                revision,
                replicas,
                workload(stableLive),
                workload(secondaryLive).withStalled(stalled(secondaryLive).isPresent()),
                analyses,
                command);
        lastSeen = seen.withoutCommand();
        Observation initial = seen.withoutCommand();
        state = record.state().orElseGet(() -> RolloutMachine.initial(spec, initial));
      }
      LiveObject stableLive =
          Optional.ofNullable(seenThisPass.get(spec.targetKey())).flatMap(o -> o).orElse(null);
      if (record.state().isPresent() && !record.state().get().equals(actedOn)) {
        // resuming after a crash, or another console moved the rollout: make the cluster (and our
        // analysis runs) match the record before deciding anything
        perform(spec, state, RolloutMachine.restore(state, spec, seen));
      }
      actedOn = state;
      Transition<RolloutState> transition =
          rollback.isPresent()
              ? rollback.get()
              : RolloutMachine.next(state, spec, seen, clock.instant());
      if (transition.refused().isPresent()) {
        publishStatus(spec, state);
        return new CommandOutcome(
            CommandOutcome.Kind.REFUSED, spec.name() + ": " + transition.refused().get());
      }
      if (!transition.next().equals(state) || record.state().isEmpty()) {
        owner.hooks.beforeSave(spec);
        try {
          save(spec, transition.next(), record.resourceVersion(), stableLive);
        } catch (ClusterException e) {
          if (e.error().reason() == ClusterError.Reason.CONFLICT) {
            written = null;
            actedOn = null;
            dirty.set(true);
            String now =
                Optional.ofNullable(load(spec).state().orElse(null))
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
        perform(spec, transition.next(), effects.subList(0, traffic));
        rollingBack = false;
        owner.rollbackWritten();
        owner.awaitCalm(); // the rest (replicas, selectors, events) after every weight 0
        perform(spec, transition.next(), effects.subList(traffic, effects.size()));
      } else {
        perform(spec, transition.next(), transition.effects());
      }
      actedOn = transition.next();
      syncSelectors(spec, transition.next());
      knowRoutes(spec, transition.next());
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
      written = null;
      routeObjects = null;
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
      RolloutSpec spec, Record cached, Observation last, Map<String, AnalysisStatus> analyses) {
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
        desired, revision, replicas, last.stable(), last.secondary(), analyses, Optional.empty());
  }

  /** The effects that move users' requests, carried out first in a rollback. */
  private static boolean movesTraffic(Effect effect) {
    return effect instanceof Effect.SetWeight || effect instanceof Effect.SetHeaderRoutes;
  }

  /** A Deployment as this pass last saw it (read or written), else from the cluster. */
  private Optional<LiveObject> deployment(ResourceKey key) {
    Optional<LiveObject> seen = seenThisPass.get(key);
    return seen != null ? seen : cluster.get(key);
  }

  /** Applies a Deployment and remembers what the server made of it for the rest of the pass. */
  private void applyDeployment(ResourceKey key, Map<String, Object> deployment) {
    seenThisPass.put(key, Optional.of(cluster.apply(deployment, WRITE)));
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
    status = Optional.of(RolloutStatus.of(state, spec, clock.instant()));
    shown = state;
    readBackOnce(spec, state);
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

  // ---- record -----------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private Record load(RolloutSpec spec) {
    Record cached = written;
    if (cached != null) {
      return cached; // what this runner wrote last; a change by anyone else makes the save conflict
    }
    Optional<LiveObject> configMap = cluster.get(RolloutStateStore.key(spec));
    if (configMap.isEmpty()) {
      return new Record(Optional.empty(), "");
    }
    Map<String, Object> data =
        (Map<String, Object>) configMap.get().object().getOrDefault("data", Map.of());
    data.forEach(
        (key, value) -> {
          if (key.startsWith("template.")) {
            try {
              templates.putIfAbsent(
                  key.substring("template.".length()),
                  JSON.readValue(String.valueOf(value), Map.class));
            } catch (JsonProcessingException e) {
              LOG.warn("rollout {}: unreadable recorded template {}", spec.qualifiedName(), key);
            }
          }
        });
    Object recorded = data.get("state");
    if (recorded == null) {
      return new Record(Optional.empty(), configMap.get().resourceVersion());
    }
    try {
      Record read =
          new Record(
              Optional.of(RolloutStateCodec.decode(String.valueOf(recorded))),
              configMap.get().resourceVersion());
      written = read; // until the next refresh; a change by anyone else makes the save conflict
      return read;
    } catch (IllegalArgumentException e) {
      throw new ActionException(
          "ConfigMap "
              + RolloutStateStore.key(spec).namespace()
              + "/"
              + RolloutStateStore.key(spec).name()
              + ": "
              + e.getMessage());
    }
  }

  private void save(
      RolloutSpec spec, RolloutState state, String resourceVersion, LiveObject stableLive) {
    RolloutStatus summary = RolloutStatus.of(state, spec, clock.instant());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("state", RolloutStateCodec.encode(state));
    data.put("phase", summary.phase().word());
    data.put("message", summary.message());
    data.put("step", String.valueOf(summary.step()));
    data.put("weight", String.valueOf(summary.weight()));
    summary.analysis().ifPresent(a -> data.put("analysis", a.describe()));
    summary.background().ifPresent(a -> data.put("backgroundAnalysis", a.describe()));
    PodTemplateRef stable = stableOf(state);
    Map<String, Object> stableTemplate = templates.get(stable.hash());
    if (stableTemplate == null
        && stableLive != null
        && liveRef(stableLive).hash().equals(stable.hash())) {
      stableTemplate = liveTemplate(stableLive);
      templates.put(stable.hash(), stableTemplate);
    }
    if (stableTemplate != null) {
      try {
        data.put("template." + stable.hash(), JSON.writeValueAsString(stableTemplate));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", RolloutStateStore.key(spec).name());
    metadata.put("namespace", spec.namespace());
    metadata.put(
        "labels",
        Map.of(RolloutOwnership.MANAGED_BY, "weir", ROLLOUT_LABEL, spec.name()));
    if (!resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    Map<String, Object> configMap = new LinkedHashMap<>();
    configMap.put("apiVersion", "v1");
    configMap.put("kind", "ConfigMap");
    configMap.put("metadata", metadata);
    configMap.put("data", data);
    LiveObject stored = cluster.apply(configMap, WRITE);
    written = new Record(Optional.of(state), stored.resourceVersion());
  }

  private static PodTemplateRef stableOf(RolloutState state) {
    return RolloutViews.stableOf(state);
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
    return Workload.of(liveRef(deployment), specReplicas, ready);
  }

  /**
   * The template a live Deployment runs: as Weir recorded it, or Git's when it holds Git's, else
   * its own hash.
   */
  private PodTemplateRef liveRef(LiveObject deployment) {
    Map<String, Object> template = liveTemplate(deployment);
    Object recorded = deployment.annotations().get(RolloutExecutor.TEMPLATE_ANNOTATION);
    if (recorded != null) {
      PodTemplateRef known =
          PodTemplateRef.of(templates.getOrDefault(String.valueOf(recorded), template));
      return new PodTemplateRef(String.valueOf(recorded), known.version());
    }
    if (desired != null && contains(template, desiredTemplate)) {
      return desired;
    }
    return PodTemplateRef.of(template);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> liveTemplate(LiveObject deployment) {
    return (Map<String, Object>) deployment.spec().getOrDefault("template", Map.of());
  }

  /**
   * Whether every field of {@code want} is in {@code have} with the same value (server defaults
   * aside).
   */
  private static boolean contains(Object have, Object want) {
    if (want instanceof Map<?, ?> w) {
      if (!(have instanceof Map<?, ?> h)) {
        return false;
      }
      for (var entry : w.entrySet()) {
        if (!contains(h.get(entry.getKey()), entry.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof List<?> w) {
      if (!(have instanceof List<?> h) || h.size() != w.size()) {
        return false;
      }
      for (int i = 0; i < w.size(); i++) {
        if (!contains(h.get(i), w.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof Number w && have instanceof Number h) {
      return w.doubleValue() == h.doubleValue();
    }
    return want == null || (have != null && String.valueOf(want).equals(String.valueOf(have)));
  }

  private Map<String, AnalysisStatus> analysisStatuses() {
    return analyses.statuses();
  }

  // ---- act --------------------------------------------------------------------------------

  private void perform(RolloutSpec spec, RolloutState state, List<Effect> effects) {
    for (Effect effect : effects) {
      switch (effect) {
        case Effect.SetWeight w -> route(spec, shape.withWeight(w.weight()));
        case Effect.SetHeaderRoutes r -> route(spec, shape.withHeaderRoutes(r.routes()));
        case Effect.ScaleCanary s -> scaleSecondary(spec, s.template(), s.replicas());
        case Effect.UpdateStable u -> updateStable(spec, u.template(), u.replicas());
        case Effect.SwitchActive a -> select(spec, spec.blueGreen().activeService(), a.template());
        case Effect.SwitchPreview p ->
            spec.blueGreen()
                .previewService()
                .ifPresent(service -> select(spec, service, p.template()));
        case Effect.StartAnalysis a ->
            startAnalysis(spec, a.run(), a.analysis(), a.recorded(), hashes(state));
        case Effect.StopAnalysis a -> stopAnalysis(a.run());
        case Effect.Emit e -> emit(spec, e.event());
      }
    }
  }

  /**
   * Reads the router's objects when a canary takes traffic and they are not known (after a refresh
   * or an error), so that a rollback writes its weight 0 without reading them first.
   */
  private void knowRoutes(RolloutSpec spec, RolloutState state) {
    if (routeObjects != null
        || !(spec.strategy() instanceof CanaryStrategy canary)
        || canary.trafficRouting() instanceof TrafficRoutingSpec.ReplicaRatio
        || !(state instanceof CanaryState.Progressing || state instanceof CanaryState.Paused)) {
      return;
    }
    routeObjects =
        TrafficRouter.of(
                canary.trafficRouting(),
                spec.namespace(),
                canary.stableService().orElseThrow(),
                canary.canaryService().orElseThrow())
            .read(cluster);
  }

  private void route(RolloutSpec spec, TrafficShape next) {
    shape = next;
    if (!(spec.strategy() instanceof CanaryStrategy canary)
        || canary.trafficRouting() instanceof TrafficRoutingSpec.ReplicaRatio) {
      return;
    }
    TrafficRouter router =
        TrafficRouter.of(
            canary.trafficRouting(),
            spec.namespace(),
            canary.stableService().orElseThrow(),
            canary.canaryService().orElseThrow());
    Map<ResourceKey, Map<String, Object>> live = routeObjects;
    if (live == null) {
      live = router.read(cluster);
    }
    routeObjects = null; // unknown until the write below is acknowledged
    TrafficRouter.Routed routed = router.apply(cluster, live, next, RolloutExecutor.FIELD_MANAGER);
    if (routed.plan() instanceof RoutePlan.Impossible impossible) {
      throw new ActionException(impossible.reason());
    }
    routeObjects = routed.objects();
  }

  private void scaleSecondary(RolloutSpec spec, PodTemplateRef wanted, int count) {
    Optional<LiveObject> current = deployment(spec.secondaryKey());
    if (count == 0 && current.isEmpty()) {
      return; // nothing to scale down
    }
    PodTemplateRef template = wanted;
    if (count == 0 && !templates.containsKey(wanted.hash())) {
      template = liveRef(current.get()); // scaling down keeps whatever template it has
      templates.putIfAbsent(template.hash(), liveTemplate(current.get()));
    }
    Map<String, Object> podTemplate = labelled(templateOf(spec, template), template);
    Map<String, Object> matchLabels = new LinkedHashMap<>(selector);
    matchLabels.put(RolloutExecutor.HASH_LABEL, template.hash());
    Optional<LiveObject> live = current;
    if (live.isPresent()
        && runsLabelled(live.get(), template)
        && live.get().at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(-1) == count) {
      return;
    }
    if (live.isPresent()
        && !live.get().at("spec.selector.matchLabels").orElse(Map.of()).equals(matchLabels)) {
      cluster.delete(spec.secondaryKey(), false); // a Deployment's selector cannot change
      seenThisPass.put(spec.secondaryKey(), Optional.empty());
    }
    Map<String, Object> deployment = deployment(spec.secondaryKey(), template, count, podTemplate);
    ((Map<String, Object>) deployment.get("spec"))
        .put("selector", Map.of("matchLabels", matchLabels));
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) deployment.get("metadata");
    metadata.put(
        "labels",
        Map.of(RolloutOwnership.MANAGED_BY, "weir", ROLLOUT_LABEL, spec.name()));
    applyDeployment(spec.secondaryKey(), deployment);
    if (count > 0) {
      stamp(spec);
    }
  }

  /** Gives the stable pods their template-hash label once, so that Services can tell them apart. */
  private void stamp(RolloutSpec spec) {
    Optional<LiveObject> stable = deployment(spec.targetKey());
    if (stable.isEmpty()) {
      return;
    }
    Object label =
        stable
            .get()
            .at("spec.template.metadata.labels")
            .map(l -> ((Map<?, ?>) l).get(RolloutExecutor.HASH_LABEL))
            .orElse(null);
    if (label == null) {
      PodTemplateRef ref = liveRef(stable.get());
      templates.putIfAbsent(ref.hash(), liveTemplate(stable.get()));
      updateStable(
          spec,
          ref,
          stable.get().at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(replicas));
    }
  }

  private void updateStable(RolloutSpec spec, PodTemplateRef template, int count) {
    Optional<LiveObject> live = deployment(spec.targetKey());
    if (live.isPresent()
        && live.get().annotations().containsKey(RolloutExecutor.TEMPLATE_ANNOTATION)
        && runsLabelled(live.get(), template)
        && live.get().at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(-1) == count) {
      return;
    }
    applyDeployment(
        spec.targetKey(),
        deployment(
            spec.targetKey(), template, count, labelled(templateOf(spec, template), template)));
  }

  private static Map<String, Object> deployment(
      ResourceKey key, PodTemplateRef template, int count, Map<String, Object> podTemplate) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", key.name());
    metadata.put("namespace", key.namespace());
    metadata.put("annotations", Map.of(RolloutExecutor.TEMPLATE_ANNOTATION, template.hash()));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("replicas", count);
    spec.put("template", podTemplate);
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("apiVersion", "apps/v1");
    deployment.put("kind", "Deployment");
    deployment.put("metadata", metadata);
    deployment.put("spec", spec);
    return deployment;
  }

  private Map<String, Object> templateOf(RolloutSpec spec, PodTemplateRef template) {
    Map<String, Object> known = templates.get(template.hash());
    if (known == null) {
      throw new ActionException(
          "the pod template of "
              + template.version()
              + " ("
              + template.hash()
              + ") is no longer known to "
              + spec.name()
              + "; revert the application in Git to a known revision");
    }
    return known;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> labelled(Map<String, Object> template, PodTemplateRef ref) {
    Map<String, Object> copy = (Map<String, Object>) deepCopy(template);
    Map<String, Object> metadata =
        (Map<String, Object>) copy.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    Map<String, Object> labels =
        (Map<String, Object>) metadata.computeIfAbsent("labels", k -> new LinkedHashMap<>());
    labels.put(RolloutExecutor.HASH_LABEL, ref.hash());
    return copy;
  }

  private static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(deepCopy(v)));
      return out;
    }
    return value;
  }

  /**
   * Narrows {@code service} to the pods of {@code template} by their hash label, once those pods
   * carry it; until then the Service keeps the application's own selector. Returns whether it could
   * narrow it.
   */
  private boolean select(RolloutSpec spec, String service, PodTemplateRef template) {
    boolean labelled = false;
    for (ResourceKey key : List.of(spec.targetKey(), spec.secondaryKey())) {
      Optional<LiveObject> deployment = deployment(key);
      if (deployment.isPresent()
          && settled(deployment.get())
          && template.hash().equals(hashLabel(deployment.get()))) {
        labelled = true;
      }
    }
    selectHash(spec, service, labelled ? Optional.of(template.hash()) : Optional.empty());
    return labelled;
  }

  /**
   * Whether {@code live} runs {@code template} with its pods labelled by the template's hash (a
   * Deployment applied by someone else runs the template without the label: the rollout adds it, so
   * that a Service can be narrowed to those pods).
   */
  private boolean runsLabelled(LiveObject live, PodTemplateRef template) {
    return liveRef(live).hash().equals(template.hash())
        && template.hash().equals(hashLabel(live));
  }

  /** The hash label of {@code deployment}'s pod template, or null. */
  private static Object hashLabel(LiveObject deployment) {
    return deployment
        .at("spec.template.metadata.labels")
        .map(l -> ((Map<?, ?>) l).get(RolloutExecutor.HASH_LABEL))
        .orElse(null);
  }

  /**
   * Whether every pod of {@code deployment} runs its current template and is available: only then
   * may a Service be narrowed to that template's pods without leaving it without endpoints.
   */
  private static boolean settled(LiveObject deployment) {
    Map<String, Object> status = deployment.status();
    long observed = status.get("observedGeneration") instanceof Number n ? n.longValue() : 0;
    int want = deployment.at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(1);
    int updated = status.get("updatedReplicas") instanceof Number n ? n.intValue() : 0;
    int available = status.get("availableReplicas") instanceof Number n ? n.intValue() : 0;
    return observed >= deployment.generation() && want > 0 && updated >= want && available >= want;
  }

  private void selectHash(RolloutSpec spec, String service, Optional<String> hash) {
    ResourceKey key = new ResourceKey("", "Service", spec.namespace(), service);
    Optional<LiveObject> live = cluster.get(key);
    if (live.isEmpty()) {
      throw new ActionException("Service " + spec.namespace() + "/" + service + " does not exist");
    }
    Object current =
        live.get()
            .at("spec.selector")
            .map(s -> ((Map<?, ?>) s).get(RolloutExecutor.HASH_LABEL))
            .orElse(null);
    if (hash.map(h -> h.equals(current)).orElse(current == null)) {
      return;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", service);
    metadata.put("namespace", spec.namespace());
    Map<String, Object> selectorPatch = new LinkedHashMap<>();
    hash.ifPresent(h -> selectorPatch.put(RolloutExecutor.HASH_LABEL, h));
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "Service");
    object.put("metadata", metadata);
    object.put("spec", new LinkedHashMap<>(Map.of("selector", selectorPatch)));
    cluster.apply(object, WRITE);
  }

  /** Keeps a canary's two Services on their own pods, once the pods carry their hash label. */
  private void syncSelectors(RolloutSpec spec, RolloutState state) {
    if (!(spec.strategy() instanceof CanaryStrategy canary)
        || !(state instanceof CanaryState canaryState)) {
      return;
    }
    Optional<CanaryCursor> cursor =
        switch (canaryState) {
          case CanaryState.Progressing p -> Optional.of(p.cursor());
          case CanaryState.Paused p -> Optional.of(p.cursor());
          case CanaryState.Promoting p -> Optional.of(p.cursor());
          default -> Optional.empty();
        };
    PodTemplateRef stable = stableOf(state);
    String key = stable.hash() + "/" + cursor.map(c -> c.canary().hash()).orElse("");
    if (key.equals(selectorsSyncedFor) && !selectorsPending) {
      return; // nothing changed since the selectors were last made right
    }
    boolean settled = true;
    if (canary.stableService().isPresent()) {
      settled &= select(spec, canary.stableService().get(), stable);
    }
    if (cursor.isPresent() && canary.canaryService().isPresent()) {
      settled &= select(spec, canary.canaryService().get(), cursor.get().canary());
    }
    selectorsSyncedFor = key;
    selectorsPending = !settled;
  }

  private void startAnalysis(
      RolloutSpec spec,
      String run,
      AnalysisRef ref,
      AnalysisCounts recorded,
      Map.Entry<String, String> latestAndStable) {
    analyses.start(
        run,
        ref,
        recorded,
        analysisTemplates,
        latestAndStable.getKey(),
        latestAndStable.getValue(),
        this::requestPass);
  }

  /** The pod-template hashes of the new version and of the stable one, as {@code state} has them. */
  private static Map.Entry<String, String> hashes(RolloutState state) {
    return RolloutViews.hashes(state);
  }

  private void stopAnalysis(String run) {
    analyses.stop(run, "the rollout moved on");
  }

  private void emit(RolloutSpec spec, RolloutEvent event) {
    owner.publish(event);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(
        "name",
        spec.name()
            + "."
            + Long.toHexString(event.at().toEpochMilli())
            + "."
            + EVENT_SEQUENCE.incrementAndGet());
    metadata.put("namespace", spec.namespace());
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put("rollouts.weir.dev/who", event.who());
    annotations.put("rollouts.weir.dev/from", event.from());
    annotations.put("rollouts.weir.dev/to", event.to());
    if (!event.metrics().isEmpty()) {
      try {
        annotations.put("rollouts.weir.dev/metrics", JSON.writeValueAsString(event.metrics()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    metadata.put("annotations", annotations);
    metadata.put(
        "labels",
        Map.of(RolloutOwnership.MANAGED_BY, "weir", ROLLOUT_LABEL, spec.name()));
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "Event");
    object.put("metadata", metadata);
    object.put(
        "involvedObject",
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "name",
            spec.target(),
            "namespace",
            spec.namespace()));
    object.put("reason", reasonWord(event.reason()));
    object.put("message", event.message());
    object.put("type", event.reason() == RolloutEvent.Reason.ROLLED_BACK ? "Warning" : "Normal");
    object.put("firstTimestamp", event.at().toString());
    object.put("lastTimestamp", event.at().toString());
    object.put("count", 1);
    object.put("source", Map.of("component", RolloutExecutor.FIELD_MANAGER));
    object.put("reportingComponent", RolloutExecutor.FIELD_MANAGER);
    // off the pass's path: the timeline must not hold up the next action
    work.execute(
        () -> {
          owner.awaitCalm();
          owner.backgroundLane().acquireUninterruptibly();
          try {
            cluster.apply(object, WRITE);
          } catch (ClusterException e) {
            LOG.warn("rollout {}: event not recorded: {}", spec.qualifiedName(), e.getMessage());
          } finally {
            owner.backgroundLane().release();
          }
        });
  }

  /** {@code ROLLED_BACK} → {@code RolledBack}, as Kubernetes event reasons are written. */
  static String reasonWord(RolloutEvent.Reason reason) {
    StringBuilder out = new StringBuilder();
    for (String part : reason.name().split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return out.toString();
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
      written = null;
      Optional<RolloutState> recorded = load(spec).state();
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
        route(spec, TrafficShape.ALL_STABLE);
        canary.stableService().ifPresent(services::add);
        canary.canaryService().ifPresent(services::add);
      } else {
        services.add(spec.blueGreen().activeService());
        spec.blueGreen().previewService().ifPresent(services::add);
      }
      for (String service : services) {
        selectHash(spec, service, Optional.empty());
      }
      int deleted = 0;
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
