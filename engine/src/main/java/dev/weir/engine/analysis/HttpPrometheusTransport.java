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
 * the settings' trust, redirects never followed (they would carry the credentials elsewhere). A
 * metric's own {@link QueryOptions} add its headers (a template's {@code Authorization} replaces
 * Weir's), its timeout per request, and for {@code insecure} a second client that verifies neither
 * certificate nor host name, made on first use.
 *
 * <p>Thread-safe.
 */
public final class HttpPrometheusTransport implements PrometheusTransport {
  private final PrometheusSettings settings;
  private final HttpClient http;
  private final String where;
  private volatile HttpClient insecureHttp;

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
    return send(path, parameters, QueryOptions.NONE);
  }

  @Override
  public QueryResult<Reply> send(
      String path, Map<String, String> parameters, QueryOptions options) {
    Duration timeout = options.timeout().orElse(settings.timeout());
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
            .timeout(timeout)
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
    for (Map.Entry<String, String> header : options.headers().entrySet()) {
      try {
        request.setHeader(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        // the JDK refuses restricted names (Host, Connection …) and control characters; the value
        // may be a secret, so only the name is told
        return QueryResult.failed(
            ProviderError.Reason.BAD_QUERY,
            "provider.prometheus.headers: header "
                + header.getKey()
                + " cannot be sent (a restricted name, or a line break in its value)");
      }
    }
    HttpClient client = options.insecure().isPresent() ? insecureClient() : http;
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return QueryResult.ok(new Reply(response.statusCode(), response.body()));
    } catch (HttpConnectTimeoutException e) {
      return QueryResult.failed(
          ProviderError.Reason.TIMEOUT,
          where + " did not accept a connection within " + human(settings.timeout()));
    } catch (HttpTimeoutException e) {
      return QueryResult.failed(
          ProviderError.Reason.TIMEOUT,
          where + " did not answer within " + human(timeout));
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

  /** A client that trusts any certificate for any host: only for a template's allowed insecure. */
  private HttpClient insecureClient() {
    HttpClient client = insecureHttp;
    if (client == null) {
      synchronized (this) {
        if (insecureHttp == null) {
          try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new TrustingAnyone()}, null);
            insecureHttp =
                HttpClient.newBuilder()
                    .connectTimeout(settings.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .sslContext(context)
                    .build();
          } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
          }
        }
        client = insecureHttp;
      }
    }
    return client;
  }

  /**
   * Accepts every server certificate. An {@link javax.net.ssl.X509ExtendedTrustManager}, because
   * for those the JDK leaves the host-name check to the trust manager, so this one skips it too.
   */
  private static final class TrustingAnyone extends javax.net.ssl.X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(
        java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket) {}

    @Override
    public void checkServerTrusted(
        java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket) {}

    @Override
    public void checkClientTrusted(
        java.security.cert.X509Certificate[] chain,
        String authType,
        javax.net.ssl.SSLEngine engine) {}

    @Override
    public void checkServerTrusted(
        java.security.cert.X509Certificate[] chain,
        String authType,
        javax.net.ssl.SSLEngine engine) {}

    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
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
