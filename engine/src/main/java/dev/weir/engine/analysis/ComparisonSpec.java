package dev.weir.engine.analysis;

import java.time.Duration;
import java.util.Objects;

/**
 * A metric's statistical comparison of canary with stable (its {@code compare:} block): judge
 * settings, weight and criticality for the score, and the window of samples each measurement
 * compares. Immutable.
 *
 * @param window how far back each measurement reads both series (default 5m)
 * @param step the resolution of the range queries (default 10s)
 * @param unit shown after numbers in explanations ({@code ms}); empty for none
 */
public record ComparisonSpec(
    JudgeSettings judge,
    double weight,
    boolean critical,
    Duration window,
    Duration step,
    String unit) {

  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  public static final Duration DEFAULT_STEP = Duration.ofSeconds(10);

  public ComparisonSpec {
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(unit, "unit");
  }

  /** The defaults: {@link JudgeSettings#DEFAULTS}, weight 1, not critical, 5m window, 10s step. */
  public static ComparisonSpec defaults() {
    return new ComparisonSpec(JudgeSettings.DEFAULTS, 1, false, DEFAULT_WINDOW, DEFAULT_STEP, "");
  }

  public ComparisonSpec withJudge(JudgeSettings value) {
    return new ComparisonSpec(value, weight, critical, window, step, unit);
  }
}
