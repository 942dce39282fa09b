package dev.weir.engine.rollout;

/** A rollout's phase, with the words Argo Rollouts' users know. */
public enum RolloutPhase {
  PROGRESSING("Progressing"),
  PAUSED("Paused"),
  HEALTHY("Healthy"),
  DEGRADED("Degraded"),
  ABORTED("Aborted");

  private final String word;

  RolloutPhase(String word) {
    this.word = word;
  }

  /** {@code Progressing}, {@code Paused} … */
  public String word() {
    return word;
  }
}
