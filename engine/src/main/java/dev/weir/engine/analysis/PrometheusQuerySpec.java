package dev.weir.engine.analysis;

import java.util.Objects;
import java.util.Optional;

/**
 * A metric's {@code provider.prometheus} block: the PromQL with {@code {{args.NAME}}} placeholders
 * still in it. A threshold metric has {@code query}; a comparison metric has {@code canaryQuery}
 * and {@code stableQuery}. {@code address}, when given, is the Prometheus this metric queries
 * unless {@code --prometheus} says otherwise ({@link MetricProvider#at}, {@link
 * PrometheusSelection}). Immutable.
 */
public record PrometheusQuerySpec(
    Optional<String> address,
    Optional<String> query,
    Optional<String> canaryQuery,
    Optional<String> stableQuery) {

  public PrometheusQuerySpec {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(canaryQuery, "canaryQuery");
    Objects.requireNonNull(stableQuery, "stableQuery");
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
}
