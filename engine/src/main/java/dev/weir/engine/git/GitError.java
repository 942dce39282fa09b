package dev.weir.engine.git;

import java.util.Objects;

/**
 * Why a Git operation failed, as a value: a {@link Reason} to decide on and a one-line message for
 * the SRE reading it. Messages never contain a credential: URLs are shown with their user info
 * replaced by {@code ***} ({@code https://***@host/…}), and tokens or passwords handed to the
 * transport are scrubbed.
 *
 * <p>Immutable and thread-safe.
 */
public record GitError(Reason reason, String message) {

  /** What went wrong, coarse enough to act on. */
  public enum Reason {
    /** The remote could not be reached (DNS, refused, timed out, network down). Transient. */
    UNREACHABLE(true),
    /** The remote refused our credentials, or none were available. */
    AUTH_FAILED(false),
    /** The SSH server's host key is unknown, changed or revoked: refused under strict checking. */
    HOST_KEY_REJECTED(false),
    /** The repository, branch, tag, revision or path does not exist. */
    NOT_FOUND(false),
    /** A commit is not signed by a trusted key while signature verification is on. */
    SIGNATURE_REJECTED(false),
    /** The remote refused a push for a reason other than having moved (protected branch, hook). */
    PUSH_REJECTED(false),
    /** The remote kept moving while we pushed, more times than we retry. Transient. */
    PUSH_RACE_LOST(true),
    /** No Git author identity is configured (user.name / user.email). */
    NO_IDENTITY(false),
    /** The request cannot be done on this workspace (e.g. committing while following a tag). */
    INVALID_REQUEST(false),
    /** The local clone in the cache could not be read or written. */
    LOCAL_IO(false),
    /** The remote answered, but with an error we do not classify further. */
    REMOTE_ERROR(true);

    private final boolean transientFailure;

    Reason(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }

    /** Whether retrying later, unchanged, may succeed. */
    public boolean isTransient() {
      return transientFailure;
    }
  }

  public GitError {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    message = oneLine(message);
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
