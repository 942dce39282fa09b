package dev.weir.engine.rollout;

import java.util.Objects;

/**
 * What came of a person's command, in one line for the CLI and the consoles. Immutable.
 *
 * @param kind {@link Kind#APPLIED} when the rollout took it
 * @param message e.g. {@code storefront: promoted past step 5/7 by alice} or why not
 */
public record CommandOutcome(Kind kind, String message) {
  /** How a command ended. */
  public enum Kind {
    /** Taken: recorded in the cluster and carried out. */
    APPLIED,
    /** Not applicable in the rollout's state (nothing changed). */
    REFUSED,
    /** Another console changed the rollout meanwhile; nothing of this command was applied. */
    CONFLICT,
    /** The cluster could not be read or written. */
    FAILED,
    /** No such rollout: the application has none, or none of that name. */
    UNKNOWN
  }

  public CommandOutcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  public boolean applied() {
    return kind == Kind.APPLIED;
  }
}
