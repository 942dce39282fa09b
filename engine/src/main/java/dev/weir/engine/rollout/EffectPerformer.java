package dev.weir.engine.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.analysis.AnalysisTemplateSpec;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.traffic.IstioSubsets;
import dev.weir.engine.traffic.RoutePlan;
import dev.weir.engine.traffic.TrafficRouter;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import dev.weir.engine.traffic.TrafficShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one rollout's {@link Effect}s in the cluster — the one place a rollout acts: weights
 * through the router, the canary (preview) and stable Deployments, Service selectors, analysis runs
 * (through {@link AnalysisRuns}) and events. Every effect is idempotent: the cluster as it is is
 * compared with what the effect wants first.
 *
 * <p>Within a pass it remembers the Deployments as read or written ({@link #beginPass}), so that
 * acting does not read them again, and the router's objects as last read or written, so that a
 * rollback writes its weight 0 without reading first; {@link #forgetRoutes} makes the next write
 * read them (after a refresh or an error). Not thread-safe: a rollout's passes use it one at a
 * time.
 */
final class EffectPerformer {
  private static final Logger LOG = LoggerFactory.getLogger(EffectPerformer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ApplyOptions WRITE =
      new ApplyOptions(RolloutExecutor.FIELD_MANAGER, true, false);
  private static final AtomicLong EVENT_SEQUENCE = new AtomicLong();

  /**
   * What Git wants of the rollout now.
   *
   * @param ref Git's pod template, by hash
   * @param template Git's pod template
   * @param replicas the Deployment's replicas in Git
   * @param selector the Deployment's {@code matchLabels} in Git
   * @param analysisTemplates the application's AnalysisTemplates by name
   */
  record Desired(
      PodTemplateRef ref,
      Map<String, Object> template,
      int replicas,
      Map<String, Object> selector,
      Map<String, AnalysisTemplateSpec> analysisTemplates) {}

  private final RolloutExecutor owner;
  private final ClusterGateway cluster;
  private final Executor work;
  private final RolloutRecordStore store;
  private final AnalysisRuns analyses;
  private final Supplier<Desired> desired;
  private final Runnable requestPass;

  private TrafficShape shape = TrafficShape.ALL_STABLE;
  private String selectorsSyncedFor = "";
  private boolean selectorsPending;

  /** The Deployments as this pass read or wrote them, so that acting does not read them again. */
  private final Map<ResourceKey, Optional<LiveObject>> seenThisPass = new ConcurrentHashMap<>();

  /**
   * The router's objects as last read or written; null when they must be read (after a refresh or
   * an error), so that someone else's change is seen within a resync period.
   */
  private volatile Map<ResourceKey, Map<String, Object>> routeObjects;

  /**
   * @param desired what Git wants now (null before the rollout was first given it)
   * @param requestPass asks the rollout for a pass (an analysis run reported)
   */
  EffectPerformer(
      RolloutExecutor owner,
      ClusterGateway cluster,
      Executor work,
      RolloutRecordStore store,
      AnalysisRuns analyses,
      Supplier<Desired> desired,
      Runnable requestPass) {
    this.owner = owner;
    this.cluster = cluster;
    this.work = work;
    this.store = store;
    this.analyses = analyses;
    this.desired = desired;
    this.requestPass = requestPass;
  }

  /** A new pass: the Deployments as it read them ({@code seen}; none for a rollback's pass). */
  void beginPass(Map<ResourceKey, Optional<LiveObject>> seen) {
    seenThisPass.clear();
    seenThisPass.putAll(seen);
  }

  /** The Deployment {@code key} as this pass read or wrote it; empty when it has not. */
  Optional<LiveObject> seen(ResourceKey key) {
    return Optional.ofNullable(seenThisPass.get(key)).flatMap(o -> o);
  }

  /** The router's objects must be read before they are next written. */
  void forgetRoutes() {
    routeObjects = null;
  }

  /** A Deployment as this pass last saw it (read or written), else from the cluster. */
  Optional<LiveObject> deployment(ResourceKey key) {
    Optional<LiveObject> seen = seenThisPass.get(key);
    return seen != null ? seen : cluster.get(key);
  }

  /** Applies a Deployment and remembers what the server made of it for the rest of the pass. */
  private void applyDeployment(ResourceKey key, Map<String, Object> deployment) {
    seenThisPass.put(key, Optional.of(cluster.apply(deployment, WRITE)));
  }

  /**
   * The template a live Deployment runs: as Weir recorded it, or Git's when it holds Git's, else
   * its own hash.
   */
  PodTemplateRef liveRef(LiveObject deployment) {
    Map<String, Object> template = liveTemplate(deployment);
    Object recorded = deployment.annotations().get(RolloutExecutor.TEMPLATE_ANNOTATION);
    if (recorded != null) {
      PodTemplateRef known =
          PodTemplateRef.of(store.templates().getOrDefault(String.valueOf(recorded), template));
      return new PodTemplateRef(String.valueOf(recorded), known.version());
    }
    Desired wanted = desired.get();
    if (wanted != null && contains(template, wanted.template())) {
      return wanted.ref();
    }
    return PodTemplateRef.of(template);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> liveTemplate(LiveObject deployment) {
    return (Map<String, Object>) deployment.spec().getOrDefault("template", Map.of());
  }

  /**
   * Whether every field of {@code want} is in {@code have} with the same value (server defaults
   * aside).
   */
  private static boolean contains(Object have, Object want) {
    if (want instanceof Map<?, ?> w) {
      if (!(have instanceof Map<?, ?> h)) {
        return false;
      }
      for (var entry : w.entrySet()) {
        if (!contains(h.get(entry.getKey()), entry.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof List<?> w) {
      if (!(have instanceof List<?> h) || h.size() != w.size()) {
        return false;
      }
      for (int i = 0; i < w.size(); i++) {
        if (!contains(h.get(i), w.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof Number w && have instanceof Number h) {
      return w.doubleValue() == h.doubleValue();
    }
    return want == null || (have != null && String.valueOf(want).equals(String.valueOf(have)));
  }

  /** Carries out {@code effects} in order; each is idempotent. */
  void perform(RolloutSpec spec, RolloutState state, List<Effect> effects) {
    for (Effect effect : effects) {
      switch (effect) {
        case Effect.SetWeight w -> route(spec, shape.withWeight(w.weight()));
        case Effect.SetHeaderRoutes r -> route(spec, shape.withHeaderRoutes(r.routes()));
        case Effect.SetMirrorRoutes m -> route(spec, shape.withMirrorRoutes(m.routes()));
        case Effect.ScaleCanary s ->
            scaleSecondary(spec, s.template(), s.replicas(), RolloutViews.stableOf(state));
        case Effect.UpdateStable u -> updateStable(spec, u.template(), u.replicas());
        case Effect.RunExperiment r -> runExperiment(spec, r);
        case Effect.EndExperiments e -> endExperiments(spec, e.keep());
        case Effect.SwitchActive a -> select(spec, spec.blueGreen().activeService(), a.template());
        case Effect.SwitchPreview p ->
            spec.blueGreen()
                .previewService()
                .ifPresent(service -> select(spec, service, p.template()));
        case Effect.StartAnalysis a ->
            startAnalysis(spec, a.run(), a.analysis(), a.recorded(), hashes(state));
        case Effect.StopAnalysis a -> stopAnalysis(a.run());
        case Effect.SetFlag f -> flagged(owner.flags().set(spec, f.flag(), f.change(), f.reason()));
        case Effect.RestoreFlags r -> {
          for (String flag : r.flags()) {
            flagged(owner.flags().restore(spec, flag, r.revision(), r.reason()));
          }
        }
        case Effect.Emit e -> emit(spec, e.event());
      }
    }
  }

  /** A flag change that failed stops the pass: the recorded state is re-asserted next time. */
  private static void flagged(RolloutFlags.Outcome outcome) {
    if (!outcome.ok()) {
      throw new RolloutRunner.ActionException(outcome.message());
    }
    LOG.info("{}", outcome.message());
  }

  /**
   * Reads the router's objects when a canary takes traffic and they are not known (after a refresh
   * or an error), so that a rollback writes its weight 0 without reading them first.
   */
  void knowRoutes(RolloutSpec spec, RolloutState state) {
    if (routeObjects != null
        || !(spec.strategy() instanceof CanaryStrategy canary)
        || canary.trafficRouting() instanceof TrafficRoutingSpec.ReplicaRatio
        || !(state instanceof CanaryState.Progressing || state instanceof CanaryState.Paused)) {
      return;
    }
    routeObjects =
        TrafficRouter.of(
                canary.trafficRouting(),
                spec.namespace(),
                canary.stableService().orElse(null),
                canary.canaryService().orElse(null))
            .read(cluster);
  }

  /** Writes the traffic shape {@code next} to the canary's router (none for replica ratio). */
  void route(RolloutSpec spec, TrafficShape next) {
    shape = next;
    if (!(spec.strategy() instanceof CanaryStrategy canary)
        || canary.trafficRouting() instanceof TrafficRoutingSpec.ReplicaRatio) {
      return;
    }
    // Argo's managedRoutes order sets which route a request matching two takes (decision 0048)
    next = next.withRouteOrder(canary.managedRoutes());
    shape = next;
    TrafficRouter router =
        TrafficRouter.of(
            canary.trafficRouting(),
            spec.namespace(),
            canary.stableService().orElse(null),
            canary.canaryService().orElse(null));
    Map<ResourceKey, Map<String, Object>> live = routeObjects;
    if (live == null) {
      live = router.read(cluster);
    }
    routeObjects = null; // unknown until the write below is acknowledged
    TrafficRouter.Routed routed = router.apply(cluster, live, next, RolloutExecutor.FIELD_MANAGER);
    if (routed.plan() instanceof RoutePlan.Impossible impossible) {
      throw new RolloutRunner.ActionException(impossible.reason());
    }
    routeObjects = routed.objects();
  }

  private void scaleSecondary(
      RolloutSpec spec, PodTemplateRef wanted, int count, PodTemplateRef stable) {
    Optional<LiveObject> current = deployment(spec.secondaryKey());
    if (count == 0 && current.isEmpty()) {
      return; // nothing to scale down
    }
    PodTemplateRef template = wanted;
    if (count == 0 && !store.templates().containsKey(wanted.hash())) {
      template = liveRef(current.get()); // scaling down keeps whatever template it has
      store.templates().putIfAbsent(template.hash(), liveTemplate(current.get()));
    }
    Map<String, Object> podTemplate =
        labelled(templateOf(spec, template), template, pods(spec).canaryMetadata());
    Optional<CanaryPods.AntiAffinity> antiAffinity = antiAffinity(spec);
    if (antiAffinity.isPresent() && !stable.hash().equals(template.hash())) {
      // Argo's GenerateReplicaSetAffinity: the new pods (canary or preview) avoid the stable
      // (active) pods' nodes
      podTemplate =
          antiAffinity
              .get()
              .applyTo(podTemplate, RolloutExecutor.HASH_LABEL, stable.hash(), spec.namespace());
    }
    Object wantedAffinity = ((Map<?, ?>) podTemplate.getOrDefault("spec", Map.of())).get("affinity");
    Map<String, Object> matchLabels = new LinkedHashMap<>(desired.get().selector());
    matchLabels.put(RolloutExecutor.HASH_LABEL, template.hash());
    Optional<LiveObject> live = current;
    if (live.isPresent()
        && runsLabelled(live.get(), template)
        && carries(live.get(), pods(spec).canaryMetadata())
        && (wantedAffinity == null
            || contains(live.get().at("spec.template.spec.affinity").orElse(null), wantedAffinity))
        && live.get().at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(-1) == count) {
      return;
    }
    if (live.isPresent()
        && !live.get().at("spec.selector.matchLabels").orElse(Map.of()).equals(matchLabels)) {
      cluster.delete(spec.secondaryKey(), false); // a Deployment's selector cannot change
      seenThisPass.put(spec.secondaryKey(), Optional.empty());
    }
    Map<String, Object> deployment = deployment(spec.secondaryKey(), template, count, podTemplate);
    ((Map<String, Object>) deployment.get("spec"))
        .put("selector", Map.of("matchLabels", matchLabels));
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) deployment.get("metadata");
    metadata.put(
        "labels",
        Map.of(RolloutOwnership.MANAGED_BY, "weir", RolloutRunner.ROLLOUT_LABEL, spec.name()));
    applyDeployment(spec.secondaryKey(), deployment);
    if (count > 0) {
      stamp(spec, stable);
    }
  }

  /**
   * An experiment's workload: a Deployment of its own running the stable or canary template, its
   * pods labelled with the experiment's pod hash (never the rollout's own sides' hash, so that
   * neither a narrowed Service nor a query for the canary's pods takes them for the rollout's).
   */
  @SuppressWarnings("unchecked")
  private void runExperiment(RolloutSpec spec, Effect.RunExperiment run) {
    ResourceKey key = experimentKey(spec, run.deployment());
    Map<String, String> podLabels = new LinkedHashMap<>(run.template().labels());
    podLabels.put(TemplateExperiment.TEMPLATE_LABEL, run.template().name());
    Map<String, Object> podTemplate =
        labelled(
            templateOf(spec, run.runs()),
            new PodTemplateRef(run.podHash(), run.runs().version()),
            new CanaryPods.PodMetadata(podLabels, run.template().annotations()));
    Map<String, Object> matchLabels =
        new LinkedHashMap<>(
            run.template().selector().isEmpty()
                ? desired.get().selector()
                : run.template().selector());
    matchLabels.put(RolloutExecutor.HASH_LABEL, run.podHash());
    Optional<LiveObject> live = deployment(key);
    if (live.isPresent()
        && run.podHash().equals(hashLabel(live.get()))
        && live.get().at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(-1)
            == run.replicas()) {
      return;
    }
    if (live.isPresent()
        && !live.get().at("spec.selector.matchLabels").orElse(Map.of()).equals(matchLabels)) {
      cluster.delete(key, false); // a Deployment's selector cannot change
      seenThisPass.put(key, Optional.empty());
    }
    Map<String, Object> deployment = deployment(key, run.runs(), run.replicas(), podTemplate);
    ((Map<String, Object>) deployment.get("spec"))
        .put("selector", Map.of("matchLabels", matchLabels));
    Map<String, Object> metadata = (Map<String, Object>) deployment.get("metadata");
    metadata.put(
        "labels",
        Map.of(
            RolloutOwnership.MANAGED_BY,
            "weir",
            RolloutRunner.ROLLOUT_LABEL,
            spec.name(),
            TemplateExperiment.TEMPLATE_LABEL,
            run.template().name()));
    applyDeployment(key, deployment);
    LOG.info(
        "rollout {}: experiment workload {} runs {} × {} (pods labelled {})",
        spec.qualifiedName(),
        run.deployment(),
        run.runs().version(),
        run.replicas(),
        run.podHash());
  }

  static ResourceKey experimentKey(RolloutSpec spec, String name) {
    return new ResourceKey("apps", "Deployment", spec.namespace(), name);
  }

  /** The label selector of every experiment Deployment of the rollout. */
  static String experimentSelector(RolloutSpec spec) {
    return RolloutRunner.ROLLOUT_LABEL
        + "="
        + spec.name()
        + ","
        + TemplateExperiment.TEMPLATE_LABEL;
  }

  /** Deletes the rollout's experiment Deployments but those in {@code keep}. */
  int endExperiments(RolloutSpec spec, java.util.Set<String> keep) {
    int deleted = 0;
    for (LiveObject live :
        cluster.list(
            cluster.resourceType("apps/v1", "Deployment"),
            spec.namespace(),
            experimentSelector(spec))) {
      if (!keep.contains(live.key().name())) {
        if (cluster.delete(live.key(), false)) {
          deleted++;
          LOG.info(
              "rollout {}: experiment workload {} deleted",
              spec.qualifiedName(),
              live.key().name());
        }
        seenThisPass.put(live.key(), Optional.empty());
      }
    }
    return deleted;
  }

  /** Gives the stable pods their template-hash label once, so that Services can tell them apart. */
  private void stamp(RolloutSpec spec, PodTemplateRef stableRef) {
    Optional<LiveObject> stable = deployment(spec.targetKey());
    if (stable.isEmpty()) {
      return;
    }
    Object label =
        stable
            .get()
            .at("spec.template.metadata.labels")
            .map(l -> ((Map<?, ?>) l).get(RolloutExecutor.HASH_LABEL))
            .orElse(null);
    if (label == null) {
      PodTemplateRef ref = liveRef(stable.get());
      Map<String, Object> known = store.templates().get(stableRef.hash());
      if (!ref.hash().equals(stableRef.hash())
          && known != null
          && contains(liveTemplate(stable.get()), known)) {
        // the rollout's stable template as Git has it: the live one carries the API server's
        // defaults, whose hash no Service selector, DestinationRule subset or analysis would know
        ref = stableRef;
      }
      store.templates().putIfAbsent(ref.hash(), liveTemplate(stable.get()));
      updateStable(
          spec,
          ref,
          stable
              .get()
              .at("spec.replicas")
              .map(v -> ((Number) v).intValue())
              .orElse(desired.get().replicas()));
    }
  }

  private void updateStable(RolloutSpec spec, PodTemplateRef template, int count) {
    Optional<LiveObject> live = deployment(spec.targetKey());
    if (live.isPresent()
        && live.get().annotations().containsKey(RolloutExecutor.TEMPLATE_ANNOTATION)
        && runsLabelled(live.get(), template)
        && carries(live.get(), pods(spec).stableMetadata())
        && live.get().at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(-1) == count) {
      return;
    }
    applyDeployment(
        spec.targetKey(),
        deployment(
            spec.targetKey(),
            template,
            count,
            labelled(templateOf(spec, template), template, pods(spec).stableMetadata())));
  }

  private static Map<String, Object> deployment(
      ResourceKey key, PodTemplateRef template, int count, Map<String, Object> podTemplate) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", key.name());
    metadata.put("namespace", key.namespace());
    metadata.put("annotations", Map.of(RolloutExecutor.TEMPLATE_ANNOTATION, template.hash()));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("replicas", count);
    spec.put("template", podTemplate);
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("apiVersion", "apps/v1");
    deployment.put("kind", "Deployment");
    deployment.put("metadata", metadata);
    deployment.put("spec", spec);
    return deployment;
  }

  private Map<String, Object> templateOf(RolloutSpec spec, PodTemplateRef template) {
    Map<String, Object> known = store.templates().get(template.hash());
    if (known == null) {
      throw new RolloutRunner.ActionException(
          "the pod template of "
              + template.version()
              + " ("
              + template.hash()
              + ") is no longer known to "
              + spec.name()
              + "; revert the application in Git to a known revision");
    }
    return known;
  }

  /** What the rollout adds to pods (Argo's canary fields); nothing for blue/green. */
  private static CanaryPods pods(RolloutSpec spec) {
    return spec.strategy() instanceof CanaryStrategy canary ? canary.pods() : CanaryPods.WEIR;
  }

  /** {@code antiAffinity} of either strategy: the canary's or the preview's pods (decision 0048). */
  private static Optional<CanaryPods.AntiAffinity> antiAffinity(RolloutSpec spec) {
    return switch (spec.strategy()) {
      case CanaryStrategy canary -> canary.pods().antiAffinity();
      case BlueGreenStrategy blueGreen -> blueGreen.antiAffinity();
    };
  }

  /**
   * {@code template} with its pods labelled by the template's hash and carrying {@code extra}
   * ({@code canaryMetadata} or {@code stableMetadata}): what the pods of one side carry, not part
   * of the template's identity (its hash is Git's template's).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> labelled(
      Map<String, Object> template, PodTemplateRef ref, CanaryPods.PodMetadata extra) {
    Map<String, Object> copy = (Map<String, Object>) deepCopy(template);
    Map<String, Object> metadata =
        (Map<String, Object>) copy.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    Map<String, Object> labels =
        (Map<String, Object>) metadata.computeIfAbsent("labels", k -> new LinkedHashMap<>());
    labels.putAll(extra.labels());
    labels.put(RolloutExecutor.HASH_LABEL, ref.hash());
    if (!extra.annotations().isEmpty()) {
      ((Map<String, Object>) metadata.computeIfAbsent("annotations", k -> new LinkedHashMap<>()))
          .putAll(extra.annotations());
    }
    return copy;
  }

  /** Whether {@code deployment}'s pods carry {@code extra} already. */
  private static boolean carries(LiveObject deployment, CanaryPods.PodMetadata extra) {
    Map<String, Object> want = new LinkedHashMap<>();
    if (!extra.labels().isEmpty()) {
      want.put("labels", extra.labels());
    }
    if (!extra.annotations().isEmpty()) {
      want.put("annotations", extra.annotations());
    }
    return contains(deployment.at("spec.template.metadata").orElse(Map.of()), want);
  }

  private static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(deepCopy(v)));
      return out;
    }
    return value;
  }

  /**
   * Narrows {@code service} to the pods of {@code template} by their hash label, once those pods
   * carry it; until then the Service keeps the application's own selector. Returns whether it could
   * narrow it.
   */
  private boolean select(RolloutSpec spec, String service, PodTemplateRef template) {
    Optional<String> hash = labelled(spec, template);
    selectHash(spec, service, hash);
    return hash.isPresent();
  }

  /**
   * {@code template}'s hash when a Deployment of the rollout runs it with its pods labelled and
   * available, so that a selector narrowed to it is not left without endpoints.
   */
  private Optional<String> labelled(RolloutSpec spec, PodTemplateRef template) {
    for (ResourceKey key : List.of(spec.targetKey(), spec.secondaryKey())) {
      Optional<LiveObject> deployment = deployment(key);
      if (deployment.isPresent()
          && settled(deployment.get())
          && template.hash().equals(hashLabel(deployment.get()))) {
        return Optional.of(template.hash());
      }
    }
    return Optional.empty();
  }

  /**
   * Gives an Istio DestinationRule's canary and stable subsets their sides' hashes, as Argo
   * Rollouts' {@code UpdateHash} does: once a side's pods are available (Argo delays the switch
   * until then too); with no canary (steady, aborted) the canary subset names the stable pods, as
   * in Argo once the canary hash is the stable one.
   *
   * @return whether both sides had their hash
   */
  private boolean selectSubsets(
      RolloutSpec spec,
      TrafficRoutingSpec.DestinationRule rule,
      PodTemplateRef stable,
      Optional<CanaryCursor> cursor) {
    Optional<String> stableHash = labelled(spec, stable);
    Optional<String> canaryHash =
        cursor.isPresent() ? labelled(spec, cursor.get().canary()) : stableHash;
    RoutePlan plan =
        new IstioSubsets(spec.namespace(), rule, RolloutExecutor.HASH_LABEL)
            .apply(cluster, canaryHash, stableHash, RolloutExecutor.FIELD_MANAGER);
    if (plan instanceof RoutePlan.Impossible impossible) {
      throw new RolloutRunner.ActionException(impossible.reason());
    }
    return stableHash.isPresent() && canaryHash.isPresent();
  }

  /**
   * Whether {@code live} runs {@code template} with its pods labelled by the template's hash (a
   * Deployment applied by someone else runs the template without the label: the rollout adds it, so
   * that a Service can be narrowed to those pods).
   */
  private boolean runsLabelled(LiveObject live, PodTemplateRef template) {
    return liveRef(live).hash().equals(template.hash()) && template.hash().equals(hashLabel(live));
  }

  /** The hash label of {@code deployment}'s pod template, or null. */
  private static Object hashLabel(LiveObject deployment) {
    return deployment
        .at("spec.template.metadata.labels")
        .map(l -> ((Map<?, ?>) l).get(RolloutExecutor.HASH_LABEL))
        .orElse(null);
  }

  /**
   * Whether every pod of {@code deployment} runs its current template and is available: only then
   * may a Service be narrowed to that template's pods without leaving it without endpoints.
   */
  private static boolean settled(LiveObject deployment) {
    Map<String, Object> status = deployment.status();
    long observed = status.get("observedGeneration") instanceof Number n ? n.longValue() : 0;
    int want = deployment.at("spec.replicas").map(v -> ((Number) v).intValue()).orElse(1);
    int updated = status.get("updatedReplicas") instanceof Number n ? n.intValue() : 0;
    int available = status.get("availableReplicas") instanceof Number n ? n.intValue() : 0;
    return observed >= deployment.generation() && want > 0 && updated >= want && available >= want;
  }

  /**
   * A rollout that left Git gives its Istio DestinationRule's two subsets back without its hash
   * labels (as its Services get their selectors back); a DestinationRule that is gone or lost a
   * subset is left as it is.
   */
  void releaseSubsets(RolloutSpec spec) {
    if (spec.strategy() instanceof CanaryStrategy canary
        && canary.trafficRouting() instanceof TrafficRoutingSpec.Istio istio
        && istio.destinationRule().isPresent()) {
      new IstioSubsets(spec.namespace(), istio.destinationRule().get(), RolloutExecutor.HASH_LABEL)
          .apply(cluster, Optional.empty(), Optional.empty(), RolloutExecutor.FIELD_MANAGER);
    }
  }

  void selectHash(RolloutSpec spec, String service, Optional<String> hash) {
    ResourceKey key = new ResourceKey("", "Service", spec.namespace(), service);
    Optional<LiveObject> live = cluster.get(key);
    if (live.isEmpty()) {
      throw new RolloutRunner.ActionException(
          "Service " + spec.namespace() + "/" + service + " does not exist");
    }
    Object current =
        live.get()
            .at("spec.selector")
            .map(s -> ((Map<?, ?>) s).get(RolloutExecutor.HASH_LABEL))
            .orElse(null);
    if (hash.map(h -> h.equals(current)).orElse(current == null)) {
      return;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", service);
    metadata.put("namespace", spec.namespace());
    Map<String, Object> selectorPatch = new LinkedHashMap<>();
    hash.ifPresent(h -> selectorPatch.put(RolloutExecutor.HASH_LABEL, h));
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "Service");
    object.put("metadata", metadata);
    object.put("spec", new LinkedHashMap<>(Map.of("selector", selectorPatch)));
    cluster.apply(object, WRITE);
  }

  /** Keeps a canary's two Services on their own pods, once the pods carry their hash label. */
  void syncSelectors(RolloutSpec spec, RolloutState state) {
    if (!(spec.strategy() instanceof CanaryStrategy canary)
        || !(state instanceof CanaryState canaryState)) {
      return;
    }
    Optional<CanaryCursor> cursor =
        switch (canaryState) {
          case CanaryState.Progressing p -> Optional.of(p.cursor());
          case CanaryState.Paused p -> Optional.of(p.cursor());
          case CanaryState.Promoting p -> Optional.of(p.cursor());
          default -> Optional.empty();
        };
    PodTemplateRef stable = RolloutViews.stableOf(state);
    String key = stable.hash() + "/" + cursor.map(c -> c.canary().hash()).orElse("");
    if (key.equals(selectorsSyncedFor) && !selectorsPending) {
      return; // nothing changed since the selectors were last made right
    }
    boolean settled = true;
    if (canary.stableService().isPresent()) {
      settled &= select(spec, canary.stableService().get(), stable);
    }
    if (cursor.isPresent() && canary.canaryService().isPresent()) {
      settled &= select(spec, canary.canaryService().get(), cursor.get().canary());
    }
    if (canary.trafficRouting() instanceof TrafficRoutingSpec.Istio istio
        && istio.destinationRule().isPresent()) {
      settled &= selectSubsets(spec, istio.destinationRule().get(), stable, cursor);
    }
    selectorsSyncedFor = key;
    selectorsPending = !settled;
  }

  private void startAnalysis(
      RolloutSpec spec,
      String run,
      AnalysisRef ref,
      AnalysisCounts recorded,
      Map.Entry<String, String> latestAndStable) {
    analyses.start(
        run,
        ref,
        recorded,
        desired.get().analysisTemplates(),
        latestAndStable.getKey(),
        latestAndStable.getValue(),
        requestPass);
  }

  /**
   * The pod-template hashes of the new version and of the stable one, as {@code state} has them.
   */
  private static Map.Entry<String, String> hashes(RolloutState state) {
    return RolloutViews.hashes(state);
  }

  private void stopAnalysis(String run) {
    analyses.stop(run, "the rollout moved on");
  }

  private void emit(RolloutSpec spec, RolloutEvent event) {
    owner.publish(event);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(
        "name",
        spec.name()
            + "."
            + Long.toHexString(event.at().toEpochMilli())
            + "."
            + EVENT_SEQUENCE.incrementAndGet());
    metadata.put("namespace", spec.namespace());
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put("rollouts.weir.dev/who", event.who());
    annotations.put("rollouts.weir.dev/from", event.from());
    annotations.put("rollouts.weir.dev/to", event.to());
    annotations.put("rollouts.weir.dev/application", spec.application());
    if (!event.metrics().isEmpty()) {
      try {
        annotations.put("rollouts.weir.dev/metrics", JSON.writeValueAsString(event.metrics()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    // an event about an analysis run carries the run's analysisRunMetadata (decision 0041);
    // Weir's own keys were refused when the Rollout was read, and win here all the same
    Map<String, Object> labels = new LinkedHashMap<>(event.runMetadata().labels());
    event.runMetadata().annotations().forEach(annotations::putIfAbsent);
    labels.put(RolloutOwnership.MANAGED_BY, "weir");
    labels.put(RolloutRunner.ROLLOUT_LABEL, spec.name());
    metadata.put("annotations", annotations);
    metadata.put("labels", labels);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "Event");
    object.put("metadata", metadata);
    object.put(
        "involvedObject",
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "name",
            spec.target(),
            "namespace",
            spec.namespace()));
    object.put("reason", reasonWord(event.reason()));
    object.put("message", event.message());
    object.put("type", event.reason() == RolloutEvent.Reason.ROLLED_BACK ? "Warning" : "Normal");
    object.put("firstTimestamp", event.at().toString());
    object.put("lastTimestamp", event.at().toString());
    object.put("count", 1);
    object.put("source", Map.of("component", RolloutExecutor.FIELD_MANAGER));
    object.put("reportingComponent", RolloutExecutor.FIELD_MANAGER);
    // off the pass's path: the timeline must not hold up the next action
    work.execute(
        () -> {
          owner.awaitCalm();
          owner.backgroundLane().acquireUninterruptibly();
          try {
            cluster.apply(object, WRITE);
          } catch (ClusterException e) {
            LOG.warn("rollout {}: event not recorded: {}", spec.qualifiedName(), e.getMessage());
          } finally {
            owner.backgroundLane().release();
          }
        });
  }

  /** {@code ROLLED_BACK} → {@code RolledBack}, as Kubernetes event reasons are written. */
  static String reasonWord(RolloutEvent.Reason reason) {
    StringBuilder out = new StringBuilder();
    for (String part : reason.name().split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return out.toString();
  }
}
