package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisArgs;
import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisRunExecutor;
import dev.weir.engine.analysis.AnalysisRunState;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricSeries;
import dev.weir.engine.analysis.SecretSource;
import dev.weir.engine.time.EngineClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The analysis runs one rollout owns, by the run name its state machine gave each: starts them (or
 * resumes them from a recorded checkpoint), stops them, sums them up for the machine, and keeps the
 * last few that ended — their states and chart series — so that a face still shows what an analysis
 * measured after the rollout moved on, was aborted or rolled back.
 *
 * <p>Thread-safe. A run's listener asks its rollout for a pass (through {@code onChange}) only when
 * what the machine sees changed, and only while the rollout still waits on that run.
 */
final class AnalysisRuns {
  /** Ended runs kept for the view. */
  private static final int KEPT = 8;

  /**
   * One rollout analysis: a run per template.
   *
   * @param latestHash the new version's pod-template hash when it started
   * @param stableHash the stable version's
   */
  record Run(
      String name,
      AnalysisRef ref,
      List<AnalysisRunExecutor> executors,
      List<AnalysisTemplateSpec> templates,
      String latestHash,
      String stableHash) {

    List<AnalysisRunState> states() {
      return executors.stream().map(AnalysisRunExecutor::state).toList();
    }

    List<MetricSeries> series() {
      List<MetricSeries> all = new ArrayList<>();
      executors.forEach(e -> all.addAll(e.series()));
      return all;
    }
  }

  private final MetricProvider metrics;
  private final SecretSource secrets;
  private final EngineClock clock;
  private final Executor work;
  private final java.util.function.BooleanSupplier enabled;
  private final Map<String, Run> running = new ConcurrentHashMap<>();
  private final Map<String, Run> ended =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
          return size() > KEPT;
        }
      };

  /**
   * @param secrets where arguments' {@code secretKeyRef}s are read: the rollout's namespace
   */
  AnalysisRuns(
      MetricProvider metrics,
      SecretSource secrets,
      EngineClock clock,
      Executor work,
      java.util.function.BooleanSupplier enabled) {
    this.metrics = metrics;
    this.secrets = secrets;
    this.clock = clock;
    this.work = work;
    this.enabled = enabled;
  }

  /**
   * Starts the run {@code run} of {@code ref} unless it runs already (or this rollout runs no
   * analysis: a one-shot command's). A run the record says was under way ({@code recorded}) goes on
   * from its counts — a crashed console's, or another console's — measuring next at its last
   * measurement plus the interval.
   *
   * @throws RolloutRunner.ActionException when a template is not in the application any more
   */
  void start(
      String run,
      AnalysisRef ref,
      AnalysisCounts recorded,
      Map<String, AnalysisTemplateSpec> known,
      String latestHash,
      String stableHash,
      Runnable onChange) {
    if (running.containsKey(run) || !enabled.getAsBoolean()) {
      return;
    }
    List<AnalysisTemplateSpec> specs = new ArrayList<>();
    List<AnalysisRunExecutor> executors = new ArrayList<>();
    for (String name : ref.templates()) {
      AnalysisTemplateSpec inApplication = known.get(name);
      if (inApplication == null) {
        throw new RolloutRunner.ActionException(
            "AnalysisTemplate " + name + " is not in the application any more");
      }
      AnalysisTemplateSpec template = ref.applyTo(inApplication);
      specs.add(template);
      // Secrets are read once, as the run starts (Argo resolves them when it makes the run)
      AnalysisArgs args =
          AnalysisArgs.resolve(template, ref.resolved(latestHash, stableHash), secrets);
      executors.add(new AnalysisRunExecutor(template, args, metrics, clock, work));
    }
    Run started = new Run(run, ref, executors, specs, latestHash, stableHash);
    running.put(run, started);
    synchronized (ended) {
      ended.remove(run);
    }
    for (int i = 0; i < executors.size(); i++) {
      AnalysisRunExecutor executor = executors.get(i);
      AtomicReference<Object> reported = new AtomicReference<>();
      executor.addListener(
          state -> {
            // a pass only when what the machine sees changed (not for a measurement asked for)
            Object now = List.of(state.phase(), AnalysisCheckpoint.of(state));
            if (!now.equals(reported.getAndSet(now)) && running.get(run) == started) {
              onChange.run();
            }
          });
      recorded.checkpoint(specs.get(i).name()).ifPresentOrElse(executor::resume, executor::start);
    }
  }

  /** Stops the run {@code run}, keeping what it measured for the view. Idempotent. */
  void stop(String run, String why) {
    Run stopped = running.remove(run);
    if (stopped != null) {
      stopped.executors().forEach(r -> r.terminate(why));
      synchronized (ended) {
        ended.put(run, stopped);
      }
    }
  }

  /** Whether a run ended unsuccessfully: the rollout's next pass may be a rollback. */
  boolean anyUnsuccessful() {
    for (Run run : running.values()) {
      for (AnalysisRunExecutor executor : run.executors()) {
        if (executor.state().phase().unsuccessful()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The running analyses as the state machine reads them. */
  Map<String, AnalysisStatus> statuses() {
    Map<String, AnalysisStatus> out = new HashMap<>();
    running.forEach(
        (name, run) -> out.put(name, AnalysisSummaries.of(name, run.states(), run.templates())));
    return out;
  }

  /** The run {@code name}, running or among the last ended, with whether it was stopped. */
  Optional<Kept> find(String name) {
    Run run = running.get(name);
    if (run != null) {
      return Optional.of(new Kept(run, false));
    }
    synchronized (ended) {
      return Optional.ofNullable(ended.get(name)).map(r -> new Kept(r, true));
    }
  }

  /** A run as the view reads it. */
  record Kept(Run run, boolean stopped) {}

  /** Stops every run (the console stops); nothing is kept. */
  void close(String why) {
    running.values().forEach(r -> r.executors().forEach(e -> e.terminate(why)));
    running.clear();
    synchronized (ended) {
      ended.clear();
    }
  }
}
