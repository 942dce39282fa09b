package dev.weir.engine.rollout;

import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which objects and fields belong to the rollout engine rather than to Git sync, for the
 * reconciler: a template change of a rolled-out Deployment reaches the cluster through its rollout
 * (canary, then promotion), never through a sync, so the difference between Git's template and the
 * stable Deployment is not drift and must never be self-healed; likewise the replicas and weights
 * the rollout sets, the Service selectors it narrows, and the objects it makes ({@code
 * <target>-canary}, {@code <target>-preview}, the NGINX canary Ingress, an SMI TrafficSplit it
 * created, its state ConfigMap), which are never pruned.
 *
 * <p>Fields are JSON pointers; {@code *} stands for any one list index. Pure, immutable,
 * thread-safe.
 */
public final class RolloutOwnership {
  /** The label on every object the rollout engine creates. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The JSON pointer of {@link RolloutExecutor#TEMPLATE_ANNOTATION}. */
  static final String TEMPLATE_POINTER =
      "/metadata/annotations/" + RolloutExecutor.TEMPLATE_ANNOTATION.replace("/", "~1");

  private final Map<ResourceKey, List<String>> fields;
  private final Set<ResourceKey> objects;

  private RolloutOwnership(Map<ResourceKey, List<String>> fields, Set<ResourceKey> objects) {
    this.fields = fields;
    this.objects = objects;
  }

  /** What the given rollouts own. */
  public static RolloutOwnership of(List<RolloutSpec> rollouts) {
    Map<ResourceKey, List<String>> fields = new TreeMap<>();
    java.util.Set<ResourceKey> objects = new java.util.TreeSet<>();
    for (RolloutSpec spec : rollouts) {
      String ns = spec.namespace();
      fields.put(spec.targetKey(), List.of("/spec/template", "/spec/replicas", TEMPLATE_POINTER));
      objects.add(spec.secondaryKey());
      objects.add(RolloutStateStore.key(spec));
      switch (spec.strategy()) {
        case CanaryStrategy canary -> {
          canary
              .stableService()
              .ifPresent(s -> fields.put(service(ns, s), List.of("/spec/selector")));
          canary
              .canaryService()
              .ifPresent(s -> fields.put(service(ns, s), List.of("/spec/selector")));
          switch (canary.trafficRouting()) {
            case TrafficRoutingSpec.GatewayApi g ->
                fields.put(
                    new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", ns, g.httpRoute()),
                    List.of("/spec/rules"));
            case TrafficRoutingSpec.Istio i -> {
              fields.put(
                  new ResourceKey("networking.istio.io", "VirtualService", ns, i.virtualService()),
                  List.of("/spec/http"));
              i.destinationRule()
                  .ifPresent(
                      d ->
                          fields.put(
                              new ResourceKey(
                                  "networking.istio.io", "DestinationRule", ns, d.name()),
                              List.of("/spec/subsets")));
            }
            case TrafficRoutingSpec.Smi s -> {
              ResourceKey split =
                  new ResourceKey("split.smi-spec.io", "TrafficSplit", ns, s.trafficSplitName());
              fields.put(split, List.of("/spec/backends"));
              objects.add(split);
            }
            case TrafficRoutingSpec.Nginx n ->
                objects.add(
                    new ResourceKey(
                        "networking.k8s.io", "Ingress", ns, n.stableIngress() + "-canary"));
            case TrafficRoutingSpec.ReplicaRatio r -> {}
          }
        }
        case BlueGreenStrategy blueGreen -> {
          fields.put(service(ns, blueGreen.activeService()), List.of("/spec/selector"));
          blueGreen
              .previewService()
              .ifPresent(s -> fields.put(service(ns, s), List.of("/spec/selector")));
        }
      }
    }
    return new RolloutOwnership(fields, Set.copyOf(objects));
  }

  /**
   * {@code desired} with each valid Rollout's target Deployment stamped with the annotation {@link
   * RolloutExecutor#TEMPLATE_ANNOTATION} naming Git's template (by hash) and its pods labelled
   * {@link RolloutExecutor#HASH_LABEL} with that hash, as a sync applies it. The
   * stamp is how the engine tells, with no rollout recorded yet, a new template in Git (the live
   * stamp differs from Git's: a rollout is due, see {@link RolloutExecutor#engaged}) from a hand
   * edit of the live Deployment (the stamp still matches Git's: plain drift, self-healed).
   */
  public static DesiredState stamped(DesiredState desired) {
    List<RolloutSpec> rollouts = RolloutSpecParser.parseAll(desired).rollouts();
    if (rollouts.isEmpty()) {
      return desired;
    }
    SortedMap<ResourceKey, Manifest> resources = new TreeMap<>(desired.resources());
    for (RolloutSpec spec : rollouts) {
      Manifest target = resources.get(spec.targetKey());
      if (target == null) {
        continue;
      }
      Map<String, Object> object = new LinkedHashMap<>(target.object());
      String hash = PodTemplateRef.ofDeployment(object).hash();
      Map<String, Object> metadata = copyOf(object, "metadata");
      copyOf(metadata, "annotations").put(RolloutExecutor.TEMPLATE_ANNOTATION, hash);
      // the pods carry their template's hash from the first sync, as Argo Rollouts' ReplicaSets
      // do: the stable Service can be narrowed to them the moment a canary starts, with no restart
      Map<String, Object> podMetadata =
          copyOf(copyOf(copyOf(object, "spec"), "template"), "metadata");
      copyOf(podMetadata, "labels").put(RolloutExecutor.HASH_LABEL, hash);
      resources.put(
          spec.targetKey(),
          new Manifest(target.key(), target.apiVersion(), object, target.source()));
    }
    return new DesiredState(
        desired.application(), desired.revision(), resources, desired.configuration());
  }

  /** Puts a mutable copy of {@code parent}'s map {@code key} (an empty one if absent) in place. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> copyOf(Map<String, Object> parent, String key) {
    Map<String, Object> copy =
        new LinkedHashMap<>(
            parent.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    parent.put(key, copy);
    return copy;
  }

  private static ResourceKey service(String namespace, String name) {
    return new ResourceKey("", "Service", namespace, name);
  }

  /**
   * Whether the field at {@code jsonPointer} of {@code key} (or anything under it) belongs to a
   * rollout: not drift, never synced over.
   */
  public boolean owns(ResourceKey key, String jsonPointer) {
    if (objects.contains(key)) {
      return true;
    }
    for (String owned : fields.getOrDefault(key, List.of())) {
      if (covers(owned, jsonPointer)) {
        return true;
      }
    }
    return false;
  }

  /** The objects the rollouts make (or may make); a made one carries their name as a label. */
  Set<ResourceKey> objects() {
    return objects;
  }

  /** Whether the whole object is made by a rollout: never pruned, never drift. */
  public boolean ownsObject(ResourceKey key) {
    return objects.contains(key);
  }

  /** The owned fields as {@code ignoreDifferences} entries, for a normaliser that takes those. */
  public List<IgnoreDifference> asIgnoreDifferences() {
    List<IgnoreDifference> out = new ArrayList<>();
    fields.forEach(
        (key, pointers) ->
            out.add(
                new IgnoreDifference(
                    key.group(), key.kind(), key.name(), key.namespace(), pointers, List.of())));
    return out;
  }

  private static boolean covers(String owned, String pointer) {
    String[] a = owned.split("/", -1);
    String[] b = pointer.split("/", -1);
    if (b.length < a.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals("*") && !a[i].equals(b[i])) {
        return false;
      }
    }
    return true;
  }
}
