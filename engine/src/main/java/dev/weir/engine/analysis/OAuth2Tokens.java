package dev.weir.engine.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Access tokens for Argo's {@code authentication.oauth2} (analysis/prometheus.md, "With OAuth2"):
 * RFC 6749's client-credentials grant (section 4.4), the token sent as {@code Authorization: Bearer}
 * with each query.
 *
 * <p>Design note. As Go's {@code clientcredentials} package that Argo uses: the client proves
 * itself with HTTP Basic first and, if the token endpoint answers 400 or 401, once more with {@code
 * client_id} and {@code client_secret} in the form (its {@code AuthStyleAutoDetect}); a token is
 * reused until 10 s before its {@code expires_in} runs out (Go's {@code expiryDelta}), and one
 * without {@code expires_in} until the run ends. Unlike Argo, which asks for a token at every
 * measurement, the token is kept per run, and its age is measured on the engine clock, so virtual
 * time expires it as real time would. A failure names the token URL and the HTTP status (and the
 * RFC's {@code error} code, a word), never the secret nor the token nor the answer's text.
 *
 * <p>Thread-safe: measurements of several metrics may ask at once; two may fetch a token each.
 */
public final class OAuth2Tokens {
  /** How long before its expiry a token is no longer used (Go's oauth2 {@code expiryDelta}). */
  static final Duration EARLY = Duration.ofSeconds(10);

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final InstantSource clock;
  private final Supplier<HttpClient> http;
  private final Map<Grant, Token> tokens = new ConcurrentHashMap<>();

  /** On {@code clock}, with a JDK HTTP client made on first use (default trust, no redirects). */
  public OAuth2Tokens(InstantSource clock) {
    this(clock, Shared::client);
  }

  OAuth2Tokens(InstantSource clock, Supplier<HttpClient> http) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http = Objects.requireNonNull(http, "http");
  }

  /**
   * One client-credentials grant, arguments substituted. {@link #toString()} shows neither the
   * secret nor the client id.
   */
  public record Grant(String tokenUrl, String clientId, String clientSecret, List<String> scopes) {
    public Grant {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      scopes = List.copyOf(scopes);
    }

    /** {@code oauth} with {@code args} substituted. */
    static Grant of(PrometheusQuerySpec.Authentication.OAuth2 oauth, Map<String, String> args) {
      return new Grant(
          QueryTemplate.render(oauth.tokenUrl(), args).strip(),
          QueryTemplate.render(oauth.clientId(), args),
          QueryTemplate.render(oauth.clientSecret(), args),
          oauth.scopes().stream().map(s -> QueryTemplate.render(s, args)).toList());
    }

    @Override
    public String toString() {
      return "Grant[" + tokenUrl + ", scopes=" + scopes + "]";
    }
  }

  private record Token(String value, Optional<Instant> usableUntil) {
    @Override
    public String toString() {
      return "Token[…]";
    }
  }

  /**
   * The {@code Authorization} header value for {@code grant}: a kept token while it is valid on the
   * engine clock, else a new one from the token endpoint. Blocks for at most {@code timeout} per
   * request to the endpoint.
   */
  public QueryResult<String> authorization(Grant grant, Optional<Duration> timeout) {
    Instant now = clock.instant();
    Token kept = tokens.get(grant);
    if (kept != null && kept.usableUntil().map(now::isBefore).orElse(true)) {
      return QueryResult.ok("Bearer " + kept.value());
    }
    QueryResult<Token> fetched = fetch(grant, timeout.orElse(DEFAULT_TIMEOUT), now);
    return switch (fetched) {
      case QueryResult.Ok<Token> ok -> {
        tokens.put(grant, ok.value());
        yield QueryResult.ok("Bearer " + ok.value().value());
      }
      case QueryResult.Failed<Token> failed -> new QueryResult.Failed<>(failed.error());
    };
  }

  /** Forgets every token (a run that ends; a test). */
  public void clear() {
    tokens.clear();
  }

  private QueryResult<Token> fetch(Grant grant, Duration timeout, Instant now) {
    String where = "the OAuth2 token endpoint " + grant.tokenUrl();
    URI uri;
    try {
      uri = URI.create(grant.tokenUrl());
    } catch (IllegalArgumentException e) {
      return failed("authentication.oauth2.tokenUrl is not a URL: " + grant.tokenUrl());
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
        || uri.getHost() == null) {
      return failed(
          "authentication.oauth2.tokenUrl must be an http:// or https:// URL, got "
              + grant.tokenUrl());
    }
    HttpResponse<String> answer;
    try {
      answer = send(uri, grant, true, timeout);
      if (answer.statusCode() == 400 || answer.statusCode() == 401) {
        answer = send(uri, grant, false, timeout);
      }
    } catch (HttpTimeoutException e) {
      return QueryResult.failed(
          ProviderError.Reason.TIMEOUT,
          where + " did not answer within " + HttpPrometheusTransport.human(timeout));
    } catch (IOException e) {
      return QueryResult.failed(
          ProviderError.Reason.UNREACHABLE,
          "cannot reach " + where + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return QueryResult.failed(
          ProviderError.Reason.TIMEOUT, "the request to " + where + " was interrupted");
    }
    JsonNode body;
    try {
      body = JSON.readTree(answer.body());
    } catch (IOException e) {
      body = null;
    }
    if (answer.statusCode() != 200) {
      String code =
          body != null && body.path("error").isTextual()
                  && ERROR_CODE.matcher(body.path("error").asText()).matches()
              ? " (" + body.path("error").asText() + ")"
              : "";
      return failed(where + " refused the client credentials: HTTP " + answer.statusCode() + code);
    }
    if (body == null || !body.path("access_token").isTextual()
        || body.path("access_token").asText().isEmpty()) {
      return failed(where + " answered HTTP 200 without an access_token");
    }
    Optional<Instant> until = Optional.empty();
    long expiresIn = body.path("expires_in").asLong(0); // a number, or digits in a string
    if (expiresIn > 0) {
      until = Optional.of(now.plusSeconds(expiresIn).minus(EARLY));
    }
    return QueryResult.ok(new Token(body.path("access_token").asText(), until));
  }

  private HttpResponse<String> send(URI uri, Grant grant, boolean basic, Duration timeout)
      throws IOException, InterruptedException {
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    if (!grant.scopes().isEmpty()) {
      form.append("&scope=").append(encode(String.join(" ", grant.scopes())));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    if (basic) {
      // RFC 6749 2.3.1: the id and secret are form-encoded before Basic encoding
      String pair = encode(grant.clientId()) + ":" + encode(grant.clientSecret());
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      form.append("&client_id=")
          .append(encode(grant.clientId()))
          .append("&client_secret=")
          .append(encode(grant.clientSecret()));
    }
    request.POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    return http.get().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static QueryResult<Token> failed(String message) {
    return QueryResult.failed(ProviderError.Reason.UNAUTHORIZED, message);
  }

  @Override
  public String toString() {
    return "OAuth2Tokens[" + tokens.size() + " kept]";
  }

  /** One client for every run's token requests, made when a template first needs it. */
  private static final class Shared {
    private static final HttpClient CLIENT =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    static HttpClient client() {
      return CLIENT;
    }
  }
}
