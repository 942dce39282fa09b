package dev.weir.engine.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Number formatting for explanations: short, stable, and the same in the CLI and both UIs. */
final class Numbers {
  private Numbers() {}

  /** {@code 412}, {@code 0.51}, {@code 1.23e-05}: at most three significant digits below 1000. */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0";
    }
    double abs = Math.abs(value);
    if (abs >= 1000) {
      return Long.toString(Math.round(value));
    }
    if (abs < 1e-4) {
      return String.format(java.util.Locale.ROOT, "%.2e", value);
    }
    return new BigDecimal(value)
        .round(new MathContext(3, RoundingMode.HALF_UP))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** {@code +87%}, {@code -4%}, {@code +0%}; {@code n/a} when undefined. */
  static String percent(double ratio) {
    if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
      return "n/a";
    }
    long rounded = Math.round(ratio * 100);
    return (ratio >= 0 ? "+" : "-") + Math.abs(rounded) + "%";
  }

  /** {@code p < 0.001} or {@code p = 0.041}. */
  static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "p n/a";
    }
    if (p < 0.001) {
      return "p < 0.001";
    }
    return "p = "
        + new BigDecimal(p)
            .round(new MathContext(2, RoundingMode.HALF_UP))
            .stripTrailingZeros()
            .toPlainString();
  }
}
