package dev.weir.engine.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's chart series read back from the metrics source (a Prometheus range query through the
 * {@link MetricProvider}), for a console that did not watch the run measure: one opened after a
 * restart, or a one-shot {@code weir rollout status}. The canary side is the metric's query with
 * the new version's arguments; the stable side is, for a comparison metric, its stable query, and
 * for a threshold metric the same query with the stable version's arguments (when they differ).
 * Points of a read-back series were not judged: their phase is {@link AnalysisPhase#RUNNING}.
 *
 * <p>Blocks for up to the provider's timeout per query; never throws for a provider failure (a
 * metric whose query fails has no points). Stateless and thread-safe.
 */
public final class MetricSeriesHistory {
  /** How far back a chart goes. */
  public static final Duration WINDOW = Duration.ofMinutes(15);

  /** The resolution of a read-back chart: 15 minutes in 60 points. */
  public static final Duration STEP = Duration.ofSeconds(15);

  private MetricSeriesHistory() {}

  /**
   * The series of every metric of {@code template} over {@code [from, to]}.
   *
   * @param canaryArgs the run's arguments (the new version's pod-template hash where asked for)
   * @param stableArgs the same with the stable version's hash in its place
   */
  public static List<MetricSeries> read(
      AnalysisTemplateSpec template,
      Map<String, String> canaryArgs,
      Map<String, String> stableArgs,
      MetricProvider provider,
      Instant from,
      Instant to) {
    Map<String, String> canary = withDefaults(template, canaryArgs);
    Map<String, String> stable = withDefaults(template, stableArgs);
    List<MetricSeries> out = new ArrayList<>();
    for (MetricSpec metric : template.metrics()) {
      out.add(read(metric, canary, stable, provider, from, to));
    }
    return out;
  }

  private static MetricSeries read(
      MetricSpec metric,
      Map<String, String> canaryArgs,
      Map<String, String> stableArgs,
      MetricProvider provider,
      Instant from,
      Instant to) {
    PrometheusQuerySpec queries = metric.prometheus();
    MetricProvider source = provider;
    List<MetricSeries.Threshold> thresholds = MetricSeriesBuffer.conditionThresholds(metric);
    TreeMap<Instant, double[]> points = new TreeMap<>();
    try {
      if (queries.address().isPresent()) {
        source = provider.at(QueryTemplate.render(queries.address().get(), canaryArgs));
      }
      QueryOptions options = QueryOptions.of(queries, canaryArgs);
      if (!options.none()) {
        source = source.with(options);
      }
      if (metric.compare().isPresent()) {
        fill(
            points,
            0,
            source,
            QueryTemplate.render(queries.canaryQuery().orElseThrow(), canaryArgs),
            from,
            to);
        fill(
            points,
            1,
            source,
            QueryTemplate.render(queries.stableQuery().orElseThrow(), canaryArgs),
            from,
            to);
      } else {
        String canaryQuery = QueryTemplate.render(queries.query().orElseThrow(), canaryArgs);
        String stableQuery = QueryTemplate.render(queries.query().orElseThrow(), stableArgs);
        fill(points, 0, source, canaryQuery, from, to);
        if (!stableQuery.equals(canaryQuery)) {
          fill(points, 1, source, stableQuery, from, to);
        }
      }
    } catch (IllegalArgumentException e) {
      // an argument without a value (or one from a Secret, which is read only by the run itself):
      // nothing to draw
      points.clear();
    }
    List<MetricSeries.Point> drawn = new ArrayList<>();
    points.forEach(
        (at, values) ->
            drawn.add(new MetricSeries.Point(at, values[0], values[1], AnalysisPhase.RUNNING)));
    return new MetricSeries(
        metric.name(), metric.compare().map(ComparisonSpec::unit).orElse(""), drawn, thresholds);
  }

  private static void fill(
      TreeMap<Instant, double[]> points,
      int side,
      MetricProvider provider,
      String query,
      Instant from,
      Instant to) {
    if (!(provider.range(query, from, to, STEP) instanceof QueryResult.Ok<List<TimeSeries>> ok)
        || ok.value().isEmpty()) {
      return;
    }
    // the first series: a query meant for a chart gives one (sum, histogram_quantile)
    for (TimeSeries.Sample sample : ok.value().getFirst().samples()) {
      points.computeIfAbsent(sample.at(), at -> new double[] {Double.NaN, Double.NaN})[side] =
          sample.value();
    }
  }

  private static Map<String, String> withDefaults(
      AnalysisTemplateSpec template, Map<String, String> args) {
    Map<String, String> values = new java.util.HashMap<>();
    template.args().forEach(a -> a.value().ifPresent(v -> values.put(a.name(), v)));
    values.putAll(args);
    return values;
  }
}
