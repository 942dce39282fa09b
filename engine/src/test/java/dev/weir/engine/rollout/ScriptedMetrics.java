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
 * at any time, as a canary turns bad), or the next of the values scripted for it (the last one
 * repeats); an unknown query fails as Prometheus would without data. Records when each key was
 * asked.
 */
final class ScriptedMetrics implements MetricProvider {
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private final Map<String, java.util.Deque<Double>> scripts = new ConcurrentHashMap<>();
  private final Map<String, List<Instant>> asked = new ConcurrentHashMap<>();
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

  /** Answers the queries containing {@code queryPart} with these values in turn. */
  ScriptedMetrics script(String queryPart, double... answers) {
    java.util.Deque<Double> script = new java.util.ArrayDeque<>();
    for (double answer : answers) {
      script.add(answer);
    }
    scripts.put(queryPart, script);
    values.put(queryPart, answers[answers.length - 1]);
    return this;
  }

  /** When the queries containing {@code queryPart} were asked, in order. */
  List<Instant> asked(String queryPart) {
    return List.copyOf(asked.getOrDefault(queryPart, List.of()));
  }

  @Override
  public synchronized QueryResult<MetricValue> instant(String query, Instant at) {
    for (var entry : values.entrySet()) {
      if (query.contains(entry.getKey())) {
        asked
            .computeIfAbsent(entry.getKey(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
            .add(at);
        java.util.Deque<Double> script = scripts.get(entry.getKey());
        Double next = script == null || script.size() <= 1 ? null : script.poll();
        double value = next != null ? next : entry.getValue();
        return new QueryResult.Ok<>(
            vectors ? MetricValue.vector(List.of(value)) : new MetricValue.Scalar(value));
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
