package dev.weir.engine.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Why a request to the cluster failed, as a value: a reason to decide on (retry or stop), the API
 * server's own message, and the details a person needs (which field, which manager, which verb).
 * Messages never contain a credential or a Secret's value. Immutable.
 *
 * @param reason what kind of failure
 * @param httpStatus the HTTP status, 0 when no response came
 * @param message one line for people, as the API server wrote it when there is one
 * @param causes the fields at fault (422) or the conflicting fields (409 on apply); may be empty
 */
public record ClusterError(Reason reason, int httpStatus, String message, List<Cause> causes) {

  /** What kind of failure; {@link #isTransient()} tells whether retrying may help. */
  public enum Reason {
    /** No answer: connection refused, DNS, TLS handshake, reset. */
    UNREACHABLE,
    /** No answer in time. */
    TIMEOUT,
    /** 401: the credentials were refused. */
    UNAUTHORIZED,
    /** 403: the user may not do this (RBAC). */
    FORBIDDEN,
    /** 404: the object, its namespace or its kind does not exist. */
    NOT_FOUND,
    /** 409: another field manager owns a field (apply), or the object changed meanwhile. */
    CONFLICT,
    /** 409 on create: the object exists. */
    ALREADY_EXISTS,
    /** 410: a watch resumed from a resourceVersion that is no longer kept. */
    GONE,
    /** 422: the object is invalid. */
    INVALID,
    /** 400 or 415: the request itself is wrong. */
    BAD_REQUEST,
    /** 429 or 5xx: the server is overloaded or broken. */
    SERVER_ERROR,
    /** The kubeconfig cannot be used: no such context, unreadable file, missing credentials. */
    CONFIGURATION;

    /** Whether the same request may succeed later. */
    public boolean isTransient() {
      return this == UNREACHABLE || this == TIMEOUT || this == SERVER_ERROR || this == CONFLICT;
    }
  }

  /**
   * One field at fault.
   *
   * @param field the field as the server names it, e.g. {@code metadata.name} or {@code
   *     .spec.replicas}
   * @param reason the server's reason, e.g. {@code FieldValueInvalid} or {@code
   *     FieldManagerConflict}
   * @param message e.g. {@code conflict with "kubectl-edit" using apps/v1}
   */
  public record Cause(String field, String reason, String message) {
    public Cause {
      field = field == null ? "" : field;
      reason = reason == null ? "" : reason;
      message = message == null ? "" : message;
    }
  }

  public ClusterError {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    causes = List.copyOf(causes);
  }

  public static ClusterError of(Reason reason, String message) {
    return new ClusterError(reason, 0, message, List.of());
  }

  /** Whether a cluster could not be reached at all (the CLI's exit code 3). */
  public boolean unreachable() {
    return reason == Reason.UNREACHABLE || reason == Reason.TIMEOUT;
  }

  @Override
  public String toString() {
    return message;
  }
}
