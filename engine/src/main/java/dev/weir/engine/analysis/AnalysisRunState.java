package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An analysis run's whole state: the input and output of the pure {@link AnalysisRun#next}.
 * Immutable and safe to hand to any thread (the UIs render it directly).
 *
 * @param phase Pending, Running, then Successful, Failed, Error or Inconclusive; Inconclusive means
 *     the rollout must pause and ask a person
 * @param score the aggregate of the latest statistical verdicts, once every comparison metric has
 *     one
 * @param terminatedAt when a {@link AnalysisEvent.Terminate} ended the run, if one did
 * @param message one line explaining the phase
 */
public record AnalysisRunState(
    String template,
    AnalysisPhase phase,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<Instant> terminatedAt,
    List<MetricResult> metrics,
    Optional<ScoreCard> score,
    String message) {

  public AnalysisRunState {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(terminatedAt, "terminatedAt");
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(message, "message");
  }

  /** A run of {@code spec} that has not started. */
  public static AnalysisRunState pending(AnalysisTemplateSpec spec) {
    return new AnalysisRunState(
        spec.name(),
        AnalysisPhase.PENDING,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        spec.metrics().stream().map(m -> MetricResult.pending(m.name())).toList(),
        Optional.empty(),
        "not started");
  }

  /** The metric called {@code name}. */
  public Optional<MetricResult> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** Every retained measurement of every metric, in time order. */
  public List<Measurement> measurements() {
    return metrics.stream()
        .flatMap(m -> m.measurements().stream())
        .sorted(java.util.Comparator.comparing(Measurement::at))
        .toList();
  }
}
