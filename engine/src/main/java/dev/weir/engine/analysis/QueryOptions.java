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
   * The options of {@code spec} with {@code args} substituted in the header values.
   *
   * @throws IllegalArgumentException naming the first argument without a value
   */
  public static QueryOptions of(PrometheusQuerySpec spec, Map<String, String> args) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (PrometheusQuerySpec.Header header : spec.headers()) {
      headers.put(header.key(), QueryTemplate.render(header.value(), args));
    }
    return new QueryOptions(spec.timeout(), headers, spec.insecure());
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
