package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryScorerTest {

  private static CanaryScorer.Scored scored(
      String metric, Classification classification, double weight, boolean critical) {
    Verdict verdict =
        new Verdict(
            metric,
            classification,
            0.5,
            1,
            1,
            0,
            20,
            20,
            JudgeSettings.DEFAULTS,
            metric + " " + classification.word());
    return new CanaryScorer.Scored(verdict, weight, critical);
  }

  @Test
  void theScoreIsTheWeightedShareOfPassingMetrics() {
    ScoreCard card =
        CanaryScorer.score(
            List.of(
                scored("latency", Classification.PASS, 3, false),
                scored("errors", Classification.HIGH, 1, false)),
            ScoringSpec.DEFAULTS);

    assertThat(card.score()).isEqualTo(75);
    assertThat(card.outcome()).isEqualTo(ScoreCard.Outcome.MARGINAL);
    assertThat(card.explanation())
        .isEqualTo("score 75 < pass 95 → Marginal, ask a person (not passing: errors High)");
  }

  @Test
  void aCriticalMetricFailsAloneWhateverTheScore() {
    ScoreCard card =
        CanaryScorer.score(
            List.of(
                scored("latency", Classification.PASS, 99, false),
                scored("errors", Classification.LOW, 1, true)),
            ScoringSpec.DEFAULTS);

    assertThat(card.score()).isEqualTo(99);
    assertThat(card.outcome()).isEqualTo(ScoreCard.Outcome.FAIL);
    assertThat(card.explanation()).isEqualTo("score 99, critical metric failed: errors Low → Fail");
  }

  @Test
  void noDataCountsAgainstTheScoreAndOnlyNoDataIsNoData() {
    ScoreCard some =
        CanaryScorer.score(
            List.of(
                scored("latency", Classification.PASS, 1, false),
                scored("errors", Classification.NODATA, 1, false)),
            ScoringSpec.DEFAULTS);
    ScoreCard none =
        CanaryScorer.score(
            List.of(scored("errors", Classification.NODATA, 1, false)), ScoringSpec.DEFAULTS);

    assertThat(some.score()).isEqualTo(50);
    assertThat(some.outcome()).isEqualTo(ScoreCard.Outcome.FAIL);
    assertThat(none.outcome()).isEqualTo(ScoreCard.Outcome.NODATA);
    assertThat(none.outcome().phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
  }

  @Test
  void thresholdsAreConfigurable() {
    var verdicts =
        List.of(
            scored("a", Classification.PASS, 9, false), scored("b", Classification.HIGH, 1, false));

    assertThat(CanaryScorer.score(verdicts, new ScoringSpec(50, 90)).outcome())
        .isEqualTo(ScoreCard.Outcome.PASS);
    assertThat(CanaryScorer.score(verdicts, ScoringSpec.DEFAULTS).outcome())
        .isEqualTo(ScoreCard.Outcome.MARGINAL);
  }
}
