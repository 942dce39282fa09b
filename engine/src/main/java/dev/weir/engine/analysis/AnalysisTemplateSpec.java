package dev.weir.engine.analysis;

import dev.weir.engine.model.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An AnalysisTemplate as desired in Git ({@code kind: AnalysisTemplate}, {@code apiVersion:
 * weir.dev/v1alpha1}), parsed and validated by {@link AnalysisTemplateParser}. Immutable.
 *
 * @param scoring the score thresholds for comparison metrics ({@link ScoringSpec#DEFAULTS} when
 *     absent)
 * @param source where the document was read from
 */
public record AnalysisTemplateSpec(
    String name,
    List<ArgSpec> args,
    List<MetricSpec> metrics,
    ScoringSpec scoring,
    SourceLocation source) {

  public AnalysisTemplateSpec {
    Objects.requireNonNull(name, "name");
    args = List.copyOf(args);
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(scoring, "scoring");
    Objects.requireNonNull(source, "source");
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
    return new AnalysisTemplateSpec(name, args, value, scoring, source);
  }

  public AnalysisTemplateSpec withScoring(ScoringSpec value) {
    return new AnalysisTemplateSpec(name, args, metrics, value, source);
  }
}
