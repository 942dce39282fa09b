package dev.weir.engine.console;

import dev.weir.engine.diff.FieldChange;
import dev.weir.engine.model.ResourceKey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * One drifted field of one object, as plain values for the faces: where, what a sync would do to
 * it, both values on one line and who set the cluster's value when. Values are the engine's, already
 * redacted: a Secret's data shows {@code <redacted, changed>} and never its value. Immutable.
 *
 * @param key the object
 * @param path the field as the diff prints it and {@link ConsoleApi#hotfixField} reads it ({@code
 *     spec.replicas}, {@code spec.template.spec.containers[name=app].image})
 * @param change what a sync would do to the field
 * @param git Git's value on one line ("" when Git lacks the field)
 * @param live the cluster's value on one line ("" when the cluster lacks it)
 * @param who the field manager that set the cluster's value ({@code kubectl-edit}); "" when not
 *     known
 * @param at when it did, when the cluster says
 * @param redacted whether the values are sensitive and shown redacted
 * @param line the one line {@code weir diff} prints for it ({@code kubectl-edit changed
 *     spec.replicas 3→5 at 10:42})
 */
public record DriftField(
    ResourceKey key,
    String path,
    Change change,
    String git,
    String live,
    String who,
    Optional<Instant> at,
    boolean redacted,
    String line) {

  /** What a sync would do to the field. */
  public enum Change {
    /** Only Git has it: a sync adds it. */
    ADDED,
    /** Only the cluster has it: a sync removes it. */
    REMOVED,
    /** Both have it with different values: a sync sets Git's. */
    CHANGED
  }

  public DriftField {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(live, "live");
    who = who == null ? "" : who;
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(line, "line");
  }

  /** The object as the diff names it and {@link ConsoleApi#hotfixField} reads it. */
  public String resource() {
    return key.toString();
  }

  static DriftField of(ResourceKey key, FieldChange change, ZoneId zone) {
    return new DriftField(
        key,
        change.path().toString(),
        Change.valueOf(change.kind().name()),
        change.gitText(),
        change.liveText(),
        change.owner().map(o -> o.manager()).orElse(""),
        change.owner().flatMap(o -> o.time()),
        change.redacted(),
        change.describe(zone));
  }
}
