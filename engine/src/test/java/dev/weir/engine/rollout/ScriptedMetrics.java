package dev.weir.engine.rollout;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.ProviderError;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A metric source for tests: each query containing a key answers the value set for it (changeable
 * at any time, as a canary turns bad); an unknown query fails as Prometheus would without data.
 */
final class ScriptedMetrics implements MetricProvider {
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private volatile boolean vectors;

  /**
   * Answers as Prometheus answers {@code sum(…)} or {@code histogram_quantile(…)}: an instant
   * vector of one sample (conditions index it, {@code result[0]}); scalars otherwise.
   */
  ScriptedMetrics asVectors() {
    vectors = true;
    return this;
  }

  ScriptedMetrics set(String queryPart, double value) {
    values.put(queryPart, value);
    return this;
  }

  @Override
  public QueryResult<MetricValue> instant(String query, Instant at) {
    for (var entry : values.entrySet()) {
      if (query.contains(entry.getKey())) {
        return new QueryResult.Ok<>(
            vectors
                ? MetricValue.vector(List.of(entry.getValue()))
                : new MetricValue.Scalar(entry.getValue()));
      }
    }
    return new QueryResult.Failed<>(
        new ProviderError(ProviderError.Reason.SERVER_ERROR, "no series for " + query));
  }

  @Override
  public QueryResult<List<TimeSeries>> range(
      String query, Instant start, Instant end, Duration step) {
    return new QueryResult.Failed<>(
        new ProviderError(ProviderError.Reason.SERVER_ERROR, "no range queries here"));
  }
}
