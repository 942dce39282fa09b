package dev.weir.engine.analysis;

import static dev.weir.engine.analysis.ScriptedProvider.down;
import static dev.weir.engine.analysis.ScriptedProvider.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AnalysisRunExecutorTest {
  private static final String TEMPLATE =
      """
      apiVersion: weir.dev/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: success-rate}
      spec:
        args: [{name: service}, {name: window, value: 1m}]
        metrics:
        - name: success-rate
          initialDelay: 30s
          interval: 1m
          count: 3
          failureLimit: 1
          successCondition: result >= 0.99
          provider:
            prometheus:
              query: ok_ratio{service="{{args.service}}"}[{{args.window}}]
      """;
  private static final String QUERY = "ok_ratio{service=\"storefront\"}[1m]";

  private final ManualClock clock = new ManualClock();

  @Test
  void measuresOnTheClockWithArgumentsFilledInAndSucceeds() {
    ScriptedProvider provider =
        new ScriptedProvider().answer(QUERY, value(0.995), value(0.97), value(0.999));
    var run =
        new AnalysisRunExecutor(
            Templates.spec(TEMPLATE),
            Map.of("service", "storefront"),
            provider,
            clock,
            Runnable::run);
    List<AnalysisPhase> seen = new CopyOnWriteArrayList<>();
    run.addListener(s -> seen.add(s.phase()));

    run.start();
    clock.advance(Duration.ofSeconds(29));
    assertThat(provider.asked).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(provider.asked).hasSize(1);
    assertThat(provider.asked.getFirst().at()).isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(2));

    AnalysisRunState state = run.state();
    assertThat(state.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(state.message()).isEqualTo("all 1 metric successful");
    assertThat(state.metric("success-rate").orElseThrow().message())
        .isEqualTo(
            "2 of 3 measurements successful; last: success-rate = 0.999: result >= 0.99 met →"
                + " Successful");
    assertThat(provider.asked).hasSize(3).allSatisfy(a -> assertThat(a.query()).isEqualTo(QUERY));
    assertThat(run.completion()).isCompletedWithValue(state);
    assertThat(seen).startsWith(AnalysisPhase.RUNNING).endsWith(AnalysisPhase.SUCCESSFUL);
    assertThat(clock.pending()).isZero();
  }

  @Test
  void prometheusDownIsAnErrorNeverASuccess() {
    ScriptedProvider provider = new ScriptedProvider().answer(QUERY, down());
    var run =
        new AnalysisRunExecutor(
            Templates.spec(TEMPLATE),
            Map.of("service", "storefront"),
            provider,
            clock,
            Runnable::run);

    run.start();
    clock.advance(Duration.ofMinutes(10));

    assertThat(run.state().phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(run.state().message())
        .isEqualTo(
            "success-rate Error: 5 errors in a row, more than consecutiveErrorLimit"
                + " 4; last: cannot reach Prometheus at http://127.0.0.1:1/: connection refused");
    assertThat(provider.asked).hasSize(5);
  }

  @Test
  void nanAndEmptyResultsAreInconclusiveAndPauseTheRollout() {
    ScriptedProvider provider = new ScriptedProvider().answer(QUERY, value(Double.NaN));
    var run =
        new AnalysisRunExecutor(
            Templates.spec(TEMPLATE),
            Map.of("service", "storefront"),
            provider,
            clock,
            Runnable::run);

    run.start();
    clock.advance(Duration.ofMinutes(10));

    assertThat(run.state().phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(run.state().message())
        .endsWith("success-rate = NaN: NaN is not a measurement → Inconclusive");

    ScriptedProvider empty =
        new ScriptedProvider().answer(QUERY, QueryResult.ok(MetricValue.vector(List.of())));
    var second =
        new AnalysisRunExecutor(
            Templates.spec(TEMPLATE), Map.of("service", "storefront"), empty, clock, Runnable::run);
    second.start();
    clock.advance(Duration.ofMinutes(10));
    assertThat(second.state().phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(second.state().message())
        .endsWith("success-rate: the query returned no data → Inconclusive");
  }

  @Test
  void aMissingArgumentEndsTheRunInErrorBeforeAnyQuery() {
    ScriptedProvider provider = new ScriptedProvider();
    var run =
        new AnalysisRunExecutor(Templates.spec(TEMPLATE), Map.of(), provider, clock, Runnable::run);

    run.start();
    clock.advance(Duration.ofMinutes(5));

    assertThat(run.state().phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(run.state().message())
        .isEqualTo(
            "success-rate: argument 'service' has no value; give it in the"
                + " rollout's analysis args or as a default in the template");
    assertThat(provider.asked).isEmpty();
  }

  @Test
  void terminateEndsARunWithoutCount() {
    String noCount = TEMPLATE.replace("    count: 3\n", "");
    ScriptedProvider provider = new ScriptedProvider().answer(QUERY, value(0.995));
    var run =
        new AnalysisRunExecutor(
            Templates.spec(noCount),
            Map.of("service", "storefront"),
            provider,
            clock,
            Runnable::run);

    run.start();
    clock.advance(Duration.ofMinutes(30));
    assertThat(run.state().phase()).isEqualTo(AnalysisPhase.RUNNING);
    run.terminate("rollout promoted");

    assertThat(run.state().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.state().message())
        .isEqualTo("all 1 metric successful (terminated: rollout promoted)");
    assertThat(clock.pending()).isZero();
  }

  @Test
  void seriesAreTimeAlignedSnapshotsWithThresholds() {
    String comparison =
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: latency}
        spec:
          metrics:
          - name: p99
            interval: 1m
            count: 2
            compare: {direction: increase, unit: ms}
            provider: {prometheus: {canaryQuery: canary, stableQuery: stable}}
          - name: ok
            interval: 1m
            count: 2
            successCondition: result >= 0.99
            provider: {prometheus: {query: ok}}
        """;
    double[] stable = IntStream.range(0, 20).mapToDouble(i -> 200 + i).toArray();
    double[] canary = IntStream.range(0, 20).mapToDouble(i -> 205 + i).toArray();
    ScriptedProvider provider =
        new ScriptedProvider()
            .answerRange("canary", canary)
            .answerRange("stable", stable)
            .answer("ok", value(0.995));
    var run =
        new AnalysisRunExecutor(
            Templates.spec(comparison), Map.of(), provider, clock, Runnable::run);

    run.start();
    clock.advance(Duration.ZERO);
    List<MetricSeries> first = run.series();
    clock.advance(Duration.ofMinutes(1));

    assertThat(run.state().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(first.getFirst().points()).hasSize(1);
    MetricSeries p99 = run.series().getFirst();
    assertThat(p99.metric()).isEqualTo("p99");
    assertThat(p99.unit()).isEqualTo("ms");
    assertThat(p99.points()).extracting(MetricSeries.Point::canary).containsExactly(214.5, 214.5);
    assertThat(p99.points()).extracting(MetricSeries.Point::stable).containsExactly(209.5, 209.5);
    assertThat(p99.thresholds())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.kind()).isEqualTo(MetricSeries.Threshold.Kind.UPPER_ALLOWED);
              assertThat(t.value()).isCloseTo(230.45, org.assertj.core.api.Assertions.within(1e-9));
              assertThat(t.label()).isEqualTo("stable +10%");
            });
    MetricSeries ok = run.series().get(1);
    assertThat(ok.points())
        .extracting(MetricSeries.Point::at)
        .containsExactlyElementsOf(p99.points().stream().map(MetricSeries.Point::at).toList());
    assertThat(ok.points().getFirst().stable()).isNaN();
    assertThat(ok.thresholds())
        .containsExactly(
            new MetricSeries.Threshold(
                MetricSeries.Threshold.Kind.SUCCESS_BOUND, 0.99, "result >= 0.99"));
  }

  @Test
  void manyRunsShareOneExecutorAndOneClock() {
    ScriptedProvider provider = new ScriptedProvider().answer(QUERY, value(0.995));
    List<AnalysisRunExecutor> runs =
        IntStream.range(0, 200)
            .mapToObj(
                i ->
                    new AnalysisRunExecutor(
                        Templates.spec(TEMPLATE),
                        Map.of("service", "storefront"),
                        provider,
                        clock,
                        Runnable::run))
            .toList();

    runs.forEach(AnalysisRunExecutor::start);
    clock.advance(Duration.ofMinutes(3));

    assertThat(runs)
        .allSatisfy(r -> assertThat(r.state().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL));
    assertThat(provider.asked).hasSize(600);
  }
}
