package dev.weir.engine.model;

/**
 * Health words as Argo CD's users know them, from best to worst for sorting: {@code Healthy},
 * {@code Suspended}, {@code Progressing}, {@code Missing}, {@code Degraded}, {@code Unknown} are
 * printed as they are named.
 */
public enum HealthStatus {
  Healthy,
  Suspended,
  Progressing,
  Missing,
  Degraded,
  Unknown;

  /** The worse of two statuses, for an application's overall health. */
  public HealthStatus worse(HealthStatus other) {
    return rank() >= other.rank() ? this : other;
  }

  private int rank() {
    return switch (this) {
      case Healthy -> 0;
      case Suspended -> 1;
      case Progressing -> 2;
      case Unknown -> 3;
      case Missing -> 4;
      case Degraded -> 5;
    };
  }
}
