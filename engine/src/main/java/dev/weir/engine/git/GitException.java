package dev.weir.engine.git;

import java.util.Objects;

/**
 * A Git operation failed; carries the {@link GitError} value. This is the only exception the {@code
 * git} package lets out: JGit's exceptions are translated at the boundary, with credentials removed
 * from their messages. No cause is attached, so no JGit type or secret leaks through it.
 */
public final class GitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient GitError error;

  public GitException(GitError error) {
    super(Objects.requireNonNull(error, "error").message(), null, false, false);
    this.error = error;
  }

  public GitException(GitError.Reason reason, String message) {
    this(new GitError(reason, message));
  }

  /** The failure as a value. */
  public GitError error() {
    return error;
  }

  /** Shorthand for {@code error().reason()}. */
  public GitError.Reason reason() {
    return error.reason();
  }
}
