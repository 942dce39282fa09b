package dev.weir.engine.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * The last sync of an application, as kept in the cluster. Immutable.
 *
 * @param revision the revision synced to
 * @param outcome how it ended
 * @param message its one line
 * @param at when it finished
 * @param by who or what started it ({@code alice}, {@code automated}, {@code self-heal})
 */
public record LastSync(
    String revision, SyncResult.Outcome outcome, String message, Instant at, String by) {
  public LastSync {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
    by = by == null ? "" : by;
  }

  public static LastSync of(SyncResult result, String by) {
    return new LastSync(
        result.revision(), result.outcome(), result.message(), result.finishedAt(), by);
  }
}
