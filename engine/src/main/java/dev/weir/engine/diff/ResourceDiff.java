package dev.weir.engine.diff;

import dev.weir.engine.model.ResourceKey;
import java.util.List;
import java.util.Objects;

/**
 * How one object differs between Git and the cluster: a status, the drifted fields (structured) and
 * a unified text diff (cluster {@code ---}, Git {@code +++}, as {@code kubectl diff}). Sensitive
 * values are already redacted in both. Immutable.
 *
 * @param key the object
 * @param status in sync, drifted, missing from the cluster, or left in the cluster
 * @param changes the drifted fields, in path order; empty unless {@link Status#MODIFIED}
 * @param text the unified diff without colour; empty when in sync
 * @param note why the comparison is partial, e.g. {@code compared Git's fields only: dry run
 *     refused: …}; empty normally
 */
public record ResourceDiff(
    ResourceKey key, Status status, List<FieldChange> changes, String text, String note) {

  /** Where the object stands. */
  public enum Status {
    /** Git and the cluster agree. */
    SYNCED,
    /** Both have it and some fields differ. */
    MODIFIED,
    /** Git has it, the cluster does not: a sync creates it. */
    MISSING,
    /** The cluster has it, tracked as this application's, and Git does not: a prune deletes it. */
    EXTRA
  }

  public ResourceDiff {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    changes = List.copyOf(changes);
    Objects.requireNonNull(text, "text");
    note = note == null ? "" : note;
  }

  public boolean drifted() {
    return status != Status.SYNCED;
  }
}
