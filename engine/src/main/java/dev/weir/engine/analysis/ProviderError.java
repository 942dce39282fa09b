package dev.weir.engine.analysis;

import java.util.Objects;

/**
 * Why a metric provider could not answer. The message is one line for an SRE, names the provider's
 * address (never with credentials) and never contains a secret.
 */
public record ProviderError(Reason reason, String message) {

  /** What went wrong, so callers can tell a transient outage from a broken query. */
  public enum Reason {
    /** Connection refused, unknown host, network unreachable. */
    UNREACHABLE,
    /** No answer within the timeout. */
    TIMEOUT,
    /** TLS handshake failed, e.g. an untrusted certificate. */
    TLS,
    /** HTTP 401 or 403: the credentials were refused. */
    UNAUTHORIZED,
    /** The provider rejected the query (bad PromQL, wrong result type). */
    BAD_QUERY,
    /** The provider answered with a server error (5xx). */
    SERVER_ERROR,
    /** The answer could not be understood. */
    BAD_RESPONSE
  }

  public ProviderError {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** True for failures that may pass by themselves (unreachable, timeout, server error). */
  public boolean transientFailure() {
    return reason == Reason.UNREACHABLE
        || reason == Reason.TIMEOUT
        || reason == Reason.SERVER_ERROR;
  }
}
