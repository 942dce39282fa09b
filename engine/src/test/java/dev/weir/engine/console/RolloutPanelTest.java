package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.MetricSeries;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.rollout.RolloutView;
import dev.weir.engine.rollout.RolloutView.Outcome;
import dev.weir.engine.rollout.RolloutView.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class RolloutPanelTest {
  static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

  static RolloutStatus status(int weight) {
    return new RolloutStatus(
        "checkout", "checkout", "canary", RolloutPhase.PAUSED, "step 4/7 waits for promote", 4, 7,
        weight, "v2.4.0", Optional.of("v2.4.1"), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static RolloutView.MetricRow row(String metric, OptionalDouble canary, OptionalDouble stable, Outcome verdict) {
    return new RolloutView.MetricRow(
        "step 3", metric, canary, stable, "judge", verdict, OptionalDouble.empty(), "explained");
  }

  static RolloutView view(int weight, List<RolloutView.MetricRow> rows, List<MetricSeries> series) {
    return new RolloutView(
        status(weight),
        RolloutView.Strategy.CANARY,
        Optional.of(new RolloutView.Router("gatewayAPI", "HTTPRoute shop/checkout")),
        List.of(
            new RolloutView.Step(3, "analysis success-rate", StepState.DONE, Optional.of(Outcome.SUCCESSFUL)),
            new RolloutView.Step(4, "pause", StepState.CURRENT, Optional.empty())),
        new RolloutView.Versions("v2.4.0", 100 - weight, Optional.of("v2.4.1"), weight),
        List.of(),
        rows,
        series,
        Optional.empty(),
        Optional.of("waiting for a person"));
  }

  @Test
  void thePanelCarriesTheViewInPlainValues() {
    RolloutPanel panel =
        RolloutPanel.of(
            view(25, List.of(row("errors", OptionalDouble.of(0.5), OptionalDouble.empty(), Outcome.FAILED)), List.of()));
    assertThat(panel.headline()).isEqualTo("canary · gatewayAPI HTTPRoute shop/checkout · step 4/7");
    assertThat(panel.steps().getFirst())
        .isEqualTo(new RolloutPanel.Step(3, "analysis success-rate", RolloutPanel.StepState.DONE, "Successful"));
    assertThat(panel.steps().get(1).state()).isEqualTo(RolloutPanel.StepState.CURRENT);
    assertThat(panel.stableWeight()).isEqualTo(75);
    assertThat(panel.canary()).isEqualTo("v2.4.1");
    assertThat(panel.metrics().getFirst().verdict()).isEqualTo("Failed");
    assertThat(panel.metrics().getFirst().failed()).isTrue();
    assertThat(panel.blocked()).isEqualTo("waiting for a person");
  }

  @Test
  void aWeightMeansRequestsFromTheRequestRateRowAndErrorsFromTheSuccessRate() {
    RolloutPanel panel =
        RolloutPanel.of(
            view(
                25,
                List.of(
                    row("success-rate", OptionalDouble.of(0.996), OptionalDouble.of(0.997), Outcome.SUCCESSFUL),
                    row("request-rate", OptionalDouble.of(50), OptionalDouble.of(150), Outcome.SUCCESSFUL)),
                List.of()));
    RolloutPanel.Meaning meaning = panel.meaning(30);
    assertThat(meaning.requestsPerSecond().getAsDouble()).isEqualTo(60.0);
    assertThat(meaning.errorRate().getAsDouble()).isCloseTo(0.004, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(meaning.describe())
        .isEqualTo("30% to the canary: ≈ 60.0 req/s · ~14.4 errors/min at its 0.40% error rate");
  }

  @Test
  void theCanarysRequestRateAloneIsScaledByItsWeightAndAnErrorPercentageReadAsOne() {
    MetricSeries rps =
        new MetricSeries(
            "rps", "", List.of(new MetricSeries.Point(AT, 20, Double.NaN, AnalysisPhase.RUNNING)), List.of());
    RolloutPanel panel =
        RolloutPanel.of(
            view(10, List.of(row("error-rate", OptionalDouble.of(2.0), OptionalDouble.empty(), Outcome.RUNNING)), List.of(rps)));
    RolloutPanel.Meaning meaning = panel.meaning(50);
    assertThat(meaning.requests()).isEqualTo("≈ 100 req/s");
    assertThat(meaning.errors()).isEqualTo("~120 errors/min at its 2.00% error rate");
  }

  @Test
  void withoutMetricsTheMeaningIsUnknown() {
    assertThat(RolloutPanel.of(view(5, List.of(), List.of())).meaning(30).describe())
        .isEqualTo("30% to the canary: req/s unknown · errors/min unknown");
    assertThat(RolloutPanel.of(RolloutView.of(status(5))).headline()).isEqualTo("canary · step 4/7");
  }
}
