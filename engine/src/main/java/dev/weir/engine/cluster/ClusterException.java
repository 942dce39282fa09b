package dev.weir.engine.cluster;

import java.util.Objects;

/**
 * A failed cluster request, carrying its {@link ClusterError}. Thrown by {@link ClusterGateway};
 * callers that act on many objects turn it into a per-object result. No stack trace is kept: the
 * error is the value.
 */
public final class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ClusterError error;

  public ClusterException(ClusterError error) {
    super(Objects.requireNonNull(error, "error").message(), null, false, false);
    this.error = error;
  }

  public ClusterError error() {
    return error;
  }

  public ClusterError.Reason reason() {
    return error.reason();
  }
}
