package dev.weir.engine.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A source of metrics: the port behind which Prometheus (and, later, the sandbox's simulated
 * metrics) sit. Queries are in the provider's own language (PromQL for Prometheus) with every
 * argument already substituted.
 *
 * <p>Contract: methods never throw for a provider failure; they return {@link QueryResult.Failed}
 * with a reason and a message free of secrets. They may block for up to the provider's timeout, so
 * callers run them off the clock's thread. Implementations are thread-safe.
 */
public interface MetricProvider {

  /** Evaluates {@code query} at one instant: a scalar or a vector. */
  QueryResult<MetricValue> instant(String query, Instant at);

  /** Evaluates {@code query} over {@code [start, end]} every {@code step}: zero or more series. */
  QueryResult<List<TimeSeries>> range(String query, Instant start, Instant end, Duration step);

  /**
   * The provider for a metric whose template names its Prometheus ({@code
   * provider.prometheus.address}, arguments substituted). This one by default: a provider that
   * knows better (one given with {@code --prometheus}, which beats the template's address, or one
   * that reaches the address, see {@link PrometheusSelection}) overrides it.
   */
  default MetricProvider at(String address) {
    return this;
  }

  /**
   * This provider with a metric's own transport settings ({@code timeout}, {@code headers}, {@code
   * insecure}; see {@link QueryOptions}). A provider that does not speak HTTP (the sandbox's, a
   * test's) has nothing to send them with and returns itself; the Prometheus provider carries them
   * to its transport, and refuses what it cannot honour with a {@link QueryResult.Failed} naming
   * the field.
   */
  default MetricProvider with(QueryOptions options) {
    return this;
  }
}
