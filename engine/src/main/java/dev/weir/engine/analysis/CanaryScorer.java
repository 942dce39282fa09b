package dev.weir.engine.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Aggregates statistical verdicts into a {@link ScoreCard}, Kayenta's way: the score is the
 * weighted share of metrics that passed, compared with the {@link ScoringSpec} thresholds; a
 * critical metric that is High or Low fails the whole analysis alone, whatever the score.
 *
 * <p>Unlike Kayenta, a metric with NoData stays in the denominator (it counts as not passing): a
 * missing metric must never help a canary through. Pure and thread-safe.
 */
public final class CanaryScorer {
  private CanaryScorer() {}

  /** One verdict with its weight and whether it is critical. */
  public record Scored(Verdict verdict, double weight, boolean critical) {
    public Scored {
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("weight must be a number >= 0, got " + weight);
      }
    }
  }

  /** Scores {@code verdicts} against {@code scoring}. */
  public static ScoreCard score(List<Scored> verdicts, ScoringSpec scoring) {
    List<Verdict> all = verdicts.stream().map(Scored::verdict).toList();
    List<String> criticalFailures = new ArrayList<>();
    double total = 0;
    double passed = 0;
    boolean anyData = false;
    for (Scored scored : verdicts) {
      Verdict verdict = scored.verdict();
      total += scored.weight();
      if (verdict.classification() == Classification.PASS) {
        passed += scored.weight();
      }
      anyData |= verdict.classification() != Classification.NODATA;
      if (scored.critical() && verdict.fails()) {
        criticalFailures.add(verdict.metric() + " " + verdict.classification().word());
      }
    }
    if (verdicts.isEmpty() || !anyData) {
      return new ScoreCard(
          Double.NaN,
          ScoreCard.Outcome.NODATA,
          all,
          "no metric had enough data to score → NoData (ask a person)");
    }
    double score = total == 0 ? 0 : 100 * passed / total;
    String scoreText = "score " + Math.round(Math.floor(score));
    String failing =
        String.join(
            ", ",
            all.stream()
                .filter(v -> v.classification() != Classification.PASS)
                .map(v -> v.metric() + " " + v.classification().word())
                .toList());
    if (!criticalFailures.isEmpty()) {
      return new ScoreCard(
          score,
          ScoreCard.Outcome.FAIL,
          all,
          scoreText
              + ", critical metric failed: "
              + String.join(", ", criticalFailures)
              + " → Fail");
    }
    String threshold = Numbers.format(scoring.pass());
    if (score >= scoring.pass()) {
      return new ScoreCard(
          score,
          ScoreCard.Outcome.PASS,
          all,
          scoreText
              + " >= pass "
              + threshold
              + " → Pass"
              + (failing.isEmpty() ? "" : " (not passing: " + failing + ")"));
    }
    if (score >= scoring.marginal()) {
      return new ScoreCard(
          score,
          ScoreCard.Outcome.MARGINAL,
          all,
          scoreText
              + " < pass "
              + threshold
              + " → Marginal, ask a person (not passing: "
              + failing
              + ")");
    }
    return new ScoreCard(
        score,
        ScoreCard.Outcome.FAIL,
        all,
        scoreText
            + " < marginal "
            + Numbers.format(scoring.marginal())
            + " → Fail (not passing: "
            + failing
            + ")");
  }
}
