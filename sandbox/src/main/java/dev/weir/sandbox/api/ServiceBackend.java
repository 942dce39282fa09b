package dev.weir.sandbox.api;

import java.util.Objects;

/**
 * What answers, in the sandbox, for a Service reached through the API server's service proxy
 * ({@code /api/v1/namespaces/NS/services/NAME:PORT/proxy/…}): the sandbox runs no containers, so a
 * part of the simulation (its Prometheus-compatible query API) stands behind the Service instead of
 * pods. Registered with {@link SandboxApiServer#serveService}.
 *
 * <p>Called on the request's (virtual) thread after the API server authenticated and authorised the
 * caller; implementations are thread-safe and answer quickly.
 */
@FunctionalInterface
public interface ServiceBackend {

  /**
   * One proxied request.
   *
   * @param method the HTTP method
   * @param path the path below {@code /proxy}, starting with {@code /} (still URL-encoded)
   * @param rawQuery the query string without {@code ?}, still URL-encoded; empty when none
   * @param contentType the request's content type, empty when none
   * @param body the request body (empty for a GET)
   */
  record Request(String method, String path, String rawQuery, String contentType, byte[] body) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(rawQuery, "rawQuery");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
    }
  }

  /** The answer, passed to the client as it is. */
  record Response(int status, String contentType, byte[] body) {
    public Response {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
    }
  }

  Response serve(Request request);
}
