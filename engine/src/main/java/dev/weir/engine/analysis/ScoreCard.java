package dev.weir.engine.analysis;

import java.util.List;
import java.util.Objects;

/**
 * The aggregate of the statistical verdicts of one analysis: a score from 0 to 100 and what it
 * means. Immutable.
 *
 * @param score the weighted share of passing metrics, 0–100 (NaN when there was nothing to score)
 * @param outcome pass, marginal (ask a person), fail, or no data
 * @param verdicts the verdicts scored, in metric order
 * @param explanation one line, e.g. {@code score 67 < marginal 75 → Fail: p99 latency High}
 */
public record ScoreCard(double score, Outcome outcome, List<Verdict> verdicts, String explanation) {

  /** What a score means for the run. */
  public enum Outcome {
    PASS,
    MARGINAL,
    FAIL,
    NODATA;

    /** The analysis phase this outcome leads to. */
    public AnalysisPhase phase() {
      return switch (this) {
        case PASS -> AnalysisPhase.SUCCESSFUL;
        case MARGINAL, NODATA -> AnalysisPhase.INCONCLUSIVE;
        case FAIL -> AnalysisPhase.FAILED;
      };
    }
  }

  public ScoreCard {
    Objects.requireNonNull(outcome, "outcome");
    verdicts = List.copyOf(verdicts);
    Objects.requireNonNull(explanation, "explanation");
  }
}
