package dev.weir.engine.console;

import dev.weir.engine.model.Health;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.reconcile.HealthAssessor;
import dev.weir.engine.rollout.RolloutExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An application's objects as a tree by owner references: Deployment → ReplicaSet → Pod, CronJob
 * → Job → Pod, a Rollout → the Deployments made for it; Services, HTTPRoutes and the rest as roots
 * of their own. Computed once in the engine; both faces draw it. Immutable.
 *
 * <p>Example: an application with a Deployment {@code storefront} (two replicas) and a Service
 * {@code storefront}:
 *
 * <pre>
 * Deployment shop/storefront        Synced  Healthy
 *   ReplicaSet shop/storefront-7c9d  —      Healthy
 *     Pod shop/storefront-7c9d-a1b2  —      Healthy
 *     Pod shop/storefront-7c9d-c3d4  —      Healthy
 * Service shop/storefront           Synced  Healthy
 * </pre>
 *
 * @param roots the application's own objects (from Git, and those it would prune), in the order
 *     of its resource list
 */
public record ResourceTree(List<ResourceNode> roots) {
  private static final List<String> KIND_ORDER =
      List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod");
  private static final Comparator<ResourceNode> CHILD_ORDER =
      Comparator.comparingInt((ResourceNode n) -> rank(n.key().kind()))
          .thenComparing(n -> n.key().kind())
          .thenComparing(n -> n.key().name());

  public ResourceTree {
    roots = List.copyOf(roots);
  }

  /** No children: each of {@code resources} a root of its own (before the cluster was read). */
  public static ResourceTree flat(List<ResourceView> resources) {
    return new ResourceTree(
        resources.stream()
            .map(r -> new ResourceNode(r.key(), Optional.of(r.sync()), r.health(), List.of()))
            .toList());
  }

  /**
   * The tree of {@code resources} (their live objects in {@code live}), with every object of
   * {@code cluster} that one of them owns, directly or through others, under its owner.
   *
   * @param cluster objects read from the cluster around the application (ReplicaSets, Pods, Jobs,
   *     Deployments a rollout made); those not owned by the application's objects are left out
   * @param now for health deadlines
   */
  public static ResourceTree of(
      List<ResourceView> resources,
      Map<ResourceKey, LiveObject> live,
      Collection<LiveObject> cluster,
      Instant now) {
    Map<String, List<LiveObject>> byOwner = new HashMap<>();
    Map<String, List<LiveObject>> byRollout = new HashMap<>();
    for (LiveObject object : cluster) {
      List<String> owners = ownerUids(object);
      owners.forEach(uid -> byOwner.computeIfAbsent(uid, u -> new ArrayList<>()).add(object));
      if (owners.isEmpty()
          && object.labels().get(RolloutExecutor.ROLLOUT_LABEL) instanceof String rollout) {
        byRollout.computeIfAbsent(object.key().namespace() + "/" + rollout, r -> new ArrayList<>())
            .add(object);
      }
    }
    Set<ResourceKey> own = new HashSet<>();
    resources.forEach(r -> own.add(r.key()));
    Set<String> visited = new HashSet<>();
    List<ResourceNode> roots = new ArrayList<>();
    for (ResourceView resource : resources) {
      LiveObject object = live.get(resource.key());
      List<LiveObject> children = new ArrayList<>();
      if (object != null && !object.uid().isEmpty() && visited.add(object.uid())) {
        children.addAll(byOwner.getOrDefault(object.uid(), List.of()));
      }
      if (resource.key().kind().equals("Rollout")) {
        children.addAll(
            byRollout.getOrDefault(
                resource.key().namespace() + "/" + resource.key().name(), List.of()));
      }
      children.removeIf(c -> own.contains(c.key()));
      roots.add(
          new ResourceNode(
              resource.key(),
              Optional.of(resource.sync()),
              resource.health(),
              nodes(children, byOwner, visited, now)));
    }
    return new ResourceTree(roots);
  }

  private static List<ResourceNode> nodes(
      List<LiveObject> objects,
      Map<String, List<LiveObject>> byOwner,
      Set<String> visited,
      Instant now) {
    List<ResourceNode> nodes = new ArrayList<>();
    for (LiveObject object : objects) {
      if (!object.uid().isEmpty() && !visited.add(object.uid())) {
        continue; // owned twice, or a cycle: shown once
      }
      Health health = HealthAssessor.assess(object, now);
      List<LiveObject> owned =
          object.uid().isEmpty() ? List.of() : byOwner.getOrDefault(object.uid(), List.of());
      nodes.add(
          new ResourceNode(object.key(), Optional.empty(), health, nodes(owned, byOwner, visited, now)));
    }
    nodes.sort(CHILD_ORDER);
    return nodes;
  }

  @SuppressWarnings("unchecked")
  private static List<String> ownerUids(LiveObject object) {
    if (!(object.metadata().get("ownerReferences") instanceof List<?> references)) {
      return List.of();
    }
    List<String> uids = new ArrayList<>();
    for (Object reference : references) {
      if (reference instanceof Map<?, ?> map && map.get("uid") instanceof String uid) {
        uids.add(uid);
      }
    }
    return uids;
  }

  private static int rank(String kind) {
    int i = KIND_ORDER.indexOf(kind);
    return i < 0 ? KIND_ORDER.size() : i;
  }

  /** The node of {@code key}, anywhere in the tree. */
  public Optional<ResourceNode> find(ResourceKey key) {
    return roots.stream().flatMap(ResourceNode::flatten).filter(n -> n.key().equals(key)).findFirst();
  }

  /** How many nodes the tree has. */
  public int size() {
    return (int) roots.stream().flatMap(ResourceNode::flatten).count();
  }
}
