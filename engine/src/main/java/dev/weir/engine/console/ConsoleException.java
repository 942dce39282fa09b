package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.git.GitError;
import dev.weir.engine.git.GitException;
import java.util.Optional;

/**
 * An expected failure of opening a console or of a command around it, as a face reports it: one
 * line for the user and a {@link Kind} that says what kind of failure it is (the CLI's exit code, a
 * face's dialog). Faces never see the engine's Git or cluster exceptions: {@link #of(Throwable)}
 * classifies them.
 */
public final class ConsoleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure, in the terms of DESIGN.md's exit codes. */
  public enum Kind {
    /** The input is wrong: an unknown application, a bad URL, a kubeconfig without the context. */
    BAD_INPUT,
    /** A cluster, Git remote or metrics source could not be reached. */
    UNREACHABLE,
    /** Tried and failed. */
    FAILED
  }

  private final Kind kind;

  public ConsoleException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = java.util.Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }

  /**
   * What {@code failure} means for a face, when it is one of the engine's expected failures (a
   * console exception, a Git or cluster failure); empty for anything else (a bug).
   */
  public static Optional<ConsoleException> of(Throwable failure) {
    return switch (failure) {
      case ConsoleException console -> Optional.of(console);
      case ClusterException cluster ->
          Optional.of(new ConsoleException(kindOf(cluster.error()), cluster.getMessage()));
      case GitException git -> Optional.of(new ConsoleException(kindOf(git.error()), git.getMessage()));
      default ->
          failure.getCause() != null && failure.getCause() != failure
              ? of(failure.getCause())
              : Optional.empty();
    };
  }

  static Kind kindOf(ClusterError error) {
    if (error.unreachable()) {
      return Kind.UNREACHABLE;
    }
    return error.reason() == ClusterError.Reason.CONFIGURATION ? Kind.BAD_INPUT : Kind.FAILED;
  }

  static Kind kindOf(GitError error) {
    return switch (error.reason()) {
      case UNREACHABLE, AUTH_FAILED, HOST_KEY_REJECTED, REMOTE_ERROR -> Kind.UNREACHABLE;
      case NOT_FOUND, INVALID_REQUEST -> Kind.BAD_INPUT;
      default -> Kind.FAILED;
    };
  }
}
