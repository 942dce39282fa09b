package dev.weir.desktop.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ApplicationHistory;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.IncidentTimeline;
import dev.weir.engine.console.RevisionDiff;
import dev.weir.engine.console.Severity;
import dev.weir.engine.rollout.RolloutPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The desktop console against the façade's {@link FakeConsole}, with real clicks and keys (TestFX,
 * headless Monocle): every view, the previews before every change, the palette and the shortcuts
 * from the engine's action table.
 */
@ExtendWith(ApplicationExtension.class)
class DesktopConsoleTest {
  FakeConsole fake;
  DesktopHarness window;

  @Start
  void start(Stage stage) {
    fake = new FakeConsole();
    window = new DesktopHarness(stage, fake, 1280, 800);
  }

  @AfterEach
  void stop() {
    DesktopHarness.fxRun(() -> window.console.close());
    fake.close();
  }

  void clickApplication(FxRobot robot, String name) {
    robot.clickOn(robot.lookup("#applications .app-name").match(LabeledMatchers.hasText(name)).queryLabeled());
    DesktopHarness.await(name + " selected", () -> name.equals(((Labeled) robot.lookup("#app-title").query()).getText()));
  }

  void confirm(FxRobot robot) {
    DesktopHarness.await("the preview allows confirming", () -> !robot.lookup("#confirm").queryButton().isDisabled());
    robot.clickOn("#confirm");
  }

  @Test
  void theWindowIsMarkedLoadingThenFillsIn(FxRobot robot) {
    window.awaitText("Loading · connecting: connecting to context fake");
    fake.show(Fixtures.full().snapshot());
    DesktopHarness.await("the banner goes", () -> !robot.lookup("#banner").query().getParent().isVisible());
    assertThat(window.text())
        .contains("APPLICATIONS (4)")
        .contains("inventory")
        .contains("deploy @ main")
        .doesNotContain("Loading");
  }

  @Test
  void aFailedOpeningSaysWhy(FxRobot robot) {
    fake.show(FakeConsole.loading(new ConsoleSnapshot.Loading(ConsoleSnapshot.Loading.Stage.FAILED, "no context 'prod' in the kubeconfig")));
    window.awaitText("✖ could not open the console: no context 'prod' in the kubeconfig");
  }

  @Test
  void theListsShowBadgesTheRolloutBarAndADefinitionThatFailsToLoad(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    String text = window.text();
    assertThat(text).contains("OutOfSync").contains("Δ 2").contains("25% · Paused")
        .contains("apps/search/application.yaml:6:11: spec.source.path is required")
        .contains("NEEDS ATTENTION (");
    robot.clickOn("#filter").write("pay");
    DesktopHarness.await("the filter leaves payments", () -> window.console.list().applications().getItems().size() == 1);
    assertThat(window.console.list().applications().getItems().getFirst().name()).isEqualTo("payments");
  }

  @Test
  void theWindowOpensOnWhatNeedsAttentionFirstAlreadySelected() {
    ConsoleSnapshot snapshot = Fixtures.full().snapshot();
    fake.show(snapshot);
    window.awaitText("APPLICATIONS (4)");
    // no click: the first item of NEEDS ATTENTION is selected, its pane open
    window.awaitText("RESOURCES (5)");
    assertThat(window.text()).contains("DRIFT (2 in 2 objects)");
    assertThat(snapshot.attention().getFirst().application()).isEqualTo("inventory");
  }

  @Test
  void selectingAnApplicationShowsItsTreeAndWhoChangedEachDriftedField(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    String text = window.text();
    assertThat(text)
        .contains("RESOURCES (5)")
        .contains("Deployment shop/inventory")
        .contains("Pod shop/inventory-7c9d-a1b2")
        .contains("❄ frozen by alice")
        .contains("DRIFT (2 in 2 objects)");
    List<String> drift = window.console.applicationPane().drift().getItems().stream().map(ApplicationPane.DriftRow::text).toList();
    assertThat(drift).anyMatch(l -> l.contains("Deployment inventory") && l.contains("kubectl-edit changed spec.replicas 3→5"));
    assertThat(drift).anyMatch(l -> l.contains("Secret inventory-db") && l.contains("hand-edit"));
    assertThat(String.join("\n", drift)).doesNotContain(Fixtures.SECRET_VALUE).doesNotContain(Fixtures.LIVE_SECRET_VALUE);
  }

