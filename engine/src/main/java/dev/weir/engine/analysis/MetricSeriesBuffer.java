package dev.weir.engine.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded ring buffer of one metric's chart points, fed with measurements as they come back and
 * read as immutable {@link MetricSeries} snapshots. Canary and stable values are stored in the same
 * point, so the two series are time-aligned by construction; the oldest point is dropped once the
 * capacity is reached.
 *
 * <p>Thread-safe: {@link #add} and {@link #snapshot} may be called from different threads.
 */
public final class MetricSeriesBuffer {
  /**
   * Thresholds of the simple form {@code result OP number} (or {@code result[0] OP number}); others
   * are not drawn.
   */
  private static final Pattern SIMPLE =
      Pattern.compile(
          "^\\s*result(?:\\[0])?\\s*(>=|<=|>|<)\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*$");

  private final MetricSpec metric;
  private final int capacity;
  private final ArrayDeque<MetricSeries.Point> points;
  private List<MetricSeries.Threshold> thresholds;

  public MetricSeriesBuffer(MetricSpec metric, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.metric = metric;
    this.capacity = capacity;
    this.points = new ArrayDeque<>(Math.min(capacity, 1024));
    this.thresholds = conditionThresholds(metric);
  }

  /**
   * Adds the point of {@code measurement}; a measurement without a value (an error) adds nothing.
   */
  public synchronized void add(Measurement measurement) {
    double canary;
    double stable;
    switch (measurement.observation()) {
      case Observation.Value value -> {
        canary = value.value().first();
        stable = Double.NaN;
      }
      case Observation.Samples samples -> {
        Optional<Verdict> verdict = measurement.verdict();
        canary = verdict.map(Verdict::canaryMedian).orElse(Double.NaN);
        stable = verdict.map(Verdict::baselineMedian).orElse(Double.NaN);
        verdict.ifPresent(v -> thresholds = allowedBand(v));
      }
      case Observation.Failed failed -> {
        return;
      }
    }
    if (points.size() == capacity) {
      points.removeFirst();
    }
    points.addLast(new MetricSeries.Point(measurement.at(), canary, stable, measurement.phase()));
  }

  /** An immutable copy of the current points and thresholds. */
  public synchronized MetricSeries snapshot() {
    return new MetricSeries(
        metric.name(),
        metric.compare().map(ComparisonSpec::unit).orElse(""),
        new ArrayList<>(points),
        thresholds);
  }

  private static List<MetricSeries.Threshold> allowedBand(Verdict verdict) {
    if (!Double.isFinite(verdict.baselineMedian())) {
      return List.of();
    }
    double median = verdict.baselineMedian();
    double allowed = Math.abs(median) * verdict.settings().effectSize();
    String percent = Numbers.percent(verdict.settings().effectSize()).substring(1);
    List<MetricSeries.Threshold> band = new ArrayList<>();
    if (verdict.settings().direction() != Direction.DECREASE) {
      band.add(
          new MetricSeries.Threshold(
              MetricSeries.Threshold.Kind.UPPER_ALLOWED, median + allowed, "stable +" + percent));
    }
    if (verdict.settings().direction() != Direction.INCREASE) {
      band.add(
          new MetricSeries.Threshold(
              MetricSeries.Threshold.Kind.LOWER_ALLOWED, median - allowed, "stable -" + percent));
    }
    return band;
  }

  /** The lines a chart of {@code metric} draws for its success and failure conditions. */
  public static List<MetricSeries.Threshold> conditionThresholds(MetricSpec metric) {
    List<MetricSeries.Threshold> lines = new ArrayList<>();
    metric
        .successCondition()
        .flatMap(c -> simple(c, MetricSeries.Threshold.Kind.SUCCESS_BOUND))
        .ifPresent(lines::add);
    metric
        .failureCondition()
        .flatMap(c -> simple(c, MetricSeries.Threshold.Kind.FAILURE_BOUND))
        .ifPresent(lines::add);
    return List.copyOf(lines);
  }

  private static Optional<MetricSeries.Threshold> simple(
      Condition condition, MetricSeries.Threshold.Kind kind) {
    Matcher matcher = SIMPLE.matcher(condition.source());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new MetricSeries.Threshold(kind, Double.parseDouble(matcher.group(2)), condition.source()));
  }
}
