package dev.weir.engine.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials for a metrics endpoint. {@link #toString()} never shows the secret; only the {@code
 * Authorization} header built from it carries it, and it is never logged.
 */
public sealed interface MetricsCredentials
    permits MetricsCredentials.Basic, MetricsCredentials.Bearer, MetricsCredentials.BearerFile {

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

  /**
   * A bearer token read from a file at every request, so that a token that rotates (a projected
   * service-account token) is always the current one.
   */
  record BearerFile(java.nio.file.Path file) implements MetricsCredentials {
    public BearerFile {
      Objects.requireNonNull(file, "file");
    }

    /**
     * @throws java.io.UncheckedIOException when the file cannot be read or is empty; the message
     *     names the file, never its content
     */
    @Override
    public String authorization() {
      String token;
      try {
        token = java.nio.file.Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot read the token file " + file + ": " + e.getClass().getSimpleName(), e);
      }
      if (token.isEmpty()) {
        throw new java.io.UncheckedIOException(
            "the token file " + file + " is empty", new java.io.IOException("empty"));
      }
      return "Bearer " + token;
    }

    @Override
    public String toString() {
      return "BearerFile[file=" + file + "]";
    }
  }

  /**
   * The value of the {@code Authorization} header. Contains the secret: never log it.
   *
   * @throws java.io.UncheckedIOException when a credential kept in a file cannot be read
   */
  String authorization();
}
