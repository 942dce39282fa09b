package dev.weir.engine.bench;

import dev.weir.engine.analysis.AnalysisRunExecutor;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.analysis.ComparisonSpec;
import dev.weir.engine.analysis.JudgeSettings;
import dev.weir.engine.analysis.MannWhitneyJudge;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricSpec;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.ScoringSpec;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.engine.analysis.Verdict;
import dev.weir.engine.model.SourceLocation;
import dev.weir.engine.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The analysis' hot paths. Run: {@code ./build bench AnalysisBenchmark -f 1 -wi 2 -i 3}.
 *
 * <ul>
 *   <li>{@code mannWhitney10kBy10k}: one statistical judgement of 10,000 canary against 10,000
 *       stable samples (target: under 20 ms).
 *   <li>{@code dispatch200Runs}: one op = 200 analysis runs sharing one ManualClock and one
 *       executor each take a measurement: the clock ticks all 200, each dispatches its query to the
 *       executor, and the op ends when all 200 measurements are judged and applied. {@code
 *       latencyMillis} = 0 measures the dispatch machinery on a 2-thread pool; 5 simulates a
 *       Prometheus answering in 5 ms on virtual threads, where an op close to 5 ms (not 200 × 5 ms)
 *       shows that no run waits for another.
 * </ul>
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class AnalysisBenchmark {

  /** 10,000 + 10,000 samples, canary 3% higher. */
  @State(Scope.Benchmark)
  public static class Samples {
    double[] stable;
    double[] canary;

    @Setup
    public void create() {
      Random random = new Random(42);
      stable = new double[10_000];
      canary = new double[10_000];
      for (int i = 0; i < stable.length; i++) {
        stable[i] = 200 + 20 * random.nextGaussian();
        canary[i] = 206 + 20 * random.nextGaussian();
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Verdict mannWhitney10kBy10k(Samples samples) {
    return MannWhitneyJudge.judge(
        "p99", "ms", samples.stable, samples.canary, JudgeSettings.DEFAULTS);
  }

  /**
   * 200 runs of a two-metric template (one threshold, one comparison) that never ends by itself.
   */
  @State(Scope.Thread)
  public static class Runs {
    static final int RUNS = 200;

    @Param({"0", "5"})
    public int latencyMillis;

    ManualClock clock;
    ExecutorService pool;
    Semaphore measured;
    List<AnalysisRunExecutor> runs;

    @Setup(Level.Trial)
    public void start() {
      clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
      pool =
          latencyMillis == 0
              ? Executors.newFixedThreadPool(2)
              : Executors.newVirtualThreadPerTaskExecutor();
      measured = new Semaphore(0);
      MetricProvider provider = new FixedProvider(latencyMillis);
      MetricSpec threshold =
          MetricSpec.threshold("success-rate", "ok", "result >= 0.99")
              .withInterval(Duration.ofSeconds(10))
              .withCount(Optional.empty());
      MetricSpec comparison =
          MetricSpec.threshold("p99", "q", "result > 0")
              .withConditions(Optional.empty(), Optional.empty())
              .withInterval(Duration.ofSeconds(10))
              .withCount(Optional.empty())
              .withLimits(-1, -1, 4)
              .withCompare(Optional.of(ComparisonSpec.defaults()))
              .withPrometheus(
                  dev.weir.engine.analysis.PrometheusQuerySpec.comparison("canary", "stable"));
      AnalysisTemplateSpec spec =
          new AnalysisTemplateSpec(
              "bench",
              List.of(),
              List.of(threshold, comparison),
              ScoringSpec.DEFAULTS,
              SourceLocation.ofFile("bench.yaml"));
      runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        AnalysisRunExecutor run =
            new AnalysisRunExecutor(
                spec,
                Map.of(),
                provider,
                clock,
                task ->
                    pool.execute(
                        () -> {
                          task.run();
                          measured.release();
                        }));
        runs.add(run);
        run.start();
      }
      clock.advance(Duration.ZERO);
      measured.acquireUninterruptibly(2 * RUNS);
    }

    @TearDown(Level.Trial)
    public void stop() {
      runs.forEach(r -> r.terminate("benchmark over"));
      pool.shutdownNow();
    }
  }

  /**
   * One op: every run measures its threshold metric and its comparison metric once (400
   * measurements).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int dispatch200Runs(Runs state) {
    state.clock.advance(Duration.ofSeconds(10));
    state.measured.acquireUninterruptibly(2 * Runs.RUNS);
    return state.runs.size();
  }

  /** Answers at once (or after a simulated network latency) with fixed values. */
  private record FixedProvider(int latencyMillis) implements MetricProvider {
    private static final QueryResult<List<TimeSeries>> SERIES =
        QueryResult.ok(
            List.of(
                new TimeSeries(
                    Map.of(),
                    java.util.stream.IntStream.range(0, 30)
                        .mapToObj(i -> new TimeSeries.Sample(Instant.EPOCH.plusSeconds(i), 200 + i))
                        .toList())));

    @Override
    public QueryResult<MetricValue> instant(String query, Instant at) {
      pause();
      return QueryResult.ok(MetricValue.scalar(0.995));
    }

    @Override
    public QueryResult<List<TimeSeries>> range(
        String query, Instant start, Instant end, Duration step) {
      pause();
      return SERIES;
    }

    private void pause() {
      if (latencyMillis > 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(latencyMillis));
      }
    }
  }
}
