package dev.weir.sandbox.world;

import java.util.Locale;

/** Numbers in event lines: {@code 4}, {@code 2.5}, {@code 8%}. */
final class TrafficMetricsText {
  private TrafficMetricsText() {}

  static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
  }

  static String percent(double share) {
    return number(Math.round(share * 1000) / 10.0) + "%";
  }
}
