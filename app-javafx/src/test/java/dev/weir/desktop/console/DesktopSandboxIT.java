package dev.weir.desktop.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.console.Console;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;

/**
 * The desktop console on the real engine: the sample repository (bare, as on a Git server), the
 * sandbox's API server over HTTP, a manual clock. Someone scales inventory with kubectl edit: the
 * window names them in the drift list and the diff shows the engine's text side by side. A
 * rollback from the history, confirmed in its dialog, is a commit pushed to the sample repository.
 */
@ExtendWith(ApplicationExtension.class)
class DesktopSandboxIT {
  @TempDir Path home;
  Path repo;
  List<String> commits;
  TestCluster cluster;
  GitSource git;
  Console console;
  DesktopHarness window;

  Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
  }

  /** The engine off the JavaFX thread (cloning, syncing), then the window on it. */
  @BeforeEach
  void open() throws Exception {
    repo = home.resolve("shop.git");
    commits = SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
    cluster = new TestCluster(home.resolve("cluster"));
    git = JGitSource.open(WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
    console = Console.open(git, cluster.gateway(), cluster.clock,
        Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "weir desktop")));
    assertThat(console.refresh().join().ok()).isTrue();
    var synced = console.syncAll(Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message() + synced.details()).isTrue();
    cluster.gateway().apply(
        Map.of("apiVersion", "apps/v1", "kind", "Deployment",
            "metadata", Map.of("name", "inventory", "namespace", "shop"),
            "spec", Map.of("replicas", 5)),
        new ApplyOptions("kubectl-edit", true, false));
    assertThat(console.refresh().join().ok()).isTrue();
    cluster.clock.advance(Duration.ofSeconds(1)); // the snapshot after the refresh is published
    window = DesktopHarness.fx(() -> new DesktopHarness(stage, console, 1280, 800));
  }

  @AfterEach
  void stop() throws Exception {
    DesktopHarness.fxRun(() -> window.console.close());
    console.close();
    git.close();
    cluster.close();
  }

  void clickApplication(FxRobot robot, String name) {
    window.awaitText(name);
    robot.clickOn(robot.lookup("#applications .app-name").match(LabeledMatchers.hasText(name)).queryLabeled());
    DesktopHarness.await(name + " selected", () -> name.equals(((Labeled) robot.lookup("#app-title").query()).getText()));
  }

  @Test
  void selectAnApplicationSeeWhoDriftedItAndOpenTheDiff(FxRobot robot) {
    clickApplication(robot, "inventory");
    DesktopHarness.await("the drift names kubectl-edit", () -> window.console.applicationPane().drift().getItems().stream()
        .anyMatch(r -> r.text().contains("Deployment inventory") && r.text().contains("kubectl-edit changed spec.replicas 3→5")));
    robot.doubleClickOn(robot.lookup("#drift .list-cell").nth(0).queryAs(Node.class));
    DesktopHarness.await("the diff of the Deployment", () -> window.console.diffPane().viewer().rows().getItems()
        .contains(new DiffViewer.Row("  replicas: 5", "  replicas: 3", DiffViewer.Kind.CHANGED)));
    assertThat(window.text()).contains("apps/Deployment shop/inventory: drifted").contains("last changed by kubectl-edit");
  }

  @Test
  void rollbackFromTheHistoryPushesACommitToTheSampleRepository(FxRobot robot) throws Exception {
    String bootstrap = commits.getFirst().substring(0, 7);
    clickApplication(robot, "storefront");
    robot.clickOn("#tab-history");
    DesktopHarness.await("the commits are read", () -> window.console.historyPane().commits().getItems().stream()
        .anyMatch(c -> c.shortSha().equals(bootstrap)));
    DesktopHarness.fxRun(() -> window.console.historyPane().commits().getItems().stream()
        .filter(c -> c.shortSha().equals(bootstrap)).findFirst()
        .ifPresent(c -> window.console.historyPane().commits().getSelectionModel().select(c)));
    robot.clickOn("#history-rollback");
    DesktopHarness.await("the preview allows confirming", () -> !robot.lookup("#confirm").queryButton().isDisabled());
    String dialog = window.text();
    assertThat(dialog).contains("main").contains("push").contains("sync");
    assertThat(head()).as("a preview changes nothing").isEqualTo(commits.getLast());
    robot.clickOn("#confirm");
    DesktopHarness.await("the rollback is done", () -> window.console.overlays().toastTexts().stream().anyMatch(t -> t.startsWith("✔")));
    try (Git remote = Git.open(repo.toFile()); RevWalk walk = new RevWalk(remote.getRepository())) {
      ObjectId main = remote.getRepository().resolve("refs/heads/main");
      RevCommit head = walk.parseCommit(main);
      assertThat(head.getParent(0).getName()).isEqualTo(commits.getLast());
      assertThat(head.getFullMessage()).contains("Restores apps/storefront from " + bootstrap)
          .contains("from the desktop console");
    }
  }

  private String head() throws Exception {
    try (Git remote = Git.open(repo.toFile())) {
      return remote.getRepository().resolve("refs/heads/main").getName();
    }
  }
}
