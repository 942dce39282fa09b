package dev.weir.engine.console;

import java.util.Objects;

/**
 * A rollout in one line of a list, in plain values for the faces. Immutable.
 *
 * @param rollout its name
 * @param strategy {@code canary} or {@code blueGreen}
 * @param phase {@code Progressing}, {@code Paused}, {@code Healthy}, {@code Degraded}, {@code
 *     Aborted}
 * @param weight the canary's (or preview's) share of traffic, 0–100
 * @param step the current step, 1-based (0 when none)
 * @param steps how many steps there are
 * @param message one line on where it stands
 */
public record RolloutLine(
    String rollout, String strategy, String phase, int weight, int step, int steps, String message) {
  public RolloutLine {
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
  }

  /** Whether it needs a person's word or went wrong ({@code Paused}, {@code Degraded}, {@code Aborted}). */
  public boolean stuck() {
    return !phase.equals("Progressing") && !phase.equals("Healthy");
  }
}
