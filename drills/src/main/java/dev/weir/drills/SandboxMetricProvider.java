package dev.weir.drills;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.ProviderError;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.sandbox.metrics.SandboxQuery;
import dev.weir.sandbox.metrics.TrafficMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's {@link MetricProvider}: answers the PromQL shapes analysis templates use ({@link
 * SandboxQuery#SHAPES}) from the simulated traffic's metrics, so analysis works with no Prometheus
 * installed. A query outside those shapes fails with {@link ProviderError.Reason#BAD_QUERY} naming
 * the column where it left them; a query that matches no series returns an empty vector, as
 * Prometheus does.
 *
 * <p>Thread-safe; never blocks for long (everything is in memory).
 */
public final class SandboxMetricProvider implements MetricProvider {
  private final TrafficMetrics metrics;
  private final Map<String, Object> parsed = new ConcurrentHashMap<>();

  public SandboxMetricProvider(TrafficMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public QueryResult<MetricValue> instant(String query, Instant at) {
    Object compiled = compile(query);
    if (compiled instanceof String problem) {
      return QueryResult.failed(ProviderError.Reason.BAD_QUERY, problem);
    }
    SandboxQuery q = (SandboxQuery) compiled;
    List<SandboxQuery.Sample> samples = q.evaluate(metrics, at.getEpochSecond());
    if (q.scalar()) {
      return QueryResult.ok(MetricValue.scalar(samples.getFirst().value()));
    }
    return QueryResult.ok(
        MetricValue.vector(samples.stream().map(SandboxQuery.Sample::value).toList()));
  }

  @Override
  public QueryResult<List<TimeSeries>> range(
      String query, Instant start, Instant end, Duration step) {
    Object compiled = compile(query);
    if (compiled instanceof String problem) {
      return QueryResult.failed(ProviderError.Reason.BAD_QUERY, problem);
    }
    if (step.isNegative() || step.isZero() || end.isBefore(start)) {
      return QueryResult.failed(
          ProviderError.Reason.BAD_QUERY,
          "the step must be positive and the end not before the start");
    }
    long stepSeconds = Math.max(1, step.toSeconds());
    if ((end.getEpochSecond() - start.getEpochSecond()) / stepSeconds > 11_000) {
      return QueryResult.failed(
          ProviderError.Reason.BAD_QUERY,
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    SandboxQuery q = (SandboxQuery) compiled;
    Map<Map<String, String>, List<TimeSeries.Sample>> series = new LinkedHashMap<>();
    for (long t = start.getEpochSecond(); t <= end.getEpochSecond(); t += stepSeconds) {
      Instant at = Instant.ofEpochSecond(t);
      for (SandboxQuery.Sample sample : q.evaluate(metrics, t)) {
        series
            .computeIfAbsent(sample.labels(), k -> new ArrayList<>())
            .add(new TimeSeries.Sample(at, sample.value()));
      }
    }
    List<TimeSeries> result = new ArrayList<>();
    series.forEach((labels, samples) -> result.add(new TimeSeries(labels, samples)));
    return QueryResult.ok(result);
  }

  private Object compile(String query) {
    if (parsed.size() > 1000) {
      parsed.clear();
    }
    return parsed.computeIfAbsent(
        query,
        text -> {
          try {
            return SandboxQuery.parse(text);
          } catch (SandboxQuery.UnsupportedQueryException e) {
            return "the sandbox cannot answer this query: " + e.getMessage();
          }
        });
  }

  @Override
  public String toString() {
    return "SandboxMetricProvider";
  }
}
