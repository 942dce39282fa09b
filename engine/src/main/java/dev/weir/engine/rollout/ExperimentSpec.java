package dev.weir.engine.rollout;

import dev.weir.engine.analysis.ExperimentSettings;
import java.util.Objects;
import java.util.Optional;

/**
 * An A/B experiment, a rollout step ({@code experiment:} in {@code spec.strategy.canary.steps}):
 * the segment that sees variant B (the canary's template) while A (stable) keeps the rest, the
 * conversion metric read for each variant, and how the result is judged. Immutable.
 *
 * <p>The two queries are PromQL with {@code {{variant.hash}}} (the variant's pod template hash,
 * the {@code rollouts_weir_dev_pod_template_hash} label of its pods' metrics) and {@code
 * {{variant.version}}} placeholders, each evaluated once per variant; counters, read as they grow
 * (the experiment counts from its first look).
 *
 * @param name the experiment's name, also the name of its header route
 * @param successesQuery e.g. {@code sum(conversions_total{service="storefront",
 *     rollouts_weir_dev_pod_template_hash="{{variant.hash}}"})}
 * @param trialsQuery e.g. the same over {@code http_requests_total{…,code="200"}}
 * @param prometheus the Prometheus the queries go to unless {@code --prometheus} says otherwise
 */
public record ExperimentSpec(
    String name,
    ExperimentSegment segment,
    String successesQuery,
    String trialsQuery,
    Optional<String> prometheus,
    ExperimentSettings settings) {

  public ExperimentSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(successesQuery, "successesQuery");
    Objects.requireNonNull(trialsQuery, "trialsQuery");
    Objects.requireNonNull(prometheus, "prometheus");
    Objects.requireNonNull(settings, "settings");
  }

  /** {@code query} for one variant: its placeholders replaced. */
  public static String forVariant(String query, PodTemplateRef variant) {
    String version = variant.version().startsWith("v") ? variant.version().substring(1) : variant.version();
    return query.replace("{{variant.hash}}", variant.hash()).replace("{{variant.version}}", version);
  }

  /**
   * {@code query} for side A ({@code b} false) or B of this experiment: as {@link #forVariant},
   * and for a flag's segment {@code {{variant.name}}} is the flag variant that side counts.
   */
  public String forSide(String query, PodTemplateRef template, boolean b) {
    String out = forVariant(query, template);
    if (segment instanceof ExperimentSegment.Flag flag) {
      out = out.replace("{{variant.name}}", b ? flag.b() : flag.a());
    }
    return out;
  }
}
