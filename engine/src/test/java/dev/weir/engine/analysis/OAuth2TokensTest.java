package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.engine.time.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Argo's {@code authentication.oauth2} (analysis/prometheus.md, "With OAuth2": "The AnalysisRun
 * will first get an access token using that information, and provide it as an Authorization:
 * Bearer header"), against a token endpoint on a loopback port (the JDK's HttpServer), its tokens
 * kept on the engine clock (decision 0041).
 */
class OAuth2TokensTest {
  private static final String SECRET = "cl1ent-s3cret";
  private static final MetricValue METRIC_ONE = MetricValue.vector(List.of(1.0));

  private HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<String, Answer> answer;
  private int issued;

  record Answer(int status, String body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private synchronized void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      String form =
          URLDecoder.decode(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
              StandardCharsets.UTF_8);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String request = (authorization == null ? "form" : "basic " + authorization) + " | " + form;
      requests.add(request);
      Answer a = answer.apply(request);
      byte[] body = a.body().replace("#", String.valueOf(++issued)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(a.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private OAuth2Tokens.Grant grant(List<String> scopes) {
    return new OAuth2Tokens.Grant(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/token", "weir", SECRET, scopes);
  }

  record Case(String name, String tokenAnswer, Duration later, int expectedRequests) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    // Go's oauth2 (which Argo uses): a token is reused until 10 s before expires_in runs out
    return List.of(
        new Case(
            "reused while valid",
            "{\"access_token\":\"tok-#\",\"token_type\":\"Bearer\",\"expires_in\":300}",
            Duration.ofSeconds(289),
            1),
        new Case(
            "renewed 10 s before it expires",
            "{\"access_token\":\"tok-#\",\"token_type\":\"Bearer\",\"expires_in\":300}",
            Duration.ofSeconds(290),
            2),
        new Case(
            "without expires_in, kept",
            "{\"access_token\":\"tok-#\",\"token_type\":\"bearer\"}",
            Duration.ofDays(1),
            1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aTokenIsKeptOnTheEngineClock(Case c) {
    answer = request -> new Answer(200, c.tokenAnswer());
    ManualClock clock = new ManualClock(Instant.parse("2026-12-03T08:00:00Z"));
    OAuth2Tokens tokens = new OAuth2Tokens(clock);

    QueryResult<String> first = tokens.authorization(grant(List.of()), Optional.empty());
    clock.advance(c.later());
    QueryResult<String> second = tokens.authorization(grant(List.of()), Optional.empty());

    assertThat(first).isEqualTo(QueryResult.ok("Bearer tok-1"));
    assertThat(second).isEqualTo(QueryResult.ok("Bearer tok-" + c.expectedRequests()));
    assertThat(requests).hasSize(c.expectedRequests());
  }

  @Test
  void theClientProvesItselfWithBasicThenInTheFormAsGoAutoDetects() {
    // RFC 6749 2.3.1 and 4.4.2: grant_type=client_credentials, scope space-separated
    answer =
        request ->
            request.startsWith("basic ")
                ? new Answer(401, "{\"error\":\"invalid_client\"}")
                : new Answer(200, "{\"access_token\":\"tok-#\",\"expires_in\":60}");
    OAuth2Tokens tokens = new OAuth2Tokens(new ManualClock(Instant.EPOCH));

    QueryResult<String> result =
        tokens.authorization(grant(List.of("read", "metrics")), Optional.empty());

    assertThat(result).isEqualTo(QueryResult.ok("Bearer tok-2"));
    String basic =
        Base64.getEncoder().encodeToString(("weir:" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(requests)
        .containsExactly(
            "basic Basic " + basic + " | grant_type=client_credentials&scope=read metrics",
            "form | grant_type=client_credentials&scope=read metrics&client_id=weir&client_secret="
                + SECRET);
  }

  @Test
  void aProviderThatSendsNoHttpNeverAsksForAToken() {
    // the sandbox's provider (virtual-time drills) has no transport: its with() returns itself
    answer = request -> new Answer(200, "{\"access_token\":\"tok-#\"}");
    AnalysisTemplateSpec spec =
        Templates.spec(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: t}
            spec:
              metrics:
              - name: m
                successCondition: result[0] > 0
                provider:
                  prometheus:
                    query: up
                    authentication:
                      oauth2: {tokenUrl: '%s', clientId: weir, clientSecret: s}
            """
                .formatted(grant(List.of()).tokenUrl()));
    ScriptedProvider sandbox = new ScriptedProvider().answer("up", QueryResult.ok(METRIC_ONE));

    Observation seen =
        AnalysisRunExecutor.observe(
            spec.metrics().getFirst(),
            java.util.Map.of(),
            sandbox,
            Instant.EPOCH,
            new OAuth2Tokens(new ManualClock(Instant.EPOCH)));

    assertThat(seen).isEqualTo(new Observation.Value(METRIC_ONE));
    assertThat(requests).isEmpty();
  }

  @Test
  void aRefusalNamesTheEndpointAndTheRfcCodeNeverTheSecret() {
    answer =
        request ->
            new Answer(
                400,
                "{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + SECRET + "\"}");
    OAuth2Tokens tokens = new OAuth2Tokens(new ManualClock(Instant.EPOCH));

    QueryResult<String> result = tokens.authorization(grant(List.of()), Optional.empty());

    assertThat(result).isInstanceOf(QueryResult.Failed.class);
    ProviderError error = ((QueryResult.Failed<String>) result).error();
    assertThat(error.reason()).isEqualTo(ProviderError.Reason.UNAUTHORIZED);
    assertThat(error.message())
        .isEqualTo(
            "the OAuth2 token endpoint http://127.0.0.1:"
                + server.getAddress().getPort()
                + "/token refused the client credentials: HTTP 400 (invalid_client)");
    assertThat(grant(List.of()).toString()).doesNotContain(SECRET).doesNotContain("weir");
    assertThat(tokens.toString()).doesNotContain("tok");
  }
}
