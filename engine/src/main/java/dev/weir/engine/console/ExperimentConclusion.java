package dev.weir.engine.console;

/**
 * How a person ends an A/B experiment ({@code weir experiment conclude APP --promote|--keep}).
 */
public enum ExperimentConclusion {
  /** B becomes stable: the rollout goes on to full promotion. */
  PROMOTE,
  /** A stays: the rollout is aborted, all traffic back on A at once. */
  KEEP;

  /** {@code promote} or {@code keep}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
