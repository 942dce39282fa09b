package dev.weir.engine.analysis;

/**
 * The phase of a measurement, a metric or a whole analysis run, with Argo Rollouts' words. Only
 * {@link #SUCCESSFUL} lets a rollout go on; {@link #INCONCLUSIVE} pauses it and asks a person;
 * {@link #FAILED} and {@link #ERROR} abort it.
 */
public enum AnalysisPhase {
  PENDING("Pending"),
  RUNNING("Running"),
  SUCCESSFUL("Successful"),
  INCONCLUSIVE("Inconclusive"),
  ERROR("Error"),
  FAILED("Failed");

  private final String word;

  AnalysisPhase(String word) {
    this.word = word;
  }

  /** Argo Rollouts' spelling: {@code Successful}, {@code Inconclusive} … */
  public String word() {
    return word;
  }

  /** True once nothing more will happen. */
  public boolean completed() {
    return this != PENDING && this != RUNNING;
  }

  /** True for a completed phase other than Successful: it ends the run. */
  public boolean unsuccessful() {
    return completed() && this != SUCCESSFUL;
  }

  /**
   * Whether {@code this} is worse than {@code other}, in Argo Rollouts' order: Pending, Running,
   * Successful, Inconclusive, Error, Failed.
   */
  public boolean worseThan(AnalysisPhase other) {
    return ordinal() > other.ordinal();
  }
}
