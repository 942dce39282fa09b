package dev.weir.desktop.rollout;

import java.util.Locale;

/** The engine's way of writing a figure in a meaning line ({@code RolloutPanel.number}). */
final class MetricChartNumber {
  private MetricChartNumber() {}

  static String of(double v) {
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
