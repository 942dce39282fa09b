package dev.weir.engine.console;

import dev.weir.engine.model.Health;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One object of an application's resource tree, with what it owns. Immutable.
 *
 * @param key the object
 * @param sync Synced or OutOfSync for an object from Git; empty for one a controller made (a
 *     ReplicaSet, a Pod), which Git does not describe, as Argo CD shows them
 * @param health its health, assessed as the application's objects are
 * @param children the objects it owns (by {@code metadata.ownerReferences}) or, for a Rollout, the
 *     Deployments the rollout engine made for it; by kind (ReplicaSet, Pod, others), then name
 */
public record ResourceNode(
    ResourceKey key, Optional<SyncStatus> sync, Health health, List<ResourceNode> children) {
  public ResourceNode {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(health, "health");
    children = List.copyOf(children);
  }

  /** This node and every node under it, depth first. */
  public Stream<ResourceNode> flatten() {
    return Stream.concat(Stream.of(this), children.stream().flatMap(ResourceNode::flatten));
  }
}
