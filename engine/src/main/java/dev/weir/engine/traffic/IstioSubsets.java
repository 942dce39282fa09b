package dev.weir.engine.traffic;

import static dev.weir.engine.traffic.ObjectTrees.copy;
import static dev.weir.engine.traffic.ObjectTrees.header;
import static dev.weir.engine.traffic.ObjectTrees.list;
import static dev.weir.engine.traffic.ObjectTrees.map;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subsets of an Istio DestinationRule that a rollout splits between (Argo Rollouts' {@code
 * trafficRouting.istio.destinationRule}): the canary subset's labels get the canary pods'
 * pod-template hash and the stable subset's the stable pods', as Argo's {@code UpdateHash} does
 * (with Weir's hash label, the one Weir's pods carry). A side whose pods do not carry their label
 * yet has the label removed, so the subset is the whole host rather than no pods. Other subsets and
 * every other field are left as they are; only {@code spec.subsets} is written.
 *
 * <p>Decide purely ({@link #plan}), act in one place ({@link #apply}). Immutable and thread-safe.
 */
public final class IstioSubsets {
  private final ResourceKey key;
  private final TrafficRoutingSpec.DestinationRule rule;
  private final String hashLabel;

  /**
   * @param hashLabel the pod label that tells the two sides' pods apart
   */
  public IstioSubsets(
      String namespace, TrafficRoutingSpec.DestinationRule rule, String hashLabel) {
    this.key = new ResourceKey(IstioRouter.GROUP, "DestinationRule", namespace, rule.name());
    this.rule = rule;
    this.hashLabel = hashLabel;
  }

  /** The DestinationRule. */
  public ResourceKey key() {
    return key;
  }

  /** {@code DestinationRule shop/storefront}, for messages. */
  public String describe() {
    return "DestinationRule " + key.namespace() + "/" + key.name();
  }

  /**
   * The write that gives each side's subset its pods' hash (or none: the label removed).
   *
   * @param live the DestinationRule as the cluster serves it, or null when it does not exist
   */
  public RoutePlan plan(
      Map<String, Object> live, Optional<String> canaryHash, Optional<String> stableHash) {
    if (live == null) {
      return new RoutePlan.Impossible(
          describe() + " does not exist; the rollout sets the labels of its subsets");
    }
    Map<String, Object> spec = map(live.get("spec"));
    List<Object> subsets = spec == null ? null : list(spec.get("subsets"));
    List<Object> next = new ArrayList<>();
    boolean canaryFound = false;
    boolean stableFound = false;
    for (Object raw : subsets == null ? List.of() : subsets) {
      Map<String, Object> subset = copy(map(raw));
      String name = String.valueOf(subset.get("name"));
      Optional<String> hash = Optional.empty();
      boolean ours = false;
      if (name.equals(rule.canarySubsetName())) {
        canaryFound = ours = true;
        hash = canaryHash;
      } else if (name.equals(rule.stableSubsetName())) {
        stableFound = ours = true;
        hash = stableHash;
      }
      if (ours) {
        Map<String, Object> labels = map(subset.get("labels"));
        labels = labels == null ? new LinkedHashMap<>() : labels;
        if (hash.isPresent()) {
          labels.put(hashLabel, hash.get());
        } else {
          labels.remove(hashLabel);
        }
        if (labels.isEmpty()) {
          subset.remove("labels");
        } else {
          subset.put("labels", labels);
        }
      }
      next.add(subset);
    }
    List<String> missing = new ArrayList<>();
    if (!canaryFound) {
      missing.add(rule.canarySubsetName());
    }
    if (!stableFound) {
      missing.add(rule.stableSubsetName());
    }
    if (!missing.isEmpty()) {
      return new RoutePlan.Impossible(
          describe() + " has no subset named " + String.join(", ", missing));
    }
    if (ObjectTrees.same(next, subsets)) {
      return new RoutePlan.Unchanged();
    }
    Map<String, Object> object =
        header(
            String.valueOf(live.get("apiVersion")), "DestinationRule", key.namespace(), key.name());
    object.put("spec", new LinkedHashMap<>(Map.of("subsets", next)));
    return new RoutePlan.Write(List.of(object));
  }

  /**
   * Reads the DestinationRule through {@code cluster}, plans, and server-side applies the write as
   * {@code fieldManager}, forcing. Blocking; thread-safe.
   *
   * @return the plan carried out ({@link RoutePlan.Impossible} is returned, not thrown)
   * @throws ClusterException when the cluster cannot be read or written
   */
  public RoutePlan apply(
      ClusterGateway cluster,
      Optional<String> canaryHash,
      Optional<String> stableHash,
      String fieldManager) {
    Map<String, Object> live = cluster.get(key).map(LiveObject::object).orElse(null);
    RoutePlan plan = plan(live, canaryHash, stableHash);
    if (plan instanceof RoutePlan.Write write) {
      for (Map<String, Object> object : write.objects()) {
        cluster.apply(object, new ApplyOptions(fieldManager, true, false));
      }
    }
    return plan;
  }
}
