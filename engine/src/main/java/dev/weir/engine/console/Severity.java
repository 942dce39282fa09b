package dev.weir.engine.console;

/**
 * How much something wants a person, for the needs-attention queue and the event timeline; the
 * declaration order is the order of urgency (most urgent first).
 */
public enum Severity {
  /** Users are or were hurt, or nothing can be done until someone acts: a failed canary, a
   * Degraded application, a definition that does not load. */
  CRITICAL("critical"),
  /** Someone should decide soon: a paused or inconclusive rollout, drift, a freeze about to end. */
  WARNING("warning"),
  /** Worth knowing: a pending backport, a freeze that ended, an ordinary event. */
  INFO("info");

  private final String word;

  Severity(String word) {
    this.word = word;
  }

  /** {@code critical}, {@code warning}, {@code info}. */
  public String word() {
    return word;
  }
}
