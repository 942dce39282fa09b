package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.themes.ColourDepth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Application and Diff pages against the real console: the sample repository, the sandbox API
 * server, a manual clock. Someone scales inventory with kubectl edit; the pages name them, the
 * diff shows the engine's text, a hotfix keeps the field, a sync reverts it in the cluster.
 */
class ApplicationPageConsoleIT {
  static final ResourceKey INVENTORY = new ResourceKey("apps", "Deployment", "shop", "inventory");
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path home;
  TestCluster cluster;
  GitSource git;
  Console console;
  ScreenHarness screen;

  @BeforeEach
  void start() throws Exception {
    Path repo = home.resolve("shop.git");
    SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z"));
    cluster = new TestCluster(home.resolve("cluster"));
    git = JGitSource.open(WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
    console =
        Console.open(
            git,
            cluster.gateway(),
            cluster.clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")));
    assertThat(console.refresh().join().ok()).isTrue();
    var synced = console.syncAll(Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message() + synced.details()).isTrue();
    cluster
        .gateway()
        .apply(
            Map.of(
                "apiVersion", "apps/v1",
                "kind", "Deployment",
                "metadata", Map.of("name", "inventory", "namespace", "shop"),
                "spec", Map.of("replicas", 5)),
            new ApplyOptions("kubectl-edit", true, false));
    assertThat(console.refresh().join().ok()).isTrue();
    screen = new ScreenHarness(console, 120, 40, ColourDepth.NONE);
    screen.shell.push(ConsoleView.APPLICATION, Optional.of("inventory"));
    screen.settle();
  }

  @AfterEach
  void stop() throws Exception {
    if (screen != null) {
      screen.close();
    }
    console.close();
    git.close();
    cluster.close();
  }

  int replicas() {
    Object spec = cluster.gateway().get(INVENTORY).orElseThrow().object().get("spec");
    return ((Number) ((Map<?, ?>) spec).get("replicas")).intValue();
  }

  @Test
  void theDriftNamesKubectlEditTheDiffIsTheEnginesAndAHotfixKeepsTheField() {
    screen.awaitText("kubectl-edit changed spec.replicas 3→5", WAIT);
    int row = screen.rowOf("kubectl-edit changed spec.replicas 3→5");
    assertThat(screen.row(row)).startsWith("│▶Deployment inventory ");
    assertThat(screen.text()).contains("Deployment shop/inventory").contains("OutOfSync");

    screen.press("d");
    assertThat(screen.row(0)).startsWith(" weir › inventory › drift");
    assertThat(screen.text())
        .contains("# inventory: apps/Deployment shop/inventory drifted")
        .contains("-  replicas: 5")
        .contains("+  replicas: 3");
    assertThat(screen.rowOf("+  replicas: 3")).isEqualTo(screen.rowOf("-  replicas: 5") + 1);

    screen.press("h").awaitText("y: do it", WAIT);
    assertThat(screen.text())
        .contains("Hotfix apps/Deployment shop/inventory spec.replicas of inventory")
        .contains("keeps spec.replicas = 5 in the cluster (Git: 3), as kubectl-edit set it");
    screen.press("y").awaitText("✔ hotfix on apps/Deployment shop/inventory /spec/replicas", WAIT);
    cluster.clock.advance(Duration.ofSeconds(1)); // the next snapshot is published
    screen.press("esc").awaitText("✎ hotfix on apps/Deployment shop/inventory /spec/replicas by alice", WAIT);
    assertThat(replicas()).isEqualTo(5);
  }

  @Test
  void syncFromTheDiffShowsThePlanThenRevertsTheDriftInTheCluster() {
    screen.press("d").press("s").awaitText("y: do it", WAIT);
    assertThat(replicas()).as("a preview changes nothing").isEqualTo(5);
    // the engine's plan, computed with the API server
    assertThat(screen.text())
        .contains("Sync inventory to ")
        .contains("update apps/Deployment shop/inventory (wave 0)");
    screen.press("y").awaitText("✔ ", WAIT);
    assertThat(replicas()).isEqualTo(3);
    cluster.clock.advance(Duration.ofSeconds(1)); // the next snapshot is published
    screen.awaitText("Drift of inventory: none", WAIT);
  }
}
