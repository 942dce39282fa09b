package dev.weir.engine.analysis;

import static dev.weir.engine.analysis.ScriptedProvider.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.time.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WhatIfTest {
  private static final String TEMPLATE =
      """
      apiVersion: weir.dev/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        metrics:
        - name: success-rate
          interval: 1m
          count: 5
          failureLimit: 1
          successCondition: result >= 0.99
          provider: {prometheus: {query: ok}}
      """;

  private final ManualClock clock = new ManualClock();

  private RecordedRun run(String template, ScriptedProvider provider) {
    var executor =
        new AnalysisRunExecutor(Templates.spec(template), Map.of(), provider, clock, Runnable::run);
    executor.start();
    clock.advance(Duration.ofMinutes(10));
    return executor.recorded();
  }

  @Test
  void noOverrideGivesTheRecordedOutcome() {
    RecordedRun recorded =
        run(
            TEMPLATE,
            new ScriptedProvider()
                .answer("ok", value(0.995), value(0.98), value(0.999), value(0.97), value(0.999)));
    assertThat(recorded.state().phase()).isEqualTo(AnalysisPhase.FAILED);

    var outcome = (WhatIf.Outcome) WhatIf.rejudge(recorded, AnalysisOverrides.none());

    assertThat(outcome.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.rejudged().message()).isEqualTo(recorded.state().message());
  }

  @Test
  void aLowerThresholdWouldHaveLetTheRunSucceed() {
    RecordedRun recorded =
        run(
            TEMPLATE,
            new ScriptedProvider()
                .answer("ok", value(0.995), value(0.98), value(0.999), value(0.999), value(0.97)));

    var outcome =
        (WhatIf.Outcome)
            WhatIf.rejudge(
                recorded,
                AnalysisOverrides.none()
                    .withMetric(
                        "success-rate",
                        AnalysisOverrides.MetricOverrides.none()
                            .withSuccessCondition("result >= 0.95")));

    assertThat(outcome.recorded()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(outcome.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(outcome.explanation())
        .isEqualTo("would be Successful (was Failed): all 1 metric successful");
    assertThat(outcome.rejudged().metric("success-rate").orElseThrow().successful()).isEqualTo(5);
  }

  @Test
  void aHigherFailureLimitLetsTheRecordedMeasurementsGoOnAndTheRunWouldStillBeRunning() {
    RecordedRun recorded =
        run(
            TEMPLATE,
            new ScriptedProvider()
                .answer("ok", value(0.995), value(0.98), value(0.97), value(0.999)));
    assertThat(recorded.state().metric("success-rate").orElseThrow().count()).isEqualTo(3);

    var outcome =
        (WhatIf.Outcome)
            WhatIf.rejudge(
                recorded,
                AnalysisOverrides.none()
                    .withMetric(
                        "success-rate",
                        AnalysisOverrides.MetricOverrides.none().withFailureLimit(2)));

    assertThat(outcome.phase()).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(outcome.explanation())
        .isEqualTo("would still be Running (was Failed): Running: success-rate 3/5" + " measured");
  }

  @Test
  void aSmallerCountJudgesOnlyTheFirstMeasurements() {
    RecordedRun recorded =
        run(
            TEMPLATE,
            new ScriptedProvider()
                .answer("ok", value(0.995), value(0.999), value(0.97), value(0.96)));

    var outcome =
        (WhatIf.Outcome)
            WhatIf.rejudge(
                recorded,
                AnalysisOverrides.none()
                    .withMetric(
                        "success-rate", AnalysisOverrides.MetricOverrides.none().withCount(2)));

    assertThat(outcome.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(outcome.rejudged().metric("success-rate").orElseThrow().count()).isEqualTo(2);
  }

  @Test
  void aLargerEffectSizeTurnsAHighCanaryIntoAPass() {
    String comparison =
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: latency}
        spec:
          metrics:
          - name: p99
            compare: {direction: increase, unit: ms}
            provider: {prometheus: {canaryQuery: canary, stableQuery: stable}}
        """;
    RecordedRun recorded =
        run(
            comparison,
            new ScriptedProvider()
                .answerRange("canary", IntStream.range(0, 30).mapToDouble(i -> 250 + i).toArray())
                .answerRange("stable", IntStream.range(0, 30).mapToDouble(i -> 200 + i).toArray()));
    assertThat(recorded.state().phase()).isEqualTo(AnalysisPhase.FAILED);

    var outcome =
        (WhatIf.Outcome)
            WhatIf.rejudge(
                recorded,
                AnalysisOverrides.none()
                    .withMetric(
                        "p99", AnalysisOverrides.MetricOverrides.none().withEffectSize(0.3)));

    assertThat(outcome.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(
            outcome
                .rejudged()
                .metric("p99")
                .orElseThrow()
                .lastVerdict()
                .orElseThrow()
                .explanation())
        .isEqualTo(
            "p99: canary 265 ms vs stable 215 ms (+23%), p < 0.001 → Pass (within the allowed"
                + " 30%)");
  }

  @Test
  void invalidOverridesAreReportedNotApplied() {
    RecordedRun recorded = run(TEMPLATE, new ScriptedProvider().answer("ok", value(0.995)));

    var result =
        WhatIf.rejudge(
            recorded,
            AnalysisOverrides.none()
                .withMetric(
                    "success-rate",
                    AnalysisOverrides.MetricOverrides.none()
                        .withSuccessCondition("result >=")
                        .withEffectSize(0.2))
                .withMetric(
                    "latency", AnalysisOverrides.MetricOverrides.none().withFailureLimit(1)));

    assertThat(result).isInstanceOf(WhatIf.InvalidOverrides.class);
    assertThat(((WhatIf.InvalidOverrides) result).problems())
        .hasSize(3)
        .anySatisfy(p -> assertThat(p).isEqualTo("no metric \"latency\" in template success-rate"))
        .anySatisfy(
            p -> assertThat(p).startsWith("success-rate: successCondition `result >=`: column"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo("success-rate: judge settings apply only to comparison metrics"));
  }
}
