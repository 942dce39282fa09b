package dev.weir.engine.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A provider for unit tests that answers each query with the next scripted answer and records what
 * was asked.
 */
final class ScriptedProvider implements MetricProvider {
  record Asked(String query, Instant at) {}

  private final Map<String, Deque<QueryResult<MetricValue>>> instant = new ConcurrentHashMap<>();
  private final Map<String, Deque<QueryResult<List<TimeSeries>>>> range = new ConcurrentHashMap<>();
  final List<Asked> asked = java.util.Collections.synchronizedList(new ArrayList<>());

  @SafeVarargs
  final ScriptedProvider answer(String query, QueryResult<MetricValue>... answers) {
    instant.computeIfAbsent(query, q -> new ArrayDeque<>()).addAll(List.of(answers));
    return this;
  }

  ScriptedProvider answerRange(String query, double... values) {
    List<TimeSeries.Sample> samples = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      samples.add(new TimeSeries.Sample(Instant.EPOCH.plusSeconds(i), values[i]));
    }
    range
        .computeIfAbsent(query, q -> new ArrayDeque<>())
        .add(QueryResult.ok(List.of(new TimeSeries(Map.of(), samples))));
    return this;
  }

  @Override
  public synchronized QueryResult<MetricValue> instant(String query, Instant at) {
    asked.add(new Asked(query, at));
    Deque<QueryResult<MetricValue>> answers = instant.get(query);
    if (answers == null || answers.isEmpty()) {
      return QueryResult.failed(ProviderError.Reason.BAD_QUERY, "no scripted answer for " + query);
    }
    return answers.size() == 1 ? answers.peek() : answers.poll();
  }

  @Override
  public synchronized QueryResult<List<TimeSeries>> range(
      String query, Instant start, Instant end, Duration step) {
    asked.add(new Asked(query, end));
    Deque<QueryResult<List<TimeSeries>>> answers = range.get(query);
    if (answers == null || answers.isEmpty()) {
      return QueryResult.failed(ProviderError.Reason.BAD_QUERY, "no scripted answer for " + query);
    }
    return answers.size() == 1 ? answers.peek() : answers.poll();
  }

  static QueryResult<MetricValue> value(double v) {
    return QueryResult.ok(MetricValue.scalar(v));
  }

  static QueryResult<MetricValue> down() {
    return QueryResult.failed(
        ProviderError.Reason.UNREACHABLE,
        "cannot reach Prometheus at http://127.0.0.1:1/:" + " connection refused");
  }
}
