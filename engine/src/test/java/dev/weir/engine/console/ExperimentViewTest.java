package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the CLI (and the terminal) print of an experiment, and its JSON. */
class ExperimentViewTest {
  static final ExperimentView WON =
      new ExperimentView(
          "storefront",
          "storefront",
          "new-checkout",
          "header x-segment = beta",
          List.of(
              new ExperimentView.Variant(
                  "A", "v2.4.0", "stable", "the rest", 12034.0 / 15024, 1203, 12034),
              new ExperimentView.Variant(
                  "B", "v2.4.1", "canary", "header x-segment = beta", 2990.0 / 15024, 392, 2990)),
          0.0311,
          0.0122,
          0.0500,
          0.0012,
          0.05,
          "B wins",
          "promote",
          Duration.ofSeconds(270),
          20000,
          "B 13.1% (392/2990) vs A 10.0% (1203/12034): uplift +3.1 points [+1.2, +5.0] (95%"
              + " always-valid), p = 0.0012 — B wins: promote B",
          Optional.empty());

  @Test
  void linesFitEightyColumnsAndSayWhatToDo() {
    assertThat(WON.lines())
        .containsExactly(
            "experiment new-checkout (rollout storefront): B wins → promote",
            "  segment  header x-segment = beta → B",
            "  A v2.4.0   the rest   80.1%   10.0%  (1203/12034)",
            "  B v2.4.1   segment    19.9%   13.1%  (392/2990)",
            "  uplift   +3.1 points [+1.2, +5.0] (95% always-valid), p = 0.0012",
            "  running  4m30s, ends at 20000 trials per variant",
            "  B 13.1% (392/2990) vs A 10.0% (1203/12034): uplift +3.1 points [+1.2, +5.0]",
            "      (95% always-valid), p = 0.0012 — B wins: promote B");
    assertThat(WON.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    assertThat(WON.stopped()).isTrue();
  }

  @Test
  void beforeAnyTrialTheUpliftIsNotMeasuredAndJsonSaysNull() {
    ExperimentView fresh =
        new ExperimentView(
            "storefront", "storefront", "new-checkout", "cookie beta = 1",
            List.of(
                new ExperimentView.Variant("A", "v2.4.0", "stable", "the rest", Double.NaN, 0, 0),
                new ExperimentView.Variant("B", "v2.4.1", "canary", "cookie beta = 1", Double.NaN, 0, 0)),
            Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1, 0.05,
            "Running", "wait", Duration.ZERO, 5000, "B – (0/0) vs A – (0/0): no uplift yet",
            Optional.empty());
    assertThat(fresh.lines()).contains("  uplift   not measured yet");
    assertThat(fresh.stopped()).isFalse();
    String json = ConsoleJson.experiments("storefront", List.of(fresh));
    assertThat(json)
        .contains("\"uplift\" : null")
        .contains("\"lower\" : null")
        .contains("\"decision\" : \"wait\"")
        .contains("\"trafficShare\" : null");
  }
}
