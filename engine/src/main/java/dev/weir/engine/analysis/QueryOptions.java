package dev.weir.engine.analysis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A metric's own transport settings for one query, arguments substituted: Argo's {@code timeout},
 * {@code headers} and {@code insecure}, carried from the {@link PrometheusQuerySpec} through {@link
 * MetricProvider#with} to the {@link PrometheusTransport}. Immutable; {@link #toString()} names
 * the headers, never their values (an {@code Authorization} header, a value from a Secret).
 *
 * @param timeout how long the query may take; empty for the console's
 * @param headers sent with the query, in the template's order
 * @param insecure where the template asks to skip TLS verification ({@code file:line:column
 *     spec.metrics[0].provider.prometheus.insecure}), if it does
 */
public record QueryOptions(
    Optional<Duration> timeout, Map<String, String> headers, Optional<String> insecure) {

  /** The console's settings: nothing of the metric's own. */
  public static final QueryOptions NONE =
      new QueryOptions(Optional.empty(), Map.of(), Optional.empty());

  public QueryOptions {
    Objects.requireNonNull(timeout, "timeout");
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(insecure, "insecure");
  }

  /**
   * The options of {@code spec} with {@code args} substituted in the header values; Argo's {@code
   * authentication.basicAuth} becomes the {@code Authorization: Basic} header (RFC 7617). Argo's
   * {@code oauth2} needs a token first: {@link OAuth2Tokens}, then {@link #withHeader}.
   *
   * @throws IllegalArgumentException naming the first argument without a value
   */
  public static QueryOptions of(PrometheusQuerySpec spec, Map<String, String> args) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (PrometheusQuerySpec.Header header : spec.headers()) {
      headers.put(header.key(), QueryTemplate.render(header.value(), args));
    }
    if (spec.authentication().orElse(null)
        instanceof PrometheusQuerySpec.Authentication.BasicAuth basic) {
      String pair =
          QueryTemplate.render(basic.username(), args)
              + ":"
              + QueryTemplate.render(basic.password(), args);
      headers.put(
          "Authorization",
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return new QueryOptions(spec.timeout(), headers, spec.insecure());
  }

  /** These options with {@code name: value} added (replacing a header of that name). */
  public QueryOptions withHeader(String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return new QueryOptions(timeout, all, insecure);
  }

  /** True when the console's settings apply unchanged. */
  public boolean none() {
    return timeout.isEmpty() && headers.isEmpty() && insecure.isEmpty();
  }

  @Override
  public String toString() {
    return "QueryOptions[timeout="
        + timeout.map(HttpPrometheusTransport::human).orElse("default")
        + ", headers="
        + headers.keySet()
        + (insecure.isPresent() ? ", insecure" : "")
        + "]";
  }
}
