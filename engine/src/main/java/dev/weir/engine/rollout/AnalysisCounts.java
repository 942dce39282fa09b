package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisPhase;
import java.util.List;
import java.util.Objects;

/**
 * Where one analysis run stands, as a rollout records it: its phase, measurement counts and the
 * latest value in one line ({@code success-rate 0.995}), and how far each template's run got, so
 * that a console resuming the rollout continues the runs rather than starting them again.
 * Immutable.
 *
 * @param checkpoints one per template of the analysis that has started, in template order; empty in
 *     records written before Weir kept them (such a run starts again from zero on resume)
 */
public record AnalysisCounts(
    AnalysisPhase phase,
    int measured,
    int successful,
    int failed,
    int inconclusive,
    int error,
    String last,
    List<AnalysisCheckpoint> checkpoints) {

  /** A run that has not reported yet. */
  public static final AnalysisCounts NONE =
      new AnalysisCounts(AnalysisPhase.PENDING, 0, 0, 0, 0, 0, "");

  public AnalysisCounts {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(last, "last");
    checkpoints = List.copyOf(checkpoints);
  }

  /** Counts without checkpoints (nothing to resume from). */
  public AnalysisCounts(
      AnalysisPhase phase,
      int measured,
      int successful,
      int failed,
      int inconclusive,
      int error,
      String last) {
    this(phase, measured, successful, failed, inconclusive, error, last, List.of());
  }

  /** The checkpoint of the run of {@code template}, if it has one. */
  public java.util.Optional<AnalysisCheckpoint> checkpoint(String template) {
    return checkpoints.stream().filter(c -> c.template().equals(template)).findFirst();
  }

  /** {@code 3 measured, 1 failed (last: success-rate 0.93)}. */
  public String describe() {
    StringBuilder out = new StringBuilder().append(measured).append(" measured");
    if (failed > 0) {
      out.append(", ").append(failed).append(" failed");
    }
    if (inconclusive > 0) {
      out.append(", ").append(inconclusive).append(" inconclusive");
    }
    if (error > 0) {
      out.append(", ").append(error).append(" errors");
    }
    if (!last.isEmpty()) {
      out.append(" (last: ").append(last).append(')');
    }
    return out.toString();
  }
}
