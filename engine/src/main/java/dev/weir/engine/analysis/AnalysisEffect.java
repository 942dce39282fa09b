package dev.weir.engine.analysis;

import java.util.Objects;

/** What an executor must do after a transition. Idempotent to describe; carried out once. */
public sealed interface AnalysisEffect permits AnalysisEffect.Measure, AnalysisEffect.Completed {

  /**
   * Take one measurement of {@code metric} now and report it with {@link AnalysisEvent.Measured}.
   */
  record Measure(String metric) implements AnalysisEffect {
    public Measure {
      Objects.requireNonNull(metric, "metric");
    }
  }

  /** The run ended in {@code phase}; {@code message} says why, in one line. */
  record Completed(AnalysisPhase phase, String message) implements AnalysisEffect {
    public Completed {
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(message, "message");
    }
  }
}
