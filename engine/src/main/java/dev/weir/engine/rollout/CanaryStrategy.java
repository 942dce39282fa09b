package dev.weir.engine.rollout;

import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code spec.strategy.canary}: the steps, how traffic is split, the two services and the
 * background analysis that runs through the whole rollout. Immutable.
 *
 * @param trafficRouting the router; {@link TrafficRoutingSpec.ReplicaRatio} when none is declared
 * @param stableService the Service of the stable pods (required with a router)
 * @param canaryService the Service of the canary pods (required with a router)
 * @param analysis background analysis, from the first step until promotion
 */
public record CanaryStrategy(
    List<CanaryStep> steps,
    TrafficRoutingSpec trafficRouting,
    Optional<String> stableService,
    Optional<String> canaryService,
    Optional<AnalysisRef> analysis)
    implements RolloutStrategy {

  public CanaryStrategy {
    steps = List.copyOf(steps);
    Objects.requireNonNull(trafficRouting, "trafficRouting");
    Objects.requireNonNull(stableService, "stableService");
    Objects.requireNonNull(canaryService, "canaryService");
    Objects.requireNonNull(analysis, "analysis");
  }
}
