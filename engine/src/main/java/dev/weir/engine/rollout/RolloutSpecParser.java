package dev.weir.engine.rollout;

import dev.weir.engine.analysis.AnalysisSpecError;
import dev.weir.engine.analysis.AnalysisTemplateParser;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.MirrorRoute;
import dev.weir.engine.traffic.RouteMatch;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the Rollout documents of an application into {@link RolloutSpec}s, checked against the
 * application's own objects: the target Deployment and the services must be among its resources,
 * every analysis template among its AnalysisTemplates. Each problem names the document's {@code
 * file:line:column} and the field ({@code spec.strategy.canary.steps[2].setWeight}); all problems
 * of a document are listed. Pure and thread-safe.
 *
 * <p>Accepted fields (Argo Rollouts' names and meaning): {@code spec.targetRef.{kind, name}};
 * {@code spec.strategy.canary.{steps, trafficRouting, stableService, canaryService, analysis}} with
 * steps {@code setWeight}, {@code pause: {duration}}, {@code analysis: {templates, args}}, {@code
 * setCanaryScale: {replicas | weight | matchTrafficWeight}}, {@code setHeaderRoute: {name, match:
 * [{headerName, headerValue: {exact | prefix | regex}} | {cookieName, cookieValue}]}}, {@code
 * setMirrorRoute: {name, percentage, match: [{method, path, headers}]}} (Istio and Gateway API),
 * Weir's
 * {@code experiment: {name, segment: {match}, conversions: {successes, trials}, alpha, tau,
 * maxSamples, maxDuration, minSamples}} (an A/B experiment, docs/experiments.md) and routers
 * {@code gatewayAPI.httpRoute}, {@code istio.virtualService.{name, routes}}, {@code
 * istio.destinationRule.{name, canarySubsetName, stableSubsetName}}, {@code
 * smi.{trafficSplitName, rootService}}, {@code nginx.stableIngress}; {@code
 * spec.strategy.blueGreen.{activeService, previewService, autoPromotionEnabled,
 * autoPromotionSeconds, prePromotionAnalysis, postPromotionAnalysis, scaleDownDelaySeconds}}.
 * Durations are Go's form ({@code 2m}, {@code 1h30m}) or a number of seconds.
 */
public final class RolloutSpecParser {
  /** The defaults of an {@code experiment} step's statistics. */
  private static final class ExperimentSettingsDefaults {
    static final double ALPHA = dev.weir.engine.analysis.ExperimentSettings.DEFAULT_ALPHA;
    static final double TAU = dev.weir.engine.analysis.ExperimentSettings.DEFAULT_TAU;
    static final long MIN_SAMPLES = dev.weir.engine.analysis.ExperimentSettings.DEFAULT_MIN_SAMPLES;
  }

  /** Weir's own apiVersion. */
  public static final String API_VERSION = "weir.dev/v1alpha1";

  /**
   * Argo Rollouts' apiVersion: its Rollouts are read by the same parser, with Argo's fields (an
   * inline {@code template} or a {@code workloadRef} instead of {@code targetRef}, the Gateway API
   * plugin's syntax, SMI's default split name) and every Argo field Weir does not implement refused
   * by name (see {@link ArgoFields}).
   */
  public static final String ARGO_API_VERSION = "argoproj.io/v1alpha1";

  private static final Set<String> STEP_KINDS =
      Set.of(
          "setWeight",
          "pause",
          "analysis",
          "setCanaryScale",
          "setHeaderRoute",
          "setMirrorRoute",
          "experiment",
          "setFlag");
  private static final Set<String> CANARY_FIELDS =
      Set.of("steps", "trafficRouting", "stableService", "canaryService", "analysis");
  private static final Set<String> BLUE_GREEN_FIELDS =
      Set.of(
          "activeService",
          "previewService",
          "autoPromotionEnabled",
          "autoPromotionSeconds",
          "prePromotionAnalysis",
          "postPromotionAnalysis",
          "scaleDownDelaySeconds");
  private static final Set<String> ROUTERS = Set.of("gatewayAPI", "istio", "smi", "nginx");

  private RolloutSpecParser() {}

  /** The outcome for one Rollout document: a spec, or at least one error. */
  public sealed interface Result permits Result.Parsed, Result.Invalid {
    /** The rollout is valid. */
    record Parsed(RolloutSpec spec) implements Result {}

    /** The rollout has problems; all of them are listed. */
    record Invalid(List<RolloutSpecError> errors) implements Result {
      public Invalid {
        errors = List.copyOf(errors);
      }
    }
  }

  /**
   * Every Rollout and AnalysisTemplate of one application.
   *
   * @param rollouts the valid rollouts, in document order
   * @param templates the valid AnalysisTemplates by name
   * @param errors every problem of every Rollout and AnalysisTemplate, in document order
   */
  public record ApplicationRollouts(
      List<RolloutSpec> rollouts,
      Map<String, AnalysisTemplateSpec> templates,
      List<RolloutSpecError> errors) {
    public ApplicationRollouts {
      rollouts = List.copyOf(rollouts);
      templates = Map.copyOf(templates);
      errors = List.copyOf(errors);
    }

    /** The rollout whose target is {@code deployment}, if any. */
    public Optional<RolloutSpec> targeting(ResourceKey deployment) {
      return rollouts.stream().filter(r -> r.targetKey().equals(deployment)).findFirst();
    }
  }

  /** Reads every Rollout and AnalysisTemplate in {@code state.configuration()}. */
  public static ApplicationRollouts parseAll(DesiredState state) {
    Map<String, AnalysisTemplateSpec> templates = new LinkedHashMap<>();
    List<RolloutSpecError> errors = new ArrayList<>();
    for (Manifest manifest : state.configuration()) {
      if (AnalysisTemplateParser.KINDS.contains(manifest.kind())) {
        switch (AnalysisTemplateParser.parse(manifest)) {
          case AnalysisTemplateParser.Result.Parsed parsed ->
              templates.put(parsed.spec().name(), parsed.spec());
          case AnalysisTemplateParser.Result.Invalid invalid -> {
            for (AnalysisSpecError e : invalid.errors()) {
              errors.add(new RolloutSpecError(e.source(), e.field(), e.message()));
            }
          }
        }
      }
    }
    List<RolloutSpec> rollouts = new ArrayList<>();
    Map<ResourceKey, RolloutSpec> byTarget = new HashMap<>();
    for (Manifest manifest : state.configuration()) {
      if ("Rollout".equals(manifest.kind())) {
        switch (parse(manifest, state)) {
          case Result.Parsed parsed -> {
            RolloutSpec first = byTarget.putIfAbsent(parsed.spec().targetKey(), parsed.spec());
            if (first != null) {
              errors.add(
                  new RolloutSpecError(
                      manifest.source(),
                      ARGO_API_VERSION.equals(manifest.apiVersion())
                          ? "spec"
                          : "spec.targetRef.name",
                      "Deployment "
                          + parsed.spec().target()
                          + " is already the target of Rollout "
                          + first.name()
                          + " ("
                          + first.source()
                          + ")"));
            } else {
              rollouts.add(parsed.spec());
            }
          }
          case Result.Invalid invalid -> errors.addAll(invalid.errors());
        }
      }
    }
    return new ApplicationRollouts(rollouts, templates, errors);
  }

  /**
   * Parses {@code manifest}, a {@code weir.dev/v1alpha1} Rollout of the application rendered as
   * {@code state}.
   */
  public static Result parse(Manifest manifest, DesiredState state) {
    return new Reading(manifest, state).read();
  }

  /** Go-style duration ({@code 1m30s}) or a whole number of seconds; empty when malformed. */
  static Optional<Duration> duration(Object raw) {
    if (raw instanceof Integer || raw instanceof Long) {
      long seconds = ((Number) raw).longValue();
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }
    if (raw instanceof String text) {
      if (text.trim().matches("\\d+")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text.trim())));
      }
      return AnalysisTemplateParser.parseDuration(text);
    }
    return Optional.empty();
  }

  /** A label or annotation key: an optional DNS-subdomain prefix and a name of 63 at most. */
  private static final java.util.regex.Pattern METADATA_KEY =
      java.util.regex.Pattern.compile(
          "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
              + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private static final java.util.regex.Pattern LABEL_VALUE =
      java.util.regex.Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  private static final class Reading {
    private final Manifest manifest;
    private final DesiredState state;
    private final String namespace;
    private final Set<String> templateNames = new TreeSet<>();
    private final Set<String> clusterTemplateNames = new TreeSet<>();
    private final List<RolloutSpecError> errors = new ArrayList<>();
    private final boolean argo;
    private final Set<String> managedRoutes = new TreeSet<>();
    /** {@code managedRoutes} as listed: the routes' precedence (decision 0048). */
    private final List<String> managedRouteOrder = new ArrayList<>();
    /** The Deployment the Rollout drives, once read (null before, or when it could not be). */
    private String target;

    Reading(Manifest manifest, DesiredState state) {
      this.manifest = manifest;
      this.state = state;
      this.namespace =
          manifest.namespace().isEmpty() ? state.application().namespace() : manifest.namespace();
      this.argo = ARGO_API_VERSION.equals(manifest.apiVersion());
      for (Manifest m : state.configuration()) {
        if (AnalysisTemplateParser.KINDS.contains(m.kind())) {
          templateNames.add(m.name());
          if ("ClusterAnalysisTemplate".equals(m.kind())) {
            clusterTemplateNames.add(m.name());
          }
        }
      }
    }

    Result read() {
      if (!"Rollout".equals(manifest.kind())) {
        error("kind", "expected Rollout, got " + manifest.kind());
      }
      if (!API_VERSION.equals(manifest.apiVersion()) && !argo) {
        error(
            "apiVersion",
            "expected "
                + API_VERSION
                + " or "
                + ARGO_API_VERSION
                + ", got "
                + manifest.apiVersion());
      }
      Map<String, Object> spec = map(manifest.object().get("spec"), "spec", true);
      if (spec == null) {
        return new Result.Invalid(errors);
      }
      if (argo) {
        fields(spec, ArgoFields.SPEC, ArgoFields.SPEC_REFUSED, "spec");
      }
      String target = argo ? argoTarget(spec) : target(spec.get("targetRef"));
      this.target = target;
      boolean paused = false;
      Object rawPaused = spec.get("paused");
      if (rawPaused instanceof Boolean b) {
        paused = b;
      } else if (rawPaused != null) {
        error("spec.paused", "must be true or false, got " + describe(rawPaused));
      }
      Map<String, Object> strategy = map(spec.get("strategy"), "spec.strategy", true);
      RolloutStrategy parsed = null;
      if (strategy != null) {
        Object canary = strategy.get("canary");
        Object blueGreen = strategy.get("blueGreen");
        fields(strategy, Set.of("canary", "blueGreen"), Set.of(), "spec.strategy");
        if (canary != null && blueGreen != null) {
          error("spec.strategy", "give either canary or blueGreen, not both");
        } else if (canary != null) {
          parsed = canary(map(canary, "spec.strategy.canary", true));
        } else if (blueGreen != null) {
          parsed = blueGreen(map(blueGreen, "spec.strategy.blueGreen", true));
        } else {
          error("spec.strategy", "missing: give canary or blueGreen");
        }
      }
      Object abort = spec.getOrDefault("progressDeadlineAbort", false);
      if (!(abort instanceof Boolean)) {
        error("spec.progressDeadlineAbort", "must be true or false, got " + abort);
      }
      if (paused && parsed instanceof BlueGreenStrategy) {
        error("spec.paused", "blueGreen.paused is not supported by Weir (a canary's is)");
      }
      if (!errors.isEmpty() || parsed == null || target == null) {
        return new Result.Invalid(errors);
      }
      return new Result.Parsed(
          new RolloutSpec(
              state.application().name(),
              manifest.name(),
              namespace,
              target,
              parsed,
              manifest.source(),
              (Boolean) abort,
              paused));
    }

    /**
     * The Deployment an Argo Rollout runs: the one Weir makes of its inline {@code template}
     * (named as the Rollout, see decision 0026), or the one its {@code workloadRef} names.
     */
    private String argoTarget(Map<String, Object> spec) {
      Object template = spec.get("template");
      Object workloadRef = spec.get("workloadRef");
      Object replicas = spec.get("replicas");
      if (replicas != null && !(replicas instanceof Integer n && n >= 0)) {
        error("spec.replicas", "must be a whole number, 0 or more, got " + describe(replicas));
      }
      Object deadline = spec.get("progressDeadlineSeconds");
      if (deadline != null && !(deadline instanceof Integer n && n > 0)) {
        error(
            "spec.progressDeadlineSeconds",
            "must be a whole number of seconds, more than 0, got " + describe(deadline));
      }
      if (template != null && workloadRef != null) {
        error("spec.workloadRef", "give template or workloadRef, not both");
        return null;
      }
      if (template == null && workloadRef == null) {
        error("spec", "missing: give template (with replicas and selector) or workloadRef");
        return null;
      }
      if (template != null) {
        if (map(template, "spec.template", true) == null) {
          return null;
        }
        Map<String, Object> selector = map(spec.get("selector"), "spec.selector", true);
        if (selector == null) {
          return null;
        }
        return has("apps", "Deployment", manifest.name()) ? manifest.name() : null;
      }
      if (spec.get("selector") != null) {
        // as Argo: the selector of a workloadRef Rollout is the referenced Deployment's
        error("spec.selector", "has no effect with workloadRef: the Deployment's selector is used");
      }
      Map<String, Object> ref = map(workloadRef, "spec.workloadRef", true);
      if (ref == null) {
        return null;
      }
      fields(ref, Set.of("apiVersion", "kind", "name", "scaleDown"), Set.of(), "spec.workloadRef");
      Object scaleDown = ref.get("scaleDown");
      if (scaleDown != null && !Set.of("never", "onsuccess", "progressively").contains(scaleDown)) {
        error(
            "spec.workloadRef.scaleDown",
            "must be never, onsuccess or progressively, got " + describe(scaleDown));
      }
      Object kind = ref.get("kind");
      if (kind != null && !"Deployment".equals(kind)) {
        error(
            "spec.workloadRef.kind",
            "workloadRef.kind " + kind + " is not supported by Weir (a Deployment is)");
        return null;
      }
      Object apiVersion = ref.get("apiVersion");
      if (apiVersion != null && !"apps/v1".equals(apiVersion)) {
        error("spec.workloadRef.apiVersion", "must be apps/v1, got " + describe(apiVersion));
      }
      String name = string(ref, "name", "spec.workloadRef.name", true);
      if (name == null) {
        return null;
      }
      if (!has("apps", "Deployment", name)) {
        error(
            "spec.workloadRef.name",
            "no Deployment "
                + name
                + (namespace.isEmpty() ? "" : " in namespace " + namespace)
                + " among the application's objects"
                + known("Deployment"));
        return null;
      }
      return name;
    }

    private String target(Object raw) {
      Map<String, Object> ref = map(raw, "spec.targetRef", true);
      if (ref == null) {
        return null;
      }
      Object kind = ref.get("kind");
      if (kind != null && !"Deployment".equals(kind)) {
        error("spec.targetRef.kind", "only Deployment can be rolled out, got " + kind);
        return null;
      }
      String name = string(ref, "name", "spec.targetRef.name", true);
      if (name == null) {
        return null;
      }
      ResourceKey key = new ResourceKey("apps", "Deployment", namespace, name);
      if (!state.resources().containsKey(key)) {
        error(
            "spec.targetRef.name",
            "no Deployment "
                + name
                + (namespace.isEmpty() ? "" : " in namespace " + namespace)
                + " among the application's objects"
                + known("Deployment"));
        return null;
      }
      return name;
    }

    private CanaryStrategy canary(Map<String, Object> canary) {
      if (canary == null) {
        return null;
      }
      String at = "spec.strategy.canary";
      if (argo) {
        fields(canary, ArgoFields.CANARY, ArgoFields.CANARY_REFUSED, at);
      } else {
        unknownFields(canary, CANARY_FIELDS, at);
      }
      TrafficRoutingSpec routing = routing(canary.get("trafficRouting"), at + ".trafficRouting");
      boolean routed = !(routing instanceof TrafficRoutingSpec.ReplicaRatio);
      // subset-level Istio splitting tells the sides apart by subset: the Services are optional
      boolean servicesNeeded =
          routed
              && !(canary.get("trafficRouting") instanceof Map<?, ?> given
                  && given.get("istio") instanceof Map<?, ?> istio
                  && istio.get("destinationRule") != null);
      Optional<String> stable = service(canary, "stableService", at, servicesNeeded);
      Optional<String> canaryService = service(canary, "canaryService", at, servicesNeeded);
      if (stable.isPresent() && stable.equals(canaryService)) {
        error(at + ".canaryService", "must differ from stableService (" + stable.get() + ")");
      }
      Object rawBackground = canary.get("analysis");
      int startingStep = 0;
      if (rawBackground instanceof Map<?, ?> backgroundMap
          && backgroundMap.containsKey("startingStep")) {
        Map<String, Object> copy = new LinkedHashMap<>();
        backgroundMap.forEach((k, v) -> copy.put(String.valueOf(k), v));
        Object rawStart = copy.remove("startingStep");
        if (rawStart instanceof Integer n && n >= 0) {
          startingStep = n;
        } else {
          error(at + ".analysis.startingStep", "must be a step index, 0 or more, got " + rawStart);
        }
        rawBackground = copy;
      }
      Optional<AnalysisRef> background = analysis(rawBackground, at + ".analysis");
      List<CanaryStep> steps = new ArrayList<>();
      Object rawSteps = canary.get("steps");
      if (rawSteps != null && !(rawSteps instanceof List<?>)) {
        error(at + ".steps", "must be a list of steps");
      } else if (rawSteps instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          CanaryStep step = step(list.get(i), at + ".steps[" + i + "]", routing);
          if (step != null) {
            steps.add(step);
          }
        }
      }
      if (startingStep > 0 && startingStep >= steps.size()) {
        error(
            at + ".analysis.startingStep",
            "is "
                + startingStep
                + " but the canary has "
                + steps.size()
                + (steps.size() == 1 ? " step" : " steps")
                + " (numbered from 0)");
      }
      CanaryPods pods = argo ? argoPods(canary, at, routed) : CanaryPods.WEIR;
      if (routing == null) {
        return null;
      }
      return new CanaryStrategy(
          steps,
          routing,
          stable,
          canaryService,
          background,
          startingStep,
          pods,
          List.copyOf(managedRouteOrder));
    }

    /**
     * Argo's canary fields about pods (decision 0033), with Argo's defaults: the delays are 30s with
     * a router and do not apply without one (Argo refuses them there, as Weir does).
     */
    private CanaryPods argoPods(Map<String, Object> canary, String at, boolean routed) {
      for (String routerOnly :
          List.of("scaleDownDelaySeconds", "abortScaleDownDelaySeconds", "minPodsPerReplicaSet")) {
        if (canary.containsKey(routerOnly) && !routed) {
          error(
              at + "." + routerOnly,
              "canary."
                  + routerOnly
                  + " needs trafficRouting (as in Argo Rollouts): without a router the canary's"
                  + " share is its share of the replicas");
        }
      }
      CanaryPods.PodMetadata canaryMetadata =
          podMetadata(canary.get("canaryMetadata"), at + ".canaryMetadata");
      CanaryPods.PodMetadata stableMetadata =
          podMetadata(canary.get("stableMetadata"), at + ".stableMetadata");
      Duration fallback = routed ? CanaryPods.ARGO_SCALE_DOWN_DELAY : Duration.ZERO;
      Duration delay = seconds(canary, "scaleDownDelaySeconds", at).orElse(fallback);
      Optional<Duration> abortDelay = Optional.of(fallback);
      Optional<Duration> rawAbort = seconds(canary, "abortScaleDownDelaySeconds", at);
      if (rawAbort.isPresent()) {
        abortDelay = rawAbort.get().isZero() ? Optional.empty() : rawAbort;
      }
      int minPods = 1;
      Object rawMin = canary.get("minPodsPerReplicaSet");
      if (rawMin instanceof Integer n && n >= 1) {
        minPods = n;
      } else if (rawMin != null) {
        error(at + ".minPodsPerReplicaSet", "must be a whole number, 1 or more, got " + describe(rawMin));
      }
      Optional<CanaryPods.Surge> surge = Optional.empty();
      if (canary.containsKey("maxSurge") || canary.containsKey("maxUnavailable")) {
        String maxSurge = intOrPercent(canary, "maxSurge", at);
        String maxUnavailable = intOrPercent(canary, "maxUnavailable", at);
        if (maxSurge != null && maxUnavailable != null) {
          if (maxSurge.matches("0%?") && maxUnavailable.matches("0%?")) {
            error(at + ".maxUnavailable", "maxSurge and maxUnavailable cannot both be 0");
          } else {
            surge = Optional.of(new CanaryPods.Surge(maxSurge, maxUnavailable));
          }
        }
      }
      boolean dynamic = false;
      Object rawDynamic = canary.get("dynamicStableScale");
      if (rawDynamic instanceof Boolean b) {
        dynamic = b;
      } else if (rawDynamic != null) {
        error(at + ".dynamicStableScale", "must be true or false, got " + describe(rawDynamic));
      }
      if (dynamic && !routed) {
        // Argo's validation: "Canary dynamicStableScale can only be used with traffic routing"
        error(
            at + ".dynamicStableScale",
            "canary.dynamicStableScale needs trafficRouting (as in Argo Rollouts): without a router"
                + " the stable pods are already the stable share");
      } else if (dynamic && canary.containsKey("scaleDownDelaySeconds")) {
        // Argo's validation: "Canary dynamicStableScale cannot be used with scaleDownDelaySeconds"
        error(
            at + ".dynamicStableScale",
            "canary.dynamicStableScale cannot be used with scaleDownDelaySeconds (as in Argo"
                + " Rollouts)");
      }
      Optional<CanaryPods.AntiAffinity> antiAffinity =
          antiAffinity(canary.get("antiAffinity"), at + ".antiAffinity");
      return new CanaryPods(
          canaryMetadata, stableMetadata, delay, abortDelay, minPods, surge, dynamic, antiAffinity);
    }

    /**
     * {@code antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}} or {@code
     * {preferredDuringSchedulingIgnoredDuringExecution: {weight: 1..100}}}, checked as Argo's
     * validation does (exactly one; a weight of 1 to 100).
     */
    private Optional<CanaryPods.AntiAffinity> antiAffinity(Object raw, String field) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> body = map(raw, field, true);
      if (body == null) {
        return Optional.empty();
      }
      String required = "requiredDuringSchedulingIgnoredDuringExecution";
      String preferred = "preferredDuringSchedulingIgnoredDuringExecution";
      fields(body, Set.of(required, preferred), Set.of(), field);
      if (body.get(required) != null == (body.get(preferred) != null)) {
        error(
            field,
            "give exactly one of " + required + " or " + preferred + " (as in Argo Rollouts)");
        return Optional.empty();
      }
      if (body.get(required) != null) {
        Map<String, Object> rule = map(body.get(required), field + "." + required, true);
        if (rule != null) {
          fields(rule, Set.of(), Set.of(), field + "." + required);
        }
        return Optional.of(new CanaryPods.AntiAffinity(OptionalInt.empty()));
      }
      Map<String, Object> preference = map(body.get(preferred), field + "." + preferred, true);
      if (preference == null) {
        return Optional.empty();
      }
      fields(preference, Set.of("weight"), Set.of(), field + "." + preferred);
      Object weight = preference.get("weight");
      if (!(weight instanceof Integer n) || n < 1 || n > 100) {
        error(
            field + "." + preferred + ".weight",
            "must be a whole number within 1..100, got " + describe(weight));
        return Optional.empty();
      }
      return Optional.of(new CanaryPods.AntiAffinity(OptionalInt.of(n)));
    }

    /** A count or a percentage ({@code 1}, {@code "25%"}); Argo's 25% when absent. */
    private String intOrPercent(Map<String, Object> body, String key, String at) {
      Object raw = body.get(key);
      if (raw == null) {
        return CanaryPods.Surge.DEFAULT;
      }
      String text = String.valueOf(raw);
      if ((raw instanceof Integer || raw instanceof String) && CanaryPods.Surge.valid(text)) {
        return text;
      }
      error(at + "." + key, "must be a count or a percentage (2, \"25%\"), got " + describe(raw));
      return null;
    }

    /** {@code canaryMetadata}/{@code stableMetadata}: {@code labels} and {@code annotations}. */
    private CanaryPods.PodMetadata podMetadata(Object raw, String field) {
      Map<String, Object> body = map(raw, field, false);
      if (body == null) {
        return CanaryPods.PodMetadata.NONE;
      }
      unknownFields(body, Set.of("labels", "annotations"), field);
      return new CanaryPods.PodMetadata(
          strings(body.get("labels"), field + ".labels", true),
          strings(body.get("annotations"), field + ".annotations", false));
    }

    private Map<String, String> strings(Object raw, String field, boolean labels) {
      Map<String, Object> body = map(raw, field, false);
      if (body == null) {
        return Map.of();
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (var entry : body.entrySet()) {
        Object value = entry.getValue();
        if (value instanceof Map<?, ?> || value instanceof List<?> || value == null) {
          error(field + "." + entry.getKey(), "must be a string, got " + describe(value));
          continue;
        }
        if (labels && entry.getKey().equals(RolloutExecutor.HASH_LABEL)) {
          error(field + "." + entry.getKey(), "is Weir's own label: it tells the two sides apart");
          continue;
        }
        out.put(entry.getKey(), String.valueOf(value));
      }
      return out;
    }

    private CanaryStep step(Object raw, String at, TrafficRoutingSpec routing) {
      Map<String, Object> step = map(raw, at, true);
      if (step == null) {
        return null;
      }
      if (argo && step.size() == 1) {
        String only = step.keySet().iterator().next();
        // Argo's experiment step (templates run as workloads, judged by analyses) is read as
        // Argo's; Weir's A/B experiment step is read only under Weir's own apiVersion
        if (ArgoFields.STEPS_REFUSED.contains(only)) {
          error(at + "." + only, "steps." + only + " is not supported by Weir");
          return null;
        }
      }
      if (step.size() != 1 || !STEP_KINDS.contains(step.keySet().iterator().next())) {
        List<String> unknown = step.keySet().stream().filter(k -> !STEP_KINDS.contains(k)).toList();
        error(
            at,
            (unknown.isEmpty()
                    ? "a step has exactly one kind, got " + String.join(", ", step.keySet())
                    : "unknown step " + String.join(", ", unknown))
                + "; steps are "
                + String.join(", ", new TreeSet<>(STEP_KINDS)));
        return null;
      }
      String kind = step.keySet().iterator().next();
      Object body = step.get(kind);
      String field = at + "." + kind;
      if (argo && kind.equals("setFlag")) {
        error(field, "setFlag is Weir's own step: write the Rollout with apiVersion " + API_VERSION);
        return null;
      }
      return switch (kind) {
        case "setWeight" -> {
          Integer weight = percent(body, field);
          yield weight == null ? null : new CanaryStep.SetWeight(weight);
        }
        case "pause" -> pause(body, field);
        case "analysis" -> analysis(body, field).map(CanaryStep.Analysis::new).orElse(null);
        case "setCanaryScale" -> {
          CanaryStep scale = canaryScale(body, field);
          if (scale != null && routing instanceof TrafficRoutingSpec.ReplicaRatio) {
            // as Argo Rollouts: without a router the canary's share of traffic is its share of the
            // pods, so sizing it apart from the weight would move traffic behind the steps' back
            error(
                field,
                "needs trafficRouting (gatewayAPI, istio, smi or nginx): without a router the"
                    + " canary's replicas are its traffic weight");
            yield null;
          }
          yield scale;
        }
        case "experiment" -> argo ? argoExperiment(body, field) : experiment(body, field, routing);
        case "setFlag" -> setFlag(body, field);
        case "setMirrorRoute" -> mirrorRoute(body, field, routing);
        default -> headerRoute(body, field, routing);
      };
    }

    /**
     * {@code setFlag: {flag: NAME, variant: V}} or {@code setFlag: {flag: NAME, fraction: {V1: P1,
     * V2: P2}}} (whole percentages summing to 100). Whether the flag and its variants exist is
     * checked against the flag file when the step runs (the file may change meanwhile).
     */
    /**
     * An experiment's segment chosen by a feature flag: {@code {flag: NAME, a: VARIANT, b:
     * VARIANT, percent: N}} — N% of the users get the flag's variant b, the rest a.
     */
    private ExperimentSegment.Flag flagSegment(Map<String, Object> segment, String field) {
      unknownFields(segment, Set.of("flag", "a", "b", "percent"), field);
      int before = errors.size();
      String flag = string(segment, "flag", field + ".flag", true);
      String[] variants = new String[2];
      for (int i = 0; i < 2; i++) {
        String key = i == 0 ? "a" : "b";
        if (segment.get(key) instanceof Boolean) {
          error(field + "." + key, YAML_BOOLEAN);
        } else {
          variants[i] = string(segment, key, field + "." + key, true);
        }
      }
      Integer percent =
          segment.containsKey("percent") ? percent(segment.get("percent"), field + ".percent") : null;
      if (!segment.containsKey("percent")) {
        error(field + ".percent", "missing; the share of users who get variant b, e.g. 20");
      }
      if (errors.size() == before && variants[0].equals(variants[1])) {
        error(field + ".b", "must differ from a (" + variants[0] + ")");
      }
      if (errors.size() != before || flag == null || percent == null) {
        return null;
      }
      return new ExperimentSegment.Flag(flag, variants[0], variants[1], percent);
    }

    /**
     * Argo Rollouts' {@code experiment} step (features/experiment.md): {@code {duration, templates:
     * [{name, specRef: stable|canary, replicas, metadata, selector}], analyses: [{name,
     * templateName, clusterScope, args, requiredForCompletion}]}}. A template's {@code weight} and
     * {@code service}, and the step's {@code dryRun} and {@code analysisRunMetadata}, are refused by
     * name (decision 0045).
     */
    private CanaryStep argoExperiment(Object body, String field) {
      Map<String, Object> step = map(body, field, true);
      if (step == null) {
        return null;
      }
      int before = errors.size();
      fields(
          step,
          Set.of("duration", "templates", "analyses"),
          Set.of("dryRun", "analysisRunMetadata"),
          field);
      Optional<Duration> duration = Optional.empty();
      if (step.get("duration") != null) {
        duration = duration(step.get("duration"));
        if (duration.isEmpty()) {
          error(
              field + ".duration",
              "must be a duration (30s, 20m, 1h) or a whole number of seconds, got "
                  + describe(step.get("duration")));
        }
      }
      List<TemplateExperiment.Template> templates = new ArrayList<>();
      Set<String> names = new TreeSet<>();
      Set<String> written = new TreeSet<>(); // every name given, for the analyses' arguments
      if (step.get("templates") instanceof List<?> given) {
        for (Object t : given) {
          if (t instanceof Map<?, ?> m && m.get("name") instanceof String n) {
            written.add(n);
          }
        }
      }
      if (!(step.get("templates") instanceof List<?> list) || list.isEmpty()) {
        error(field + ".templates", "must be a non-empty list of {name, specRef: stable|canary}");
      } else {
        for (int i = 0; i < list.size(); i++) {
          TemplateExperiment.Template t =
              experimentTemplate(list.get(i), field + ".templates[" + i + "]");
          if (t != null && !names.add(t.name())) {
            error(field + ".templates[" + i + "].name", "another template is called " + t.name());
          } else if (t != null) {
            templates.add(t);
          }
        }
      }
      List<TemplateExperiment.Analysis> analyses = new ArrayList<>();
      Object rawAnalyses = step.get("analyses");
      if (rawAnalyses != null && !(rawAnalyses instanceof List<?>)) {
        error(field + ".analyses", "must be a list of {name, templateName, args}");
      } else if (rawAnalyses instanceof List<?> list) {
        Set<String> analysisNames = new TreeSet<>();
        for (int i = 0; i < list.size(); i++) {
          String at = field + ".analyses[" + i + "]";
          TemplateExperiment.Analysis a = experimentAnalysis(list.get(i), at, written);
          if (a != null && !analysisNames.add(a.name())) {
            error(at + ".name", "another analysis is called " + a.name());
          } else if (a != null) {
            analyses.add(a);
          }
        }
      }
      if (errors.size() != before || templates.isEmpty()) {
        return null;
      }
      return new CanaryStep.ArgoExperiment(new TemplateExperiment(duration, templates, analyses));
    }

    private TemplateExperiment.Template experimentTemplate(Object raw, String at) {
      Map<String, Object> body = map(raw, at, true);
      if (body == null) {
        return null;
      }
      int before = errors.size();
      if (body.containsKey("weight")) {
        error(
            at + ".weight",
            "templates.weight is not supported by Weir: its routers (Gateway API, Istio, SMI,"
                + " NGINX) split traffic between the stable and canary Services only, so an"
                + " experiment's pods take no traffic from the router; leave weight out");
      }
      if (body.containsKey("service")) {
        error(
            at + ".service",
            "templates.service is not supported by Weir: it makes no Service for an experiment's"
                + " pods (analysis selects them by their pod-template hash)");
      }
      Map<String, Object> rest = new LinkedHashMap<>(body);
      rest.remove("weight");
      rest.remove("service");
      fields(rest, Set.of("name", "specRef", "replicas", "metadata", "selector"), Set.of(), at);
      String name = string(body, "name", at + ".name", true);
      if (name != null && !name.matches("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?")) {
        error(
            at + ".name",
            "must be lower-case letters, digits and '-' (at most 40), as it names a Deployment;"
                + " got \"" + name + "\"");
      }
      TemplateExperiment.SpecRef ref = null;
      Object rawRef = body.get("specRef");
      if (rawRef == null) {
        error(at + ".specRef", "missing: stable or canary");
      } else if ("stable".equals(rawRef)) {
        ref = TemplateExperiment.SpecRef.STABLE;
      } else if ("canary".equals(rawRef)) {
        ref = TemplateExperiment.SpecRef.CANARY;
      } else {
        error(at + ".specRef", "must be stable or canary, got " + describe(rawRef));
      }
      int replicas = 1;
      Object rawReplicas = body.get("replicas");
      if (rawReplicas instanceof Integer n && n >= 0) {
        replicas = n;
      } else if (rawReplicas != null) {
        error(at + ".replicas", "must be a whole number, 0 or more, got " + describe(rawReplicas));
      }
      CanaryPods.PodMetadata metadata = podMetadata(body.get("metadata"), at + ".metadata");
      Map<String, String> selector = Map.of();
      if (body.get("selector") != null) {
        Map<String, Object> sel = map(body.get("selector"), at + ".selector", true);
        if (sel != null) {
          fields(sel, Set.of("matchLabels"), Set.of("matchExpressions"), at + ".selector");
          selector = strings(sel.get("matchLabels"), at + ".selector.matchLabels", true);
          Map<String, String> podLabels = new LinkedHashMap<>(targetPodLabels());
          podLabels.putAll(metadata.labels());
          for (var entry : selector.entrySet()) {
            if (!entry.getValue().equals(podLabels.get(entry.getKey()))) {
              error(
                  at + ".selector.matchLabels." + entry.getKey(),
                  "the pods would not carry "
                      + entry.getKey()
                      + "="
                      + entry.getValue()
                      + ": add it to metadata.labels");
            }
          }
          if (selector.isEmpty() && errors.size() == before) {
            error(at + ".selector.matchLabels", "must name at least one label");
          }
        }
      }
      if (errors.size() != before || name == null || ref == null) {
        return null;
      }
      return new TemplateExperiment.Template(
          name, ref, replicas, metadata.labels(), metadata.annotations(), selector);
    }

    /** The pod labels of the Deployment the Rollout drives, as in Git. */
    @SuppressWarnings("unchecked")
    private Map<String, String> targetPodLabels() {
      if (target == null) {
        return Map.of();
      }
      Manifest deployment =
          state.resources().get(new ResourceKey("apps", "Deployment", namespace, target));
      if (deployment == null
          || !(deployment.object().get("spec") instanceof Map<?, ?> spec)
          || !(spec.get("template") instanceof Map<?, ?> template)
          || !(template.get("metadata") instanceof Map<?, ?> metadata)
          || !(metadata.get("labels") instanceof Map<?, ?> labels)) {
        return Map.of();
      }
      Map<String, String> out = new LinkedHashMap<>();
      labels.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
      return out;
    }

    private TemplateExperiment.Analysis experimentAnalysis(
        Object raw, String at, Set<String> templateNamesOfStep) {
      Map<String, Object> body = map(raw, at, true);
      if (body == null) {
        return null;
      }
      int before = errors.size();
      fields(
          body,
          Set.of("name", "templateName", "clusterScope", "args", "requiredForCompletion"),
          Set.of(),
          at);
      String name = string(body, "name", at + ".name", true);
      String templateName = string(body, "templateName", at + ".templateName", true);
      Object scope = body.get("clusterScope");
      if (scope != null && !(scope instanceof Boolean)) {
        error(at + ".clusterScope", "must be true or false, got " + describe(scope));
      }
      boolean clusterScope = Boolean.TRUE.equals(scope);
      Object required = body.get("requiredForCompletion");
      if (required != null && !(required instanceof Boolean)) {
        error(at + ".requiredForCompletion", "must be true or false, got " + describe(required));
      }
      if (templateName != null && clusterScope != clusterTemplateNames.contains(templateName)) {
        error(
            at + ".templateName",
            clusterScope
                ? "no ClusterAnalysisTemplate " + templateName + " in the application"
                : templateName + " is a ClusterAnalysisTemplate: give clusterScope: true");
      } else if (templateName != null && !templateNames.contains(templateName)) {
        error(
            at + ".templateName",
            "no AnalysisTemplate "
                + templateName
                + " in the application"
                + (templateNames.isEmpty() ? "" : "; known: " + String.join(", ", templateNames)));
      }
      if (body.get("args") instanceof List<?> args) {
        for (int i = 0; i < args.size(); i++) {
          if (args.get(i) instanceof Map<?, ?> arg && arg.get("value") instanceof String value) {
            for (String referenced : TemplateExperiment.referencedTemplates(value)) {
              if (!templateNamesOfStep.contains(referenced)) {
                error(
                    at + ".args[" + i + "].value",
                    "{{templates."
                        + referenced
                        + ".podTemplateHash}} names no template of this experiment"
                        + (templateNamesOfStep.isEmpty()
                            ? ""
                            : "; its templates: " + String.join(", ", templateNamesOfStep)));
              }
            }
          }
        }
      }
      if (errors.size() != before) {
        return null;
      }
      // the arguments are read as any analysis reference's (value, valueFrom), at their own place
      Map<String, Object> asReference = new LinkedHashMap<>();
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("templateName", templateName);
      if (clusterScope) {
        ref.put("clusterScope", true);
      }
      asReference.put("templates", List.of(ref));
      if (body.get("args") != null) {
        asReference.put("args", body.get("args"));
      }
      Optional<AnalysisRef> parsed = analysis(asReference, at);
      if (parsed.isEmpty() || errors.size() != before) {
        return null;
      }
      return new TemplateExperiment.Analysis(
          name, parsed.get(), Boolean.TRUE.equals(required));
    }

    /** YAML 1.1 (kubectl's) reads on, off, yes, no, true and false unquoted as booleans. */
    private static final String YAML_BOOLEAN =
        "a YAML boolean (on, off, yes, no, true and false unquoted read so): quote the variant's"
            + " name, e.g. \"on\"";

    private CanaryStep setFlag(Object body, String field) {
      Map<String, Object> set = map(body, field, true);
      if (set == null) {
        return null;
      }
      unknownFields(set, Set.of("flag", "variant", "fraction"), field);
      int before = errors.size();
      String flag = string(set, "flag", field + ".flag", true);
      boolean variant = set.containsKey("variant");
      boolean fraction = set.containsKey("fraction");
      if (variant == fraction) {
        error(field, "give exactly one of variant (the flag's new default) or fraction (its split)");
        return null;
      }
      dev.weir.engine.model.FlagChange change = null;
      if (variant) {
        String name = string(set, "variant", field + ".variant", true);
        if (set.get("variant") instanceof Boolean) {
          error(field + ".variant", YAML_BOOLEAN);
        } else if (name != null) {
          change = new dev.weir.engine.model.FlagChange.SetDefault(name);
        }
      } else {
        Map<String, Object> shares = map(set.get("fraction"), field + ".fraction", true);
        if (shares != null) {
          Map<String, Integer> percents = new java.util.LinkedHashMap<>();
          for (var e : ((Map<?, ?>) shares).entrySet()) {
            Object key = e.getKey();
            // YAML (1.1, as kubectl) reads an unquoted on/off/yes/no key as a boolean, which
            // arrives here as "true"/"false": never what a person meant by a variant name
            if (key instanceof Boolean || "true".equals(key) || "false".equals(key)) {
              error(field + ".fraction." + key, YAML_BOOLEAN);
              continue;
            }
            Integer percent = percent(e.getValue(), field + ".fraction." + key);
            if (percent != null) {
              percents.put(String.valueOf(key), percent);
            }
          }
          int sum = percents.values().stream().mapToInt(Integer::intValue).sum();
          if (shares.isEmpty()) {
            error(field + ".fraction", "names no variant; e.g. {\"on\": 20, \"off\": 80}");
          } else if (errors.size() == before && sum != 100) {
            error(field + ".fraction", "the percentages must sum to 100, not " + sum);
          } else if (errors.size() == before) {
            change = new dev.weir.engine.model.FlagChange.SetFractions(percents);
          }
        }
      }
      if (flag == null || change == null || errors.size() != before) {
        return null;
      }
      return new CanaryStep.SetFlag(flag, change);
    }

    /**
     * {@code experiment: {name, segment: {match: […]}, conversions: {successes, trials,
     * prometheus: {address}}, alpha, tau, maxSamples, maxDuration, minSamples}}; the matches as
     * {@code setHeaderRoute}'s.
     */
    private CanaryStep experiment(Object body, String field, TrafficRoutingSpec routing) {
      Map<String, Object> experiment = map(body, field, true);
      if (experiment == null) {
        return null;
      }
      unknownFields(
          experiment,
          Set.of(
              "name", "segment", "conversions", "alpha", "tau", "maxSamples", "maxDuration",
              "minSamples"),
          field);
      int before = errors.size();
      String name = string(experiment, "name", field + ".name", true);
      Map<String, Object> segment = map(experiment.get("segment"), field + ".segment", true);
      CanaryStep route = null;
      ExperimentSegment.Flag byFlag = null;
      if (segment != null && segment.containsKey("flag")) {
        byFlag = flagSegment(segment, field + ".segment");
      } else if (segment != null) {
        unknownFields(segment, Set.of("match"), field + ".segment");
        Map<String, Object> asRoute = new java.util.LinkedHashMap<>();
        asRoute.put("name", name == null ? "experiment" : name);
        asRoute.put("match", segment.get("match"));
        route = headerRoute(asRoute, field + ".segment", routing);
      }
      Map<String, Object> conversions =
          map(experiment.get("conversions"), field + ".conversions", true);
      String successes = null;
      String trials = null;
      Optional<String> address = Optional.empty();
      if (conversions != null) {
        unknownFields(
            conversions, Set.of("successes", "trials", "prometheus"), field + ".conversions");
        successes = string(conversions, "successes", field + ".conversions.successes", true);
        trials = string(conversions, "trials", field + ".conversions.trials", true);
        Map<String, Object> prometheus =
            map(conversions.get("prometheus"), field + ".conversions.prometheus", false);
        if (prometheus != null) {
          unknownFields(prometheus, Set.of("address"), field + ".conversions.prometheus");
          address =
              Optional.ofNullable(
                  string(
                      prometheus, "address", field + ".conversions.prometheus.address", true));
        }
      }
      double alpha =
          fraction(experiment.get("alpha"), field + ".alpha", ExperimentSettingsDefaults.ALPHA);
      double tau = fraction(experiment.get("tau"), field + ".tau", ExperimentSettingsDefaults.TAU);
      long maxSamples = count(experiment.get("maxSamples"), field + ".maxSamples", -1, true);
      long minSamples =
          count(
              experiment.get("minSamples"),
              field + ".minSamples",
              ExperimentSettingsDefaults.MIN_SAMPLES,
              false);
      Optional<Duration> maxDuration = Optional.empty();
      if (experiment.get("maxDuration") != null) {
        maxDuration = duration(experiment.get("maxDuration"));
        if (maxDuration.isEmpty()) {
          error(
              field + ".maxDuration",
              "not a duration: \"" + experiment.get("maxDuration") + "\" (write 30m, 2h, 1h30m)");
        }
      }
      if (errors.size() > before || (route == null && byFlag == null)) {
        return null;
      }
      ExperimentSegment chosen =
          byFlag != null
              ? byFlag
              : new ExperimentSegment.Route(((CanaryStep.SetHeaderRoute) route).route());
      return new CanaryStep.Experiment(
          new ExperimentSpec(
              name,
              chosen,
              successes,
              trials,
              address,
              new dev.weir.engine.analysis.ExperimentSettings(
                  alpha, tau, maxSamples, maxDuration, minSamples)));
    }

    private double fraction(Object raw, String field, double fallback) {
      if (raw == null) {
        return fallback;
      }
      if (raw instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < 1) {
        return n.doubleValue();
      }
      error(field, "must be a number between 0 and 1 (exclusive), got " + describe(raw));
      return fallback;
    }

    private long count(Object raw, String field, long fallback, boolean required) {
      if (raw == null) {
        if (required) {
          error(field, "missing; the number of trials per variant at which the experiment ends");
        }
        return fallback;
      }
      if ((raw instanceof Integer || raw instanceof Long) && ((Number) raw).longValue() >= 1) {
        return ((Number) raw).longValue();
      }
      error(field, "must be a whole number, 1 or more, got " + describe(raw));
      return fallback;
    }

    private CanaryStep pause(Object body, String field) {
      if (body == null) {
        return new CanaryStep.Pause(Optional.empty());
      }
      Map<String, Object> pause = map(body, field, true);
      if (pause == null) {
        return null;
      }
      unknownFields(pause, Set.of("duration"), field);
      Object raw = pause.get("duration");
      if (raw == null) {
        return new CanaryStep.Pause(Optional.empty());
      }
      Optional<Duration> duration = duration(raw);
      if (duration.isEmpty()) {
        error(field + ".duration", "not a duration: \"" + raw + "\" (write 30s, 2m, 1h30m)");
        return null;
      }
      return new CanaryStep.Pause(duration);
    }

    private CanaryStep canaryScale(Object body, String field) {
      Map<String, Object> scale = map(body, field, true);
      if (scale == null) {
        return null;
      }
      unknownFields(scale, Set.of("replicas", "weight", "matchTrafficWeight"), field);
      OptionalInt replicas = OptionalInt.empty();
      OptionalInt weight = OptionalInt.empty();
      boolean match = Boolean.TRUE.equals(scale.get("matchTrafficWeight"));
      if (scale.get("replicas") != null) {
        Object raw = scale.get("replicas");
        if (raw instanceof Integer n && n >= 0) {
          replicas = OptionalInt.of(n);
        } else {
          error(field + ".replicas", "must be a whole number, 0 or more, got " + raw);
          return null;
        }
      }
      if (scale.get("weight") != null) {
        Integer w = percent(scale.get("weight"), field + ".weight");
        if (w == null) {
          return null;
        }
        weight = OptionalInt.of(w);
      }
      int given = (replicas.isPresent() ? 1 : 0) + (weight.isPresent() ? 1 : 0) + (match ? 1 : 0);
      if (given != 1) {
        error(field, "give exactly one of replicas, weight or matchTrafficWeight: true");
        return null;
      }
      return new CanaryStep.SetCanaryScale(replicas, weight, match);
    }

    private CanaryStep headerRoute(Object body, String field, TrafficRoutingSpec routing) {
      Map<String, Object> route = map(body, field, true);
      if (route == null) {
        return null;
      }
      unknownFields(route, Set.of("name", "match"), field);
      String name = string(route, "name", field + ".name", true);
      if (argo && name != null && !managedRoutes.contains(name)) {
        // Argo Rollouts' rule: a header route is one of trafficRouting.managedRoutes
        error(
            field + ".name",
            "route "
                + name
                + " is not in trafficRouting.managedRoutes"
                + (managedRoutes.isEmpty() ? "" : " (" + String.join(", ", managedRoutes) + ")"));
        return null;
      }
      if (routing != null && !routing.supportsMatches()) {
        error(
            field,
            routing.describe()
                + " cannot route by header or cookie; use gatewayAPI, istio or nginx"
                + " trafficRouting");
        return null;
      }
      Object rawMatches = route.get("match");
      if (!(rawMatches instanceof List<?> list) || list.isEmpty()) {
        error(field + ".match", "must be a non-empty list of matches");
        return null;
      }
      List<RouteMatch> matches = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        RouteMatch match = match(list.get(i), field + ".match[" + i + "]");
        if (match != null) {
          matches.add(match);
        }
      }
      if (name == null || matches.size() != list.size()) {
        return null;
      }
      if (routing instanceof TrafficRoutingSpec.Nginx && matches.size() > 1) {
        error(
            field + ".match",
            "the NGINX canary Ingress takes one header or one cookie, got " + matches.size());
        return null;
      }
      return new CanaryStep.SetHeaderRoute(new HeaderRoute(name, matches));
    }

    /**
     * {@code setMirrorRoute: {name, percentage, match: [{method, path, headers}]}}, as Argo
     * Rollouts' mirroring.md: {@code percentage} defaults to 100; without {@code match} the step
     * removes the route. Refused with the reason on a router that cannot mirror.
     */
    private CanaryStep mirrorRoute(Object body, String field, TrafficRoutingSpec routing) {
      Map<String, Object> route = map(body, field, true);
      if (route == null) {
        return null;
      }
      Set<String> known = Set.of("name", "match", "percentage");
      if (argo) {
        fields(route, known, Set.of(), field);
      } else {
        unknownFields(route, known, field);
      }
      int before = errors.size();
      String name = string(route, "name", field + ".name", true);
      if (argo && name != null && !managedRoutes.contains(name)) {
        // Argo Rollouts' rule: a mirror route is one of trafficRouting.managedRoutes
        error(
            field + ".name",
            "route "
                + name
                + " is not in trafficRouting.managedRoutes"
                + (managedRoutes.isEmpty() ? "" : " (" + String.join(", ", managedRoutes) + ")"));
      }
      if (routing != null && routing.cannotMirror().isPresent()) {
        error(field, routing.cannotMirror().get());
        return null;
      }
      int percentage = 100;
      if (route.get("percentage") != null) {
        Integer given = percent(route.get("percentage"), field + ".percentage");
        percentage = given == null ? 100 : given;
      }
      Object rawMatches = route.get("match");
      if (rawMatches == null) {
        return errors.size() != before || name == null
            ? null
            : new CanaryStep.SetMirrorRoute(name, Optional.empty());
      }
      if (!(rawMatches instanceof List<?> list) || list.isEmpty()) {
        error(
            field + ".match",
            "must be a non-empty list of matches; leave match out to remove the route");
        return null;
      }
      List<MirrorRoute.Match> matches = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String at = field + ".match[" + i + "]";
        Map<String, Object> match = map(list.get(i), at, true);
        if (match == null) {
          continue;
        }
        if (argo) {
          fields(match, Set.of("method", "path", "headers"), Set.of(), at);
        } else {
          unknownFields(match, Set.of("method", "path", "headers"), at);
        }
        if (match.isEmpty()) {
          error(at, "give at least one of method, path or headers");
          continue;
        }
        Optional<MirrorRoute.StringMatch> method =
            Optional.ofNullable(stringMatch(match.get("method"), at + ".method"));
        if (method.isPresent()
            && method.get().type() != RouteMatch.MatchType.EXACT
            && routing instanceof TrafficRoutingSpec.GatewayApi) {
          error(at + ".method", "the Gateway API matches a method exactly only");
        }
        Optional<MirrorRoute.StringMatch> path =
            Optional.ofNullable(stringMatch(match.get("path"), at + ".path"));
        Map<String, MirrorRoute.StringMatch> headers = new LinkedHashMap<>();
        if (match.get("headers") != null) {
          Map<String, Object> rawHeaders = map(match.get("headers"), at + ".headers", true);
          if (rawHeaders != null) {
            rawHeaders.forEach(
                (header, value) -> {
                  MirrorRoute.StringMatch parsed =
                      stringMatch(value, at + ".headers." + header);
                  if (parsed != null) {
                    headers.put(header, parsed);
                  }
                });
          }
        }
        matches.add(new MirrorRoute.Match(method, path, headers));
      }
      if (errors.size() != before || name == null) {
        return null;
      }
      return new CanaryStep.SetMirrorRoute(
          name, Optional.of(new MirrorRoute(name, percentage, matches)));
    }

    /** Argo's StringMatch: exactly one of {@code exact}, {@code prefix}, {@code regex}. */
    private MirrorRoute.StringMatch stringMatch(Object raw, String field) {
      if (raw == null) {
        return null;
      }
      Map<String, Object> value = map(raw, field, true);
      if (value == null) {
        return null;
      }
      if (value.size() != 1) {
        error(field, "give exactly one of exact, prefix or regex");
        return null;
      }
      String type = value.keySet().iterator().next();
      RouteMatch.MatchType matchType =
          switch (type) {
            case "exact" -> RouteMatch.MatchType.EXACT;
            case "prefix" -> RouteMatch.MatchType.PREFIX;
            case "regex" -> RouteMatch.MatchType.REGEX;
            default -> null;
          };
      if (matchType == null) {
        error(field + "." + type, "unknown match; use exact, prefix or regex");
        return null;
      }
      Object text = value.get(type);
      if (text == null || text instanceof Map<?, ?> || text instanceof List<?>) {
        error(field + "." + type, "must be a string, got " + describe(text));
        return null;
      }
      if (matchType == RouteMatch.MatchType.REGEX) {
        try {
          java.util.regex.Pattern.compile(String.valueOf(text));
        } catch (java.util.regex.PatternSyntaxException e) {
          error(field + ".regex", "not a regular expression: " + e.getDescription());
          return null;
        }
      }
      return new MirrorRoute.StringMatch(matchType, String.valueOf(text));
    }

    private RouteMatch match(Object raw, String field) {
      Map<String, Object> match = map(raw, field, true);
      if (match == null) {
        return null;
      }
      unknownFields(match, Set.of("headerName", "headerValue", "cookieName", "cookieValue"), field);
      if (match.get("cookieName") != null) {
        String name = string(match, "cookieName", field + ".cookieName", true);
        String value = string(match, "cookieValue", field + ".cookieValue", false);
        return name == null ? null : new RouteMatch.Cookie(name, value == null ? "always" : value);
      }
      String name = string(match, "headerName", field + ".headerName", true);
      Map<String, Object> value = map(match.get("headerValue"), field + ".headerValue", true);
      if (name == null || value == null) {
        return null;
      }
      if (value.size() != 1) {
        error(field + ".headerValue", "give exactly one of exact, prefix or regex");
        return null;
      }
      String type = value.keySet().iterator().next();
      RouteMatch.MatchType matchType =
          switch (type) {
            case "exact" -> RouteMatch.MatchType.EXACT;
            case "prefix" -> RouteMatch.MatchType.PREFIX;
            case "regex" -> RouteMatch.MatchType.REGEX;
            default -> null;
          };
      if (matchType == null) {
        error(field + ".headerValue." + type, "unknown match; use exact, prefix or regex");
        return null;
      }
      if (matchType == RouteMatch.MatchType.REGEX) {
        try {
          java.util.regex.Pattern.compile(String.valueOf(value.get(type)));
        } catch (java.util.regex.PatternSyntaxException e) {
          error(field + ".headerValue.regex", "not a regular expression: " + e.getDescription());
          return null;
        }
      }
      return new RouteMatch.Header(name, matchType, String.valueOf(value.get(type)));
    }

    private TrafficRoutingSpec routing(Object raw, String field) {
      if (raw == null) {
        return new TrafficRoutingSpec.ReplicaRatio();
      }
      Map<String, Object> routing = map(raw, field, true);
      if (routing == null) {
        return null;
      }
      if (argo) {
        return argoRouting(routing, field);
      }
      unknownFields(routing, ROUTERS, field);
      List<String> given = routing.keySet().stream().filter(ROUTERS::contains).toList();
      if (given.size() != 1) {
        error(
            field,
            given.isEmpty()
                ? "name a router: gatewayAPI, istio, smi or nginx"
                : "one router per rollout, got " + String.join(", ", given));
        return null;
      }
      String router = given.getFirst();
      Map<String, Object> body = map(routing.get(router), field + "." + router, true);
      if (body == null) {
        return null;
      }
      String at = field + "." + router;
      return switch (router) {
        case "gatewayAPI" -> {
          unknownFields(body, Set.of("httpRoute"), at);
          String route = string(body, "httpRoute", at + ".httpRoute", true);
          yield route == null ? null : new TrafficRoutingSpec.GatewayApi(route);
        }
        case "istio" -> {
          unknownFields(body, Set.of("virtualService", "destinationRule"), at);
          Optional<TrafficRoutingSpec.DestinationRule> rule =
              destinationRule(body.get("destinationRule"), at + ".destinationRule");
          Map<String, Object> vs = map(body.get("virtualService"), at + ".virtualService", true);
          if (vs == null) {
            yield null;
          }
          unknownFields(vs, Set.of("name", "routes"), at + ".virtualService");
          String name = string(vs, "name", at + ".virtualService.name", true);
          List<String> routes = new ArrayList<>();
          Object rawRoutes = vs.get("routes");
          if (rawRoutes instanceof List<?> list) {
            list.forEach(r -> routes.add(String.valueOf(r)));
          } else if (rawRoutes != null) {
            error(at + ".virtualService.routes", "must be a list of route names");
          }
          yield name == null || rule == null ? null : new TrafficRoutingSpec.Istio(name, routes, rule);
        }
        case "smi" -> {
          unknownFields(body, Set.of("trafficSplitName", "rootService"), at);
          String split = string(body, "trafficSplitName", at + ".trafficSplitName", true);
          String root = string(body, "rootService", at + ".rootService", false);
          yield split == null ? null : new TrafficRoutingSpec.Smi(split, Optional.ofNullable(root));
        }
        default -> {
          unknownFields(body, Set.of("stableIngress"), at);
          String ingress = string(body, "stableIngress", at + ".stableIngress", true);
          if (ingress != null && !has("networking.k8s.io", "Ingress", ingress)) {
            error(
                at + ".stableIngress",
                "no Ingress " + ingress + " among the application's objects" + known("Ingress"));
            yield null;
          }
          yield ingress == null ? null : new TrafficRoutingSpec.Nginx(ingress);
        }
      };
    }

    /**
     * Argo's {@code trafficRouting}: {@code istio.virtualService}, {@code smi} (its split named
     * after the Rollout by default), {@code nginx.stableIngress}, the Gateway API plugin ({@code
     * plugins: {argoproj-labs/gatewayAPI: {httpRoute}}}) and {@code managedRoutes}; the rest refused
     * by name.
     */
    private TrafficRoutingSpec argoRouting(Map<String, Object> routing, String field) {
      fields(routing, ArgoFields.ROUTING, ArgoFields.ROUTING_REFUSED, field);
      Object rawManaged = routing.get("managedRoutes");
      if (rawManaged instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          String at = field + ".managedRoutes[" + i + "]";
          Map<String, Object> route = map(list.get(i), at, true);
          if (route != null) {
            fields(route, Set.of("name"), Set.of(), at);
            String name = string(route, "name", at + ".name", true);
            if (name != null) {
              managedRoutes.add(name);
              if (!managedRouteOrder.contains(name)) {
                managedRouteOrder.add(name);
              }
            }
          }
        }
      } else if (rawManaged != null) {
        error(field + ".managedRoutes", "must be a list of {name: ROUTE}");
      }
      List<String> given =
          routing.keySet().stream().filter(k -> ArgoFields.ROUTERS.contains(k)).toList();
      if (given.size() != 1) {
        if (given.size() > 1) {
          error(field, "one router per rollout in Weir, got " + String.join(", ", given));
        } else if (routing.keySet().stream().noneMatch(ArgoFields.ROUTING_REFUSED::contains)) {
          error(field, "name a router: istio, smi, nginx or plugins.argoproj-labs/gatewayAPI");
        }
        return null;
      }
      String router = given.getFirst();
      String at = field + "." + router;
      Map<String, Object> body = map(routing.get(router), at, true);
      if (body == null) {
        return null;
      }
      return switch (router) {
        case "istio" -> {
          fields(body, Set.of("virtualService", "destinationRule"), Set.of("virtualServices"), at);
          Optional<TrafficRoutingSpec.DestinationRule> rule =
              destinationRule(body.get("destinationRule"), at + ".destinationRule");
          if (body.get("virtualService") == null) {
            if (body.get("virtualServices") == null) {
              error(at + ".virtualService", "missing");
            }
            yield null;
          }
          Map<String, Object> vs = map(body.get("virtualService"), at + ".virtualService", true);
          if (vs == null) {
            yield null;
          }
          fields(vs, Set.of("name", "routes"), Set.of("tlsRoutes", "tcpRoutes"), at + ".virtualService");
          String name = string(vs, "name", at + ".virtualService.name", true);
          List<String> routes = new ArrayList<>();
          Object rawRoutes = vs.get("routes");
          if (rawRoutes instanceof List<?> list) {
            list.forEach(r -> routes.add(String.valueOf(r)));
          } else if (rawRoutes != null) {
            error(at + ".virtualService.routes", "must be a list of route names");
          }
          yield name == null || rule == null ? null : new TrafficRoutingSpec.Istio(name, routes, rule);
        }
        case "smi" -> {
          fields(body, Set.of("trafficSplitName", "rootService"), Set.of(), at);
          String split = string(body, "trafficSplitName", at + ".trafficSplitName", false);
          String root = string(body, "rootService", at + ".rootService", false);
          // Argo Rollouts names the TrafficSplit after the Rollout when trafficSplitName is absent
          yield new TrafficRoutingSpec.Smi(
              split == null ? manifest.name() : split, Optional.ofNullable(root));
        }
        case "nginx" -> {
          fields(
              body,
              Set.of("stableIngress"),
              Set.of("stableIngresses", "annotationPrefix", "additionalIngressAnnotations", "canaryIngressAnnotations"),
              at);
          String ingress = string(body, "stableIngress", at + ".stableIngress", true);
          if (ingress != null && !has("networking.k8s.io", "Ingress", ingress)) {
            error(
                at + ".stableIngress",
                "no Ingress " + ingress + " among the application's objects" + known("Ingress"));
            yield null;
          }
          yield ingress == null ? null : new TrafficRoutingSpec.Nginx(ingress);
        }
        default -> {
          // plugins: only the Gateway API plugin, mapped to Weir's own Gateway API router
          for (String plugin : body.keySet()) {
            if (!ArgoFields.GATEWAY_API_PLUGIN.equals(plugin)) {
              error(at + "." + plugin, "trafficRouting plugin " + plugin + " is not supported by Weir");
            }
          }
          Map<String, Object> gateway =
              map(body.get(ArgoFields.GATEWAY_API_PLUGIN), at + "." + ArgoFields.GATEWAY_API_PLUGIN, body.size() <= 1);
          if (gateway == null) {
            yield null;
          }
          String pluginAt = at + "." + ArgoFields.GATEWAY_API_PLUGIN;
          fields(gateway, Set.of("httpRoute", "namespace"), Set.of("httpRoutes", "grpcRoute", "tcpRoute", "configMap", "useHeaderRoutes"), pluginAt);
          Object ns = gateway.get("namespace");
          if (ns != null && !String.valueOf(ns).equals(namespace)) {
            error(
                pluginAt + ".namespace",
                "an HTTPRoute in another namespace (" + ns + ") than the Rollout's is not supported by Weir");
          }
          String route = string(gateway, "httpRoute", pluginAt + ".httpRoute", true);
          yield route == null ? null : new TrafficRoutingSpec.GatewayApi(route);
        }
      };
    }

    /**
     * {@code istio.destinationRule: {name, canarySubsetName, stableSubsetName}} (Argo Rollouts'
     * subset-level splitting); empty when absent, null when wrong. When the DestinationRule is
     * among the application's objects, both subsets must be among its subsets.
     */
    private Optional<TrafficRoutingSpec.DestinationRule> destinationRule(Object raw, String field) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> body = map(raw, field, true);
      if (body == null) {
        return null;
      }
      Set<String> known = Set.of("name", "canarySubsetName", "stableSubsetName");
      if (argo) {
        fields(body, known, Set.of(), field);
      } else {
        unknownFields(body, known, field);
      }
      int before = errors.size();
      String name = string(body, "name", field + ".name", true);
      String canary = string(body, "canarySubsetName", field + ".canarySubsetName", true);
      String stable = string(body, "stableSubsetName", field + ".stableSubsetName", true);
      if (canary != null && canary.equals(stable)) {
        error(field + ".canarySubsetName", "must differ from stableSubsetName (" + stable + ")");
      }
      ResourceKey ruleKey =
          new ResourceKey("networking.istio.io", "DestinationRule", namespace, String.valueOf(name));
      Manifest rule = name == null ? null : state.resources().get(ruleKey);
      if (rule != null) {
        Set<String> subsets = new TreeSet<>();
        Object spec = rule.object().get("spec");
        if (spec instanceof Map<?, ?> specMap && specMap.get("subsets") instanceof List<?> list) {
          for (Object subset : list) {
            if (subset instanceof Map<?, ?> m && m.get("name") != null) {
              subsets.add(String.valueOf(m.get("name")));
            }
          }
        }
        for (String[] side :
            new String[][] {{"canarySubsetName", canary}, {"stableSubsetName", stable}}) {
          if (side[1] != null && !subsets.contains(side[1])) {
            error(
                field + "." + side[0],
                "DestinationRule "
                    + name
                    + " has no subset "
                    + side[1]
                    + (subsets.isEmpty() ? "" : "; its subsets: " + String.join(", ", subsets)));
          }
        }
      }
      if (errors.size() != before) {
        return null;
      }
      return Optional.of(new TrafficRoutingSpec.DestinationRule(name, canary, stable));
    }

    private BlueGreenStrategy blueGreen(Map<String, Object> blueGreen) {
      if (blueGreen == null) {
        return null;
      }
      String at = "spec.strategy.blueGreen";
      if (argo) {
        Set<String> known = new TreeSet<>(BLUE_GREEN_FIELDS);
        known.addAll(ArgoFields.BLUE_GREEN);
        fields(blueGreen, known, ArgoFields.BLUE_GREEN_REFUSED, at);
      } else {
        unknownFields(blueGreen, BLUE_GREEN_FIELDS, at);
      }
      Optional<String> active = service(blueGreen, "activeService", at, true);
      Optional<String> preview = service(blueGreen, "previewService", at, false);
      if (active.isPresent() && active.equals(preview)) {
        error(at + ".previewService", "must differ from activeService (" + active.get() + ")");
      }
      boolean auto = true;
      Object rawAuto = blueGreen.get("autoPromotionEnabled");
      if (rawAuto instanceof Boolean b) {
        auto = b;
      } else if (rawAuto != null) {
        error(at + ".autoPromotionEnabled", "must be true or false, got " + rawAuto);
      }
      Optional<Duration> autoSeconds = seconds(blueGreen, "autoPromotionSeconds", at);
      if (autoSeconds.isPresent() && !auto) {
        error(at + ".autoPromotionSeconds", "has no effect with autoPromotionEnabled: false");
      }
      Optional<AnalysisRef> pre =
          analysis(blueGreen.get("prePromotionAnalysis"), at + ".prePromotionAnalysis");
      Optional<AnalysisRef> post =
          analysis(blueGreen.get("postPromotionAnalysis"), at + ".postPromotionAnalysis");
      Duration delay =
          seconds(blueGreen, "scaleDownDelaySeconds", at)
              .orElse(BlueGreenStrategy.DEFAULT_SCALE_DOWN_DELAY);
      // Argo's anti-affinity.md: the new (preview) pods avoid the active pods' nodes, as a canary's
      Optional<CanaryPods.AntiAffinity> antiAffinity =
          argo ? antiAffinity(blueGreen.get("antiAffinity"), at + ".antiAffinity") : Optional.empty();
      if (active.isEmpty()) {
        return null;
      }
      return new BlueGreenStrategy(
          active.get(), preview, auto, autoSeconds, pre, post, delay, antiAffinity);
    }

    private Optional<Duration> seconds(Map<String, Object> body, String key, String at) {
      Object raw = body.get(key);
      if (raw == null) {
        return Optional.empty();
      }
      if (raw instanceof Integer n && n >= 0) {
        return Optional.of(Duration.ofSeconds(n));
      }
      error(at + "." + key, "must be a whole number of seconds, 0 or more, got " + raw);
      return Optional.empty();
    }

    private Optional<String> service(
        Map<String, Object> body, String key, String at, boolean required) {
      if (body.get(key) == null) {
        if (required) {
          error(
              at + "." + key,
              "missing"
                  + (key.startsWith("active")
                      ? ""
                      : ": a rollout with trafficRouting needs stableService and canaryService"));
        }
        return Optional.empty();
      }
      String name = string(body, key, at + "." + key, true);
      if (name == null) {
        return Optional.empty();
      }
      if (!has("", "Service", name)) {
        error(
            at + "." + key,
            "no Service " + name + " among the application's objects" + known("Service"));
        return Optional.empty();
      }
      return Optional.of(name);
    }

    private Optional<AnalysisRef> analysis(Object raw, String field) {
      if (raw == null) {
        return Optional.empty();
      }
      Map<String, Object> analysis = map(raw, field, true);
      if (analysis == null) {
        return Optional.empty();
      }
      Set<String> known =
          Set.of("templates", "args", "dryRun", "measurementRetention", "analysisRunMetadata");
      if (argo) {
        fields(analysis, known, ArgoFields.ANALYSIS_REFUSED, field);
      } else {
        unknownFields(analysis, known, field);
      }
      Object rawTemplates = analysis.get("templates");
      if (!(rawTemplates instanceof List<?> list) || list.isEmpty()) {
        error(field + ".templates", "must be a non-empty list of {templateName: NAME}");
        return Optional.empty();
      }
      int before = errors.size();
      List<String> templates = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String at = field + ".templates[" + i + "]";
        Map<String, Object> ref = map(list.get(i), at, true);
        if (ref == null) {
          continue;
        }
        boolean clusterScope = false;
        if (argo) {
          fields(ref, Set.of("templateName", "clusterScope"), Set.of(), at);
          Object scope = ref.get("clusterScope");
          if (scope != null && !(scope instanceof Boolean)) {
            error(at + ".clusterScope", "must be true or false, got " + describe(scope));
          }
          clusterScope = Boolean.TRUE.equals(scope);
        } else {
          unknownFields(ref, Set.of("templateName"), at);
        }
        String name = string(ref, "templateName", at + ".templateName", true);
        if (name != null && clusterScope != clusterTemplateNames.contains(name)) {
          error(
              at + ".templateName",
              clusterScope
                  ? "no ClusterAnalysisTemplate " + name + " in the application"
                  : name + " is a ClusterAnalysisTemplate: give clusterScope: true");
          continue;
        }
        if (name != null && !templateNames.contains(name)) {
          error(
              at + ".templateName",
              "no AnalysisTemplate "
                  + name
                  + " in the application"
                  + (templateNames.isEmpty()
                      ? ""
                      : "; known: " + String.join(", ", templateNames)));
        } else if (name != null) {
          templates.add(name);
        }
      }
      Map<String, String> args = new LinkedHashMap<>();
      Map<String, AnalysisRef.PodTemplateHash> hashArgs = new LinkedHashMap<>();
      Object rawArgs = analysis.get("args");
      if (rawArgs instanceof List<?> argList) {
        for (int i = 0; i < argList.size(); i++) {
          String at = field + ".args[" + i + "]";
          Map<String, Object> arg = map(argList.get(i), at, true);
          if (arg == null) {
            continue;
          }
          if (argo) {
            fields(arg, Set.of("name", "value", "valueFrom"), Set.of(), at);
          } else {
            unknownFields(arg, Set.of("name", "value", "valueFrom"), at);
          }
          String name = string(arg, "name", at + ".name", true);
          if (arg.get("value") != null && arg.get("valueFrom") != null) {
            error(at, "give value or valueFrom, not both");
          } else if (argo
              && arg.get("valueFrom") instanceof Map<?, ?> valueFrom
              && valueFrom.containsKey("fieldRef")) {
            fieldRef(valueFrom, at + ".valueFrom")
                .ifPresent(
                    value -> {
                      if (name != null) {
                        args.put(name, value);
                      }
                    });
          } else if (arg.get("valueFrom") != null) {
            hashArg(arg.get("valueFrom"), at + ".valueFrom")
                .ifPresent(
                    which -> {
                      if (name != null) {
                        hashArgs.put(name, which);
                      }
                    });
          } else if (arg.get("value") == null) {
            error(at + ".value", "missing");
          } else if (name != null) {
            args.put(name, String.valueOf(arg.get("value")));
          }
        }
      } else if (rawArgs != null) {
        error(field + ".args", "must be a list of {name, value}");
      }
      if (errors.size() == before) {
        templateFieldRefs(templates, args, hashArgs.keySet());
      }
      AnalysisRef.RunMetadata runMetadata =
          runMetadata(analysis.get("analysisRunMetadata"), field + ".analysisRunMetadata");
      Set<String> dryRun = new TreeSet<>();
      Map<String, Integer> retention = new java.util.TreeMap<>();
      if (errors.size() == before
          && (analysis.get("dryRun") != null || analysis.get("measurementRetention") != null)) {
        Optional<Set<String>> metricNames = metricNames(templates);
        if (metricNames.isPresent()) {
          selectors(analysis.get("dryRun"), field + ".dryRun", metricNames.get(), false)
              .forEach((names, limit) -> dryRun.addAll(names));
          selectors(
                  analysis.get("measurementRetention"),
                  field + ".measurementRetention",
                  metricNames.get(),
                  true)
              .forEach((names, limit) -> names.forEach(n -> retention.put(n, limit)));
        }
      }
      if (errors.size() > before) {
        return Optional.empty();
      }
      return Optional.of(
          new AnalysisRef(templates, args, hashArgs, dryRun, retention, runMetadata));
    }

    /**
     * Argo's {@code analysisRunMetadata: {labels, annotations}}. Weir has no AnalysisRun object;
     * they go on the Kubernetes Events about the run (decision 0041), so they are checked as
     * Kubernetes checks an Event's metadata, and may not take Weir's own keys.
     */
    private AnalysisRef.RunMetadata runMetadata(Object raw, String field) {
      Map<String, Object> body = map(raw, field, false);
      if (body == null) {
        return AnalysisRef.RunMetadata.NONE;
      }
      if (argo) {
        fields(body, Set.of("labels", "annotations"), Set.of(), field);
      } else {
        unknownFields(body, Set.of("labels", "annotations"), field);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Map<String, String> annotations = new LinkedHashMap<>();
      strings(body.get("labels"), field + ".labels", false)
          .forEach(
              (key, value) -> {
                String at = field + ".labels." + key;
                if (!METADATA_KEY.matcher(key).matches()) {
                  error(at, "not a Kubernetes label key");
                } else if (!LABEL_VALUE.matcher(value).matches()) {
                  error(
                      at,
                      "not a Kubernetes label value (at most 63 letters, digits, '-', '_' or '.',"
                          + " starting and ending with a letter or digit): "
                          + describe(value));
                } else if (key.equals(RolloutOwnership.MANAGED_BY)
                    || key.equals(RolloutRunner.ROLLOUT_LABEL)) {
                  error(at, "is Weir's own label on its Events");
                } else {
                  labels.put(key, value);
                }
              });
      strings(body.get("annotations"), field + ".annotations", false)
          .forEach(
              (key, value) -> {
                String at = field + ".annotations." + key;
                if (!METADATA_KEY.matcher(key).matches()) {
                  error(at, "not a Kubernetes annotation key");
                } else if (key.startsWith("rollouts.weir.dev/")) {
                  error(at, "rollouts.weir.dev/ is Weir's own prefix on its Events");
                } else {
                  annotations.put(key, value);
                }
              });
      return new AnalysisRef.RunMetadata(labels, annotations);
    }

    /**
     * Argo's {@code valueFrom.fieldRef} on the templates' own arguments (decision 0041): each that
     * the reference does not give is read from this Rollout now, as Argo reads it when it makes the
     * AnalysisRun, and put in {@code args}. A path this Rollout lacks is an error at the template's
     * file and field, naming the Rollout.
     */
    private void templateFieldRefs(
        List<String> names, Map<String, String> args, Set<String> hashArgs) {
      for (String name : names) {
        Optional<AnalysisTemplateSpec> template = template(name);
        if (template.isEmpty()) {
          continue;
        }
        List<dev.weir.engine.analysis.ArgSpec> templateArgs = template.get().args();
        for (int i = 0; i < templateArgs.size(); i++) {
          dev.weir.engine.analysis.ArgSpec arg = templateArgs.get(i);
          if (arg.fieldRef().isEmpty()
              || args.containsKey(arg.name())
              || hashArgs.contains(arg.name())) {
            continue;
          }
          String path = arg.fieldRef().get();
          Optional<Object> value = rolloutField(path);
          if (value.isEmpty() || value.get() instanceof Map<?, ?> || value.get() instanceof List<?>) {
            errors.add(
                new RolloutSpecError(
                    template.get().source(),
                    "spec.args[" + i + "].valueFrom.fieldRef.fieldPath",
                    "Rollout "
                        + manifest.name()
                        + " ("
                        + manifest.source()
                        + ") "
                        + (value.isEmpty()
                            ? "has no field " + path
                            : "has no single value at " + path + " (a mapping or a list)")
                        + "; AnalysisTemplate "
                        + name
                        + " reads args."
                        + arg.name()
                        + " from it"));
          } else {
            args.put(arg.name(), String.valueOf(value.get()));
          }
        }
      }
    }

    /**
     * The value at {@code path} in this Rollout, as Argo reads it from the object in the cluster:
     * {@code metadata.namespace} is the namespace the Rollout is applied to even when Git leaves
     * it to the application's destination.
     */
    private Optional<Object> rolloutField(String path) {
      Optional<Object> value = FieldPath.read(manifest.object(), path);
      if (value.isEmpty() && path.strip().equals("metadata.namespace")) {
        return Optional.of(namespace);
      }
      return value;
    }

    /** The template {@code name} as the application has it; empty when it does not parse. */
    private Optional<AnalysisTemplateSpec> template(String name) {
      return state.configuration().stream()
          .filter(m -> AnalysisTemplateParser.KINDS.contains(m.kind()))
          .filter(m -> m.name().equals(name))
          .findFirst()
          .flatMap(
              m ->
                  AnalysisTemplateParser.parse(m)
                          instanceof AnalysisTemplateParser.Result.Parsed parsed
                      ? Optional.of(parsed.spec())
                      : Optional.empty());
    }

    /**
     * The metric names of the templates {@code names}, as the application has them; empty when one
     * of them does not parse (its own errors say why).
     */
    private Optional<Set<String>> metricNames(List<String> names) {
      Set<String> metrics = new java.util.LinkedHashSet<>();
      for (String name : names) {
        Optional<Manifest> template =
            state.configuration().stream()
                .filter(m -> AnalysisTemplateParser.KINDS.contains(m.kind()))
                .filter(m -> m.name().equals(name))
                .findFirst();
        if (template.isEmpty()
            || !(AnalysisTemplateParser.parse(template.get())
                instanceof AnalysisTemplateParser.Result.Parsed parsed)) {
          return Optional.empty();
        }
        parsed.spec().metrics().forEach(m -> metrics.add(m.name()));
      }
      return Optional.of(metrics);
    }

    /**
     * Argo's {@code dryRun} and {@code measurementRetention} on a Rollout's analysis
     * (features/analysis.md, "Dry-Run Mode" and "Measurements Retention"): a list of {@code
     * {metricName}} (a name, or a regular expression matching whole names such as {@code .*}),
     * with a {@code limit} for retention, over the metrics of the referenced templates. Each
     * entry's matched names with its limit; a name matching no metric is an error, since it would
     * silently do nothing.
     */
    private Map<List<String>, Integer> selectors(
        Object raw, String field, Set<String> metricNames, boolean withLimit) {
      Map<List<String>, Integer> out = new LinkedHashMap<>();
      if (raw == null) {
        return out;
      }
      if (!(raw instanceof List<?> list)) {
        error(field, "must be a list of {metricName" + (withLimit ? ", limit}" : "}"));
        return out;
      }
      for (int i = 0; i < list.size(); i++) {
        String at = field + "[" + i + "]";
        Map<String, Object> entry = map(list.get(i), at, true);
        if (entry == null) {
          continue;
        }
        Set<String> entryFields = withLimit ? Set.of("metricName", "limit") : Set.of("metricName");
        if (argo) {
          fields(entry, entryFields, Set.of(), at);
        } else {
          unknownFields(entry, entryFields, at);
        }
        String pattern = string(entry, "metricName", at + ".metricName", true);
        Integer limit = 0;
        if (withLimit) {
          Object rawLimit = entry.get("limit");
          if (!(rawLimit instanceof Integer n) || n < 1) {
            error(
                at + ".limit",
                rawLimit == null
                    ? "missing"
                    : "must be a whole number of at least 1, got " + describe(rawLimit));
            limit = null;
          } else {
            limit = n;
          }
        }
        if (pattern == null || limit == null) {
          continue;
        }
        java.util.regex.Pattern regex;
        try {
          regex = java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
          error(at + ".metricName", "is not a metric name nor a regular expression: " + pattern);
          continue;
        }
        List<String> matched =
            metricNames.stream().filter(n -> regex.matcher(n).matches()).toList();
        if (matched.isEmpty()) {
          error(
              at + ".metricName",
              pattern
                  + " matches no metric of the analysis' templates; metrics: "
                  + String.join(", ", metricNames));
          continue;
        }
        out.put(matched, limit);
      }
      return out;
    }

    /**
     * {@code valueFrom: {fieldRef: {fieldPath: PATH}}}, as Argo Rollouts has it: a field of the
     * Rollout itself ({@code metadata.name}, {@code metadata.labels['app']}, {@code
     * spec.template.spec.containers[0].image}), read when the Rollout is read.
     */
    private Optional<String> fieldRef(Map<?, ?> valueFrom, String field) {
      if (valueFrom.size() != 1) {
        error(field, "give one of podTemplateHashValue or fieldRef");
        return Optional.empty();
      }
      Map<String, Object> ref = map(valueFrom.get("fieldRef"), field + ".fieldRef", true);
      if (ref == null) {
        return Optional.empty();
      }
      fields(ref, Set.of("fieldPath"), Set.of(), field + ".fieldRef");
      String path = string(ref, "fieldPath", field + ".fieldRef.fieldPath", true);
      if (path == null) {
        return Optional.empty();
      }
      Optional<Object> value = rolloutField(path);
      if (value.isEmpty() || value.get() instanceof Map<?, ?> || value.get() instanceof List<?>) {
        error(
            field + ".fieldRef.fieldPath",
            value.isEmpty()
                ? "the Rollout has no field " + path
                : path + " is not a single value");
        return Optional.empty();
      }
      return Optional.of(String.valueOf(value.get()));
    }

    /** {@code valueFrom: {podTemplateHashValue: Latest | Stable}}, as Argo Rollouts has it. */
    private Optional<AnalysisRef.PodTemplateHash> hashArg(Object raw, String field) {
      Map<String, Object> valueFrom = map(raw, field, true);
      if (valueFrom == null) {
        return Optional.empty();
      }
      if (argo) {
        fields(valueFrom, Set.of("podTemplateHashValue"), Set.of(), field);
      } else {
        unknownFields(valueFrom, Set.of("podTemplateHashValue"), field);
      }
      Object which = valueFrom.get("podTemplateHashValue");
      if ("Latest".equals(which)) {
        return Optional.of(AnalysisRef.PodTemplateHash.LATEST);
      }
      if ("Stable".equals(which)) {
        return Optional.of(AnalysisRef.PodTemplateHash.STABLE);
      }
      error(
          field + ".podTemplateHashValue",
          which == null ? "missing; Latest or Stable" : "must be Latest or Stable, got " + which);
      return Optional.empty();
    }

    private Integer percent(Object raw, String field) {
      if (raw instanceof Integer n) {
        if (n < 0 || n > 100) {
          error(field, "must be within 0..100, got " + n);
          return null;
        }
        return n;
      }
      error(field, "must be a whole percentage within 0..100, got " + describe(raw));
      return null;
    }

    private boolean has(String group, String kind, String name) {
      return state.resources().containsKey(new ResourceKey(group, kind, namespace, name));
    }

    private String known(String kind) {
      List<String> names =
          state.resources().keySet().stream()
              .filter(k -> k.kind().equals(kind) && k.namespace().equals(namespace))
              .map(ResourceKey::name)
              .sorted()
              .toList();
      return names.isEmpty() ? "" : "; known: " + String.join(", ", names);
    }

    /**
     * Checks the keys of {@code body}: {@code known} ones are read; {@code refused} ones are Argo
     * Rollouts fields Weir does not implement, each an error of its own ({@code canary.maxSurge is
     * not supported by Weir}) rather than silently dropped; any other is unknown.
     */
    private void fields(
        Map<String, Object> body, Set<String> known, Set<String> refused, String at) {
      for (String key : body.keySet()) {
        if (known.contains(key)) {
          continue;
        }
        if (refused.contains(key)) {
          error(at + "." + key, ArgoFields.shortName(at, key) + " is not supported by Weir");
        } else {
          TreeSet<String> all = new TreeSet<>(known);
          error(at + "." + key, "unknown field; known fields here: " + String.join(", ", all));
        }
      }
    }

    private void unknownFields(Map<String, Object> body, Set<String> known, String at) {
      for (String key : body.keySet()) {
        if (!known.contains(key)) {
          error(
              at + "." + key,
              "unknown field; known fields here: " + String.join(", ", new TreeSet<>(known)));
        }
      }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object raw, String field, boolean required) {
      if (raw instanceof Map<?, ?> m) {
        return (Map<String, Object>) m;
      }
      if (raw == null) {
        if (required) {
          error(field, "missing");
        }
        return null;
      }
      error(field, "must be a mapping, got " + describe(raw));
      return null;
    }

    private String string(Map<String, Object> body, String key, String field, boolean required) {
      Object raw = body.get(key);
      if (raw == null) {
        if (required) {
          error(field, "missing");
        }
        return null;
      }
      if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
        error(field, "must be a string, got " + describe(raw));
        return null;
      }
      String text = String.valueOf(raw);
      if (text.isBlank()) {
        error(field, "must not be empty");
        return null;
      }
      return text;
    }

    private static String describe(Object raw) {
      if (raw instanceof Map<?, ?>) {
        return "a mapping";
      }
      if (raw instanceof List<?>) {
        return "a list";
      }
      return raw instanceof String s
          ? "\"" + s + "\""
          : String.valueOf(raw).toLowerCase(Locale.ROOT);
    }

    private void error(String field, String message) {
      errors.add(new RolloutSpecError(manifest.source(), field, message));
    }
  }
}
