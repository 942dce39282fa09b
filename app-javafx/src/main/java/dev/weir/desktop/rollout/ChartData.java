package dev.weir.desktop.rollout;

import dev.weir.engine.console.RolloutPanel;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link MetricChart} draws, as flat arrays so that 10,000 points cost no boxing: times
 * in epoch milliseconds (ascending), the canary's and the stable version's values (NaN where a side
 * has none), the threshold lines, the time span of the x axis and the analysis window to shade.
 * Immutable by convention: the arrays are not changed once handed over.
 *
 * @param count how many leading elements of the arrays are points
 * @param from the left edge of the x axis
 * @param to the right edge
 * @param window the time the analysis judged, shaded; empty for none
 */
public record ChartData(
    String metric,
    String unit,
    double[] times,
    double[] canary,
    double[] stable,
    int count,
    List<RolloutPanel.Threshold> thresholds,
    Instant from,
    Instant to,
    Optional<Window> window) {

  /** A span of time on the x axis. */
  public record Window(Instant from, Instant to) {
    public Window {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  public ChartData {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(unit, "unit");
    thresholds = List.copyOf(thresholds);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(window, "window");
    if (count > times.length || count > canary.length || count > stable.length) {
      throw new IllegalArgumentException("count " + count + " exceeds the arrays");
    }
  }

  /**
   * A panel's series drawn over {@code span} up to {@code now} (or its newest point when later);
   * the analysis window is the span of its points, the measurements of the metric's analysis run.
   */
  public static ChartData of(RolloutPanel.Series series, Instant now, java.time.Duration span) {
    List<RolloutPanel.Point> points = series.points();
    int n = points.size();
    double[] times = new double[n];
    double[] canary = new double[n];
    double[] stable = new double[n];
    for (int i = 0; i < n; i++) {
      RolloutPanel.Point p = points.get(i);
      times[i] = p.at().toEpochMilli();
      canary[i] = p.canary();
      stable[i] = p.stable();
    }
    Instant to = n > 0 && points.getLast().at().isAfter(now) ? points.getLast().at() : now;
    Instant from = to.minus(span);
    Optional<Window> window =
        n == 0
            ? Optional.empty()
            : Optional.of(
                new Window(
                    points.getFirst().at().isBefore(from) ? from : points.getFirst().at(),
                    points.getLast().at()));
    return new ChartData(
        series.metric(), series.unit(), times, canary, stable, n, series.thresholds(), from, to,
        window);
  }

  /** The index of the point nearest to {@code millis}, or -1 when there is none. */
  public int nearest(double millis) {
    if (count == 0) {
      return -1;
    }
    int i = java.util.Arrays.binarySearch(times, 0, count, millis);
    if (i >= 0) {
      return i;
    }
    int after = -i - 1;
    if (after == 0) {
      return 0;
    }
    if (after >= count) {
      return count - 1;
    }
    return millis - times[after - 1] <= times[after] - millis ? after - 1 : after;
  }
}
