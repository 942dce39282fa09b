package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Re-judges a recorded analysis with other thresholds, limits or judge settings: every recorded
 * observation is judged again by {@link MeasurementAssessor} and replayed, in time order, through
 * the same {@link AnalysisRun#next} the live run used. Measurements after the re-judged run would
 * have ended are ignored; a run that would need more measurements than were recorded stays Running.
 * Only the retained measurements ({@link AnalysisRun#MEASUREMENT_RETENTION} per metric) are
 * replayed.
 *
 * <p>Pure and thread-safe.
 */
public final class WhatIf {
  private WhatIf() {}

  /** The answer: an outcome, or why the overrides cannot be applied. */
  public sealed interface Result permits Outcome, InvalidOverrides {}

  /**
   * What the run would have been.
   *
   * @param recorded the phase the run actually had
   * @param rejudged the re-judged run's state (phase, metrics, score, message)
   * @param explanation one line: {@code would be Successful (was Failed): all 1 metric successful
   *     …}
   */
  public record Outcome(AnalysisPhase recorded, AnalysisRunState rejudged, String explanation)
      implements Result {
    public Outcome {
      Objects.requireNonNull(recorded, "recorded");
      Objects.requireNonNull(rejudged, "rejudged");
      Objects.requireNonNull(explanation, "explanation");
    }

    /** The re-judged phase. */
    public AnalysisPhase phase() {
      return rejudged.phase();
    }

    /** True when the outcome differs from what was recorded. */
    public boolean changed() {
      return rejudged.phase() != recorded;
    }
  }

  /**
   * The overrides cannot be applied (unknown metric, a condition that does not compile, a bad
   * number).
   */
  public record InvalidOverrides(List<String> problems) implements Result {
    public InvalidOverrides {
      problems = List.copyOf(problems);
    }
  }

  /** Re-judges {@code run} with {@code overrides}. */
  public static Result rejudge(RecordedRun run, AnalysisOverrides overrides) {
    List<String> problems = new ArrayList<>();
    AnalysisTemplateSpec spec = apply(run.spec(), overrides, problems);
    if (!problems.isEmpty()) {
      return new InvalidOverrides(problems);
    }
    AnalysisRunState recorded = run.state();
    if (recorded.startedAt().isEmpty()) {
      return new Outcome(
          recorded.phase(),
          AnalysisRunState.pending(spec),
          "the run has not started: nothing to" + " re-judge");
    }
    Instant start = recorded.startedAt().get();
    AnalysisRunState state =
        AnalysisRun.next(AnalysisRunState.pending(spec), spec, new AnalysisEvent.Start(), start)
            .state();
    for (Measurement original : recorded.measurements()) {
      if (state.phase().completed()) {
        break;
      }
      MetricSpec metric = spec.metric(original.metric()).orElseThrow();
      Measurement again = MeasurementAssessor.assess(metric, original.observation(), original.at());
      state =
          AnalysisRun.next(state, spec, new AnalysisEvent.Measured(again), original.at()).state();
    }
    if (!state.phase().completed() && recorded.terminatedAt().isPresent()) {
      state =
          AnalysisRun.next(
                  state,
                  spec,
                  new AnalysisEvent.Terminate("as recorded"),
                  recorded.terminatedAt().get())
              .state();
    }
    String verb =
        state.phase().completed() ? "would be " + state.phase().word() : "would still be Running";
    String comparison =
        state.phase() == recorded.phase()
            ? " (unchanged)"
            : " (was " + recorded.phase().word() + ")";
    return new Outcome(recorded.phase(), state, verb + comparison + ": " + state.message());
  }

  private static AnalysisTemplateSpec apply(
      AnalysisTemplateSpec spec, AnalysisOverrides overrides, List<String> problems) {
    for (String name : overrides.metrics().keySet()) {
      if (spec.metric(name).isEmpty()) {
        problems.add("no metric \"" + name + "\" in template " + spec.name());
      }
    }
    List<MetricSpec> metrics = new ArrayList<>();
    for (MetricSpec metric : spec.metrics()) {
      AnalysisOverrides.MetricOverrides o = overrides.metrics().get(metric.name());
      metrics.add(o == null ? metric : apply(metric, o, problems));
    }
    AnalysisTemplateSpec result = spec.withMetrics(metrics);
    return overrides.scoring().map(result::withScoring).orElse(result);
  }

  private static MetricSpec apply(
      MetricSpec metric, AnalysisOverrides.MetricOverrides o, List<String> problems) {
    String name = metric.name();
    Optional<Condition> success =
        condition(
            name, "successCondition", o.successCondition(), metric.successCondition(), problems);
    Optional<Condition> failure =
        condition(
            name, "failureCondition", o.failureCondition(), metric.failureCondition(), problems);
    if (metric.compare().isEmpty() && success.isEmpty() && failure.isEmpty()) {
      problems.add(name + ": a threshold metric needs a successCondition or a failureCondition");
    }
    int failureLimit =
        limit(name, "failureLimit", o.failureLimit(), metric.failureLimit(), -1, problems);
    int inconclusiveLimit =
        limit(
            name,
            "inconclusiveLimit",
            o.inconclusiveLimit(),
            metric.inconclusiveLimit(),
            -1,
            problems);
    int errorLimit =
        limit(
            name,
            "consecutiveErrorLimit",
            o.consecutiveErrorLimit(),
            metric.consecutiveErrorLimit(),
            0,
            problems);
    MetricSpec result =
        metric
            .withConditions(success, failure)
            .withLimits(failureLimit, inconclusiveLimit, errorLimit);
    if (o.count().isPresent()) {
      if (o.count().get() < 1) {
        problems.add(name + ": count must be at least 1, got " + o.count().get());
      } else {
        result = result.withCount(o.count());
      }
    }
    boolean judgeOverridden =
        o.direction().isPresent()
            || o.effectSize().isPresent()
            || o.confidence().isPresent()
            || o.minSamples().isPresent();
    if (judgeOverridden) {
      if (metric.compare().isEmpty()) {
        problems.add(name + ": judge settings apply only to comparison metrics");
      } else {
        JudgeSettings judge = metric.compare().get().judge();
        try {
          judge =
              new JudgeSettings(
                  o.direction().orElse(judge.direction()),
                  o.effectSize().orElse(judge.effectSize()),
                  o.confidence().orElse(judge.confidence()),
                  o.minSamples().orElse(judge.minSamples()));
          result = result.withCompare(Optional.of(metric.compare().get().withJudge(judge)));
        } catch (IllegalArgumentException e) {
          problems.add(name + ": " + e.getMessage());
        }
      }
    }
    return result;
  }

  private static Optional<Condition> condition(
      String metric,
      String field,
      Optional<String> override,
      Optional<Condition> current,
      List<String> problems) {
    if (override.isEmpty()) {
      return current;
    }
    if (override.get().isBlank()) {
      return Optional.empty();
    }
    return switch (Condition.compile(override.get())) {
      case Condition.Compiled.Ok ok -> Optional.of(ok.condition());
      case Condition.Compiled.Invalid invalid -> {
        problems.add(metric + ": " + field + " `" + override.get() + "`: " + invalid.message());
        yield current;
      }
    };
  }

  private static int limit(
      String metric,
      String field,
      Optional<Integer> override,
      int current,
      int minimum,
      List<String> problems) {
    if (override.isEmpty()) {
      return current;
    }
    if (override.get() < minimum) {
      problems.add(
          metric + ": " + field + " must be at least " + minimum + ", got " + override.get());
      return current;
    }
    return override.get();
  }
}
