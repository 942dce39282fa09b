package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each application's resource tree, read from a real API server (the sandbox, with its simulated
 * controllers making ReplicaSets and Pods, owner references and all) through client-java.
 */
class ResourceTreeIT {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  TestCluster cluster;
  SandboxWorld world;
  GitSource git;
  Console console;

  @BeforeEach
  void seed() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    world = SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(3));
    Path repository = dir.resolve("shop.git");
    SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
    GitSettings settings =
        GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
            .withCredentialHelper(false);
    try (JGitSource source =
        JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock)) {
      SampleCluster.seed(cluster.server, source, "HEAD~1", repository);
    }
    clock.advance(Duration.ofMinutes(2));
    git = JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock);
    console =
        Console.open(
            git,
            cluster.gateway(),
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "console")));
  }

  @AfterEach
  void stop() throws Exception {
    console.close();
    git.close();
    world.close();
    cluster.close();
  }

  @Test
  void aDeploymentOwnsItsReplicaSetWhichOwnsItsPodsEachWithItsHealth() {
    assertThat(console.refresh().join().ok()).isTrue();
    ApplicationView inventory = console.snapshot().application("inventory").orElseThrow();
    ResourceTree tree = inventory.tree();

    ResourceNode deployment =
        tree.roots().stream()
            .filter(n -> n.key().kind().equals("Deployment"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Deployment among " + tree.roots()));
    assertThat(deployment.sync()).as("from Git").contains(inventory.resources().stream()
        .filter(r -> r.key().equals(deployment.key())).findFirst().orElseThrow().sync());
    assertThat(deployment.children()).as("its ReplicaSets").isNotEmpty()
        .allSatisfy(rs -> {
          assertThat(rs.key().kind()).isEqualTo("ReplicaSet");
          assertThat(rs.key().name()).startsWith(deployment.key().name() + "-");
          assertThat(rs.sync()).as("made by a controller, not from Git").isEmpty();
        });
    List<ResourceNode> pods =
        deployment.children().stream().flatMap(rs -> rs.children().stream()).toList();
    long replicas =
        ((Number)
                cluster.gateway().get(deployment.key()).orElseThrow().spec().get("replicas"))
            .longValue();
    assertThat(pods).as("every pod of the Deployment").hasSize((int) replicas);
    assertThat(pods)
        .allSatisfy(
            pod -> {
              assertThat(pod.key().kind()).isEqualTo("Pod");
              assertThat(pod.health().status()).isEqualTo(HealthStatus.Healthy);
              assertThat(pod.children()).isEmpty();
            });
    assertThat(tree.roots())
        .as("Services are roots of their own, with no children")
        .filteredOn(n -> n.key().kind().equals("Service"))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.children()).isEmpty());
    assertThat(tree.roots()).extracting(ResourceNode::key)
        .containsExactlyElementsOf(inventory.resources().stream().map(ResourceView::key).toList());
  }

  @Test
  void aPodThatIsDeletedLeavesTheTreeAtTheNextComparison() {
    console.refresh().join();
    ResourceNode pod =
        console.snapshot().application("inventory").orElseThrow().tree().roots().stream()
            .flatMap(ResourceNode::flatten)
            .filter(n -> n.key().kind().equals("Pod"))
            .findFirst()
            .orElseThrow();
    ResourceKey key = pod.key();
    assertThat(cluster.gateway().delete(key, false)).isTrue();
    console.refresh().join();
    assertThat(console.snapshot().application("inventory").orElseThrow().tree().find(key))
        .isEmpty();
  }
}
