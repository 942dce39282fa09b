package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.Optional;

/**
 * Judges one observation of one metric into a {@link Measurement}. Pure and thread-safe.
 *
 * <p>Rules, in order: a provider failure is Error; an empty result or a NaN sample is Inconclusive
 * (never Success); a condition that cannot be evaluated is Error. Then Argo Rollouts' rules: with
 * both conditions, a met failureCondition is Failed, else a met successCondition is Successful,
 * else Inconclusive; with only a successCondition, not met is Failed; with only a failureCondition,
 * not met is Successful. A comparison metric is judged by {@link MannWhitneyJudge}: Pass is
 * Successful, High or Low is Failed, NoData is Inconclusive.
 */
public final class MeasurementAssessor {
  private MeasurementAssessor() {}

  /** Judges {@code observation} of {@code metric}, seen at {@code at}. */
  public static Measurement assess(MetricSpec metric, Observation observation, Instant at) {
    return switch (observation) {
      case Observation.Failed failed ->
          measurement(metric, at, observation, AnalysisPhase.ERROR, failed.error().message());
      case Observation.Value value -> threshold(metric, value.value(), observation, at);
      case Observation.Samples samples -> comparison(metric, samples, at);
    };
  }

  private static Measurement threshold(
      MetricSpec metric, MetricValue value, Observation observation, Instant at) {
    String seen = metric.name() + " = " + value.display();
    if (metric.compare().isPresent()) {
      return measurement(
          metric,
          at,
          observation,
          AnalysisPhase.ERROR,
          metric.name() + " is a comparison metric but got a single value");
    }
    if (value.isEmpty()) {
      return measurement(
          metric,
          at,
          observation,
          AnalysisPhase.INCONCLUSIVE,
          metric.name() + ": the query returned no data → Inconclusive");
    }
    if (value.hasNaN()) {
      return measurement(
          metric,
          at,
          observation,
          AnalysisPhase.INCONCLUSIVE,
          seen + ": NaN is not a measurement →" + " Inconclusive");
    }
    Optional<Boolean> failed = Optional.empty();
    Optional<Boolean> succeeded = Optional.empty();
    if (metric.failureCondition().isPresent()) {
      switch (metric.failureCondition().get().evaluate(value)) {
        case Condition.Evaluation.Decided decided -> failed = Optional.of(decided.holds());
        case Condition.Evaluation.Undecided undecided -> {
          return measurement(
              metric,
              at,
              observation,
              AnalysisPhase.ERROR,
              metric.name() + ": " + undecided.reason());
        }
      }
    }
    if (metric.successCondition().isPresent()) {
      switch (metric.successCondition().get().evaluate(value)) {
        case Condition.Evaluation.Decided decided -> succeeded = Optional.of(decided.holds());
        case Condition.Evaluation.Undecided undecided -> {
          return measurement(
              metric,
              at,
              observation,
              AnalysisPhase.ERROR,
              metric.name() + ": " + undecided.reason());
        }
      }
    }
    String failureText =
        metric.failureCondition().map(c -> "failure condition " + c.source()).orElse("");
    String successText = metric.successCondition().map(c -> c.source()).orElse("");
    if (failed.orElse(false)) {
      return measurement(
          metric,
          at,
          observation,
          AnalysisPhase.FAILED,
          seen + ": " + failureText + " met → Failed");
    }
    if (succeeded.isPresent()) {
      if (succeeded.get()) {
        return measurement(
            metric,
            at,
            observation,
            AnalysisPhase.SUCCESSFUL,
            seen + ": " + successText + " met →" + " Successful");
      }
      if (failed.isPresent()) {
        return measurement(
            metric,
            at,
            observation,
            AnalysisPhase.INCONCLUSIVE,
            seen + ": neither " + successText + " nor " + failureText + " met → Inconclusive");
      }
      return measurement(
          metric,
          at,
          observation,
          AnalysisPhase.FAILED,
          seen + ": " + successText + " not met →" + " Failed");
    }
    return measurement(
        metric,
        at,
        observation,
        AnalysisPhase.SUCCESSFUL,
        seen + ": " + failureText + " not met →" + " Successful");
  }

  private static Measurement comparison(
      MetricSpec metric, Observation.Samples samples, Instant at) {
    if (metric.compare().isEmpty()) {
      return measurement(
          metric,
          at,
          samples,
          AnalysisPhase.ERROR,
          metric.name() + " is a threshold metric but got canary and stable samples");
    }
    ComparisonSpec compare = metric.compare().get();
    Verdict verdict =
        MannWhitneyJudge.judge(
            metric.name(), compare.unit(), samples.stable(), samples.canary(), compare.judge());
    AnalysisPhase phase =
        switch (verdict.classification()) {
          case PASS -> AnalysisPhase.SUCCESSFUL;
          case HIGH, LOW -> AnalysisPhase.FAILED;
          case NODATA -> AnalysisPhase.INCONCLUSIVE;
        };
    return new Measurement(
        metric.name(), at, samples, phase, Optional.of(verdict), verdict.explanation());
  }

  private static Measurement measurement(
      MetricSpec metric, Instant at, Observation observation, AnalysisPhase phase, String message) {
    return new Measurement(metric.name(), at, observation, phase, Optional.empty(), message);
  }
}
