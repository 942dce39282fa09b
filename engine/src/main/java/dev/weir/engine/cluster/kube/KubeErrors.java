package dev.weir.engine.cluster.kube;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterError.Cause;
import dev.weir.engine.cluster.ClusterError.Reason;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Maps what client-java reports (a {@link V1Status}, an {@link ApiException}, an I/O failure) to a
 * {@link ClusterError}. Values that a Secret may carry never reach a message: for Secrets the
 * server's {@code Invalid value: …} quotes are cut.
 */
final class KubeErrors {
  private static final Pattern INVALID_VALUE =
      Pattern.compile("Invalid value: (\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

  private KubeErrors() {}

  static ClusterError fromStatus(V1Status status, int httpStatus, boolean secret, String what) {
    int code =
        httpStatus != 0
            ? httpStatus
            : status == null || status.getCode() == null ? 0 : status.getCode();
    String reasonText = status == null || status.getReason() == null ? "" : status.getReason();
    String message =
        status == null || status.getMessage() == null || status.getMessage().isBlank()
            ? what + ": HTTP " + code
            : status.getMessage();
    if (message.startsWith("{")) {
      message = what + ": HTTP " + code; // an unparsed body: do not echo it
    }
    List<Cause> causes = new ArrayList<>();
    if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
      for (V1StatusCause cause : status.getDetails().getCauses()) {
        String causeMessage = cause.getMessage();
        causes.add(
            new Cause(
                cause.getField(), cause.getReason(), secret ? redact(causeMessage) : causeMessage));
      }
    }
    if (secret) {
      message = redact(message);
    }
    return new ClusterError(reason(code, reasonText), code, message.strip(), causes);
  }

  static Reason reason(int code, String statusReason) {
    return switch (code) {
      case 400, 405, 406, 413, 415 -> Reason.BAD_REQUEST;
      case 401 -> Reason.UNAUTHORIZED;
      case 403 -> Reason.FORBIDDEN;
      case 404 -> Reason.NOT_FOUND;
      case 409 -> "AlreadyExists".equals(statusReason) ? Reason.ALREADY_EXISTS : Reason.CONFLICT;
      case 410 -> Reason.GONE;
      case 422 -> Reason.INVALID;
      case 504 -> Reason.TIMEOUT;
      default -> code >= 500 || code == 429 ? Reason.SERVER_ERROR : Reason.BAD_REQUEST;
    };
  }

  /** An exception client-java threw: an I/O failure (no answer) or an HTTP error it did not map. */
  static ClusterError fromThrowable(Throwable thrown, String server, String what) {
    for (Throwable t = thrown; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ExecCredentials.ExecCredentialException plugin) {
        // an answer is still to come: not the server's fault, and not unreachable
        return ClusterError.of(Reason.UNAUTHORIZED, plugin.getMessage());
      }
    }
    IOException io = ioCause(thrown);
    if (io != null) {
      return transport(io, server);
    }
    if (thrown instanceof ApiException api && api.getCode() != 0) {
      return new ClusterError(
          reason(api.getCode(), ""), api.getCode(), what + ": HTTP " + api.getCode(), List.of());
    }
    String message =
        thrown.getMessage() == null ? thrown.getClass().getSimpleName() : thrown.getMessage();
    return ClusterError.of(Reason.SERVER_ERROR, what + ": " + message);
  }

  static ClusterError transport(IOException io, String server) {
    if (io instanceof SocketTimeoutException || io instanceof InterruptedIOException) {
      return ClusterError.of(
          Reason.TIMEOUT, "the API server " + server + " did not answer in time");
    }
    String why;
    if (io instanceof ConnectException) {
      why = "connection refused";
    } else if (io instanceof UnknownHostException) {
      why = "unknown host";
    } else if (io instanceof SSLException) {
      why = "TLS failed: " + io.getMessage();
    } else {
      why = io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
    }
    return ClusterError.of(
        Reason.UNREACHABLE, "cannot reach the API server " + server + ": " + why);
  }

  static IOException ioCause(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  static String redact(String message) {
    return message == null
        ? ""
        : INVALID_VALUE.matcher(message).replaceAll("Invalid value: <redacted>");
  }
}
