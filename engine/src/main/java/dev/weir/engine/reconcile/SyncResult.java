package dev.weir.engine.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a sync did: an outcome, one result per object, and one line for people. Immutable.
 *
 * @param application the application
 * @param revision the revision synced to
 * @param outcome how it ended
 * @param resources per object, in plan order
 * @param message one line, e.g. {@code synced storefront to 3f2a1c9: 2 created, 1 configured, 1
 *     pruned} or {@code sync of storefront failed: …}
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param confirmation what a person must confirm before the skipped prunes run; "" when nothing
 */
public record SyncResult(
    String application,
    String revision,
    Outcome outcome,
    List<ResourceResult> resources,
    String message,
    Instant startedAt,
    Instant finishedAt,
    String confirmation) {

  /** How a sync ended. */
  public enum Outcome {
    /** Everything planned was done. */
    SUCCEEDED,
    /** Nothing differed. */
    NOTHING_TO_DO,
    /** A dry run: the API server accepted every step; nothing was changed. */
    DRY_RUN,
    /** Refused before anything was done (render failed, empty, frozen, Lease held elsewhere…). */
    BLOCKED,
    /** A step failed; later steps were not attempted. */
    FAILED
  }

  public SyncResult {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(outcome, "outcome");
    resources = List.copyOf(resources);
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    confirmation = confirmation == null ? "" : confirmation;
  }

  public boolean succeeded() {
    return outcome == Outcome.SUCCEEDED
        || outcome == Outcome.NOTHING_TO_DO
        || outcome == Outcome.DRY_RUN;
  }

  /** Whether a step failed because the cluster could not be reached (the CLI's exit code 3). */
  public boolean unreachable() {
    return resources.stream().anyMatch(r -> r.error().map(e -> e.unreachable()).orElse(false));
  }
}
