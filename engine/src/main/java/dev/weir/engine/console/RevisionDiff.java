package dev.weir.engine.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an application's objects differ between two revisions of Git, as rendered at each: what a
 * rollback to {@code from} would undo when {@code to} is the current revision. Secret values and
 * sensitive environment variables are redacted. Immutable.
 *
 * @param status {@code OK}, or why there is no diff ({@code BAD_INPUT}: no such application or
 *     revision, or it does not render at one of them; {@code FAILED}: Git could not be read), said
 *     in {@code message}
 * @param message one line: {@code 2 objects differ between 3f2a1c9 and 9c8d7e6} or what went wrong
 * @param application the application's name
 * @param from the first revision, short
 * @param to the second revision, short
 * @param resources each object that differs, in key order
 */
public record RevisionDiff(
    CommandResult.Status status,
    String message,
    String application,
    String from,
    String to,
    List<Resource> resources) {

  /** How one object changed. */
  public enum Change {
    ADDED,
    REMOVED,
    CHANGED
  }

  /**
   * One object that differs.
   *
   * @param name the object as the diff and status print it ({@code apps/Deployment shop/web})
   * @param change added, removed or changed from {@code from} to {@code to}
   * @param lines its unified diff, one line each, without colour
   */
  public record Resource(String name, Change change, List<String> lines) {
    public Resource {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(change, "change");
      lines = List.copyOf(lines);
    }
  }

  public RevisionDiff {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    resources = List.copyOf(resources);
  }

  /** No diff: {@code result} says why. */
  public static RevisionDiff failed(String application, String from, String to, CommandResult result) {
    return new RevisionDiff(result.status(), result.message(), application, from, to, List.of());
  }

  public boolean ok() {
    return status == CommandResult.Status.OK;
  }

  /** Every object's diff, one after the other: what a terminal prints. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (Resource resource : resources) {
      out.addAll(resource.lines());
    }
    return out;
  }
}
