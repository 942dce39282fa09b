package dev.weir.engine.manifest;

import dev.weir.engine.manifest.RenderProblem.Reason;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The workload an Argo Rollouts {@code Rollout} describes, as Weir runs it (decision 0026): Weir
 * rolls out a Deployment, so a Rollout with an inline {@code spec.template} (with {@code
 * spec.replicas} and {@code spec.selector}) makes one, named as the Rollout, in the application's
 * desired state — applied, tracked and pruned like any object of the application, and adopted by
 * the rollout engine as a {@code targetRef} is. A Rollout with {@code workloadRef} gives the
 * Deployment it names its {@code spec.replicas} (and {@code progressDeadlineSeconds}): that
 * Deployment is the Rollout's stable workload, so it runs the Rollout's replicas, not the 0 an Argo
 * user leaves on it for Argo to scale down. Which Rollouts and AnalysisTemplates are Weir's to
 * interpret (never applied) is also said here. Pure.
 */
final class ArgoRolloutWorkloads {
  /** Argo Rollouts' API group. */
  static final String ARGO_GROUP = "argoproj.io";

  /** The Argo Rollouts kinds Weir interprets instead of applying. */
  static final Set<String> ARGO_ROLLOUT_KINDS =
      Set.of("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate");

  /** The Deployment fields a Rollout's spec carries over to the Deployment it makes or names. */
  private static final List<String> CARRIED = List.of("progressDeadlineSeconds", "minReadySeconds");

  private ArgoRolloutWorkloads() {}

  /** Whether {@code key} is console configuration (Weir's own kinds, Argo Rollouts' kinds). */
  static boolean isConfiguration(ResourceKey key) {
    return ApplicationReader.GROUP.equals(key.group())
        || (ARGO_GROUP.equals(key.group()) && ARGO_ROLLOUT_KINDS.contains(key.kind()));
  }

  /**
   * Adds to {@code resources} the Deployment of every Argo Rollout of {@code configuration} with
   * an inline template, and gives a {@code workloadRef}'s Deployment the Rollout's replicas.
   * Problems (a Deployment of the inline template's name already defined) go to {@code problems};
   * what is malformed is left for the Rollout's parser to name.
   */
  static void apply(
      List<Manifest> configuration,
      TreeMap<ResourceKey, Manifest> resources,
      List<RenderProblem> problems) {
    for (Manifest rollout : configuration) {
      if (!ARGO_GROUP.equals(rollout.key().group()) || !"Rollout".equals(rollout.kind())) {
        continue;
      }
      if (!(rollout.object().get("spec") instanceof Map<?, ?> spec)) {
        continue;
      }
      if (spec.get("template") instanceof Map<?, ?> template
          && spec.get("selector") instanceof Map<?, ?>
          && spec.get("workloadRef") == null) {
        ResourceKey key =
            new ResourceKey("apps", "Deployment", rollout.namespace(), rollout.name());
        Manifest defined = resources.get(key);
        if (defined != null) {
          problems.add(
              new RenderProblem(
                  rollout.source(),
                  Reason.DUPLICATE,
                  "Rollout "
                      + rollout.name()
                      + " has an inline template, whose Deployment "
                      + rollout.name()
                      + " Weir makes; the application also defines it at "
                      + defined.source()));
          continue;
        }
        resources.put(key, deployment(rollout, spec, template));
      } else if (spec.get("workloadRef") instanceof Map<?, ?> ref
          && ref.get("name") instanceof String name
          && (ref.get("kind") == null || "Deployment".equals(ref.get("kind")))) {
        ResourceKey key = new ResourceKey("apps", "Deployment", rollout.namespace(), name);
        Manifest referenced = resources.get(key);
        if (referenced != null) {
          resources.put(key, withRolloutFields(referenced, spec));
        }
      }
    }
  }

  private static Manifest deployment(Manifest rollout, Map<?, ?> spec, Map<?, ?> template) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", rollout.name());
    if (!rollout.namespace().isEmpty()) {
      metadata.put("namespace", rollout.namespace());
    }
    if (rollout.object().get("metadata") instanceof Map<?, ?> meta
        && meta.get("labels") instanceof Map<?, ?> labels) {
      metadata.put("labels", labels);
    }
    metadata.put("annotations", Map.of("rollouts.weir.dev/inline-template-of", rollout.name()));
    Map<String, Object> deploymentSpec = new LinkedHashMap<>();
    deploymentSpec.put("replicas", spec.get("replicas") == null ? 1 : spec.get("replicas"));
    if (spec.get("selector") != null) {
      deploymentSpec.put("selector", spec.get("selector"));
    }
    for (String field : CARRIED) {
      if (spec.get(field) != null) {
        deploymentSpec.put(field, spec.get(field));
      }
    }
    if (spec.get("revisionHistoryLimit") != null) {
      deploymentSpec.put("revisionHistoryLimit", spec.get("revisionHistoryLimit"));
    }
    rollingUpdate(spec).ifPresent(strategy -> deploymentSpec.put("strategy", strategy));
    deploymentSpec.put("template", template);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "apps/v1");
    object.put("kind", "Deployment");
    object.put("metadata", metadata);
    object.put("spec", deploymentSpec);
    return new Manifest(
        new ResourceKey("apps", "Deployment", rollout.namespace(), rollout.name()),
        "apps/v1",
        object,
        rollout.source());
  }

  /**
   * A basic canary's {@code maxSurge}/{@code maxUnavailable} as the Deployment's own rolling
   * update, so that promotion (the stable Deployment taking the new template) moves pods as the
   * Rollout says, as Argo's promotion does (decision 0033). The rollout's parser checks the values.
   */
  private static java.util.Optional<Map<String, Object>> rollingUpdate(Map<?, ?> spec) {
    if (!(spec.get("strategy") instanceof Map<?, ?> strategy)
        || !(strategy.get("canary") instanceof Map<?, ?> canary)
        || (canary.get("maxSurge") == null && canary.get("maxUnavailable") == null)) {
      return java.util.Optional.empty();
    }
    Map<String, Object> rolling = new LinkedHashMap<>();
    rolling.put("maxSurge", canary.get("maxSurge") == null ? "25%" : canary.get("maxSurge"));
    rolling.put(
        "maxUnavailable", canary.get("maxUnavailable") == null ? "25%" : canary.get("maxUnavailable"));
    return java.util.Optional.of(Map.of("type", "RollingUpdate", "rollingUpdate", rolling));
  }

  @SuppressWarnings("unchecked")
  private static Manifest withRolloutFields(Manifest deployment, Map<?, ?> rolloutSpec) {
    Map<String, Object> object = new LinkedHashMap<>(deployment.object());
    Map<String, Object> spec =
        new LinkedHashMap<>(
            object.get("spec") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of());
    // as Argo: the Rollout's replicas (default 1) run the workload, whatever the Deployment says
    spec.put("replicas", rolloutSpec.get("replicas") == null ? 1 : rolloutSpec.get("replicas"));
    for (String field : CARRIED) {
      if (rolloutSpec.get(field) != null) {
        spec.put(field, rolloutSpec.get(field));
      }
    }
    object.put("spec", spec);
    return new Manifest(deployment.key(), deployment.apiVersion(), object, deployment.source());
  }
}
