package dev.weir.engine.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The analysis run as a pure state machine, after Argo Rollouts' {@code analysis/analysis.go}
 * ({@code assessMetricStatus}, {@code assessRunStatus}), with Weir's rule that nothing unknown ever
 * succeeds.
 *
 * <p>{@link #next}: (state, event, now) → (state, effects, when to tick next). Pure, deterministic
 * and thread-safe; the {@link AnalysisRunExecutor} performs the effects.
 *
 * <p>Worked examples (the table tests mirror them):
 *
 * <ul>
 *   <li>count 3, failureLimit 1: Failed, Successful, Successful → Successful; Failed, Failed →
 *       Failed at the second measurement.
 *   <li>count 2, inconclusiveLimit 0: one Inconclusive → Inconclusive at once (the rollout pauses).
 *   <li>consecutiveErrorLimit 2: three errors in a row → Error; errors never count towards {@code
 *       count}, so an error can never become a success.
 *   <li>count reached with no Successful measurement (all within limits) → Inconclusive; stricter
 *       than Argo, which calls that Successful. Exception: a comparison metric whose verdicts were
 *       High or Low within its failureLimit ends Successful, and the {@link ScoreCard} decides.
 *   <li>no count (runs until terminated): Terminate after successes → Successful; Terminate before
 *       any success → Inconclusive.
 *   <li>a critical comparison metric that is High or Low → Failed at once, whatever its limit.
 *   <li>all metrics Successful and some are comparisons → the {@link ScoreCard} decides: Pass →
 *       Successful, Marginal or NoData → Inconclusive, Fail → Failed.
 *   <li>resumed from an {@link AnalysisCheckpoint} of count 5 with 3 measured, the last at 10:03,
 *       interval 1m: the next measurement is at 10:04 and two more end the run; failureLimit 1 with
 *       1 failure recorded: one more failure → Failed.
 * </ul>
 *
 * <p>Metric phases combine into the run's phase in Argo's order (Successful < Inconclusive < Error
 * < Failed): the first metric to end unsuccessfully ends the run.
 */
public final class AnalysisRun {
  /** How many recent measurements each metric keeps (counters keep counting beyond it). */
  public static final int MEASUREMENT_RETENTION = 1000;

  /** How soon a metric without an interval is measured again after an error. */
  public static final Duration ERROR_RETRY = Duration.ofSeconds(10);

  private AnalysisRun() {}

  /** Applies {@code event} at {@code now}. A completed run ignores every event. */
  public static AnalysisTransition next(
      AnalysisRunState state, AnalysisTemplateSpec spec, AnalysisEvent event, Instant now) {
    if (state.phase().completed()) {
      return new AnalysisTransition(state, List.of(), Optional.empty());
    }
    if (state.phase() == AnalysisPhase.PENDING
        && (event instanceof AnalysisEvent.Tick || event instanceof AnalysisEvent.Measured)) {
      return new AnalysisTransition(state, List.of(), Optional.empty());
    }
    return switch (event) {
      case AnalysisEvent.Start start -> start(state, spec, now);
      case AnalysisEvent.Resume resume -> resume(state, spec, resume.checkpoint(), now);
      case AnalysisEvent.Tick tick -> settle(state, spec, now, List.of());
      case AnalysisEvent.Measured measured -> measured(state, spec, measured.measurement(), now);
      case AnalysisEvent.Terminate terminate -> terminate(state, spec, terminate.reason(), now);
      case AnalysisEvent.Abandon abandon -> {
        AnalysisRunState ended =
            withRun(
                state,
                AnalysisPhase.ERROR,
                state.metrics(),
                Optional.of(now),
                state.terminatedAt(),
                state.score(),
                abandon.reason());
        yield new AnalysisTransition(
            ended,
            List.of(new AnalysisEffect.Completed(AnalysisPhase.ERROR, abandon.reason())),
            Optional.empty());
      }
    };
  }

  private static AnalysisTransition start(
      AnalysisRunState state, AnalysisTemplateSpec spec, Instant now) {
    if (state.phase() != AnalysisPhase.PENDING) {
      return settle(state, spec, now, List.of());
    }
    List<MetricResult> metrics = new ArrayList<>();
    for (MetricSpec metric : spec.metrics()) {
      metrics.add(
          new MetricResult(
              metric.name(),
              AnalysisPhase.RUNNING,
              List.of(),
              0,
              0,
              0,
              0,
              0,
              0,
              Optional.of(now.plus(metric.initialDelay())),
              false,
              "waiting for the first measurement"));
    }
    AnalysisRunState started =
        new AnalysisRunState(
            spec.name(),
            AnalysisPhase.RUNNING,
            Optional.of(now),
            Optional.empty(),
            Optional.empty(),
            metrics,
            Optional.empty(),
            "");
    return settle(started, spec, now, List.of());
  }

  private static AnalysisTransition resume(
      AnalysisRunState state, AnalysisTemplateSpec spec, AnalysisCheckpoint from, Instant now) {
    if (state.phase() != AnalysisPhase.PENDING || !from.template().equals(spec.name())) {
      return start(state, spec, now);
    }
    List<MetricResult> metrics = new ArrayList<>();
    for (MetricSpec metric : spec.metrics()) {
      Optional<AnalysisCheckpoint.MetricCheckpoint> recorded = from.metric(metric.name());
      if (recorded.isEmpty()) {
        metrics.add(
            new MetricResult(
                metric.name(),
                AnalysisPhase.RUNNING,
                List.of(),
                0,
                0,
                0,
                0,
                0,
                0,
                Optional.of(from.startedAt().plus(metric.initialDelay())),
                false,
                "waiting for the first measurement"));
        continue;
      }
      AnalysisCheckpoint.MetricCheckpoint m = recorded.get();
      Instant due =
          m.last()
              .map(last -> last.at().plus(metric.interval().orElse(ERROR_RETRY)))
              .orElse(from.startedAt().plus(metric.initialDelay()));
      MetricResult counted =
          new MetricResult(
              metric.name(),
              AnalysisPhase.RUNNING,
              m.last().map(List::of).orElse(List.of()),
              m.count(),
              m.successful(),
              m.failed(),
              m.inconclusive(),
              m.error(),
              m.consecutiveError(),
              Optional.of(due),
              false,
              "");
      MetricResult assessed = assess(metric, counted, false);
      if (m.phase().completed() && assessed.phase() != m.phase()) {
        // ended by a Terminate before the checkpoint: it stays as it ended
        assessed = withPhase(assessed, m.phase(), m.phase().word() + " (recorded)");
      }
      metrics.add(assessed);
    }
    AnalysisRunState resumed =
        new AnalysisRunState(
            spec.name(),
            AnalysisPhase.RUNNING,
            Optional.of(from.startedAt()),
            Optional.empty(),
            Optional.empty(),
            metrics,
            Optional.empty(),
            "");
    return settle(resumed, spec, now, List.of());
  }

  private static AnalysisTransition measured(
      AnalysisRunState state, AnalysisTemplateSpec spec, Measurement measurement, Instant now) {
    Optional<MetricSpec> metricSpec = spec.metric(measurement.metric());
    Optional<MetricResult> current = state.metric(measurement.metric());
    if (metricSpec.isEmpty()
        || current.isEmpty()
        || current.get().phase() != AnalysisPhase.RUNNING) {
      return settle(state, spec, now, List.of());
    }
    MetricSpec metric = metricSpec.get();
    MetricResult before = current.get();
    List<Measurement> kept = new ArrayList<>(before.measurements());
    kept.add(measurement);
    int retention = spec.retention(measurement.metric());
    if (kept.size() > retention) {
      kept.subList(0, kept.size() - retention).clear();
    }
    AnalysisPhase phase = measurement.phase();
    MetricResult counted =
        new MetricResult(
            before.name(),
            AnalysisPhase.RUNNING,
            kept,
            before.count() + (phase == AnalysisPhase.ERROR ? 0 : 1),
            before.successful() + (phase == AnalysisPhase.SUCCESSFUL ? 1 : 0),
            before.failed() + (phase == AnalysisPhase.FAILED ? 1 : 0),
            before.inconclusive() + (phase == AnalysisPhase.INCONCLUSIVE ? 1 : 0),
            before.error() + (phase == AnalysisPhase.ERROR ? 1 : 0),
            phase == AnalysisPhase.ERROR ? before.consecutiveError() + 1 : 0,
            Optional.empty(),
            false,
            "");
    MetricResult assessed = assess(metric, counted, false);
    if (assessed.phase() == AnalysisPhase.RUNNING) {
      Duration wait = metric.interval().orElse(ERROR_RETRY);
      assessed = withSchedule(assessed, Optional.of(now.plus(wait)), false);
    }
    return settle(replace(state, assessed), spec, now, List.of());
  }

  private static AnalysisTransition terminate(
      AnalysisRunState state, AnalysisTemplateSpec spec, String reason, Instant now) {
    List<MetricResult> metrics = new ArrayList<>();
    for (MetricResult result : state.metrics()) {
      Optional<MetricSpec> metric = spec.metric(result.name());
      metrics.add(
          result.phase().completed() || metric.isEmpty()
              ? result
              : assess(metric.get(), result, true));
    }
    AnalysisRunState terminated =
        new AnalysisRunState(
            state.template(),
            state.phase(),
            state.startedAt(),
            state.finishedAt(),
            Optional.of(now),
            metrics,
            state.score(),
            state.message());
    AnalysisTransition settled = settle(terminated, spec, now, List.of());
    if (settled.state().phase().completed()) {
      AnalysisRunState ended = settled.state();
      String message = ended.message() + " (terminated: " + reason + ")";
      return new AnalysisTransition(
          withRun(
              ended,
              ended.phase(),
              ended.metrics(),
              ended.finishedAt(),
              ended.terminatedAt(),
              ended.score(),
              message),
          List.of(new AnalysisEffect.Completed(ended.phase(), message)),
          Optional.empty());
    }
    return settled;
  }

  /** Argo's assessMetricStatus, adapted so that errors, no data and silence never succeed. */
  static MetricResult assess(MetricSpec metric, MetricResult result, boolean terminating) {
    String last = result.last().map(m -> "; last: " + m.message()).orElse("");
    if (metric.failureLimit() >= 0 && result.failed() > metric.failureLimit()) {
      return withPhase(
          result,
          AnalysisPhase.FAILED,
          result.failed()
              + " failed "
              + plural(result.failed(), "measurement")
              + ", more than failureLimit "
              + metric.failureLimit()
              + last);
    }
    if (metric.inconclusiveLimit() >= 0 && result.inconclusive() > metric.inconclusiveLimit()) {
      return withPhase(
          result,
          AnalysisPhase.INCONCLUSIVE,
          result.inconclusive()
              + " inconclusive "
              + plural(result.inconclusive(), "measurement")
              + ", more than inconclusiveLimit "
              + metric.inconclusiveLimit()
              + last);
    }
    if (result.consecutiveError() > metric.consecutiveErrorLimit()) {
      return withPhase(
          result,
          AnalysisPhase.ERROR,
          result.consecutiveError()
              + " errors in a row, more than"
              + " consecutiveErrorLimit "
              + metric.consecutiveErrorLimit()
              + last);
    }
    if (metric.compare().isPresent()
        && metric.compare().get().critical()
        && result.last().map(m -> m.phase() == AnalysisPhase.FAILED).orElse(false)) {
      return withPhase(result, AnalysisPhase.FAILED, "critical metric failed" + last);
    }
    Optional<Integer> count = metric.effectiveCount();
    boolean done = count.isPresent() && result.count() >= count.get();
    if (done || terminating) {
      if (result.successful() == 0 && result.failed() > 0 && metric.compare().isPresent()) {
        return withPhase(
            result,
            AnalysisPhase.SUCCESSFUL,
            result.failed()
                + " of "
                + result.count()
                + " "
                + plural(result.count(), "measurement")
                + " failed, within failureLimit "
                + metric.failureLimit()
                + ": the score decides"
                + last);
      }
      if (result.successful() == 0) {
        return withPhase(
            result,
            AnalysisPhase.INCONCLUSIVE,
            "no successful measurement in "
                + result.count()
                + (result.error() > 0
                    ? " (and " + result.error() + " " + plural(result.error(), "error") + ")"
                    : "")
                + last);
      }
      return withPhase(
          result,
          AnalysisPhase.SUCCESSFUL,
          result.successful()
              + " of "
              + result.count()
              + " "
              + plural(result.count(), "measurement")
              + " successful"
              + last);
    }
    String progress =
        count
            .map(c -> result.count() + " of " + c + " measured")
            .orElse(result.count() + " measured");
    return withPhase(result, AnalysisPhase.RUNNING, progress + last);
  }

  /** Settles the run's phase from its metrics, then asks for the measurements that are due. */
  private static AnalysisTransition settle(
      AnalysisRunState state,
      AnalysisTemplateSpec spec,
      Instant now,
      List<AnalysisEffect> effects) {
    Optional<ScoreCard> score = score(state, spec);
    MetricResult worst = null;
    boolean allSuccessful = true;
    // dry-run metrics (Argo's dryRun) are measured and shown, never deciding: the run ends with
    // the others, unless every metric is a dry run
    boolean deciding = state.metrics().stream().anyMatch(m -> !spec.dryRun(m.name()));
    List<String> dry = new ArrayList<>();
    for (MetricResult metric : state.metrics()) {
      if (deciding && spec.dryRun(metric.name())) {
        dry.add(
            metric.name()
                + " "
                + (metric.phase() == AnalysisPhase.RUNNING
                    ? progress(spec, metric)
                    : metric.phase().word()));
        continue;
      }
      if (!deciding) {
        dry.add(metric.name() + " " + metric.phase().word());
        allSuccessful &= metric.phase().completed();
        continue;
      }
      if (metric.phase().unsuccessful()
          && (worst == null || metric.phase().worseThan(worst.phase()))) {
        worst = metric;
      }
      allSuccessful &= metric.phase() == AnalysisPhase.SUCCESSFUL;
    }
    String dryNote = dry.isEmpty() ? "" : "; dry run (never decides): " + String.join(", ", dry);
    List<AnalysisEffect> out = new ArrayList<>(effects);
    if (worst != null) {
      String message =
          worst.name() + " " + worst.phase().word() + ": " + worst.message() + dryNote;
      out.add(new AnalysisEffect.Completed(worst.phase(), message));
      return new AnalysisTransition(
          withRun(
              state,
              worst.phase(),
              state.metrics(),
              Optional.of(now),
              state.terminatedAt(),
              score,
              message),
          out,
          Optional.empty());
    }
    if (allSuccessful) {
      AnalysisPhase phase = AnalysisPhase.SUCCESSFUL;
      long counted = state.metrics().stream().filter(m -> !spec.dryRun(m.name())).count();
      String message =
          (deciding
                  ? "all "
                      + counted
                      + " "
                      + plural((int) counted, "metric")
                      + " successful"
                  : "every metric is a dry run: Successful")
              + dryNote;
      if (spec.scored()) {
        ScoreCard card = score.orElseGet(() -> CanaryScorer.score(List.of(), spec.scoring()));
        phase = card.outcome().phase();
        message = message + "; " + card.explanation();
      }
      out.add(new AnalysisEffect.Completed(phase, message));
      return new AnalysisTransition(
          withRun(
              state,
              phase,
              state.metrics(),
              Optional.of(now),
              state.terminatedAt(),
              score,
              message),
          out,
          Optional.empty());
    }
    List<MetricResult> metrics = new ArrayList<>();
    Instant wake = null;
    for (MetricResult metric : state.metrics()) {
      MetricResult updated = metric;
      if (metric.phase() == AnalysisPhase.RUNNING
          && !metric.measuring()
          && metric.nextMeasurementAt().isPresent()) {
        Instant due = metric.nextMeasurementAt().get();
        if (!due.isAfter(now)) {
          out.add(new AnalysisEffect.Measure(metric.name()));
          updated = withSchedule(metric, Optional.empty(), true);
        } else if (wake == null || due.isBefore(wake)) {
          wake = due;
        }
      }
      metrics.add(updated);
    }
    String message =
        "Running: "
            + String.join(
                ", ",
                metrics.stream()
                    .map(
                        m ->
                            m.name()
                                + " "
                                + (m.phase() == AnalysisPhase.RUNNING
                                    ? progress(spec, m)
                                    : m.phase().word()))
                    .toList());
    return new AnalysisTransition(
        withRun(
            state,
            AnalysisPhase.RUNNING,
            metrics,
            Optional.empty(),
            state.terminatedAt(),
            score,
            message),
        out,
        Optional.ofNullable(wake));
  }

  private static String progress(AnalysisTemplateSpec spec, MetricResult metric) {
    Optional<Integer> count = spec.metric(metric.name()).flatMap(MetricSpec::effectiveCount);
    return metric.count() + count.map(c -> "/" + c).orElse("") + " measured";
  }

  /** The score over the latest verdict of every comparison metric, once each has one. */
  private static Optional<ScoreCard> score(AnalysisRunState state, AnalysisTemplateSpec spec) {
    if (!spec.scored()) {
      return Optional.empty();
    }
    List<CanaryScorer.Scored> scored = new ArrayList<>();
    for (MetricSpec metric : spec.metrics()) {
      if (metric.compare().isEmpty()) {
        continue;
      }
      Optional<Verdict> verdict = state.metric(metric.name()).flatMap(MetricResult::lastVerdict);
      if (verdict.isEmpty()) {
        return Optional.empty();
      }
      scored.add(
          new CanaryScorer.Scored(
              verdict.get(), metric.compare().get().weight(), metric.compare().get().critical()));
    }
    return Optional.of(CanaryScorer.score(scored, spec.scoring()));
  }

  private static AnalysisRunState replace(AnalysisRunState state, MetricResult metric) {
    List<MetricResult> metrics = new ArrayList<>();
    for (MetricResult m : state.metrics()) {
      metrics.add(m.name().equals(metric.name()) ? metric : m);
    }
    return withRun(
        state,
        state.phase(),
        metrics,
        state.finishedAt(),
        state.terminatedAt(),
        state.score(),
        state.message());
  }

  private static AnalysisRunState withRun(
      AnalysisRunState state,
      AnalysisPhase phase,
      List<MetricResult> metrics,
      Optional<Instant> finishedAt,
      Optional<Instant> terminatedAt,
      Optional<ScoreCard> score,
      String message) {
    return new AnalysisRunState(
        state.template(),
        phase,
        state.startedAt(),
        finishedAt,
        terminatedAt,
        metrics,
        score,
        message);
  }

  private static MetricResult withPhase(MetricResult m, AnalysisPhase phase, String message) {
    return new MetricResult(
        m.name(),
        phase,
        m.measurements(),
        m.count(),
        m.successful(),
        m.failed(),
        m.inconclusive(),
        m.error(),
        m.consecutiveError(),
        phase == AnalysisPhase.RUNNING ? m.nextMeasurementAt() : Optional.empty(),
        phase == AnalysisPhase.RUNNING && m.measuring(),
        message);
  }

  private static MetricResult withSchedule(
      MetricResult m, Optional<Instant> next, boolean measuring) {
    return new MetricResult(
        m.name(),
        m.phase(),
        m.measurements(),
        m.count(),
        m.successful(),
        m.failed(),
        m.inconclusive(),
        m.error(),
        m.consecutiveError(),
        next,
        measuring,
        m.message());
  }

  private static String plural(int n, String word) {
    return n == 1 ? word : word + "s";
  }
}
