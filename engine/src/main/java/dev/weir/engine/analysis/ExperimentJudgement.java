package dev.weir.engine.analysis;

import java.util.Objects;

/**
 * Where an A/B experiment stands after one look: its outcome, the counts of both variants, the
 * uplift with its always-valid interval, and one line saying it all, the same in the CLI and both
 * consoles. Immutable.
 *
 * @param outcome running, or why it stopped
 * @param a the control's counts since the experiment started
 * @param b the treatment's counts
 * @param estimate the uplift of B over A, its interval and p-value ({@link MixtureSprt})
 * @param message e.g. {@code B converts 12.1% vs A 10.0%: uplift +2.1 points [+0.9, +3.3] (95%
 *     always-valid), p = 0.0004 — B wins}
 */
public record ExperimentJudgement(
    Outcome outcome,
    ConversionCounts a,
    ConversionCounts b,
    MixtureSprt.Estimate estimate,
    String message) {

  /** Why an experiment stopped, or that it has not. */
  public enum Outcome {
    /** Not yet clear, limits not reached: keep counting. */
    RUNNING,
    /** B converts better, with the promised confidence: promote B. */
    B_WINS,
    /** B converts worse, with the promised confidence: keep A. */
    B_HARMS,
    /** The sample or time limit came first: no difference shown; keep A. */
    NO_DIFFERENCE;

    /** Whether the experiment stopped. */
    public boolean stopped() {
      return this != RUNNING;
    }

    /** What the numbers recommend once stopped: promote B only when it won. */
    public String recommendation() {
      return switch (this) {
        case RUNNING -> "wait";
        case B_WINS -> "promote";
        case B_HARMS, NO_DIFFERENCE -> "keep";
      };
    }
  }

  public ExperimentJudgement {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(estimate, "estimate");
    Objects.requireNonNull(message, "message");
  }
}
