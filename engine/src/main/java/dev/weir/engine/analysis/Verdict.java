package dev.weir.engine.analysis;

import java.util.Objects;

/**
 * The statistical judge's verdict on one metric, with the numbers behind it and a one-line
 * explanation such as {@code p99 latency: canary 412 ms vs stable 220 ms (+87%), p < 0.001 → High
 * (fail)}. Immutable. Undefined numbers (no data) are NaN.
 *
 * @param relativeChange {@code (canaryMedian - baselineMedian) / |baselineMedian|}; ±Infinity when
 *     the baseline median is 0 and the canary's is not
 */
public record Verdict(
    String metric,
    Classification classification,
    double pValue,
    double baselineMedian,
    double canaryMedian,
    double relativeChange,
    int baselineCount,
    int canaryCount,
    JudgeSettings settings,
    String explanation) {

  public Verdict {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(explanation, "explanation");
  }

  /** True when the verdict is High or Low. */
  public boolean fails() {
    return classification.fails();
  }
}
