package dev.weir.engine.cluster.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Bearer tokens from a kubeconfig's exec credential plugin ({@code client.authentication.k8s.io}
 * {@code v1} and {@code v1beta1}), put on every request of a gateway, as client-go's exec
 * authenticator does.
 *
 * <p>Design note. client-java runs an exec plugin once, when its client is built, and keeps the
 * token for ever: an EKS token (15 minutes) then fails every request after a quarter of an hour.
 * Here the plugin is run when a request first needs a token, the token is kept until the
 * credential's {@code status.expirationTimestamp} passes on the {@link EngineClock} (for ever when
 * it has none), and the plugin is run again when it has expired. A 401 answer means the server no
 * longer takes the token (revoked, rotated): the token is dropped, the plugin run again, and the
 * request sent once more with the new one. As an OkHttp interceptor it serves the request client
 * and the watch client alike, so an informer's reconnect uses the current token.
 *
 * <p>Errors: a plugin that cannot start, exits non-zero, does not answer in time or answers
 * something else than an {@code ExecCredential} with a token fails the request with an {@link
 * ExecCredentialException}: one line naming the plugin's command and, for a failed run, the first
 * line of its stderr. Neither the token nor the plugin's stdout, arguments or environment appear
 * in a message or log line.
 *
 * <p>Thread-safe: one plugin run at a time; requests needing a token meanwhile wait for it.
 */
final class ExecCredentials implements Interceptor {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A plugin's failure: one line, no secret; an I/O failure so that OkHttp passes it on. */
  static final class ExecCredentialException extends IOException {
    ExecCredentialException(String message) {
      super(message);
    }
  }

  private record Credential(String token, Instant expires) {
    boolean expiredAt(Instant now) {
      return expires != null && !now.isBefore(expires);
    }

    @Override
    public String toString() {
      return "Credential[expires " + expires + "]";
    }
  }

  private final ExecPlugin plugin;
  private final EngineClock clock;
  private final Duration timeout;
  private Credential current;

  ExecCredentials(ExecPlugin plugin, EngineClock clock, Duration timeout) {
    this.plugin = plugin;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    String token = token();
    Response response = chain.proceed(authorized(request, token));
    if (response.code() != 401) {
      return response;
    }
    response.close();
    invalidate(token);
    return chain.proceed(authorized(request, token()));
  }

  private static Request authorized(Request request, String token) {
    return request.newBuilder().header("Authorization", "Bearer " + token).build();
  }

  /** The current token: the kept one while it has not expired, else a fresh one from the plugin. */
  synchronized String token() throws ExecCredentialException {
    if (current == null || current.expiredAt(clock.instant())) {
      current = run();
    }
    return current.token();
  }

  /** Drops {@code token} if it is still the kept one, so that the next request runs the plugin. */
  synchronized void invalidate(String token) {
    if (current != null && current.token().equals(token)) {
      current = null;
    }
  }

  private Credential run() throws ExecCredentialException {
    List<String> command = new ArrayList<>();
    command.add(plugin.command());
    command.addAll(plugin.args());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(plugin.env());
    builder.environment().put("KUBERNETES_EXEC_INFO", execInfo());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw failure("could not be started: " + e.getMessage());
    }
    try {
      process.getOutputStream().close(); // never interactive
      CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
      CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw failure("did not answer within " + timeout.toSeconds() + "s");
      }
      byte[] out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      byte[] err = stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (process.exitValue() != 0) {
        throw failure(
            "failed (exit " + process.exitValue() + "): " + firstLine(err).orElse("(no stderr)"));
      }
      return parse(out);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw failure("was interrupted");
    } catch (ExecutionException | TimeoutException | IOException e) {
      if (e instanceof ExecCredentialException credential) {
        throw credential;
      }
      process.destroyForcibly();
      throw failure("could not be read: " + e.getClass().getSimpleName());
    }
  }

  private String execInfo() {
    ObjectNode info = JSON.createObjectNode();
    info.put("apiVersion", plugin.apiVersion());
    info.put("kind", "ExecCredential");
    ObjectNode spec = info.putObject("spec");
    spec.put("interactive", false);
    if (plugin.provideClusterInfo()) {
      spec.putObject("cluster").put("server", plugin.server());
    }
    return info.toString();
  }

  private Credential parse(byte[] out) throws ExecCredentialException {
    JsonNode credential;
    try {
      credential = JSON.readTree(out);
    } catch (IOException e) {
      throw failure("did not print an ExecCredential as JSON"); // the output may hold a secret
    }
    if (credential == null
        || !"ExecCredential".equals(credential.path("kind").asText())
        || !plugin.apiVersion().equals(credential.path("apiVersion").asText())) {
      throw failure(
          "did not print an ExecCredential of apiVersion "
              + plugin.apiVersion()
              + " (got kind '"
              + (credential == null ? "" : credential.path("kind").asText())
              + "', apiVersion '"
              + (credential == null ? "" : credential.path("apiVersion").asText())
              + "')");
    }
    JsonNode status = credential.path("status");
    String token = status.path("token").asText("");
    if (token.isEmpty()) {
      throw failure(
          status.hasNonNull("clientCertificateData")
              ? "returned a client certificate, which Weir does not take from exec plugins yet;"
                  + " give the certificate in the kubeconfig instead"
              : "returned no status.token");
    }
    Instant expires = null;
    String expiration = status.path("expirationTimestamp").asText("");
    if (!expiration.isEmpty()) {
      try {
        expires = OffsetDateTime.parse(expiration).toInstant();
      } catch (DateTimeParseException e) {
        throw failure(
            "returned an expirationTimestamp that is not RFC 3339: '" + expiration + "'");
      }
    }
    return new Credential(token, expires);
  }

  private ExecCredentialException failure(String what) {
    return new ExecCredentialException(
        "the kubeconfig's exec plugin " + plugin.command() + " " + what);
  }

  private static CompletableFuture<byte[]> readAsync(InputStream stream) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("weir-exec-plugin-output")
        .start(
            () -> {
              try (stream) {
                result.complete(stream.readNBytes(1 << 20));
              } catch (IOException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  private static Optional<String> firstLine(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8)
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .findFirst()
        .map(l -> l.length() > 300 ? l.substring(0, 300) + "…" : l);
  }

  @Override
  public String toString() {
    return "ExecCredentials[" + plugin.command() + "]";
  }
}
