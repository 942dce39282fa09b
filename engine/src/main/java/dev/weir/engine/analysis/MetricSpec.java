package dev.weir.engine.analysis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One metric of an AnalysisTemplate, with Argo Rollouts' fields and meaning, plus Weir's optional
 * {@code compare} block that makes it a statistical (canary vs stable) metric. Immutable.
 *
 * <p>A threshold metric has a {@code query} and at least one condition; a comparison metric has a
 * {@link ComparisonSpec}, two queries and no condition.
 *
 * @param interval time between measurements; empty means a single measurement
 * @param count how many measurements (errors not counted); empty means until the run is terminated
 * @param failureLimit failed measurements tolerated; {@code -1} for no limit
 * @param inconclusiveLimit inconclusive measurements tolerated; {@code -1} for no limit
 * @param consecutiveErrorLimit errors in a row tolerated (default 4)
 */
public record MetricSpec(
    String name,
    Optional<Duration> interval,
    Optional<Integer> count,
    Duration initialDelay,
    Optional<Condition> successCondition,
    Optional<Condition> failureCondition,
    int failureLimit,
    int inconclusiveLimit,
    int consecutiveErrorLimit,
    Optional<ComparisonSpec> compare,
    PrometheusQuerySpec prometheus) {

  /** Argo Rollouts' default for {@code consecutiveErrorLimit}. */
  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

  public MetricSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(count, "count");
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(successCondition, "successCondition");
    Objects.requireNonNull(failureCondition, "failureCondition");
    Objects.requireNonNull(compare, "compare");
    Objects.requireNonNull(prometheus, "prometheus");
  }

  /** A threshold metric with Argo's defaults: one measurement, no delay, no failures tolerated. */
  public static MetricSpec threshold(String name, String query, String successCondition) {
    return new MetricSpec(
        name,
        Optional.empty(),
        Optional.of(1),
        Duration.ZERO,
        Optional.of(Condition.of(successCondition)),
        Optional.empty(),
        0,
        0,
        DEFAULT_CONSECUTIVE_ERROR_LIMIT,
        Optional.empty(),
        PrometheusQuerySpec.threshold(query));
  }

  /**
   * The number of measurements this metric stops after, if any: {@code count}, or 1 without an
   * interval.
   */
  public Optional<Integer> effectiveCount() {
    if (count.isPresent()) {
      return count;
    }
    return interval.isEmpty() ? Optional.of(1) : Optional.empty();
  }

  public MetricSpec withInterval(Duration value) {
    return new MetricSpec(
        name,
        Optional.of(value),
        count,
        initialDelay,
        successCondition,
        failureCondition,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        compare,
        prometheus);
  }

  public MetricSpec withCount(Optional<Integer> value) {
    return new MetricSpec(
        name,
        interval,
        value,
        initialDelay,
        successCondition,
        failureCondition,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        compare,
        prometheus);
  }

  public MetricSpec withInitialDelay(Duration value) {
    return new MetricSpec(
        name,
        interval,
        count,
        value,
        successCondition,
        failureCondition,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        compare,
        prometheus);
  }

  public MetricSpec withConditions(Optional<Condition> success, Optional<Condition> failure) {
    return new MetricSpec(
        name,
        interval,
        count,
        initialDelay,
        success,
        failure,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        compare,
        prometheus);
  }

  public MetricSpec withLimits(int failure, int inconclusive, int consecutiveError) {
    return new MetricSpec(
        name,
        interval,
        count,
        initialDelay,
        successCondition,
        failureCondition,
        failure,
        inconclusive,
        consecutiveError,
        compare,
        prometheus);
  }

  public MetricSpec withCompare(Optional<ComparisonSpec> value) {
    return new MetricSpec(
        name,
        interval,
        count,
        initialDelay,
        successCondition,
        failureCondition,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        value,
        prometheus);
  }

  public MetricSpec withPrometheus(PrometheusQuerySpec value) {
    return new MetricSpec(
        name,
        interval,
        count,
        initialDelay,
        successCondition,
        failureCondition,
        failureLimit,
        inconclusiveLimit,
        consecutiveErrorLimit,
        compare,
        value);
  }
}
