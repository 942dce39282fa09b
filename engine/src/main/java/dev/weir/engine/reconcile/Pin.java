package dev.weir.engine.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A rollback that stays rolled back while Git cannot be changed: the application is held at {@code
 * revision} — auto-sync of Git's head is held and self-heal restores the pinned revision — until
 * Git's head renders the same desired state (Git caught up) or a person unpins it. Immutable.
 *
 * @param revision the full commit id the cluster is held at
 * @param reason why, in the person's words
 * @param by who pinned it
 * @param since when
 * @param localCommit the rollback commit that could not be pushed ("" when none)
 */
public record Pin(String revision, String reason, String by, Instant since, String localCommit) {
  public Pin {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(since, "since");
    localCommit = localCommit == null ? "" : localCommit;
  }

  /** {@code pinned at 3f2a1c9 by alice (push failed): v2.4.1 fails checkouts}. */
  public String describe() {
    return "pinned at "
        + revision.substring(0, Math.min(7, revision.length()))
        + " by "
        + by
        + ": "
        + reason;
  }
}
