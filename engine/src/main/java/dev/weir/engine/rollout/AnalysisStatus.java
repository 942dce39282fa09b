package dev.weir.engine.rollout;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An analysis run as the executor sees it, keyed by the run name the state machine gave it.
 * Immutable.
 *
 * @param summary when the run has ended, why, in a few words ({@code success-rate 0.91 < 0.99});
 *     empty while it runs
 * @param values each metric's latest value, as text ({@code success-rate → 0.91})
 */
public record AnalysisStatus(
    String run, AnalysisCounts counts, String summary, Map<String, String> values) {
  public AnalysisStatus {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(summary, "summary");
    values = Map.copyOf(values);
  }

  /** A status without metric values. */
  public AnalysisStatus(String run, AnalysisCounts counts, String summary) {
    this(run, counts, summary, Map.of());
  }

  /**
   * The line of a measurement event, {@code WHAT: Running, 2 measured (last: …)}; empty while the
   * run has taken no measurement (a run that has only started is not news).
   */
  public Optional<String> measuredLine(String what) {
    if (counts.measured() == 0 && !counts.phase().completed()) {
      return Optional.empty();
    }
    return Optional.of(what + ": " + counts.phase().word() + ", " + counts.describe());
  }
}
