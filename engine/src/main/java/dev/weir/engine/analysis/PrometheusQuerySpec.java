package dev.weir.engine.analysis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A metric's {@code provider.prometheus} block: the PromQL with {@code {{args.NAME}}} placeholders
 * still in it. A threshold metric has {@code query}; a comparison metric has {@code canaryQuery}
 * and {@code stableQuery}. {@code address}, when given, is the Prometheus this metric queries
 * unless {@code --prometheus} says otherwise ({@link MetricProvider#at}, {@link
 * PrometheusSelection}). The metric's own transport settings (Argo's {@code timeout}, {@code
 * headers}, {@code insecure}) travel to the transport as {@link QueryOptions}. Immutable.
 *
 * @param timeout how long one query of this metric may take (Argo's {@code timeout}, in seconds)
 * @param headers sent with every query of this metric, values with placeholders still in them
 * @param insecure where the template says {@code insecure: true} ({@code file:line:column
 *     spec.metrics[0].provider.prometheus.insecure}), if it does: honoured only when the person
 *     running Weir allows it ({@link PrometheusAccess#insecureAllowed()})
 * @param rangeQuery Argo's {@code rangeQuery}: the query is a range query and its result the values
 *     of every series over the range
 * @param authentication Argo's {@code authentication}: {@code basicAuth} or {@code oauth2} (client
 *     credentials), values with placeholders still in them (decision 0041)
 */
public record PrometheusQuerySpec(
    Optional<String> address,
    Optional<String> query,
    Optional<String> canaryQuery,
    Optional<String> stableQuery,
    Optional<Duration> timeout,
    List<Header> headers,
    Optional<String> insecure,
    Optional<RangeQuery> rangeQuery,
    Optional<Authentication> authentication) {

  /**
   * Argo's {@code provider.prometheus.authentication} (analysis/prometheus.md, "Authorization"):
   * how each query of the metric proves who it is. The values usually come from Secrets through
   * arguments; {@link #toString()} never shows a password or a client secret.
   */
  public sealed interface Authentication
      permits Authentication.BasicAuth, Authentication.OAuth2 {

    /** {@code basicAuth: {username, password}}: an {@code Authorization: Basic} header. */
    record BasicAuth(String username, String password) implements Authentication {
      public BasicAuth {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
      }

      @Override
      public String toString() {
        return "BasicAuth[password=…]";
      }
    }

    /**
     * {@code oauth2: {tokenUrl, clientId, clientSecret, scopes}}: RFC 6749's client-credentials
     * grant; the access token goes as {@code Authorization: Bearer} ({@link OAuth2Tokens}).
     */
    record OAuth2(String tokenUrl, String clientId, String clientSecret, List<String> scopes)
        implements Authentication {
      public OAuth2 {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        scopes = List.copyOf(scopes);
      }

      @Override
      public String toString() {
        return "OAuth2[tokenUrl=" + tokenUrl + ", scopes=" + scopes + ", clientSecret=…]";
      }
    }
  }

  /** One {@code headers[]} entry: {@code key} and {@code value} (which may use placeholders). */
  public record Header(String key, String value) {
    public Header {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return key + ": …"; // the value may carry a secret
    }
  }

  /**
   * Argo's {@code rangeQuery}: {@code start} and {@code end} are expressions of the measurement's
   * time ({@link RangeTime}), {@code step} the resolution.
   */
  public record RangeQuery(String start, String end, Duration step) {
    public RangeQuery {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      Objects.requireNonNull(step, "step");
    }
  }

  public PrometheusQuerySpec {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(canaryQuery, "canaryQuery");
    Objects.requireNonNull(stableQuery, "stableQuery");
    Objects.requireNonNull(timeout, "timeout");
    headers = List.copyOf(headers);
    Objects.requireNonNull(insecure, "insecure");
    Objects.requireNonNull(rangeQuery, "rangeQuery");
    Objects.requireNonNull(authentication, "authentication");
  }

  /** Without {@code authentication}. */
  public PrometheusQuerySpec(
      Optional<String> address,
      Optional<String> query,
      Optional<String> canaryQuery,
      Optional<String> stableQuery,
      Optional<Duration> timeout,
      List<Header> headers,
      Optional<String> insecure,
      Optional<RangeQuery> rangeQuery) {
    this(
        address,
        query,
        canaryQuery,
        stableQuery,
        timeout,
        headers,
        insecure,
        rangeQuery,
        Optional.empty());
  }

  /** Queries only, with the console's transport settings. */
  public PrometheusQuerySpec(
      Optional<String> address,
      Optional<String> query,
      Optional<String> canaryQuery,
      Optional<String> stableQuery) {
    this(
        address,
        query,
        canaryQuery,
        stableQuery,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** A threshold metric's query. */
  public static PrometheusQuerySpec threshold(String query) {
    return new PrometheusQuerySpec(
        Optional.empty(), Optional.of(query), Optional.empty(), Optional.empty());
  }

  /** A comparison metric's two queries. */
  public static PrometheusQuerySpec comparison(String canaryQuery, String stableQuery) {
    return new PrometheusQuerySpec(
        Optional.empty(), Optional.empty(), Optional.of(canaryQuery), Optional.of(stableQuery));
  }

  /**
   * Every text that may hold a placeholder: queries, address, header values, range times,
   * authentication.
   */
  List<String> templated() {
    List<String> all = new java.util.ArrayList<>();
    address.ifPresent(all::add);
    query.ifPresent(all::add);
    canaryQuery.ifPresent(all::add);
    stableQuery.ifPresent(all::add);
    headers.forEach(h -> all.add(h.value()));
    rangeQuery.ifPresent(
        r -> {
          all.add(r.start());
          all.add(r.end());
        });
    authentication.ifPresent(
        a -> {
          switch (a) {
            case Authentication.BasicAuth basic -> {
              all.add(basic.username());
              all.add(basic.password());
            }
            case Authentication.OAuth2 oauth -> {
              all.add(oauth.tokenUrl());
              all.add(oauth.clientId());
              all.add(oauth.clientSecret());
              all.addAll(oauth.scopes());
            }
          }
        });
    return all;
  }
}
