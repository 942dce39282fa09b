package dev.weir.engine.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Other settings to re-judge a recorded run with ({@link WhatIf}): per-metric conditions, limits,
 * count and statistical judge settings, and the score thresholds. Anything not overridden keeps the
 * template's value. Immutable; build with {@link #none()} and the {@code with…} methods.
 */
public record AnalysisOverrides(
    Map<String, MetricOverrides> metrics, Optional<ScoringSpec> scoring) {

  /** Overrides for one metric. A condition given as an empty string removes that condition. */
  public record MetricOverrides(
      Optional<String> successCondition,
      Optional<String> failureCondition,
      Optional<Integer> failureLimit,
      Optional<Integer> inconclusiveLimit,
      Optional<Integer> consecutiveErrorLimit,
      Optional<Integer> count,
      Optional<Direction> direction,
      Optional<Double> effectSize,
      Optional<Double> confidence,
      Optional<Integer> minSamples) {

    /** Nothing overridden. */
    public static MetricOverrides none() {
      return new MetricOverrides(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }

    public MetricOverrides withSuccessCondition(String value) {
      return new MetricOverrides(
          Optional.of(value),
          failureCondition,
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          count,
          direction,
          effectSize,
          confidence,
          minSamples);
    }

    public MetricOverrides withFailureCondition(String value) {
      return new MetricOverrides(
          successCondition,
          Optional.of(value),
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          count,
          direction,
          effectSize,
          confidence,
          minSamples);
    }

    public MetricOverrides withFailureLimit(int value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          Optional.of(value),
          inconclusiveLimit,
          consecutiveErrorLimit,
          count,
          direction,
          effectSize,
          confidence,
          minSamples);
    }

    public MetricOverrides withInconclusiveLimit(int value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          failureLimit,
          Optional.of(value),
          consecutiveErrorLimit,
          count,
          direction,
          effectSize,
          confidence,
          minSamples);
    }

    public MetricOverrides withConsecutiveErrorLimit(int value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          failureLimit,
          inconclusiveLimit,
          Optional.of(value),
          count,
          direction,
          effectSize,
          confidence,
          minSamples);
    }

    public MetricOverrides withCount(int value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          Optional.of(value),
          direction,
          effectSize,
          confidence,
          minSamples);
    }

    public MetricOverrides withDirection(Direction value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          count,
          Optional.of(value),
          effectSize,
          confidence,
          minSamples);
    }

    public MetricOverrides withEffectSize(double value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          count,
          direction,
          Optional.of(value),
          confidence,
          minSamples);
    }

    public MetricOverrides withConfidence(double value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          count,
          direction,
          effectSize,
          Optional.of(value),
          minSamples);
    }

    public MetricOverrides withMinSamples(int value) {
      return new MetricOverrides(
          successCondition,
          failureCondition,
          failureLimit,
          inconclusiveLimit,
          consecutiveErrorLimit,
          count,
          direction,
          effectSize,
          confidence,
          Optional.of(value));
    }
  }

  public AnalysisOverrides {
    metrics = Map.copyOf(metrics);
    Objects.requireNonNull(scoring, "scoring");
  }

  /** No override at all: a re-judgement gives the recorded outcome. */
  public static AnalysisOverrides none() {
    return new AnalysisOverrides(Map.of(), Optional.empty());
  }

  /** Adds or replaces the overrides of {@code metric}. */
  public AnalysisOverrides withMetric(String metric, MetricOverrides value) {
    Map<String, MetricOverrides> copy = new LinkedHashMap<>(metrics);
    copy.put(metric, value);
    return new AnalysisOverrides(copy, scoring);
  }

  public AnalysisOverrides withScoring(ScoringSpec value) {
    return new AnalysisOverrides(metrics, Optional.of(value));
  }
}