  @Test
  void theApplicationPaneSaysWhoDrivesItAndWarnsWhenNobodyDoes(FxRobot robot) {
    ApplicationView orphan =
        FakeConsole.application("payments")
            .withDriver(
                dev.weir.engine.console.ApplicationDriver.nobody(
                    "payments",
                    "replica weir-7d9f-x2x's Lease expired 40 s ago",
                    Optional.empty(),
                    Optional.empty()));
    fake.show(Fixtures.snapshot(List.of(Fixtures.inventory(), orphan), Fixtures.events(), List.of()));
    window.awaitText("APPLICATIONS (2)");
    clickApplication(robot, "inventory");
    Label driver = robot.lookup("#app-driver").queryAs(Label.class);
    DesktopHarness.await(
        "inventory's driver",
        () -> driver.getText().equals("⚙ driven by replica weir-7d9f-x2x · Lease renewed 3 s ago"));
    assertThat(driver.getStyleClass()).contains("muted").doesNotContain("warning");

    clickApplication(robot, "payments");
    DesktopHarness.await(
        "payments' driver",
        () ->
            driver
                .getText()
                .equals(
                    "⚙ nobody drives payments: replica weir-7d9f-x2x's Lease expired 40 s ago and"
                        + " this console does not drive it"));
    assertThat(driver.getStyleClass()).contains("warning").doesNotContain("muted");
  }

