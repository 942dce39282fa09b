package dev.weir.engine.analysis;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLException;

/**
 * {@link PrometheusTransport} straight to a Prometheus address, on the JDK's HttpClient:
 * form-encoded POSTs, credentials only in the {@code Authorization} header, TLS verified against
 * the settings' trust, redirects never followed (they would carry the credentials elsewhere).
 *
 * <p>Thread-safe.
 */
public final class HttpPrometheusTransport implements PrometheusTransport {
  private final PrometheusSettings settings;
  private final HttpClient http;
  private final String where;

  public HttpPrometheusTransport(PrometheusSettings settings) {
    this.settings = settings;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    settings.sslContext().ifPresent(builder::sslContext);
    this.http = builder.build();
    this.where = "Prometheus at " + settings.address();
  }

  @Override
  public String describe() {
    return where;
  }

  @Override
  public Duration timeout() {
    return settings.timeout();
  }

  @Override
  public QueryResult<Reply> send(String path, Map<String, String> parameters) {
    URI uri = settings.address().resolve(path);
    StringJoiner body = new StringJoiner("&");
    parameters.forEach(
        (k, v) ->
            body.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (settings.credentials().isPresent()) {
      try {
        request.header("Authorization", settings.credentials().get().authorization());
      } catch (java.io.UncheckedIOException e) {
        return QueryResult.failed(
            ProviderError.Reason.UNAUTHORIZED,
            "no credentials for " + where + ": " + firstLine(e.getMessage()));
      }
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return QueryResult.ok(new Reply(response.statusCode(), response.body()));
    } catch (HttpConnectTimeoutException e) {
      return QueryResult.failed(
          ProviderError.Reason.TIMEOUT,
          where + " did not accept a connection within " + human(settings.timeout()));
    } catch (HttpTimeoutException e) {
      return QueryResult.failed(
          ProviderError.Reason.TIMEOUT,
          where + " did not answer within " + human(settings.timeout()));
    } catch (SSLException e) {
      return tls(e);
    } catch (ConnectException e) {
      return QueryResult.failed(
          ProviderError.Reason.UNREACHABLE, "cannot reach " + where + ": connection refused");
    } catch (IOException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause != cause.getCause()) {
        cause = cause.getCause();
      }
      if (cause instanceof SSLException ssl) {
        return tls(ssl);
      }
      if (cause instanceof UnresolvedAddressException
          || cause instanceof java.net.UnknownHostException) {
        return QueryResult.failed(
            ProviderError.Reason.UNREACHABLE, "cannot reach " + where + ": unknown host");
      }
      return QueryResult.failed(
          ProviderError.Reason.UNREACHABLE,
          "cannot reach "
              + where
              + ": "
              + firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return QueryResult.failed(
          ProviderError.Reason.TIMEOUT, "query to " + where + " was interrupted");
    }
  }

  private QueryResult<Reply> tls(SSLException e) {
    return QueryResult.failed(
        ProviderError.Reason.TLS,
        "TLS with "
            + where
            + " failed: "
            + firstLine(e.getMessage())
            + " (is its certificate trusted?)");
  }

  @Override
  public String toString() {
    return "HttpPrometheusTransport[" + settings + "]";
  }

  static String human(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
