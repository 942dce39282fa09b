package dev.weir.engine.analysis;

import static dev.weir.engine.analysis.ScriptedProvider.down;
import static dev.weir.engine.analysis.ScriptedProvider.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An analysis run continued by another executor from an {@link AnalysisCheckpoint}, as a console
 * that takes over a crashed one does: the counts go on, the cadence holds, nothing is measured
 * twice.
 */
class AnalysisResumeTest {
  private static final String TEMPLATE =
      """
      apiVersion: weir.dev/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        metrics:
        - name: success-rate
          initialDelay: 30s
          interval: 1m
          count: 5
          failureLimit: 1
          successCondition: result >= 0.99
          provider: {prometheus: {query: ok_ratio}}
      """;

  private final ManualClock clock = new ManualClock();
  private final AnalysisTemplateSpec spec = Templates.spec(TEMPLATE);

  private AnalysisRunExecutor run(ScriptedProvider provider) {
    return new AnalysisRunExecutor(spec, Map.of(), provider, clock, Runnable::run);
  }

  /** Runs a first executor until it has measured {@code measurements} times; it then dies. */
  private AnalysisCheckpoint crashAfter(int measurements, ScriptedProvider provider) {
    AnalysisRunExecutor first = run(provider);
    first.start();
    clock.advance(Duration.ofSeconds(30));
    for (int i = 1; i < measurements; i++) {
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(provider.asked).hasSize(measurements);
    AnalysisCheckpoint checkpoint = AnalysisCheckpoint.of(first.state()).orElseThrow();
    first.terminate(
        "the console crashed"); // only to stop its timer: a dead console measures no more
    return checkpoint;
  }

  @Test
  void aResumedRunMeasuresOnlyWhatIsLeftOfItsCountAndEndsAsAnUninterruptedOne() {
    ScriptedProvider before = new ScriptedProvider().answer("ok_ratio", value(0.995));
    AnalysisCheckpoint checkpoint = crashAfter(3, before);
    Instant lastMeasured = before.asked.getLast().at();
    clock.advance(Duration.ofSeconds(20));

    ScriptedProvider after = new ScriptedProvider().answer("ok_ratio", value(0.995));
    AnalysisRunExecutor resumed = run(after);
    resumed.resume(checkpoint);

    MetricResult metric = resumed.state().metric("success-rate").orElseThrow();
    assertThat(metric.count()).isEqualTo(3);
    assertThat(metric.successful()).isEqualTo(3);
    assertThat(metric.nextMeasurementAt()).contains(lastMeasured.plus(Duration.ofMinutes(1)));
    assertThat(resumed.state().message()).isEqualTo("Running: success-rate 3/5 measured");
    assertThat(after.asked).isEmpty();

    clock.advance(Duration.ofSeconds(39));
    assertThat(after.asked).as("not before last measurement + interval").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(after.asked).extracting(ScriptedProvider.Asked::at).containsExactly(clock.instant());
    clock.advance(Duration.ofMinutes(10));

    assertThat(after.asked).as("5 - 3 measurements are left").hasSize(2);
    AnalysisRunState end = resumed.state();
    assertThat(end.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(end.startedAt()).contains(Instant.parse(checkpoint.startedAt().toString()));

    ManualClock fresh = new ManualClock();
    AnalysisRunExecutor uninterrupted =
        new AnalysisRunExecutor(
            spec,
            Map.of(),
            new ScriptedProvider().answer("ok_ratio", value(0.995)),
            fresh,
            Runnable::run);
    uninterrupted.start();
    fresh.advance(Duration.ofMinutes(10));
    MetricResult expected = uninterrupted.state().metric("success-rate").orElseThrow();
    MetricResult actual = end.metric("success-rate").orElseThrow();
    assertThat(actual.count()).isEqualTo(expected.count()).isEqualTo(5);
    assertThat(actual.successful()).isEqualTo(expected.successful());
    assertThat(actual.message()).isEqualTo(expected.message());
    assertThat(end.phase()).isEqualTo(uninterrupted.state().phase());
    assertThat(end.message()).isEqualTo(uninterrupted.state().message());
  }

  @Test
  void recordedFailuresCountTowardsTheFailureLimit() {
    ScriptedProvider before =
        new ScriptedProvider().answer("ok_ratio", value(0.91), value(0.995), value(0.995));
    AnalysisCheckpoint checkpoint = crashAfter(3, before);
    assertThat(checkpoint.metric("success-rate").orElseThrow().failed()).isEqualTo(1);

    ScriptedProvider after = new ScriptedProvider().answer("ok_ratio", value(0.93));
    AnalysisRunExecutor resumed = run(after);
    resumed.resume(checkpoint);
    clock.advance(Duration.ofMinutes(1));

    assertThat(after.asked).hasSize(1);
    assertThat(resumed.state().phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(resumed.state().message())
        .isEqualTo(
            "success-rate Failed: 2 failed measurements, more than failureLimit 1; last:"
                + " success-rate = 0.93: result >= 0.99 not met → Failed");
  }

  @Test
  void errorsInARowGoOnCountingAcrossTheResume() {
    ScriptedProvider before = new ScriptedProvider().answer("ok_ratio", down());
    AnalysisCheckpoint checkpoint = crashAfter(3, before);
    assertThat(checkpoint.metric("success-rate").orElseThrow().consecutiveError()).isEqualTo(3);

    ScriptedProvider after = new ScriptedProvider().answer("ok_ratio", down());
    AnalysisRunExecutor resumed = run(after);
    resumed.resume(checkpoint);
    clock.advance(Duration.ofMinutes(5));

    assertThat(after.asked).as("5 errors in a row in all, more than the limit 4").hasSize(2);
    assertThat(resumed.state().phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(resumed.state().message()).contains("5 errors in a row");
  }

  @Test
  void aMeasurementOverdueAfterALongOutageIsTakenOnceAtResumeThenTheCadenceHolds() {
    ScriptedProvider before = new ScriptedProvider().answer("ok_ratio", value(0.995));
    AnalysisCheckpoint checkpoint = crashAfter(2, before);
    clock.advance(Duration.ofMinutes(7));

    ScriptedProvider after = new ScriptedProvider().answer("ok_ratio", value(0.995));
    AnalysisRunExecutor resumed = run(after);
    Instant resumedAt = clock.instant();
    resumed.resume(checkpoint);

    assertThat(after.asked).extracting(ScriptedProvider.Asked::at).containsExactly(resumedAt);
    clock.advance(Duration.ofSeconds(59));
    assertThat(after.asked).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(after.asked).hasSize(2);
    assertThat(resumed.state().metric("success-rate").orElseThrow().count()).isEqualTo(4);
  }

  @Test
  void aRunResumedBeforeItsFirstMeasurementWaitsOutTheInitialDelayFromItsStart() {
    ScriptedProvider before = new ScriptedProvider();
    AnalysisRunExecutor first = run(before);
    Instant started = clock.instant();
    first.start();
    clock.advance(Duration.ofSeconds(10));
    AnalysisCheckpoint checkpoint = AnalysisCheckpoint.of(first.state()).orElseThrow();
    first.terminate("the console crashed");

    ScriptedProvider after = new ScriptedProvider().answer("ok_ratio", value(0.995));
    AnalysisRunExecutor resumed = run(after);
    resumed.resume(checkpoint);
    clock.advance(Duration.ofSeconds(19));
    assertThat(after.asked).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(after.asked)
        .extracting(ScriptedProvider.Asked::at)
        .containsExactly(started.plusSeconds(30));
  }

  @Test
  void aCheckpointOfAnotherTemplateStartsTheRunFromZero() {
    AnalysisCheckpoint other =
        new AnalysisCheckpoint(
            "latency",
            clock.instant(),
            List.of(
                new AnalysisCheckpoint.MetricCheckpoint(
                    "success-rate",
                    AnalysisPhase.RUNNING,
                    4,
                    4,
                    0,
                    0,
                    0,
                    0,
                    java.util.Optional.empty())));
    ScriptedProvider provider = new ScriptedProvider().answer("ok_ratio", value(0.995));
    AnalysisRunExecutor run = run(provider);
    run.resume(other);
    clock.advance(Duration.ofSeconds(30));

    assertThat(run.state().metric("success-rate").orElseThrow().count()).isEqualTo(1);
  }

  @Test
  void aCheckpointKeepsNoSamplesOfAComparisonButItsVerdict() {
    Verdict verdict =
        new Verdict(
            "p99",
            Classification.PASS,
            0.4,
            0.2,
            0.21,
            0.05,
            30,
            30,
            JudgeSettings.DEFAULTS,
            "p99: canary 210 ms vs stable 200 ms (+5%), p = 0.4 → Pass");
    Measurement compared =
        new Measurement(
            "p99",
            clock.instant(),
            new Observation.Samples(new double[] {0.2, 0.2}, new double[] {0.21, 0.22}),
            AnalysisPhase.SUCCESSFUL,
            java.util.Optional.of(verdict),
            "p99 → Pass");
    MetricResult metric =
        new MetricResult(
            "p99",
            AnalysisPhase.RUNNING,
            List.of(compared),
            1,
            1,
            0,
            0,
            0,
            0,
            java.util.Optional.empty(),
            true,
            "");
    AnalysisRunState state =
        new AnalysisRunState(
            "latency",
            AnalysisPhase.RUNNING,
            java.util.Optional.of(clock.instant()),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            List.of(metric),
            java.util.Optional.empty(),
            "");

    Measurement kept =
        AnalysisCheckpoint.of(state).orElseThrow().metric("p99").orElseThrow().last().orElseThrow();

    assertThat(kept.verdict()).contains(verdict);
    assertThat(((Observation.Samples) kept.observation()).canary()).isEmpty();
    assertThat(AnalysisCheckpoint.of(AnalysisRunState.pending(spec))).isEmpty();
  }
}
