package dev.weir.engine.rollout;

import java.util.Set;

/**
 * The fields of an Argo Rollouts {@code Rollout} ({@code argoproj.io/v1alpha1}), level by level:
 * those Weir reads, and those it refuses by name because it does not implement them (never dropped
 * without a word: decision 0026). A field in neither set is not Argo's and is reported as unknown.
 * Kept as data so that a field Weir comes to support moves from a refused set to a read one.
 */
final class ArgoFields {
  private ArgoFields() {}

  /** {@code spec}. */
  static final Set<String> SPEC =
      Set.of(
          "replicas",
          "selector",
          "template",
          "workloadRef",
          "strategy",
          "paused",
          "progressDeadlineSeconds",
          "progressDeadlineAbort",
          "minReadySeconds",
          "revisionHistoryLimit");

  static final Set<String> SPEC_REFUSED = Set.of("restartAt", "rollbackWindow", "analysis");

  /** {@code spec.strategy.canary}. */
  static final Set<String> CANARY =
      Set.of(
          "steps",
          "trafficRouting",
          "stableService",
          "canaryService",
          "analysis",
          "dynamicStableScale",
          "maxSurge",
          "maxUnavailable",
          "canaryMetadata",
          "stableMetadata",
          "scaleDownDelaySeconds",
          "abortScaleDownDelaySeconds",
          "minPodsPerReplicaSet",
          "antiAffinity");

  static final Set<String> CANARY_REFUSED =
      Set.of(
          "scaleDownDelayRevisionLimit",
          "pingPong",
          "replicaProgressThreshold");

  /** Argo step kinds Weir does not run (those it runs are the parser's step kinds). */
  static final Set<String> STEPS_REFUSED =
      Set.of("plugin");

  /** {@code trafficRouting}: the routers Weir drives, and what else Argo allows there. */
  static final Set<String> ROUTERS = Set.of("istio", "smi", "nginx", "plugins");

  static final Set<String> ROUTING = Set.of("istio", "smi", "nginx", "plugins", "managedRoutes");

  static final Set<String> ROUTING_REFUSED =
      Set.of("alb", "ambassador", "appMesh", "traefik", "apisix", "maxTrafficWeight");

  /** The Gateway API plugin's name, mapped to Weir's Gateway API router. */
  static final String GATEWAY_API_PLUGIN = "argoproj-labs/gatewayAPI";

  /** {@code spec.strategy.blueGreen}: Argo's fields Weir reads beyond its own (decision 0048). */
  static final Set<String> BLUE_GREEN = Set.of("antiAffinity");

  /** {@code spec.strategy.blueGreen} beyond Weir's own fields. */
  static final Set<String> BLUE_GREEN_REFUSED =
      Set.of(
          "previewReplicaCount",
          "scaleDownDelayRevisionLimit",
          "previewMetadata",
          "activeMetadata",
          "abortScaleDownDelaySeconds",
          "maxUnavailable");

  /**
   * An analysis reference (step, background, pre- and post-promotion) beyond templates, args,
   * dryRun, measurementRetention and analysisRunMetadata (decision 0041): none today.
   */
  static final Set<String> ANALYSIS_REFUSED = Set.of();

  /**
   * {@code canary.maxSurge} for {@code spec.strategy.canary} and {@code maxSurge}: the name an Argo
   * user knows, as in {@code canary.maxSurge is not supported by Weir}.
   */
  static String shortName(String at, String key) {
    int dot = at.lastIndexOf('.');
    String parent = dot < 0 ? at : at.substring(dot + 1);
    int bracket = parent.indexOf('[');
    if (bracket > 0) {
      parent = parent.substring(0, bracket);
    }
    return parent + "." + key;
  }
}
