package dev.weir.engine.git;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link GitWriter} did, in one plain sentence and as values.
 *
 * @param outcome whether a commit was made and where it is
 * @param commit the new commit's full id; {@code null} for {@link Outcome#NO_CHANGE}
 * @param pushed whether the commit is on the remote
 * @param message one line for the user, e.g. {@code Rolled back storefront to 3f2a1c9 as 8e1d2c3,
 *     pushed to main}
 * @param pushError why the commit was not pushed, when a push was asked for and failed
 */
public record WriteResult(
    Outcome outcome, String commit, boolean pushed, String message, Optional<GitError> pushError) {

  /** Whether a commit was made and where it is. */
  public enum Outcome {
    /** Committed and pushed to the remote branch. */
    PUSHED,
    /**
     * Committed in the local clone only: not asked to push, or the push failed. Nothing is lost.
     */
    COMMITTED_LOCALLY,
    /** The path already matched the revision: no commit was made. */
    NO_CHANGE
  }

  public WriteResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(pushError, "pushError");
    if (pushed != (outcome == Outcome.PUSHED)) {
      throw new IllegalArgumentException("pushed must match the outcome");
    }
    if ((commit == null) != (outcome == Outcome.NO_CHANGE)) {
      throw new IllegalArgumentException("a commit id goes with a commit");
    }
  }

  /** The first seven characters of the commit id, or "" when no commit was made. */
  public String shortCommit() {
    return commit == null ? "" : commit.substring(0, 7);
  }
}
