package dev.weir.engine.console;

import java.util.List;
import java.util.Objects;

/**
 * What a command would do, computed by the engine before a person confirms it, and shown the same
 * by the CLI and both consoles: a rollback's exact commit message, branch, push and the sync that
 * follows; an abort's or a set weight's traffic split afterwards; a sync's plan and what a prune
 * deletes. Computing a preview changes nothing. Immutable.
 *
 * @param status {@code OK} when the command may go ahead; otherwise how it would end without
 *     doing anything ({@code BAD_INPUT} for an unknown application or revision, {@code REFUSED}
 *     for a freeze, a failed render or a prune that needs confirming …), said in {@code lines}
 * @param title one line naming the command, e.g. {@code Roll back storefront to 3f2a1c9}
 * @param lines what it would do, one fact per line, in the order it would happen
 * @param needsConfirmation whether a face asks the person before running it (it changes or
 *     deletes something a person should look at first); false for a command that would change
 *     nothing
 */
public record Preview(
    CommandResult.Status status, String title, List<String> lines, boolean needsConfirmation) {

  public Preview {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(title, "title");
    lines = List.copyOf(lines);
  }

  /** A command that may go ahead. */
  public static Preview of(String title, List<String> lines, boolean needsConfirmation) {
    return new Preview(CommandResult.Status.OK, title, lines, needsConfirmation);
  }

  /** A command that would end as {@code result} without doing anything. */
  public static Preview refused(String title, CommandResult result) {
    java.util.ArrayList<String> lines = new java.util.ArrayList<>();
    lines.add(result.message());
    lines.addAll(result.details());
    return new Preview(result.status(), title, lines, false);
  }

  /** Whether the command may go ahead. */
  public boolean ok() {
    return status == CommandResult.Status.OK;
  }

  /** The title and the lines, the lines indented by two spaces: what a terminal prints. */
  public List<String> describe() {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    out.add(title);
    lines.forEach(line -> out.add("  " + line));
    return out;
  }
}
