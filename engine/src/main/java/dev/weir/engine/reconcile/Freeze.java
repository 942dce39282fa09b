package dev.weir.engine.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * Incident mode: automated sync and self-heal stop for an application (or for all) until {@code
 * until}, when the freeze ends by itself. A person can still sync by hand. Immutable.
 *
 * @param reason why, in the person's words
 * @param by who froze it
 * @param since when
 * @param until when it ends by itself
 */
public record Freeze(String reason, String by, Instant since, Instant until) {
  public Freeze {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
  }

  public boolean activeAt(Instant now) {
    return now.isBefore(until);
  }

  /** {@code frozen by alice until 11:30Z: payment incident}. */
  public String describe() {
    return "frozen by " + by + " until " + until + ": " + reason;
  }
}
