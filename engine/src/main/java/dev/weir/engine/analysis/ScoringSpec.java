package dev.weir.engine.analysis;

/**
 * Kayenta's score thresholds, from an AnalysisTemplate's {@code spec.scoring}: a score at or above
 * {@code pass} passes, below {@code marginal} fails, in between asks a person. Immutable.
 */
public record ScoringSpec(double marginal, double pass) {

  /** Kayenta's defaults: marginal 75, pass 95. */
  public static final ScoringSpec DEFAULTS = new ScoringSpec(75, 95);

  public ScoringSpec {
    if (!(marginal >= 0 && marginal <= pass && pass <= 100)) {
      throw new IllegalArgumentException(
          "scoring needs 0 <= marginal <= pass <= 100, got marginal "
              + marginal
              + " and pass "
              + pass);
    }
  }
}
