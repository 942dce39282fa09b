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
 * @param analysis background analysis, from step {@code analysisStartingStep} until promotion
 * @param analysisStartingStep the (0-based) step at which the background analysis starts, as Argo's
 *     {@code analysis.startingStep}: once the canary has pods and traffic to measure
 * @param pods how the canary's pods are counted, marked and retired (Argo's canary fields)
 * @param managedRoutes Argo's {@code trafficRouting.managedRoutes} names as listed: the order in
 *     which header and mirror routes take precedence (decision 0048); empty for Weir's own order
 */
public record CanaryStrategy(
    List<CanaryStep> steps,
    TrafficRoutingSpec trafficRouting,
    Optional<String> stableService,
    Optional<String> canaryService,
    Optional<AnalysisRef> analysis,
    int analysisStartingStep,
    CanaryPods pods,
    List<String> managedRoutes)
    implements RolloutStrategy {

  public CanaryStrategy {
    Objects.requireNonNull(pods, "pods");
    managedRoutes = List.copyOf(managedRoutes);
    steps = List.copyOf(steps);
    Objects.requireNonNull(trafficRouting, "trafficRouting");
    Objects.requireNonNull(stableService, "stableService");
    Objects.requireNonNull(canaryService, "canaryService");
    Objects.requireNonNull(analysis, "analysis");
    if (analysisStartingStep < 0) {
      throw new IllegalArgumentException("analysisStartingStep must not be negative");
    }
  }

  /** Routes in Weir's own order. */
  public CanaryStrategy(
      List<CanaryStep> steps,
      TrafficRoutingSpec trafficRouting,
      Optional<String> stableService,
      Optional<String> canaryService,
      Optional<AnalysisRef> analysis,
      int analysisStartingStep,
      CanaryPods pods) {
    this(
        steps,
        trafficRouting,
        stableService,
        canaryService,
        analysis,
        analysisStartingStep,
        pods,
        List.of());
  }

  /** Weir's own pod behaviour ({@link CanaryPods#WEIR}). */
  public CanaryStrategy(
      List<CanaryStep> steps,
      TrafficRoutingSpec trafficRouting,
      Optional<String> stableService,
      Optional<String> canaryService,
      Optional<AnalysisRef> analysis,
      int analysisStartingStep) {
    this(
        steps,
        trafficRouting,
        stableService,
        canaryService,
        analysis,
        analysisStartingStep,
        CanaryPods.WEIR);
  }

  /** Background analysis from the first step. */
  public CanaryStrategy(
      List<CanaryStep> steps,
      TrafficRoutingSpec trafficRouting,
      Optional<String> stableService,
      Optional<String> canaryService,
      Optional<AnalysisRef> analysis) {
    this(steps, trafficRouting, stableService, canaryService, analysis, 0, CanaryPods.WEIR);
  }

  /** Whether traffic is split by a router (not by the ratio of replicas). */
  public boolean routed() {
    return !(trafficRouting instanceof TrafficRoutingSpec.ReplicaRatio);
  }

  /** Whether the background analysis runs at step {@code step} (0-based). */
  public boolean backgroundAt(int step) {
    return analysis.isPresent() && step >= analysisStartingStep;
  }
}
