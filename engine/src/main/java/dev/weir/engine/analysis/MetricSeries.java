package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a chart draws for one metric of a running analysis: canary and stable values at the same
 * instants (NaN where a side has no value, e.g. the stable side of a threshold metric), and the
 * thresholds to draw across. An immutable snapshot; the newest point is last.
 *
 * @param unit shown on the axis; empty for none
 */
public record MetricSeries(
    String metric, String unit, List<Point> points, List<Threshold> thresholds) {

  /** One instant: canary and stable values (for comparison metrics, the window medians). */
  public record Point(Instant at, double canary, double stable, AnalysisPhase phase) {
    public Point {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(phase, "phase");
    }
  }

  /**
   * A horizontal line on the chart.
   *
   * @param kind what crossing it means
   * @param label e.g. {@code result >= 0.99} or {@code stable +10%}
   */
  public record Threshold(Kind kind, double value, String label) {
    /** What a threshold line means. */
    public enum Kind {
      /** The success condition's bound: values on the far side fail. */
      SUCCESS_BOUND,
      /** The failure condition's bound: values beyond it fail. */
      FAILURE_BOUND,
      /** The highest canary value the statistical judge tolerates (stable median + effect size). */
      UPPER_ALLOWED,
      /** The lowest canary value the statistical judge tolerates (stable median − effect size). */
      LOWER_ALLOWED
    }

    public Threshold {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(label, "label");
    }
  }

  public MetricSeries {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(unit, "unit");
    points = List.copyOf(points);
    thresholds = List.copyOf(thresholds);
  }
}
