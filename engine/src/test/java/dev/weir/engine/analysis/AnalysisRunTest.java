package dev.weir.engine.analysis;

import static dev.weir.engine.analysis.AnalysisPhase.ERROR;
import static dev.weir.engine.analysis.AnalysisPhase.FAILED;
import static dev.weir.engine.analysis.AnalysisPhase.INCONCLUSIVE;
import static dev.weir.engine.analysis.AnalysisPhase.RUNNING;
import static dev.weir.engine.analysis.AnalysisPhase.SUCCESSFUL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.SourceLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests of the pure run state machine; the cases mirror the worked examples in AnalysisRun's
 * Javadoc.
 */
class AnalysisRunTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  /**
   * @param count empty: until terminated
   * @param seen the phases of the measurements fed, one per interval
   * @param terminate send Terminate after feeding them
   * @param phase the run's phase at the end
   * @param used how many measurements the run took before it ended (the rest are ignored)
   */
  record Case(
      String name,
      Optional<Integer> count,
      int failureLimit,
      int inconclusiveLimit,
      int errorLimit,
      List<AnalysisPhase> seen,
      boolean terminate,
      AnalysisPhase phase,
      int used) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> limits() {
    return List.of(
        new Case(
            "all successful",
            Optional.of(3),
            0,
            0,
            4,
            List.of(SUCCESSFUL, SUCCESSFUL, SUCCESSFUL),
            false,
            SUCCESSFUL,
            3),
        new Case(
            "still running before count",
            Optional.of(3),
            0,
            0,
            4,
            List.of(SUCCESSFUL),
            false,
            RUNNING,
            1),
        new Case(
            "one failure over failureLimit 0 fails at once",
            Optional.of(3),
            0,
            0,
            4,
            List.of(FAILED, SUCCESSFUL),
            false,
            FAILED,
            1),
        new Case(
            "one failure within failureLimit 1",
            Optional.of(3),
            1,
            0,
            4,
            List.of(FAILED, SUCCESSFUL, SUCCESSFUL),
            false,
            SUCCESSFUL,
            3),
        new Case(
            "two failures over failureLimit 1",
            Optional.of(3),
            1,
            0,
            4,
            List.of(FAILED, FAILED, SUCCESSFUL),
            false,
            FAILED,
            2),
        new Case(
            "failureLimit -1 tolerates any failure",
            Optional.of(3),
            -1,
            0,
            4,
            List.of(FAILED, FAILED, SUCCESSFUL),
            false,
            SUCCESSFUL,
            3),
        new Case(
            "inconclusive over inconclusiveLimit 0",
            Optional.of(2),
            0,
            0,
            4,
            List.of(INCONCLUSIVE, SUCCESSFUL),
            false,
            INCONCLUSIVE,
            1),
        new Case(
            "inconclusive within inconclusiveLimit 1",
            Optional.of(2),
            0,
            1,
            4,
            List.of(INCONCLUSIVE, SUCCESSFUL),
            false,
            SUCCESSFUL,
            2),
        new Case(
            "errors in a row over consecutiveErrorLimit 2",
            Optional.of(3),
            0,
            0,
            2,
            List.of(ERROR, ERROR, ERROR),
            false,
            ERROR,
            3),
        new Case(
            "errors within the limit do not count towards count",
            Optional.of(2),
            0,
            0,
            2,
            List.of(ERROR, ERROR, SUCCESSFUL, ERROR, SUCCESSFUL),
            false,
            SUCCESSFUL,
            5),
        new Case(
            "an error never becomes a success at count 1",
            Optional.of(1),
            0,
            0,
            4,
            List.of(ERROR),
            false,
            RUNNING,
            1),
        new Case(
            "a success resets the error streak",
            Optional.of(5),
            0,
            0,
            1,
            List.of(ERROR, SUCCESSFUL, ERROR, SUCCESSFUL, ERROR, SUCCESSFUL),
            false,
            RUNNING,
            6),
        new Case(
            "consecutiveErrorLimit 0: the first error ends it",
            Optional.of(3),
            0,
            0,
            0,
            List.of(ERROR),
            false,
            ERROR,
            1),
        new Case(
            "count reached with no success is inconclusive",
            Optional.of(2),
            2,
            2,
            4,
            List.of(FAILED, INCONCLUSIVE),
            false,
            INCONCLUSIVE,
            2),
        new Case(
            "failure limit wins over inconclusive limit",
            Optional.of(3),
            0,
            0,
            4,
            List.of(FAILED),
            false,
            FAILED,
            1),
        new Case(
            "no count: terminated after successes",
            Optional.empty(),
            0,
            0,
            4,
            List.of(SUCCESSFUL, SUCCESSFUL),
            true,
            SUCCESSFUL,
            2),
        new Case(
            "no count: terminated before any success",
            Optional.empty(),
            0,
            0,
            4,
            List.of(),
            true,
            INCONCLUSIVE,
            0),
        new Case(
            "no count: terminated after only errors",
            Optional.empty(),
            0,
            0,
            4,
            List.of(ERROR, ERROR),
            true,
            INCONCLUSIVE,
            2),
        new Case(
            "no count: runs on without termination",
            Optional.empty(),
            0,
            0,
            4,
            List.of(SUCCESSFUL, SUCCESSFUL, SUCCESSFUL),
            false,
            RUNNING,
            3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void limitsDecideTheRun(Case c) {
    MetricSpec metric =
        MetricSpec.threshold("m", "q", "result > 0")
            .withInterval(INTERVAL)
            .withCount(c.count())
            .withLimits(c.failureLimit(), c.inconclusiveLimit(), c.errorLimit());
    AnalysisTemplateSpec spec = template(metric);
    AnalysisTransition t =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), T0);
    int used = 0;
    Instant now = T0;
    for (AnalysisPhase phase : c.seen()) {
      if (t.state().phase().completed()) {
        break;
      }
      now = now.plus(INTERVAL);
      t =
          AnalysisRun.next(
              t.state(), spec, new AnalysisEvent.Measured(measurement("m", phase, now)), now);
      used++;
    }
    if (c.terminate()) {
      t = AnalysisRun.next(t.state(), spec, new AnalysisEvent.Terminate("promoted"), now);
    }

    assertThat(t.state().phase()).as(t.state().message()).isEqualTo(c.phase());
    assertThat(used).isEqualTo(c.used());
    if (c.phase().completed()) {
      assertThat(t.effects())
          .contains(new AnalysisEffect.Completed(c.phase(), t.state().message()));
      assertThat(t.wakeAt()).isEmpty();
    }
  }

  @Test
  void startAsksForTheFirstMeasurementAfterTheInitialDelayThenOneEveryInterval() {
    MetricSpec metric =
        MetricSpec.threshold("m", "q", "result > 0")
            .withInterval(INTERVAL)
            .withCount(Optional.of(3))
            .withInitialDelay(Duration.ofSeconds(30));
    AnalysisTemplateSpec spec = template(metric);

    AnalysisTransition started =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), T0);
    assertThat(started.state().phase()).isEqualTo(RUNNING);
    assertThat(started.effects()).isEmpty();
    assertThat(started.wakeAt()).contains(T0.plusSeconds(30));

    AnalysisTransition early =
        AnalysisRun.next(started.state(), spec, new AnalysisEvent.Tick(), T0.plusSeconds(29));
    assertThat(early.effects()).isEmpty();

    AnalysisTransition due =
        AnalysisRun.next(started.state(), spec, new AnalysisEvent.Tick(), T0.plusSeconds(30));
    assertThat(due.effects()).containsExactly(new AnalysisEffect.Measure("m"));
    assertThat(due.wakeAt()).isEmpty();
    assertThat(due.state().metric("m").orElseThrow().measuring()).isTrue();

    AnalysisTransition again =
        AnalysisRun.next(due.state(), spec, new AnalysisEvent.Tick(), T0.plusSeconds(90));
    assertThat(again.effects()).as("no second measurement while one is under way").isEmpty();

    Instant back = T0.plusSeconds(31);
    AnalysisTransition measured =
        AnalysisRun.next(
            due.state(),
            spec,
            new AnalysisEvent.Measured(measurement("m", SUCCESSFUL, back)),
            back);
    assertThat(measured.wakeAt()).contains(back.plus(INTERVAL));
    assertThat(measured.state().message()).isEqualTo("Running: m 1/3 measured");
  }

  @Test
  void theFirstMetricToFailEndsTheRunWithItsReason() {
    AnalysisTemplateSpec spec =
        template(
            MetricSpec.threshold("latency", "q", "result < 1")
                .withInterval(INTERVAL)
                .withCount(Optional.of(5)),
            MetricSpec.threshold("errors", "q", "result < 1")
                .withInterval(INTERVAL)
                .withCount(Optional.of(5)));
    AnalysisRunState state =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), T0)
            .state();
    Measurement failed =
        MeasurementAssessor.assess(
            spec.metric("errors").orElseThrow(), new Observation.Value(MetricValue.scalar(3)), T0);

    AnalysisTransition t = AnalysisRun.next(state, spec, new AnalysisEvent.Measured(failed), T0);

    assertThat(t.state().phase()).isEqualTo(FAILED);
    assertThat(t.state().message())
        .isEqualTo(
            "errors Failed: 1 failed measurement, more than failureLimit 0; last:"
                + " errors = 3: result < 1 not met → Failed");
    assertThat(t.state().metric("latency").orElseThrow().phase()).isEqualTo(RUNNING);
  }

  @Test
  void aCompletedRunIgnoresEveryLaterEvent() {
    AnalysisTemplateSpec spec = template(MetricSpec.threshold("m", "q", "result > 0"));
    AnalysisRunState state =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), T0)
            .state();
    state =
        AnalysisRun.next(
                state, spec, new AnalysisEvent.Measured(measurement("m", SUCCESSFUL, T0)), T0)
            .state();
    assertThat(state.phase()).isEqualTo(SUCCESSFUL);

    AnalysisTransition late =
        AnalysisRun.next(state, spec, new AnalysisEvent.Measured(measurement("m", FAILED, T0)), T0);

    assertThat(late.state()).isEqualTo(state);
    assertThat(late.effects()).isEmpty();
  }

  @Test
  void abandonEndsTheRunInErrorWithTheReason() {
    AnalysisTemplateSpec spec = template(MetricSpec.threshold("m", "q", "result > 0"));
    AnalysisRunState state =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), T0)
            .state();

    AnalysisTransition t =
        AnalysisRun.next(
            state, spec, new AnalysisEvent.Abandon("m: argument 'service' has no value"), T0);

    assertThat(t.state().phase()).isEqualTo(ERROR);
    assertThat(t.effects())
        .containsExactly(new AnalysisEffect.Completed(ERROR, "m: argument 'service' has no value"));
  }

  @Test
  void aCriticalComparisonMetricThatFailsFailsTheRunWhateverItsLimit() {
    MetricSpec critical =
        comparison("p99", 1, true)
            .withLimits(3, 0, 4)
            .withInterval(INTERVAL)
            .withCount(Optional.of(5));
    AnalysisTemplateSpec spec = template(critical);
    AnalysisRunState state =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), T0)
            .state();

    Measurement high = MeasurementAssessor.assess(critical, samples(100, 200), T0);
    AnalysisTransition t = AnalysisRun.next(state, spec, new AnalysisEvent.Measured(high), T0);

    assertThat(high.phase()).isEqualTo(FAILED);
    assertThat(t.state().phase()).isEqualTo(FAILED);
    assertThat(t.state().message())
        .startsWith(
            "p99 Failed: critical metric failed; last: p99: canary 210 vs stable"
                + " 110 (+91%), p < 0.001 → High (fail)");
  }

  record ScoreCase(
      String name, List<double[]> canaryShifts, AnalysisPhase phase, String explanation) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<ScoreCase> scores() {
    // three comparison metrics weighted 1, 1 and 2; a canary level of 200 vs stable 100 is High
    return List.of(
        new ScoreCase(
            "all pass",
            List.of(new double[] {100, 100, 100}),
            SUCCESSFUL,
            "all 3 metrics successful; score 100 >= pass 95 → Pass"),
        new ScoreCase(
            "one light metric high within failureLimit: marginal",
            List.of(new double[] {200, 100, 100}),
            INCONCLUSIVE,
            "all 3 metrics successful; score 75 < pass 95 → Marginal, ask a person (not passing: a"
                + " High)"),
        new ScoreCase(
            "the heavy metric high: fail",
            List.of(new double[] {100, 100, 200}),
            FAILED,
            "all 3 metrics successful; score 50 < marginal 75 → Fail (not passing: c High)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scores")
  void comparisonMetricsAreScoredWhenEveryMetricEnded(ScoreCase c) {
    AnalysisTemplateSpec spec =
        template(
            comparison("a", 1, false).withLimits(1, 0, 4),
            comparison("b", 1, false).withLimits(1, 0, 4),
            comparison("c", 2, false).withLimits(1, 0, 4));
    AnalysisRunState state =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), T0)
            .state();
    AnalysisTransition t = null;
    for (double[] levels : c.canaryShifts()) {
      for (int i = 0; i < 3; i++) {
        MetricSpec metric = spec.metrics().get(i);
        Measurement m = MeasurementAssessor.assess(metric, samples(100, levels[i]), T0);
        t = AnalysisRun.next(state, spec, new AnalysisEvent.Measured(m), T0);
        state = t.state();
      }
    }

    assertThat(state.phase()).isEqualTo(c.phase());
    assertThat(state.message()).isEqualTo(c.explanation());
    assertThat(state.score()).isPresent();
  }

  static AnalysisTemplateSpec template(MetricSpec... metrics) {
    return new AnalysisTemplateSpec(
        "t",
        List.of(),
        List.of(metrics),
        ScoringSpec.DEFAULTS,
        SourceLocation.ofFile("analysis.yaml"));
  }

  static MetricSpec comparison(String name, double weight, boolean critical) {
    ComparisonSpec compare =
        new ComparisonSpec(
            JudgeSettings.DEFAULTS,
            weight,
            critical,
            Duration.ofMinutes(5),
            Duration.ofSeconds(10),
            "");
    return MetricSpec.threshold(name, "q", "result > 0")
        .withConditions(Optional.empty(), Optional.empty())
        .withCompare(Optional.of(compare))
        .withPrometheus(PrometheusQuerySpec.comparison("c", "s"));
  }

  /** 20 stable samples around {@code stable} and 20 canary samples around {@code canary}. */
  static Observation.Samples samples(double stable, double canary) {
    return new Observation.Samples(
        IntStream.range(0, 20).mapToDouble(i -> stable + i).toArray(),
        IntStream.range(0, 20).mapToDouble(i -> canary + i).toArray());
  }

  static Measurement measurement(String metric, AnalysisPhase phase, Instant at) {
    Observation observation =
        phase == ERROR
            ? new Observation.Failed(
                new ProviderError(ProviderError.Reason.UNREACHABLE, "cannot reach Prometheus"))
            : new Observation.Value(MetricValue.scalar(1));
    return new Measurement(
        metric, at, observation, phase, Optional.empty(), metric + " " + phase.word());
  }
}
