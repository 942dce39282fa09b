package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.console.AttentionItem;
import dev.weir.engine.console.ClusterTimeline;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.IncidentTimeline;
import dev.weir.engine.git.GitIdentity;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident timeline ({@code weir events}) and the needs-attention queue, on the sandbox API
 * server in virtual time: storefront's v2.4.1 fails its canary and is rolled back, then alice
 * reverts it in Git. A second console, opened afterwards, reads the last hour back from the
 * cluster; its {@code -o markdown} is compared with a golden file.
 *
 * <p>What the golden file normalises, and why: commit ids (they hash the commit's time and the
 * repository's contents, and JGit's tree ids differ across versions) are replaced by {@code
 * <sha>}. Nothing else varies: every time is the engine's manual clock, every commit's author and
 * time are set, and the metric provider is scripted. Regenerate with {@code -Dgolden.update=true}
 * and review the diff.
 */
class IncidentTimelineIT {
  static final Path GOLDEN = Path.of("src/test/resources/golden/events");
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final ResourceKey STABLE = new ResourceKey("apps", "Deployment", "shop", "storefront");

  @TempDir Path home;
  TestCluster cluster;
  ClusterGateway gateway;
  GitSource git;
  Console console;
  RepoBuilder remote;
  String bootstrap;

  @BeforeEach
  void start() throws Exception {
    Path repo = home.resolve("shop.git");
    remote = RepoBuilder.init(repo);
    RepoBuilder.Commit first =
        remote
            .commit("storefront 2.4.0")
            .author("Carol", "carol@example.com")
            .at(Instant.parse("2026-01-01T09:40:00Z"));
    for (String file : ConsoleRolloutIT.FILES) {
      first.add("apps/storefront/" + file, ConsoleRolloutIT.sample(file));
    }
    bootstrap = first.create();
    cluster = new TestCluster(home.resolve("cluster"));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    git =
        JGitSource.open(
            WorkspaceSpec.of(repo.toString()),
            GitSettings.from(Map.of(), home)
                .withIdentity(new GitIdentity("Alice", "alice@example.com")),
            cluster.clock);
    // the canary answers 0.90 successful requests: below the analysis' 0.99
    ScriptedMetrics metrics =
        new ScriptedMetrics()
            .asVectors()
            .set("http_requests_total", 0.90)
            .set("histogram_quantile", 0.12);
    console =
        Console.open(
            git,
            gateway,
            cluster.clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")),
            metrics,
            Runnable::run);
  }

  @AfterEach
  void stop() throws Exception {
    console.close();
    git.close();
    remote.close();
    cluster.close();
  }

  void podsReady() {
    ResourceType deployments = gateway.resourceType("apps/v1", "Deployment");
    for (LiveObject deployment : gateway.list(deployments, "shop", "")) {
      long replicas = deployment.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
      gateway.patchStatus(
          deployment.key(),
          Map.of(
              "observedGeneration", deployment.generation(),
              "replicas", replicas,
              "updatedReplicas", replicas,
              "readyReplicas", replicas,
              "availableReplicas", replicas),
          "kube-controller-manager");
    }
  }

  RolloutStatus rollout(Console on) {
    return on.snapshot().application("storefront").orElseThrow().rollouts().getFirst();
  }

  /** 10:00 synced at 2.4.0; 10:05 dave commits 2.4.1; its canary fails and is rolled back. */
  void badCanaryRolledBack() {
    assertThat(console.refresh().join().ok()).isTrue();
    CommandResult synced = console.sync("storefront", Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message()).isTrue();
    podsReady();
    console.refresh().join();

    cluster.clock.advance(Duration.ofMinutes(5));
    remote
        .commit("storefront 2.4.1")
        .author("Dave", "dave@example.com")
        .at(cluster.clock.instant())
        .add(
            "apps/storefront/deployment.yaml",
            ConsoleRolloutIT.sample("deployment.yaml").replace("2.4.0", "2.4.1"))
        .create();
    console.refresh().join();
    assertThat(console.snapshot().eventsOf("storefront"))
        .as("the commit seen at the refresh, with its author")
        .anyMatch(
            e ->
                e.kind() == ConsoleEvent.Kind.GIT_COMMIT
                    && e.who().equals("Dave")
                    && e.message().endsWith(" storefront 2.4.1"));
    java.util.Set<AttentionItem.Kind> queued = new java.util.TreeSet<>();
    for (int tick = 0; tick < 80; tick++) {
      podsReady();
      console.reconcileRollouts();
      console.refresh().join();
      console.snapshot().attention().forEach(item -> queued.add(item.kind()));
      if (rollout(console).phase() == RolloutPhase.DEGRADED) {
        assertThat(queued)
            .as("while its canary ran, its failed measurement was in the queue")
            .contains(AttentionItem.Kind.ANALYSIS_FAILING);
        return;
      }
      cluster.clock.advance(Duration.ofSeconds(30));
    }
    throw new AssertionError("not rolled back: " + rollout(console).line());
  }

