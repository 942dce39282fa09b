package dev.weir.engine.diff;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * One drifted field, in the direction a sync would take it: from the cluster's value to Git's.
 * Values are what people may see: a Secret's values (and other sensitive values) are already
 * replaced by {@link Redaction#REDACTED} or {@link Redaction#REDACTED_CHANGED}, so a change is safe
 * to print, log and serialise. Immutable.
 *
 * @param path where
 * @param kind added by a sync (only in Git), removed by a sync (only in the cluster) or changed
 * @param git Git's value; {@code null} for {@link Kind#REMOVED}
 * @param live the cluster's value; {@code null} for {@link Kind#ADDED}
 * @param owner who set the cluster's value, when managedFields tell
 */
public record FieldChange(
    FieldPath path, Kind kind, Object git, Object live, Optional<FieldOwner> owner) {

  /** What a sync would do to the field. */
  public enum Kind {
    /** Git has the field, the cluster does not. */
    ADDED,
    /** The cluster has the field, Git does not. */
    REMOVED,
    /** Both have it, with different values. */
    CHANGED
  }

  private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");

  public FieldChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
  }

  /**
   * One line: {@code kubectl-edit changed spec.replicas 3→5 at 10:42} (someone changed the cluster
   * away from Git's 3), {@code spec.image: shop:1→shop:2 in Git} (Git moved on from what Weir
   * applied), {@code spec.paused: only in the cluster (true), set by kubectl-patch at 10:40},
   * {@code data.password: <redacted, changed>}.
   */
  public String describe(ZoneId zone) {
    String who = owner.map(o -> o.manager()).orElse("");
    String when =
        owner
            .flatMap(FieldOwner::time)
            .map(t -> " at " + HOUR_MINUTE.format(t.atZone(zone)))
            .orElse("");
    return switch (kind) {
      case CHANGED -> {
        if (Redaction.REDACTED_CHANGED.equals(git)) {
          yield path
              + ": "
              + Redaction.REDACTED_CHANGED
              + (who.isEmpty() || who.equals("weir") ? "" : ", by " + who + when);
        }
        if (who.isEmpty() || who.equals("weir")) {
          yield path + ": " + Values.inline(live) + "→" + Values.inline(git) + " in Git";
        }
        yield who
            + " changed "
            + path
            + " "
            + Values.inline(git)
            + "→"
            + Values.inline(live)
            + when;
      }
      case ADDED -> path + ": missing in the cluster (Git: " + Values.inline(git) + ")";
      case REMOVED ->
          path
              + ": only in the cluster ("
              + Values.inline(live)
              + ")"
              + (who.isEmpty() ? "" : ", set by " + who + when);
    };
  }

  /**
   * Git's value on one line as {@link #describe} prints it ({@code 3}, {@code shop:2}); a redacted
   * value as it is ({@code <redacted, changed>}); "" when Git does not have the field.
   */
  public String gitText() {
    return text(git, kind == Kind.REMOVED);
  }

  /** The cluster's value on one line, as {@link #gitText()}; "" when the cluster lacks it. */
  public String liveText() {
    return text(live, kind == Kind.ADDED);
  }

  /** Whether the values are sensitive and shown redacted (a Secret's data, a password variable). */
  public boolean redacted() {
    return isRedacted(git) || isRedacted(live);
  }

  private static boolean isRedacted(Object value) {
    return Redaction.REDACTED.equals(value) || Redaction.REDACTED_CHANGED.equals(value);
  }

  private static String text(Object value, boolean absent) {
    if (absent) {
      return "";
    }
    return isRedacted(value) ? (String) value : Values.inline(value);
  }
}
