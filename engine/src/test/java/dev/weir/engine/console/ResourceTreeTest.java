package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.rollout.RolloutExecutor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the tree hangs objects under their owners, from plain objects (no cluster). */
class ResourceTreeTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  static LiveObject object(
      String apiVersion, String kind, String name, String uid, Map<String, Object> labels, String... owners) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", "shop");
    metadata.put("uid", uid);
    metadata.put("labels", labels);
    metadata.put(
        "ownerReferences",
        java.util.Arrays.stream(owners).map(o -> (Object) Map.of("uid", o)).toList());
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.put("metadata", metadata);
    return new LiveObject(ResourceKey.of(apiVersion, kind, "shop", name), apiVersion, object);
  }

  static ResourceView view(LiveObject object, SyncStatus sync) {
    return new ResourceView(
        object.key(),
        sync,
        Health.healthy(),
        new ResourceDiff(object.key(), ResourceDiff.Status.SYNCED, List.of(), "", ""),
        false);
  }

  @Test
  void objectsHangUnderTheirOwnersSortedByKindThenNameAndStrangersAreLeftOut() {
    LiveObject deployment = object("apps/v1", "Deployment", "web", "d1", Map.of());
    LiveObject service = object("v1", "Service", "web", "s1", Map.of());
    LiveObject rsNew = object("apps/v1", "ReplicaSet", "web-b", "r2", Map.of(), "d1");
    LiveObject rsOld = object("apps/v1", "ReplicaSet", "web-a", "r1", Map.of(), "d1");
    LiveObject podB = object("v1", "Pod", "web-b-2", "p2", Map.of(), "r2");
    LiveObject podA = object("v1", "Pod", "web-b-1", "p1", Map.of(), "r2");
    LiveObject stranger = object("v1", "Pod", "other-1", "p9", Map.of(), "r9");

    ResourceTree tree =
        ResourceTree.of(
            List.of(view(deployment, SyncStatus.OutOfSync), view(service, SyncStatus.Synced)),
            Map.of(deployment.key(), deployment, service.key(), service),
            List.of(podB, stranger, rsNew, podA, rsOld),
            NOW);

    assertThat(tree.roots()).extracting(n -> n.key().name()).containsExactly("web", "web");
    ResourceNode root = tree.roots().getFirst();
    assertThat(root.sync()).contains(SyncStatus.OutOfSync);
    assertThat(root.children()).extracting(n -> n.key().name()).containsExactly("web-a", "web-b");
    assertThat(root.children().get(1).children())
        .extracting(n -> n.key().name())
        .containsExactly("web-b-1", "web-b-2");
    assertThat(root.children().get(1).sync()).as("not from Git").isEmpty();
    assertThat(tree.find(stranger.key())).isEmpty();
    assertThat(tree.size()).isEqualTo(6);
  }

  @Test
  void aRolloutHoldsTheDeploymentsMadeForItAndACycleIsShownOnce() {
    LiveObject rollout = object("weir.dev/v1alpha1", "Rollout", "web", "ro", Map.of());
    LiveObject canary =
        object("apps/v1", "Deployment", "web-canary", "c1", Map.of(RolloutExecutor.ROLLOUT_LABEL, "web"));
    LiveObject a = object("apps/v1", "ReplicaSet", "loop-a", "la", Map.of(), "c1", "lb");
    LiveObject b = object("apps/v1", "ReplicaSet", "loop-b", "lb", Map.of(), "la");

    ResourceTree tree =
        ResourceTree.of(
            List.of(view(rollout, SyncStatus.Synced)),
            Map.of(rollout.key(), rollout),
            List.of(canary, a, b),
            NOW);

    ResourceNode canaryNode = tree.roots().getFirst().children().getFirst();
    assertThat(canaryNode.key()).isEqualTo(canary.key());
    assertThat(tree.size()).as("rollout, canary, loop-a, loop-b: each once").isEqualTo(4);
  }
}