  @Test
  void aConsoleOpenedAfterTheIncidentShowsTheLastHourAsMarkdownForThePostmortem()
      throws Exception {
    badCanaryRolledBack();
    assertThat(console.snapshot().attention())
        .extracting(AttentionItem::kind)
        .as("the rolled-back canary needs a person: Git still says 2.4.1")
        .containsExactly(AttentionItem.Kind.ROLLOUT_FAILED);
    cluster.clock.advance(Duration.ofMinutes(2));
    CommandResult reverted =
        console.rollback("storefront", bootstrap, "2.4.1 fails its canary", true).join();
    assertThat(reverted.ok()).as(reverted.message()).isTrue();
    console.close();

    cluster.clock.advance(Duration.ofMinutes(10));
    try (Console later =
        Console.open(
            git,
            gateway,
            cluster.clock,
            Console.Options.defaults("bob", LeaseHolder.of("bob@laptop", "weir events")))) {
      assertThat(later.refresh().join().ok()).isTrue();
      assertThat(later.snapshot().eventsOf("storefront"))
          .as("read back from the cluster, never seen by this console")
          .extracting(ConsoleEvent::message)
          .anyMatch(m -> m.startsWith("rollout ROLLED_BACK: v2.4.1 rolled back"))
          .anyMatch(m -> m.startsWith("rollback to "));

      Instant now = later.snapshot().at();
      Instant from = now.minus(Duration.ofHours(1));
      IncidentTimeline timeline =
          new IncidentTimeline(
              Optional.of("storefront"), from, now, later.timeline(Optional.of("storefront"), from));
      String markdown = normalised(timeline.markdown());

      assertThat(markdown)
          .startsWith("# Incident timeline: storefront, 2026-01-01 09:20–10:20 UTC")
          .contains("| 10:05:00 | storefront | commit <sha> storefront 2.4.1 | Dave |")
          .contains("| storefront | synced storefront to <sha>")
          .contains("## Rollback")
          .containsPattern("- 10:\\d\\d:\\d\\d storefront: rollout ROLLED_BACK: v2\\.4\\.1 rolled back");
      Path golden = GOLDEN.resolve("storefront-canary-rolled-back.md");
      if (UPDATE) {
        Files.createDirectories(GOLDEN);
        Files.writeString(golden, markdown, StandardCharsets.UTF_8);
      }
      assertThat(markdown).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
  }

  @Test
  void theRecordKeptInTheClusterIsBounded() {
    ClusterTimeline record = new ClusterTimeline(gateway);
    Instant start = cluster.clock.instant();
    for (int batch = 0; batch < 3; batch++) {
      Instant batchStart = start.plus(Duration.ofMinutes(10L * batch));
      String name = "batch " + batch;
      record.append(
          "shop",
          "storefront",
          java.util.stream.IntStream.range(0, 100)
              .mapToObj(
                  i ->
                      new ConsoleEvent(
                          batchStart.plusSeconds(i), "storefront", "synced " + i + " in " + name))
              .toList());
    }

    List<ConsoleEvent> kept = record.read("shop", "storefront", start);
    assertThat(kept).hasSize(ClusterTimeline.KEPT);
    assertThat(kept.getFirst().message()).as("the oldest went first").isEqualTo("synced 0 in batch 1");
    assertThat(kept.getLast().message()).isEqualTo("synced 99 in batch 2");
  }

  static String normalised(String text) {
    return text.replaceAll("\\b[0-9a-f]{40}\\b", "<sha>").replaceAll("\\b[0-9a-f]{7}\\b", "<sha>");
  }
}
