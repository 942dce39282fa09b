package dev.weir.engine.console;

import dev.weir.engine.diff.DiffPrinter;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.ResourceKey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One object of an application that differs from Git, as plain values for the faces: its status,
 * its drifted fields and the lines {@code weir diff} prints for it (a header, one line per field,
 * then the unified diff, cluster {@code ---} and Git {@code +++}), secrets already redacted.
 * Immutable.
 *
 * @param key the object
 * @param status {@code drifted}, {@code missing in the cluster} or {@code not in Git (prune
 *     candidate)}, as {@code weir diff} says it
 * @param note why the comparison is partial; "" normally
 * @param fields its drifted fields, in path order (none when missing or extra)
 * @param lines what {@code weir diff} prints for it, without colour, one line each
 * @param hotfixed whether a hotfix covers it or one of its fields
 */
public record DriftObject(
    ResourceKey key,
    String status,
    String note,
    List<DriftField> fields,
    List<String> lines,
    boolean hotfixed) {

  public DriftObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    note = note == null ? "" : note;
    fields = List.copyOf(fields);
    lines = List.copyOf(lines);
  }

  /** The object as the diff names it ({@code apps/Deployment shop/inventory}). */
  public String resource() {
    return key.toString();
  }

  /** Who changed it last and when, of its fields that say so. */
  public Optional<DriftField> lastChange() {
    return fields.stream()
        .filter(f -> !f.who().isEmpty() && f.at().isPresent())
        .max(Comparator.comparing((DriftField f) -> f.at().orElse(Instant.MIN)));
  }

  static DriftObject of(String application, ResourceDiff diff, boolean hotfixed, ZoneId zone) {
    String text = DiffPrinter.resource(application, diff, zone, false);
    return new DriftObject(
        diff.key(),
        DiffPrinter.statusWord(diff.status()),
        diff.note(),
        diff.changes().stream().map(c -> DriftField.of(diff.key(), c, zone)).toList(),
        List.of(text.split("\n")),
        hotfixed);
  }
}
