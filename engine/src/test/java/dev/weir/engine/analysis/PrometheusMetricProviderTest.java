package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus adapter against real HTTP servers on loopback that answer like Prometheus (or do
 * not).
 */
class PrometheusMetricProviderTest {
  private static final Instant AT = Instant.parse("2026-01-01T10:00:00.250Z");

  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI serve(int status, String json) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> answer(exchange, status, json));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prom");
  }

  private void answer(HttpExchange exchange, int status, String json) throws IOException {
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    try (InputStream in = exchange.getRequestBody()) {
      bodies.add(
          exchange.getRequestURI().getPath()
              + "?"
              + new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void instantQueryReturnsTheVectorAndSendsTimeAndQueryToThePathPrefix() throws IOException {
    URI address =
        serve(
            200,
            """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"track":"canary"},"value":[1767261600.25,"0.412"]},
              {"metric":{"track":"stable"},"value":[1767261600.25,"NaN"]}]}}\
            """);

    var result =
        new PrometheusMetricProvider(PrometheusSettings.of(address))
            .instant("latency{x=\"a b\"}", AT);

    assertThat(result).isInstanceOf(QueryResult.Ok.class);
    MetricValue.Vector vector = (MetricValue.Vector) ((QueryResult.Ok<MetricValue>) result).value();
    assertThat(vector.values().get(0)).isEqualTo(0.412);
    assertThat(vector.values().get(1)).isNaN();
    assertThat(bodies)
        .containsExactly(
            "/prom/api/v1/query?query=latency%7Bx%3D%22a+b%22%7D&time=1767261600.250&timeout=10000ms");
  }

  @Test
  void scalarAndRangeResultsAreRead() throws IOException {
    URI address =
        serve(
            200,
            """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"track":"canary"},"values":[[1767261590,"1"],[1767261600,"+Inf"]]}]}}\
            """);

    var result =
        new PrometheusMetricProvider(PrometheusSettings.of(address))
            .range("q", AT.minusSeconds(10), AT, Duration.ofSeconds(10));

    List<TimeSeries> series = ((QueryResult.Ok<List<TimeSeries>>) result).value();
    assertThat(series)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.labels()).containsEntry("track", "canary");
              assertThat(s.values()).containsExactly(1, Double.POSITIVE_INFINITY);
              assertThat(s.samples().getFirst().at()).isEqualTo(Instant.ofEpochSecond(1767261590));
            });
    assertThat(bodies.getFirst()).contains("step=10.0");
  }

  @Test
  void basicAuthAndBearerTokensAreSentButNeverShown() throws IOException {
    URI address = serve(401, "unauthorized");
    var basic = PrometheusSettings.of(address).withBasicAuth("weir", "s3cret-pass");
    var bearer = PrometheusSettings.of(address).withBearerToken("tok-XYZ-123");

    var basicResult = new PrometheusMetricProvider(basic).instant("up", AT);
    var bearerResult = new PrometheusMetricProvider(bearer).instant("up", AT);

    assertThat(authorizations)
        .containsExactly("Basic d2VpcjpzM2NyZXQtcGFzcw==", "Bearer tok-XYZ-123");
    ProviderError error = ((QueryResult.Failed<MetricValue>) basicResult).error();
    assertThat(error.reason()).isEqualTo(ProviderError.Reason.UNAUTHORIZED);
    assertThat(error.message())
        .isEqualTo("Prometheus at " + address + "/ refused the credentials (HTTP 401)");
    String everythingShown =
        basic
            + " "
            + bearer
            + " "
            + new PrometheusMetricProvider(basic)
            + " "
            + error
            + " "
            + bearerResult;
    assertThat(everythingShown)
        .doesNotContain("s3cret-pass", "tok-XYZ-123", "d2VpcjpzM2NyZXQtcGFzcw");
  }

  @Test
  void credentialsInTheAddressAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PrometheusSettings.of(URI.create("http://weir:s3cret@prometheus:9090")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aRejectedQueryIsABadQueryWithPrometheusReason() throws IOException {
    URI address =
        serve(
            400,
            """
            {"status":"error","errorType":"bad_data","error":"1:6: parse error: unclosed left parenthesis"}\
            """);

    var result = new PrometheusMetricProvider(PrometheusSettings.of(address)).instant("rate(", AT);

    ProviderError error = ((QueryResult.Failed<MetricValue>) result).error();
    assertThat(error.reason()).isEqualTo(ProviderError.Reason.BAD_QUERY);
    assertThat(error.message())
        .isEqualTo(
            "Prometheus at "
                + address
                + "/ rejected the query (bad_data): 1:6: parse"
                + " error: unclosed left parenthesis");
  }

  @Test
  void aServerErrorWithoutJsonIsAServerError() throws IOException {
    URI address = serve(503, "<html>Service Unavailable</html>");

    var result = new PrometheusMetricProvider(PrometheusSettings.of(address)).instant("up", AT);

    ProviderError error = ((QueryResult.Failed<MetricValue>) result).error();
    assertThat(error.reason()).isEqualTo(ProviderError.Reason.SERVER_ERROR);
    assertThat(error.transientFailure()).isTrue();
  }

  @Test
  void anInstantQueryReturningARangeVectorIsRejected() throws IOException {
    URI address =
        serve(
            200,
            """
            {"status":"success","data":{"resultType":"matrix","result":[]}}\
            """);

    var result = new PrometheusMetricProvider(PrometheusSettings.of(address)).instant("up[5m]", AT);

    assertThat(((QueryResult.Failed<MetricValue>) result).error().message())
        .startsWith("the query returns a range" + " vector");
  }

  @Test
  void aServerThatNeverAnswersTimesOutWithinTheTimeout() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI address = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      var provider =
          new PrometheusMetricProvider(
              PrometheusSettings.of(address).withTimeout(Duration.ofMillis(300)));

      long started = System.nanoTime();
      var result = provider.instant("up", AT);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      ProviderError error = ((QueryResult.Failed<MetricValue>) result).error();
      assertThat(error.reason()).isEqualTo(ProviderError.Reason.TIMEOUT);
      assertThat(error.message())
          .isEqualTo("Prometheus at " + address + "/ did not answer within 300ms");
      assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aClosedPortIsUnreachable() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    var provider =
        new PrometheusMetricProvider(PrometheusSettings.of(URI.create("http://127.0.0.1:" + port)));

    ProviderError error = ((QueryResult.Failed<MetricValue>) provider.instant("up", AT)).error();

    assertThat(error.reason()).isEqualTo(ProviderError.Reason.UNREACHABLE);
    assertThat(error.message())
        .isEqualTo(
            "cannot reach Prometheus at http://127.0.0.1:" + port + "/: connection" + " refused");
  }

  @Test
  void tlsIsVerifiedByDefaultAndATrustedCertificateFileIsAccepted(@TempDir Path dir)
      throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path pem = dir.resolve("server.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    https.createContext(
        "/",
        exchange ->
            answer(
                exchange,
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1767261600,\"1\"]}}"));
    https.start();
    server = https;
    URI address = URI.create("https://127.0.0.1:" + https.getAddress().getPort());

    var untrusted = new PrometheusMetricProvider(PrometheusSettings.of(address)).instant("1", AT);
    var trusted =
        new PrometheusMetricProvider(PrometheusSettings.of(address).withTrustedCertificates(pem))
            .instant("1", AT);

    ProviderError error = ((QueryResult.Failed<MetricValue>) untrusted).error();
    assertThat(error.reason()).isEqualTo(ProviderError.Reason.TLS);
    assertThat(error.message())
        .startsWith("TLS with Prometheus at " + address + "/ failed: ")
        .endsWith("(is its certificate trusted?)");
    assertThat(trusted).isEqualTo(QueryResult.ok(MetricValue.scalar(1)));
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }
}
