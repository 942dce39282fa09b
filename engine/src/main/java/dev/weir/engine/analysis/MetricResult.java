package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one metric of a run stands, with Argo Rollouts' counters. Immutable.
 *
 * @param measurements the most recent measurements, oldest first (at most {@link
 *     AnalysisRun#MEASUREMENT_RETENTION})
 * @param count measurements that count towards {@code count} (all but errors)
 * @param consecutiveError errors since the last non-error measurement
 * @param nextMeasurementAt when the next measurement is due; empty while one is under way or when
 *     done
 * @param measuring whether a measurement has been asked for and not yet reported
 * @param message one line: where the metric stands and why
 */
public record MetricResult(
    String name,
    AnalysisPhase phase,
    List<Measurement> measurements,
    int count,
    int successful,
    int failed,
    int inconclusive,
    int error,
    int consecutiveError,
    Optional<Instant> nextMeasurementAt,
    boolean measuring,
    String message) {

  public MetricResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    measurements = List.copyOf(measurements);
    Objects.requireNonNull(nextMeasurementAt, "nextMeasurementAt");
    Objects.requireNonNull(message, "message");
  }

  static MetricResult pending(String name) {
    return new MetricResult(
        name,
        AnalysisPhase.PENDING,
        List.of(),
        0,
        0,
        0,
        0,
        0,
        0,
        Optional.empty(),
        false,
        "not started");
  }

  /** The latest measurement, if any. */
  public Optional<Measurement> last() {
    return measurements.isEmpty() ? Optional.empty() : Optional.of(measurements.getLast());
  }

  /** The latest statistical verdict, if any. */
  public Optional<Verdict> lastVerdict() {
    for (int i = measurements.size() - 1; i >= 0; i--) {
      if (measurements.get(i).verdict().isPresent()) {
        return measurements.get(i).verdict();
      }
    }
    return Optional.empty();
  }
}
