package dev.weir.engine.analysis;

import dev.weir.engine.model.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An AnalysisTemplate as desired in Git ({@code kind: AnalysisTemplate}, {@code apiVersion:
 * weir.dev/v1alpha1}), parsed and validated by {@link AnalysisTemplateParser}. Immutable.
 *
 * @param scoring the score thresholds for comparison metrics ({@link ScoringSpec#DEFAULTS} when
 *     absent)
 * @param source where the document was read from
 * @param dryRun the metrics run as a dry run (Argo's {@code dryRun}): measured and shown, never
 *     deciding the run's phase
 * @param retention how many measurements of a metric are kept (Argo's {@code
 *     measurementRetention}); {@link AnalysisRun#MEASUREMENT_RETENTION} for the others
 */
public record AnalysisTemplateSpec(
    String name,
    List<ArgSpec> args,
    List<MetricSpec> metrics,
    ScoringSpec scoring,
    SourceLocation source,
    Set<String> dryRun,
    Map<String, Integer> retention) {

  public AnalysisTemplateSpec {
    Objects.requireNonNull(name, "name");
    args = List.copyOf(args);
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(scoring, "scoring");
    Objects.requireNonNull(source, "source");
    dryRun = Set.copyOf(dryRun);
    retention = Map.copyOf(retention);
  }

  /** A template with every metric deciding and the default retention. */
  public AnalysisTemplateSpec(
      String name,
      List<ArgSpec> args,
      List<MetricSpec> metrics,
      ScoringSpec scoring,
      SourceLocation source) {
    this(name, args, metrics, scoring, source, Set.of(), Map.of());
  }

  /** Whether metric {@code metric} runs as a dry run. */
  public boolean dryRun(String metric) {
    return dryRun.contains(metric);
  }

  /** How many measurements of {@code metric} are kept. */
  public int retention(String metric) {
    return retention.getOrDefault(metric, AnalysisRun.MEASUREMENT_RETENTION);
  }

  /** The metric called {@code name}. */
  public Optional<MetricSpec> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** True when any metric is a statistical comparison, so the run is also scored. */
  public boolean scored() {
    return metrics.stream().anyMatch(m -> m.compare().isPresent());
  }

  public AnalysisTemplateSpec withMetrics(List<MetricSpec> value) {
    return new AnalysisTemplateSpec(name, args, value, scoring, source, dryRun, retention);
  }

  /**
   * This template with a rollout's {@code dryRun} and {@code measurementRetention} (metric names)
   * added: names of other templates' metrics are left out, and the rollout's retention wins over
   * the template's for the same metric.
   */
  public AnalysisTemplateSpec withRunSettings(Set<String> moreDryRun, Map<String, Integer> more) {
    Set<String> names = new java.util.HashSet<>();
    metrics.forEach(m -> names.add(m.name()));
    Set<String> dry = new java.util.HashSet<>(dryRun);
    moreDryRun.stream().filter(names::contains).forEach(dry::add);
    Map<String, Integer> kept = new java.util.HashMap<>(retention);
    more.forEach(
        (metric, limit) -> {
          if (names.contains(metric)) {
            kept.put(metric, limit);
          }
        });
    return new AnalysisTemplateSpec(name, args, metrics, scoring, source, dry, kept);
  }

  public AnalysisTemplateSpec withScoring(ScoringSpec value) {
    return new AnalysisTemplateSpec(name, args, metrics, value, source, dryRun, retention);
  }
}