  @Test
  void theDiffIsSideBySideWithChangedLinesMarkedAndSecretsRedacted(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    robot.doubleClickOn(robot.lookup("#drift .list-cell").nth(0).queryAs(Node.class));
    DesktopHarness.await("the diff tab", () -> window.console.tabs().getSelectionModel().getSelectedItem().getId().equals("tab-diff"));
    List<DiffViewer.Row> rows = window.console.diffPane().viewer().rows().getItems();
    assertThat(rows).contains(new DiffViewer.Row("  replicas: 5", "  replicas: 3", DiffViewer.Kind.CHANGED));
    assertThat(window.text()).contains("Cluster (live)").contains("Git (what a sync applies)").contains("last changed by kubectl-edit");
    // the Secret: the engine's text, values redacted
    DesktopHarness.fxRun(() -> window.console.diffPane().select("/Secret shop/inventory-db"));
    WaitForAsyncUtils.waitForFxEvents();
    String all = rows.stream().map(r -> r.left() + " | " + r.right()).reduce("", (a, b) -> a + "\n" + b);
    assertThat(all).doesNotContain(Fixtures.SECRET_VALUE).doesNotContain(Fixtures.LIVE_SECRET_VALUE);
    robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.V).release(KeyCode.V, KeyCode.SHIFT, KeyCode.CONTROL);
    DesktopHarness.await("per field", () -> window.console.diffPane().perField());
  }

  @Test
  void syncShowsTheEnginesPlanFirstAndSendsNothingUntilConfirmed(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    fake.script("previewSync", new CommandResult(CommandResult.Status.OK, "Sync inventory to 77c01aa", List.of("update apps/Deployment shop/inventory (wave 0)")));
    robot.clickOn("#action-sync");
    window.awaitText("update apps/Deployment shop/inventory (wave 0)");
    assertThat(fake.commands()).contains("previewSync").doesNotContain("sync");
    confirm(robot);
    DesktopHarness.await("the sync is sent", () -> fake.commands().contains("sync"));
    window.awaitText("✔ sync inventory: done (fake)");
  }

  @Test
  void aRefusedPreviewCannotBeConfirmed(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    fake.script("previewSync", CommandResult.of(CommandResult.Status.REFUSED, "inventory is frozen by alice"));
    robot.clickOn("#action-sync");
    window.awaitText("inventory is frozen by alice");
    assertThat(robot.lookup("#confirm").queryButton().isDisabled()).isTrue();
    robot.type(KeyCode.ESCAPE);
    DesktopHarness.await("the card closes", () -> !window.console.overlays().open());
    assertThat(fake.commands()).doesNotContain("sync");
  }

  @Test
  void hotfixAsksTheReasonAndDurationThenShowsThePreview(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    robot.clickOn(robot.lookup("#drift .list-cell").nth(0).queryAs(Node.class));
    robot.clickOn("#action-hotfix");
    robot.clickOn("#reason").eraseText(6).write("scaled for the sale");
    robot.clickOn("#form-next");
    DesktopHarness.await("the preview is asked", () -> fake.commands().contains("previewHotfixField"));
    confirm(robot);
    DesktopHarness.await("the hotfix is sent", () -> fake.commands().contains("hotfixField"));
    FakeConsole.Sent sent = fake.sent().stream().filter(s -> s.command().equals("hotfixField")).findFirst().orElseThrow();
    assertThat(sent.arguments()).containsExactly("inventory", "apps/Deployment shop/inventory", "spec.replicas",
        "scaled for the sale (from the desktop console)", Duration.ofHours(24));
  }

  @Test
  void backportAndFreezeOfTheApplicationGoThroughTheirPreviews(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    robot.clickOn("#action-backport");
    confirm(robot);
    DesktopHarness.await("backport sent", () -> fake.commands().contains("backportAll"));
    assertThat(fake.commands()).contains("previewBackportAll");
    robot.clickOn("#action-freeze");
    robot.clickOn("#form-next");
    window.awaitText("automated sync and self-heal of inventory stop until");
    confirm(robot);
    DesktopHarness.await("freeze sent", () -> fake.commands().contains("freeze"));
    assertThat(fake.sent().getLast().arguments()).containsExactly("inventory", "incident (from the desktop console)", Duration.ofHours(1));
  }

  @Test
  void theHeaderFreezesEveryApplicationWithAReasonAndADuration(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    robot.clickOn("#freeze");
    robot.clickOn("#reason").eraseText(8).write("db migration");
    @SuppressWarnings("unchecked")
    ComboBox<String> duration = robot.lookup("#duration").queryAs(ComboBox.class);
    robot.clickOn(duration);
    robot.clickOn("2h");
    robot.clickOn("#form-next");
    window.awaitText("automated sync and self-heal of every application stop until");
    confirm(robot);
    DesktopHarness.await("freeze sent", () -> fake.commands().contains("freeze"));
    List<Object> arguments = new ArrayList<>(fake.sent().getLast().arguments());
    assertThat(arguments).containsExactly(null, "db migration (from the desktop console)", Duration.ofHours(2));
  }

  @Test
  void theHeaderShowsTheRepositoryRevisionStaleMarkersAndSwitchesContextAfterAPreview(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    ConsoleSnapshot loaded = fake.snapshot();
    ConsoleSnapshot down = new ConsoleSnapshot(0, loaded.at(), loaded.git(),
        loaded.cluster().failed(loaded.at().minusSeconds(30), dev.weir.engine.cluster.ClusterError.of(
            dev.weir.engine.cluster.ClusterError.Reason.UNREACHABLE, "connection refused")),
        loaded.applications(), loaded.events(), Optional.empty(), loaded.repository(), loaded.branch(),
        loaded.contexts(), Optional.empty(), loaded.definitionFailures());
    fake.show(down);
    window.awaitText("⚠ cluster unreachable since 12:59:30: connection refused");
    @SuppressWarnings("unchecked")
    ComboBox<String> contexts = robot.lookup("#contexts").queryAs(ComboBox.class);
    robot.clickOn(contexts);
    robot.clickOn("prod-eu");
    window.awaitText("the console leaves context fake and connects to prod-eu");
    assertThat(fake.commands()).doesNotContain("switchContext");
    confirm(robot);
    DesktopHarness.await("switched", () -> "prod-eu".equals(contexts.getValue()) && fake.commands().contains("switchContext"));
  }

  @Test
  void historyRollsBackInOneClickAfterADialogNamingTheCommitBranchPushAndSync(FxRobot robot) {
    ConsoleSnapshot snapshot = Fixtures.full().snapshot();
    fake.show(snapshot);
    fake.showHistory(new ApplicationHistory(CommandResult.Status.OK, "2 commits touched apps/inventory", "inventory", "apps/inventory",
        List.of(
            new ApplicationHistory.Commit("77c01aa5e2b94d1f0a3c8e7b6d5f4a3b2c1d0e9f", "77c01aa", "bob", "bob@example.com",
                Instant.parse("2026-01-01T09:00:00Z"), "inventory 1.4", "inventory 1.4"),
            new ApplicationHistory.Commit("5e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d", "5e0d1c2", "alice", "alice@example.com",
                Instant.parse("2026-01-01T08:00:00Z"), "inventory 1.3", "inventory 1.3"))));
    fake.script("previewRollback", new CommandResult(CommandResult.Status.OK, "commit \"Roll back inventory to 5e0d1c2\" on branch main",
        List.of("push to origin main", "then sync inventory to the new commit")));
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    robot.clickOn("#tab-history");
    window.awaitText("inventory 1.3");
    assertThat(window.console.historyPane().selected().orElseThrow().shortSha()).isEqualTo("5e0d1c2");
    robot.clickOn("#history-rollback");
    window.awaitText("commit \"Roll back inventory to 5e0d1c2\" on branch main");
    assertThat(window.text()).contains("push to origin main").contains("then sync inventory to the new commit");
    confirm(robot);
    DesktopHarness.await("rollback sent", () -> fake.commands().contains("rollback"));
    assertThat(fake.sent().stream().filter(s -> s.command().equals("rollback")).findFirst().orElseThrow().arguments())
        .containsExactly("inventory", "5e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d", "roll back to 5e0d1c2 (from the desktop console)", true);
  }

  @Test
  void historyComparesTheSelectedRevisionWithTheCurrentOne(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    fake.showHistory(new ApplicationHistory(CommandResult.Status.OK, "1 commit", "inventory", "apps/inventory",
        List.of(new ApplicationHistory.Commit("5e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d", "5e0d1c2", "alice", "a@example.com",
            Instant.parse("2026-01-01T08:00:00Z"), "inventory 1.3", "inventory 1.3"))));
    fake.showDiff(new RevisionDiff(CommandResult.Status.OK, "1 object differs between 5e0d1c2 and 77c01aa", "inventory", "5e0d1c2", "77c01aa",
        List.of(new RevisionDiff.Resource("apps/Deployment shop/inventory", RevisionDiff.Change.CHANGED,
            List.of("--- 5e0d1c2", "+++ 77c01aa", "@@ -1,2 +1,2 @@", "-  image: inventory:1.3", "+  image: inventory:1.4")))));
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    robot.clickOn("#tab-history");
    window.awaitText("inventory 1.3");
    robot.clickOn(robot.lookup("#commits .list-cell").nth(0).queryAs(Node.class));
    robot.clickOn("#history-diff");
    window.awaitText("1 object differs between 5e0d1c2 and 77c01aa");
    assertThat(window.console.diffPane().viewer().rows().getItems())
        .contains(new DiffViewer.Row("  image: inventory:1.3", "  image: inventory:1.4", DiffViewer.Kind.CHANGED));
  }

  @Test
  void theIncidentTimelineExportsTheSameMarkdownAsWeirEvents(FxRobot robot, @TempDir Path dir) throws Exception {
    ConsoleSnapshot snapshot = Fixtures.full().snapshot();
    List<ConsoleEvent> events = List.of(
        new ConsoleEvent(snapshot.at().minusSeconds(1800), "inventory", ConsoleEvent.Kind.SYNC, Severity.INFO, "automated", "synced to 77c01aa", Map.of()),
        new ConsoleEvent(snapshot.at().minusSeconds(600), "inventory", ConsoleEvent.Kind.DRIFT, Severity.WARNING, "kubectl-edit", "drift: spec.replicas 3→5", Map.of()),
        new ConsoleEvent(snapshot.at().minusSeconds(7200), "inventory", ConsoleEvent.Kind.SYNC, Severity.INFO, "automated", "before the window", Map.of()));
    fake.showTimeline(events);
    fake.show(snapshot);
    window.awaitText("APPLICATIONS (4)");
    robot.clickOn("#tab-events");
    window.awaitText("2 events in the last 1h");
    assertThat(window.text()).contains("drift: spec.replicas 3→5  (kubectl-edit)").doesNotContain("before the window");
    robot.clickOn("#events-copy");
    // the window opened on what needs attention first (inventory, drifted), so its timeline is
    // inventory's
    assertThat(snapshot.attention().getFirst().application()).isEqualTo("inventory");
    String expected = new IncidentTimeline(Optional.of("inventory"), snapshot.at().minus(Duration.ofHours(1)), snapshot.at(), events.subList(0, 2)).markdown();
    String copied = DesktopHarness.fx(() -> Clipboard.getSystemClipboard().getString());
    assertThat(copied).isEqualTo(expected).contains("| 12:50:00 | inventory | drift: spec.replicas 3→5 | kubectl-edit |");
    Path file = dir.resolve("timeline.md");
    DesktopHarness.fxRun(() -> window.console.saveTimeline(file));
    assertThat(Files.readString(file)).isEqualTo(expected);
    robot.clickOn("#events-filter").write("drift");
    DesktopHarness.await("filtered", () -> window.console.eventsPane().events().getItems().size() == 1);
  }

  @Test
  void theCommandPaletteFindsActionsFuzzilyAndRunsThem(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
    DesktopHarness.await("the palette opens", () -> window.console.overlays().open());
    robot.write("syncal");
    DesktopHarness.await("sync all first", () -> window.console.palette().list().getItems().getFirst().label().equals("Sync all"));
    robot.type(KeyCode.ENTER);
    DesktopHarness.await("previewed", () -> fake.commands().contains("previewSyncAll"));
    robot.type(KeyCode.ESCAPE);
    robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
    robot.write("open paym");
    robot.type(KeyCode.ENTER);
    DesktopHarness.await("payments opened", () -> "payments".equals(((Labeled) robot.lookup("#app-title").query()).getText()));
  }

  @Test
  void everyActionOfTheEnginesTableIsInThePaletteAndEveryButtonNamesItsShortcut(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "inventory");
    List<String> labels = DesktopHarness.fx(() -> window.console.paletteEntries().stream()
        .map(e -> e.label() + " " + e.shortcut()).toList());
    for (ConsoleAction action : ConsoleAction.values()) {
      if (action == ConsoleAction.COMMAND || action == ConsoleAction.SWITCH_CONTEXT) {
        continue; // the palette itself; contexts are listed by name
      }
      assertThat(labels).as(action.name()).anyMatch(l -> l.toLowerCase().startsWith(action.words().toLowerCase()) && l.endsWith(action.shortcut()));
    }
    assertThat(labels).contains("Switch to context prod-eu ");
    for (ConsoleAction action : ConsoleView.APPLICATION.actions()) {
      if (action == ConsoleAction.BACK || action == ConsoleAction.HELP) {
        continue;
      }
      Button button = robot.lookup("#action-" + action.name().toLowerCase()).queryButton();
      assertThat(button.getTooltip().getText()).isEqualTo(action.words() + " (" + action.shortcut() + ")");
    }
  }

  @Test
  void shortcutsActOnTheSelectedApplication(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    clickApplication(robot, "checkout");
    robot.press(KeyCode.CONTROL, KeyCode.P).release(KeyCode.P, KeyCode.CONTROL);
    window.awaitText("goes past step 4; the steps after it, and their analyses, still run");
    confirm(robot);
    DesktopHarness.await("promote sent", () -> fake.commands().contains("promote"));
    robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
    DesktopHarness.await("abort previewed", () -> fake.commands().contains("previewAbort"));
    robot.type(KeyCode.ESCAPE);
    assertThat(fake.commands()).doesNotContain("abort");
    robot.press(KeyCode.F1).release(KeyCode.F1);
    window.awaitText("Keys of Application");
    assertThat(window.text()).contains("Ctrl+Shift+H").contains("hotfix: keep live");
  }

  @Test
  void aFailingRolloutAndAFailedSyncAreNotified(FxRobot robot) {
    ConsoleSnapshot first = Fixtures.full().snapshot();
    fake.show(first);
    window.awaitText("APPLICATIONS (4)");
    List<dev.weir.engine.console.ApplicationView> apps = new ArrayList<>(first.applications());
    apps.set(2, Fixtures.checkout(RolloutPhase.ABORTED, "success-rate 0.91 < 0.95"));
    List<ConsoleEvent> events = new ArrayList<>(first.events());
    events.add(new ConsoleEvent(first.at().plusSeconds(5), "payments", ConsoleEvent.Kind.SYNC, Severity.WARNING, "automated",
        "automated (git changed): sync failed: Deployment payments refused", Map.of()));
    fake.show(Fixtures.snapshot(apps, events, first.definitionFailures()));
    DesktopHarness.await("two notifications", () -> window.console.overlays().toastTexts().size() >= 2);
    assertThat(window.console.overlays().toastTexts())
        .anyMatch(t -> t.contains("rollout checkout of checkout aborted: success-rate 0.91 < 0.95"))
        .anyMatch(t -> t.contains("sync of payments failed: automated (git changed): sync failed"));
  }

  @Test
  void aCommandStillRunningLeavesTheWindowResponsive(FxRobot robot) {
    fake.show(Fixtures.full().snapshot());
    window.awaitText("APPLICATIONS (4)");
    CompletableFuture<CommandResult> held = new CompletableFuture<>();
    fake.script("refresh", held);
    robot.press(KeyCode.F5).release(KeyCode.F5);
    window.awaitText("refreshing…");
    clickApplication(robot, "payments"); // the JavaFX thread does not wait for the command
    held.complete(CommandResult.ok("refreshed 4 applications"));
    window.awaitText("✔ refreshed 4 applications");
  }
}
