package dev.weir.engine.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials for a metrics endpoint. {@link #toString()} never shows the secret; only the {@code
 * Authorization} header built from it carries it, and it is never logged.
 */
public sealed interface MetricsCredentials
    permits MetricsCredentials.Basic, MetricsCredentials.Bearer {

  /** HTTP basic authentication. */
  record Basic(String username, String password) implements MetricsCredentials {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String authorization() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=***]";
    }
  }

  /** A bearer token. */
  record Bearer(String token) implements MetricsCredentials {
    public Bearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String authorization() {
      return "Bearer " + token;
    }

    @Override
    public String toString() {
      return "Bearer[token=***]";
    }
  }

  /** The value of the {@code Authorization} header. Contains the secret: never log it. */
  String authorization();
}
