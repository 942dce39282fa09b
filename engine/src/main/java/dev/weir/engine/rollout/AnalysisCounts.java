package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisPhase;
import java.util.Objects;

/**
 * Where one analysis run stands, as a rollout records it: its phase, measurement counts and the
 * latest value in one line ({@code success-rate 0.995}). Immutable.
 */
public record AnalysisCounts(
    AnalysisPhase phase,
    int measured,
    int successful,
    int failed,
    int inconclusive,
    int error,
    String last) {

  /** A run that has not reported yet. */
  public static final AnalysisCounts NONE =
      new AnalysisCounts(AnalysisPhase.PENDING, 0, 0, 0, 0, 0, "");

  public AnalysisCounts {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(last, "last");
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
