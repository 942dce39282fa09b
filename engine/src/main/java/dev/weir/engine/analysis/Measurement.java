package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One judged measurement of one metric: when, what was seen, the phase it earned and why, in one
 * line ({@code success-rate = 0.93: result >= 0.99 not met → Failed}). Immutable.
 *
 * @param phase Successful, Failed, Inconclusive or Error
 * @param verdict the statistical verdict, for comparison metrics
 */
public record Measurement(
    String metric,
    Instant at,
    Observation observation,
    AnalysisPhase phase,
    Optional<Verdict> verdict,
    String message) {

  public Measurement {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(message, "message");
    if (!phase.completed()) {
      throw new IllegalArgumentException("a measurement's phase is a completed one, got " + phase);
    }
  }
}
