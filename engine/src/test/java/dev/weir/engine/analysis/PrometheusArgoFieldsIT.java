package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.testkit.PrometheusProcess;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.testkit.TestExporter;
import dev.weir.engine.testkit.TestTls;
import dev.weir.engine.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Argo's Prometheus fields and secret arguments (decision 0037) against the real Prometheus (the
 * Debian package) scraping a test exporter, as Argo's analysis/prometheus.md and
 * features/analysis.md describe them.
 *
 * <p>Why a proxy: Prometheus itself ignores request headers and keeps no record of them, so a test
 * could not otherwise see that {@code headers} and the {@code Authorization} built from a Secret
 * reach the server. A small recording proxy (the JDK's HttpServer) in front of the real Prometheus
 * records each request's headers and body and forwards it unchanged; the same proxy with a
 * self-signed certificate (HTTPS) stands for a Prometheus whose certificate Weir cannot verify, for
 * {@code insecure}. Every answer is still the real Prometheus'.
 */
class PrometheusArgoFieldsIT {
  private static final String TOKEN = "s3cr3t-t0ken";

  @TempDir static Path dir;
  private static TestExporter exporter;
  private static PrometheusProcess prometheus;
  private static RecordingProxy proxy;
  private static RecordingProxy tlsProxy;

  @BeforeAll
  static void start() throws IOException {
    exporter =
        new TestExporter(
            n ->
                """
                # TYPE demo_success_ratio gauge
                demo_success_ratio{service="storefront"} 0.995
                """);
    prometheus =
        PrometheusProcess.prometheus(
            dir,
            """
              - job_name: demo
                static_configs: [{targets: ['%s']}]
            """
                .formatted(exporter.target()));
    proxy = RecordingProxy.http(prometheus.address());
    tlsProxy = RecordingProxy.https(prometheus.address(), TestTls.generate());
    awaitFirstScrape();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable part : new AutoCloseable[] {tlsProxy, proxy, prometheus, exporter}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        // closing the others matters more
      }
    }
  }

  @BeforeEach
  void forget() {
    proxy.requests.clear();
    tlsProxy.requests.clear();
  }

  @Test
  void headersAndTheAuthorizationFromASecretArriveAndTheSecretIsNeverShown() throws Exception {
    // analysis/prometheus.md: headers [{key, value}] on every query; features/analysis.md:
    // args valueFrom.secretKeyRef {name, key}, read from the rollout's namespace
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      var gateway = cluster.gateway();
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
          ApplyOptions.weir());
      gateway.apply(
          Map.of(
              "apiVersion",
              "v1",
              "kind",
              "Secret",
              "metadata",
              Map.of("name", "prom-token", "namespace", "shop"),
              "data",
              Map.of(
                  "token",
                  Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)))),
          ApplyOptions.weir());
      AnalysisTemplateSpec template =
          Templates.spec(
              """
              apiVersion: argoproj.io/v1alpha1
              kind: AnalysisTemplate
              metadata: {name: tenant}
              spec:
                args:
                - name: token
                  valueFrom:
                    secretKeyRef: {name: prom-token, key: token}
                metrics:
                - name: success-rate
                  successCondition: result[0] >= 0.99
                  provider:
                    prometheus:
                      timeout: 40
                      headers:
                      - {key: X-Scope-OrgID, value: tenant_a}
                      - {key: Authorization, value: "Bearer {{args.token}}"}
                      query: demo_success_ratio{service="storefront"}
                - name: echo
                  consecutiveErrorLimit: 0
                  successCondition: result[0] >= 0
                  provider:
                    prometheus:
                      headers:
                      - {key: Authorization, value: "Bearer {{args.token}}"}
                      # an invalid regular expression, which Prometheus' error quotes
                      query: label_replace(demo_success_ratio, "x", "$1", "service", "{{args.token}}(")
              """);
      ManualClock clock = new ManualClock(Instant.now());
      MetricProvider selection =
          PrometheusSelection.given(proxy.address(), PrometheusAccess.none(), clock);
      AnalysisArgs args =
          AnalysisArgs.resolve(template, Map.of(), new ClusterSecretSource(gateway, "shop"));

      LogCapture log = LogCapture.start();
      AnalysisRunState state;
      try {
        var executor = new AnalysisRunExecutor(template, args, selection, clock, Runnable::run);
        executor.start();
        state = executor.state();
      } finally {
        log.stop();
      }

      assertThat(proxy.requests)
          .as("every query carries the metric's headers")
          .hasSize(2)
          .allSatisfy(
              r -> assertThat(r.headers()).containsEntry("authorization", "Bearer " + TOKEN));
      assertThat(proxy.requests.getFirst().headers()).containsEntry("x-scope-orgid", "tenant_a");
      assertThat(proxy.requests.getFirst().body())
          .as("the metric's timeout is Prometheus' query timeout")
          .contains("timeout=40000ms");
      assertThat(state.metric("success-rate").orElseThrow().phase())
          .isEqualTo(AnalysisPhase.SUCCESSFUL);
      assertThat(state.phase()).isEqualTo(AnalysisPhase.ERROR);
      assertThat(state.message())
          .as("Prometheus quoted the secret; Weir masks it as Argo does")
          .contains("invalid regular expression in label_replace(): *****(");
      List<String> shown = new ArrayList<>();
      shown.add(state.message());
      shown.add(state.toString());
      state.metrics().forEach(m -> shown.add(m.message()));
      state.metrics().forEach(m -> m.measurements().forEach(x -> shown.add(x.toString())));
      shown.add(args.toString());
      shown.add(log.text());
      assertThat(log.text()).contains("analysis tenant Error");
      assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN));
    }
  }

  private static final String USERNAME = "grafana-us3r";
  private static final String PASSWORD = "b4sic-p4ssword";
  private static final String CLIENT_SECRET = "0auth-cl1ent-s3cret";

  private static Map<String, Object> secret(String name, Map<String, String> values) {
    Map<String, Object> data = new TreeMap<>();
    values.forEach(
        (k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "Secret",
        "metadata",
        Map.of("name", name, "namespace", "shop"),
        "data",
        data);
  }

  /**
   * A client-credentials token endpoint (RFC 6749 4.4): client {@code weir} with {@link
   * #CLIENT_SECRET} gets {@code access-N}, valid 90 s; any other client is refused with a
   * description that quotes what it was sent, as careless servers do.
   */
  static final class TokenEndpoint implements AutoCloseable {
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;
    private int issued;

    TokenEndpoint() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/token", this::token);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private synchronized void token(HttpExchange exchange) throws IOException {
      try (exchange) {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        requests.add(form);
        String good =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("weir:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        byte[] body;
        int status;
        if (authorization.equals(good) && form.startsWith("grant_type=client_credentials")) {
          status = 200;
          body =
              ("{\"access_token\":\"access-" + ++issued + "\",\"token_type\":\"Bearer\","
                      + "\"expires_in\":90}")
                  .getBytes(StandardCharsets.UTF_8);
        } else {
          status = 401;
          body =
              ("{\"error\":\"invalid_client\",\"error_description\":\"not " + authorization
                      + " " + form + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void basicAuthAndOAuth2FromSecretsReachPrometheusAndNoCredentialIsEverShown() throws Exception {
    // analysis/prometheus.md, "Authorization": basicAuth (Grafana Cloud) and oauth2 (client
    // credentials; "provide it as an Authorization: Bearer header"), values from secretKeyRef
    try (TestCluster cluster = new TestCluster(dir.resolve("auth-cluster"));
        TokenEndpoint idp = new TokenEndpoint()) {
      var gateway = cluster.gateway();
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
          ApplyOptions.weir());
      gateway.apply(
          secret("basicauth-secret", Map.of("username", USERNAME, "secret", PASSWORD)),
          ApplyOptions.weir());
      gateway.apply(secret("oauth-secret", Map.of("secret", CLIENT_SECRET)), ApplyOptions.weir());
      String template =
          """
          apiVersion: argoproj.io/v1alpha1
          kind: AnalysisTemplate
          metadata: {name: authenticated}
          spec:
            args:
            - name: basicAuthUsername
              valueFrom: {secretKeyRef: {name: basicauth-secret, key: username}}
            - name: basicAuthSecret
              valueFrom: {secretKeyRef: {name: basicauth-secret, key: secret}}
            - name: oauthSecret
              valueFrom: {secretKeyRef: {name: oauth-secret, key: secret}}
            metrics:
            - name: grafana
              interval: 1m
              count: 3
              successCondition: result[0] >= 0.99
              provider:
                prometheus:
                  authentication:
                    basicAuth:
                      username: "{{ args.basicAuthUsername }}"
                      password: "{{ args.basicAuthSecret }}"
                  query: demo_success_ratio{service="storefront"}
            - name: oauth
              interval: 1m
              count: 3
              consecutiveErrorLimit: 0
              successCondition: result[0] >= 0.99
              provider:
                prometheus:
                  authentication:
                    oauth2:
                      tokenUrl: %s
                      clientId: %s
                      clientSecret: "{{ args.oauthSecret }}"
                      scopes: [metrics.read]
                  query: demo_success_ratio{service="storefront"}
          """;
      ManualClock clock = new ManualClock(Instant.now());
      MetricProvider selection =
          PrometheusSelection.given(proxy.address(), PrometheusAccess.none(), clock);
      AnalysisTemplateSpec good = Templates.spec(template.formatted(idp.url(), "weir"));
      AnalysisTemplateSpec intruder = Templates.spec(template.formatted(idp.url(), "intruder"));
      var secrets = new ClusterSecretSource(gateway, "shop");

      LogCapture log = LogCapture.start();
      AnalysisRunState played;
      AnalysisRunState refused;
      List<Recorded> firstRun = new ArrayList<>();
      try {
        var executor =
            new AnalysisRunExecutor(
                good, AnalysisArgs.resolve(good, Map.of(), secrets), selection, clock, Runnable::run);
        executor.start();
        clock.advance(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        played = executor.state();
        firstRun.addAll(proxy.requests);
        var failing =
            new AnalysisRunExecutor(
                intruder,
                AnalysisArgs.resolve(intruder, Map.of(), secrets),
                selection,
                clock,
                Runnable::run);
        failing.start();
        refused = failing.state();
      } finally {
        log.stop();
      }

      assertThat(played.phase()).as(played.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((USERNAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      assertThat(firstRun)
          .extracting(r -> r.headers().get("authorization"))
          .as("three measurements of each metric; the token is asked for again once it is 80 s old")
          .containsExactlyInAnyOrder(
              basic, basic, basic, "Bearer access-1", "Bearer access-1", "Bearer access-2");
      assertThat(idp.requests)
          .as("two tokens for the good client; the intruder tried Basic, then the form")
          .hasSize(4)
          .first()
          .isEqualTo("grant_type=client_credentials&scope=metrics.read");

      assertThat(refused.phase()).isEqualTo(AnalysisPhase.ERROR);
      assertThat(refused.message())
          .contains(
              "the OAuth2 token endpoint "
                  + idp.url()
                  + " refused the client credentials: HTTP 401 (invalid_client)");

      List<String> shown = new ArrayList<>();
      for (AnalysisRunState state : List.of(played, refused)) {
        shown.add(state.message());
        shown.add(state.toString());
        state.metrics().forEach(m -> shown.add(m.message()));
        state.metrics().forEach(m -> m.measurements().forEach(x -> shown.add(x.toString())));
      }
      shown.add(good.toString());
      shown.add(log.text());
      assertThat(log.text()).contains("analysis authenticated Successful");
      assertThat(shown)
          .allSatisfy(
              text ->
                  assertThat(text)
                      .doesNotContain(PASSWORD)
                      .doesNotContain(CLIENT_SECRET)
                      .doesNotContain(basic.substring("Basic ".length()))
                      .doesNotContain("access-1")
                      .doesNotContain("access-2"));
    }
  }

  @Test
  void aRangeQuerysResultIsTheSeriesOfValuesOverTheRange() {
    // analysis/prometheus.md, "Range queries": start, end, step; the condition reads every value
    ManualClock clock = new ManualClock(Instant.now());
    AnalysisRunState state =
        run(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: range}
            spec:
              args: [{name: lookback, value: 20s}]
              metrics:
              - name: ratio
                successCondition: "all(result, # >= 0.99) && len(result) == 5"
                provider:
                  prometheus:
                    rangeQuery:
                      start: 'now() - duration("{{args.lookback}}")'
                      end: 'now()'
                      step: 5s
                    query: demo_success_ratio{service="storefront"}
            """,
            PrometheusSelection.given(proxy.address(), PrometheusAccess.none(), clock),
            clock);

    assertThat(state.phase()).as(state.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(state.metric("ratio").orElseThrow().message())
        .endsWith("ratio = [0.995, 0.995, 0.995, 0.995, 0.995]: all(result, # >= 0.99) &&"
            + " len(result) == 5 met → Successful");
    assertThat(proxy.requests.getFirst().path()).endsWith("/api/v1/query_range");
    assertThat(proxy.requests.getFirst().body()).contains("step=5.0");
  }

  @Test
  void aMetricsTimeoutReplacesTheConsolesForItsQueries() throws IOException {
    // analysis/prometheus.md: timeout, in seconds, per query
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ManualClock clock = new ManualClock(Instant.now());
      AnalysisRunState state =
          run(
              """
              apiVersion: argoproj.io/v1alpha1
              kind: AnalysisTemplate
              metadata: {name: slow}
              spec:
                metrics:
                - name: m
                  consecutiveErrorLimit: 0
                  successCondition: result[0] >= 0.99
                  provider: {prometheus: {query: up, timeout: 1}}
              """,
              PrometheusSelection.given(
                  URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                  PrometheusAccess.none(),
                  clock),
              clock);

      assertThat(state.phase()).isEqualTo(AnalysisPhase.ERROR);
      assertThat(state.message())
          .endsWith(
              "Prometheus at http://127.0.0.1:" + silent.getLocalPort() + "/ did not answer within"
                  + " 1s");
    }
  }

  private static final String INSECURE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: self-signed}
      spec:
        metrics:
        - name: m
          consecutiveErrorLimit: 0
          successCondition: result[0] >= 0.99
          provider: {prometheus: {query: 'demo_success_ratio{service="storefront"}', insecure: %s}}
      """;

  @Test
  void aRepositorysInsecureIsRefusedNamingFileAndFieldUnlessThePersonAllowsIt() {
    // analysis/prometheus.md: insecure: true skips TLS verification; Weir asks the person too
    ManualClock clock = new ManualClock(Instant.now());
    URI address = tlsProxy.address();

    AnalysisRunState refused =
        run(
            INSECURE.formatted("true"),
            PrometheusSelection.given(address, PrometheusAccess.none(), clock),
            clock);
    AnalysisRunState allowed =
        run(
            INSECURE.formatted("true"),
            PrometheusSelection.given(
                address, PrometheusAccess.none().withInsecureAllowed(true), clock),
            clock);
    AnalysisRunState notAsked =
        run(
            INSECURE.formatted("false"),
            PrometheusSelection.given(
                address, PrometheusAccess.none().withInsecureAllowed(true), clock),
            clock);

    assertThat(refused.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(refused.message())
        .endsWith(
            "apps/shop/analysis.yaml:1:1 spec.metrics[0].provider.prometheus.insecure: insecure:"
                + " true asks Weir to skip TLS verification of Prometheus at "
                + address
                + "; Weir does so only when the person running it sets"
                + " WEIR_PROMETHEUS_ALLOW_INSECURE=true");
    assertThat(allowed.phase()).as(allowed.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(notAsked.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(notAsked.message())
        .as("the opt-in alone turns nothing off: only the metric that says insecure")
        .contains("TLS with Prometheus at " + address + " failed");
    assertThat(tlsProxy.requests).as("only the allowed query got through").hasSize(1);
  }

  private static AnalysisRunState run(String template, MetricProvider with, ManualClock clock) {
    var executor =
        new AnalysisRunExecutor(Templates.spec(template), Map.of(), with, clock, Runnable::run);
    executor.start();
    return executor.state();
  }

  private static void awaitFirstScrape() throws IOException {
    var direct =
        new PrometheusMetricProvider(PrometheusSettings.of(prometheus.address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    // the range query of 20s must find five points: wait for 25 s of samples
    while (System.nanoTime() < deadline) {
      if (direct.instant("count_over_time(demo_success_ratio[1m])", Instant.now())
              instanceof QueryResult.Ok<MetricValue> ok
          && !ok.value().isEmpty()
          && ok.value().first() >= 22) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException("Prometheus did not scrape the exporter in 120 s:\n" + prometheus.log());
  }

  /** One request as the proxy saw it: header names in lower case. */
  record Recorded(String method, String path, Map<String, String> headers, String body) {}

  /** Forwards every request to the real Prometheus unchanged, recording it first. */
  static final class RecordingProxy implements AutoCloseable {
    final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;
    private final URI target;
    private final String scheme;
    private final HttpClient client = HttpClient.newHttpClient();

    private RecordingProxy(HttpServer server, URI target, String scheme) {
      this.server = server;
      this.target = target;
      this.scheme = scheme;
      server.createContext("/", this::forward);
      server.start();
    }

    static RecordingProxy http(URI target) throws IOException {
      return new RecordingProxy(
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
          target,
          "http");
    }

    static RecordingProxy https(URI target, TestTls tls) throws IOException {
      try {
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(tls.keyStore(), TestTls.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server =
            HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new RecordingProxy(server, target, "https");
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
    }

    URI address() {
      return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void forward(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange
            .getRequestHeaders()
            .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        String path = exchange.getRequestURI().getRawPath();
        requests.add(
            new Recorded(
                exchange.getRequestMethod(),
                path,
                headers,
                java.net.URLDecoder.decode(
                    new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
        String query = exchange.getRequestURI().getRawQuery();
        HttpRequest.Builder request =
            HttpRequest.newBuilder(target.resolve(path.substring(1) + (query == null ? "" : "?" + query)))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
          request.header("Content-Type", type);
        }
        HttpResponse<byte[]> answer;
        try {
          answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
      client.close();
    }
  }

  /** slf4j-simple writes to System.err: what Weir logs while a test runs. */
  static final class LogCapture {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    static LogCapture start() {
      LogCapture capture = new LogCapture();
      System.setErr(
          new PrintStream(
              new OutputStream() {
                @Override
                public void write(int b) {
                  capture.logged.write(b);
                  capture.original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  capture.logged.write(b, off, len);
                  capture.original.write(b, off, len);
                }
              },
              true,
              StandardCharsets.UTF_8));
      return capture;
    }

    void stop() {
      System.setErr(original);
    }

    String text() {
      return logged.toString(StandardCharsets.UTF_8);
    }
  }
}
