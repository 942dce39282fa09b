package dev.weir.sandbox.api;

/**
 * A refusal of the sandbox API server to an in-process caller ({@link SandboxObjects}): the same
 * status code, reason and message an HTTP client would get, e.g. 409 {@code Conflict} {@code
 * Operation cannot be fulfilled on deployments.apps "web": the object has been modified …}.
 *
 * <p>Immutable. Messages never contain object content, so never a secret value.
 */
public final class SandboxApiException extends RuntimeException {
  private final int code;
  private final String reason;

  SandboxApiException(int code, String reason, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  static SandboxApiException of(StatusException e) {
    return new SandboxApiException(e.code(), e.reason().wire(), e.getMessage());
  }

  /** The HTTP status code, e.g. 404. */
  public int code() {
    return code;
  }

  /** The Kubernetes {@code Status} reason, e.g. {@code NotFound}, {@code Conflict}. */
  public String reason() {
    return reason;
  }

  /** Whether the object was not found. */
  public boolean notFound() {
    return code == 404;
  }

  /** Whether a resourceVersion precondition failed or the object already exists. */
  public boolean conflict() {
    return code == 409;
  }
}
