package dev.weir.engine.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a Service answered through the API server's service proxy: its HTTP status, content type and
 * body (at most {@link #MAX_BODY} bytes). Immutable.
 */
public record ProxyResponse(int status, String contentType, byte[] body) {
  /** The largest body read; a longer answer is a failure, not a truncated body. */
  public static final int MAX_BODY = 32 * 1024 * 1024;

  public ProxyResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ProxyResponse[" + status + " " + contentType + ", " + body.length + " bytes]";
  }
}
