package dev.weir.engine.console;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a console command: a status, one human-readable line, and detail lines (one per
 * resource for a sync). Immutable.
 *
 * @param status how it ended
 * @param message one line, e.g. {@code synced storefront to 3f2a1c9: 2 configured}
 * @param details further lines, e.g. {@code configured apps/Deployment shop/storefront}
 */
public record CommandResult(Status status, String message, List<String> details) {

  /** How a command ended. */
  public enum Status {
    /** Done. */
    OK,
    /** Tried and failed (a resource was refused, a health wait timed out). */
    FAILED,
    /**
     * Not done, on purpose: a freeze, a failed render, a Lease held by someone else, a
     * confirmation.
     */
    REFUSED,
    /** Not done: the cluster or Git remote could not be reached. */
    UNREACHABLE,
    /** Not done: the command itself is wrong (unknown application, bad revision). */
    BAD_INPUT
  }

  public CommandResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    details = List.copyOf(details);
  }

  public static CommandResult ok(String message) {
    return new CommandResult(Status.OK, message, List.of());
  }

  public static CommandResult of(Status status, String message) {
    return new CommandResult(status, message, List.of());
  }

  public boolean ok() {
    return status == Status.OK;
  }
}
