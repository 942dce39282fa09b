package dev.weir.desktop.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.FakeConsole.Sent;
import dev.weir.engine.console.RolloutFixtures;
import dev.weir.engine.console.RolloutPanel;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.themes.Theme;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The rollout panel against the façade's fake (no engine can run a rollout without a cluster; the
 * sandbox flows are in {@code RolloutPaneSandboxIT}): checkout's canary paused at step 4/7 with
 * 25% of 200 req/s, its success rate 0.996. Real clicks, drags and keys through TestFX's robot.
 */
@ExtendWith(ApplicationExtension.class)
class RolloutPaneTest {
  FakeConsole fake;
  RolloutPane pane;
  Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
    fake = RolloutFixtures.console(RolloutFixtures.checkout(25));
    pane = new RolloutPane(fake, ZoneOffset.UTC);
    pane.show(fake.snapshot(), "checkout");
    // inside Monocle's 1280×800 screen, so that the robot can reach every part of the panel
    stage.setScene(ThemedScene.of(pane, Theme.DARK, 1200, 780));
    stage.setX(0);
    stage.setY(0);
    stage.show();
  }

  void showing(FxRobot robot, RolloutPhase phase, int weight) {
    robot.interact(
        () -> {
          fake.show(
              RolloutFixtures.console(
                      RolloutFixtures.application("checkout", phase, weight, "step 4/7"))
                  .snapshot());
          pane.show(fake.snapshot(), "checkout");
        });
  }

  String text(FxRobot robot, String query) {
    return robot.lookup(query).queryAs(Label.class).getText();
  }

  Slider slider(FxRobot robot) {
    return robot.lookup("#weight-slider").queryAs(Slider.class);
  }

  List<Sent> commands(String name) {
    return fake.sent().stream().filter(s -> s.command().equals(name)).toList();
  }

  @Test
  void showsTheStepsWithTheCurrentOneMarkedTheWeightsTheMetricRowsChartsAndEvents(FxRobot robot) {
    assertThat(text(robot, "#rollout-title")).isEqualTo("checkout · checkout");
    assertThat(text(robot, "#rollout-phase")).isEqualTo("Paused");
    assertThat(text(robot, "#step-current")).isEqualTo("▶ 4 pause (until promoted)");
    assertThat(robot.lookup(".step-done").queryAllAs(Label.class))
        .extracting(Label::getText)
        .containsExactly("✓ 1 setWeight 5", "✓ 2 pause 2m", "✓ 3 analysis success-rate · Successful");
    assertThat(text(robot, "#stable-weight")).isEqualTo("stable v2.4.0 · 75%");
    assertThat(text(robot, "#canary-weight")).isEqualTo("canary v2.4.1 · 25%");
    assertThat(robot.lookup("#canary-bar").queryAs(javafx.scene.control.ProgressBar.class).getProgress())
        .isEqualTo(0.25);
    assertThat(slider(robot).getValue()).isEqualTo(25);
    assertThat(text(robot, "#weight-meaning"))
        .isEqualTo("Now 25% to the canary: ≈ 50.0 req/s · ~12.0 errors/min at its 0.40% error rate");
    assertThat(text(robot, "#weight-held")).contains("held until the rollout is resumed or promoted");

    List<String> metricCells =
        robot.lookup("#rollout-metrics .label").queryAllAs(Label.class).stream()
            .map(Label::getText)
            .toList();
    assertThat(metricCells)
        .containsSubsequence("success-rate", "step 3", "0.996", "0.997", "result[0] >= 0.99", "✔ Successful", "5/5 measurements >= 0.99")
        .containsSubsequence("p99-latency", "background", "212", "205", "Mann-Whitney, effect 10% (p 0.410)", "… Running");
    assertThat(robot.lookup(".metric-chart").queryAll()).hasSize(2);
    assertThat(robot.lookup("#chart-p99-latency").queryAs(MetricChart.class).data().count()).isEqualTo(16);

    List<String> events =
        robot.lookup("#rollout-events .label").queryAllAs(Label.class).stream().map(Label::getText).toList();
    assertThat(events)
        .as("newest first")
        .containsExactly(
            "09:54:00  weir  step 4 paused, waiting for promote",
            "09:53:00  weir  step 3 analysis success-rate Successful (5/5)",
            "09:51:00  weir  step 2 pause 2m",
            "09:49:00  weir  step 1 setWeight 5",
            "09:48:00  alice  synced rev 3f2a1c9: v2.4.1");
  }

  @Test
  void everyActionOfTheTableHasAButtonWithItsShortcutInTheTooltip(FxRobot robot) {
    for (ConsoleAction action : ConsoleView.ROLLOUT.actions()) {
      switch (action) {
        case BACK, HELP -> {}
        case SET_WEIGHT -> assertThat(robot.lookup("#weight-slider").tryQuery()).isPresent();
        case PAUSE_RESUME -> {
          assertThat(robot.lookup("#pause").queryButton().getTooltip().getText()).isEqualTo("pause — Ctrl+Space");
          assertThat(robot.lookup("#resume").queryButton().getTooltip().getText()).isEqualTo("resume — Ctrl+Space");
        }
        default -> {
          Button b = robot.lookup("#" + action.name().toLowerCase().replace('_', '-')).queryButton();
          assertThat(b.getText()).isEqualTo(action.words());
          assertThat(b.getTooltip().getText()).isEqualTo(action.words() + " — " + action.shortcut() + " (asks first)");
        }
      }
    }
    assertThat(robot.lookup("#abort").queryButton().getTooltip().getText())
        .isEqualTo("abort — Ctrl+Shift+A (asks first)");
  }

  @Test
  void draggingTheSliderShowsWhatTheWeightMeansAndReleasingAsksThenSetsTheWeight(FxRobot robot) {
    fake.script("previewSetWeight", CommandResult.ok("v2.4.0 60% · v2.4.1 40% via HTTPRoute checkout/checkout"));
    Node thumb = robot.lookup("#weight-slider .thumb").queryAs(Node.class);
    robot.drag(thumb, MouseButton.PRIMARY).moveBy(150, 0);
    int weight = (int) Math.round(slider(robot).getValue());
    assertThat(weight).isGreaterThan(25);
    // while dragging: what the weight means, from the engine (200 req/s, 0.4% errors)
    String meaning = text(robot, "#weight-meaning");
    assertThat(meaning)
        .isEqualTo(
            weight + "% to the canary: ≈ " + MetricChartNumber.of(2.0 * weight) + " req/s · ~"
                + MetricChartNumber.of(2.0 * weight * 0.004 * 60) + " errors/min at its 0.40% error rate");
    assertThat(robot.lookup("#confirm").query().isVisible()).isFalse();
    assertThat(fake.commands()).doesNotContain("previewSetWeight", "setWeight");

    robot.drop();
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#confirm").query().isVisible()).isTrue();
    assertThat(text(robot, "#confirm-title")).isEqualTo("previewSetWeight");
    assertThat(robot.lookup("#confirm-lines .label").queryAllAs(Label.class))
        .extracting(Label::getText)
        .containsExactly("v2.4.0 60% · v2.4.1 40% via HTTPRoute checkout/checkout");
    assertThat(commands("previewSetWeight"))
        .containsExactly(new Sent("previewSetWeight", List.of("checkout", Optional.of("checkout"), weight)));
    assertThat(commands("setWeight")).as("nothing is sent before the confirmation").isEmpty();

    robot.clickOn("#confirm-ok");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(commands("setWeight"))
        .containsExactly(
            new Sent("setWeight", List.of("checkout", Optional.of("checkout"), weight, RolloutPane.WHY)));
    assertThat(text(robot, "#rollout-status")).isEqualTo("✔ setWeight checkout: done (fake)");
    assertThat(robot.lookup("#confirm").query().isVisible()).isFalse();

    // the engine's next snapshot holds the new weight; the slider follows it
    showing(robot, RolloutPhase.PAUSED, weight);
    assertThat(slider(robot).getValue()).isEqualTo(weight);
    assertThat(text(robot, "#canary-weight")).isEqualTo("canary v2.4.1 · " + weight + "%");
  }

  @Test
  void escWhileDraggingPutsTheSliderBackAndSendsNothing(FxRobot robot) {
    Node thumb = robot.lookup("#weight-slider .thumb").queryAs(Node.class);
    robot.drag(thumb, MouseButton.PRIMARY).moveBy(-120, 0);
    assertThat(slider(robot).getValue()).isLessThan(25);
    robot.type(KeyCode.ESCAPE);
    robot.drop();
    WaitForAsyncUtils.waitForFxEvents();

    assertThat(slider(robot).getValue()).isEqualTo(25);
    assertThat(text(robot, "#weight-meaning")).startsWith("Now 25% to the canary");
    assertThat(text(robot, "#rollout-status")).isEqualTo("Weight unchanged.");
    assertThat(robot.lookup("#confirm").query().isVisible()).isFalse();
    assertThat(fake.commands()).isEmpty();
  }

  @Test
  void escOnTheConfirmationCancelsAndTheSliderReturnsToTheCurrentWeight(FxRobot robot) {
    robot.drag(robot.lookup("#weight-slider .thumb").queryAs(Node.class), MouseButton.PRIMARY).moveBy(100, 0).drop();
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#confirm").query().isVisible()).isTrue();

    robot.type(KeyCode.ESCAPE);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#confirm").query().isVisible()).isFalse();
    assertThat(slider(robot).getValue()).isEqualTo(25);
    assertThat(fake.commands()).containsExactly("previewSetWeight");
  }

  @Test
  void theKeyboardMovesTheSliderEnterAsksAndEscPutsItBack(FxRobot robot) {
    robot.clickOn("#canary-weight"); // focus off the slider first
    robot.interact(() -> slider(robot).requestFocus());
    robot.type(KeyCode.RIGHT, 5);
    assertThat(text(robot, "#weight-meaning")).startsWith("30% to the canary: ≈ 60.0 req/s · ~14.4 errors/min");
    robot.type(KeyCode.ESCAPE);
    assertThat(slider(robot).getValue()).isEqualTo(25);

    robot.type(KeyCode.LEFT, 15);
    assertThat(text(robot, "#weight-meaning")).startsWith("10% to the canary: ≈ 20.0 req/s");
    robot.type(KeyCode.ENTER);
    WaitForAsyncUtils.waitForFxEvents();
    robot.clickOn("#confirm-ok");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(commands("setWeight"))
        .containsExactly(new Sent("setWeight", List.of("checkout", Optional.of("checkout"), 10, RolloutPane.WHY)));
  }

  @Test
  void aRefusedPreviewIsShownAndNothingIsSent(FxRobot robot) {
    fake.script("previewSetWeight", CommandResult.of(CommandResult.Status.REFUSED, "checkout is frozen: incident"));
    robot.drag(robot.lookup("#weight-slider .thumb").queryAs(Node.class), MouseButton.PRIMARY).moveBy(100, 0).drop();
    WaitForAsyncUtils.waitForFxEvents();

    assertThat(robot.lookup("#confirm-lines .label").queryAllAs(Label.class))
        .extracting(Label::getText)
        .containsExactly("checkout is frozen: incident");
    assertThat(robot.lookup("#confirm-ok").query().isVisible()).isFalse();
    robot.clickOn("#confirm-cancel");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(text(robot, "#rollout-status")).isEqualTo("✖ checkout is frozen: incident");
    assertThat(slider(robot).getValue()).isEqualTo(25);
    assertThat(commands("setWeight")).isEmpty();
  }

  @Test
  void abortAsksWithTheEnginePreviewThenSendsAbort(FxRobot robot) {
    fake.script("previewAbort", CommandResult.ok("all traffic to v2.4.0 at once: 100% stable, 0% canary"));
    robot.clickOn("#abort");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(text(robot, "#confirm-title")).isEqualTo("previewAbort");
    assertThat(robot.lookup("#confirm-lines .label").queryAllAs(Label.class))
        .extracting(Label::getText)
        .containsExactly("all traffic to v2.4.0 at once: 100% stable, 0% canary");
    assertThat(robot.lookup("#confirm-ok").queryButton().getText()).isEqualTo("Abort");
    assertThat(commands("abort")).isEmpty();

    robot.clickOn("#confirm-ok");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(commands("abort"))
        .containsExactly(new Sent("abort", List.of("checkout", Optional.of("checkout"), RolloutPane.WHY)));
    assertThat(text(robot, "#rollout-status")).isEqualTo("✔ abort checkout: done (fake)");
  }

  @Test
  void cancellingAnAbortSendsNothing(FxRobot robot) {
    robot.clickOn("#abort");
    WaitForAsyncUtils.waitForFxEvents();
    robot.clickOn("#confirm-cancel");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fake.commands()).containsExactly("previewAbort");
    assertThat(text(robot, "#rollout-status")).isEqualTo("Cancelled: nothing was sent.");
  }

  @Test
  void promoteAndPromoteFullAskWithTheFacadesPreviewResumeGoesAtOnce(FxRobot robot) {
    robot.clickOn("#promote");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(text(robot, "#confirm-title")).isEqualTo("Promote checkout");
    assertThat(robot.lookup("#confirm-lines .label").queryAllAs(Label.class))
        .extracting(Label::getText)
        .containsExactly(
            "rollout checkout is Paused at step 4/7, 25% to the new version",
            "goes past step 4; the steps after it, and their analyses, still run");
    robot.clickOn("#confirm-ok");
    WaitForAsyncUtils.waitForFxEvents();

    robot.clickOn("#promote-full");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(text(robot, "#confirm-title")).isEqualTo("Promote checkout fully");
    robot.clickOn("#confirm-ok");
    WaitForAsyncUtils.waitForFxEvents();

    assertThat(robot.lookup("#pause").queryButton().isDisabled()).as("already paused").isTrue();
    assertThat(robot.lookup("#retry").queryButton().isDisabled()).as("nothing to retry").isTrue();
    robot.clickOn("#resume");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fake.sent())
        .containsExactly(
            new Sent("promote", List.of("checkout", Optional.of("checkout"), RolloutPane.WHY)),
            new Sent("promoteFull", List.of("checkout", Optional.of("checkout"), RolloutPane.WHY)),
            new Sent("resume", List.of("checkout", Optional.of("checkout"), RolloutPane.WHY)));
  }

  @Test
  void pauseWhileProgressingAndRetryOnceAborted(FxRobot robot) {
    showing(robot, RolloutPhase.PROGRESSING, 25);
    assertThat(robot.lookup("#resume").queryButton().isDisabled()).isTrue();
    robot.clickOn("#pause");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fake.commands()).containsExactly("pause");

    showing(robot, RolloutPhase.ABORTED, 0);
    assertThat(robot.lookup("#abort").queryButton().isDisabled()).isTrue();
    robot.clickOn("#retry");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(text(robot, "#confirm-title")).isEqualTo("Retry the rollout of checkout");
    robot.clickOn("#confirm-ok");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fake.commands()).containsExactly("pause", "retry");
  }

  @Test
  void shortcutsOfTheActionTableWork(FxRobot robot) {
    robot.clickOn("#canary-weight");
    robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#confirm").query().isVisible()).isTrue();
    assertThat(fake.commands()).containsExactly("previewAbort");
    robot.type(KeyCode.ENTER);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fake.commands()).containsExactly("previewAbort", "abort");

    robot.press(KeyCode.CONTROL, KeyCode.SPACE).release(KeyCode.SPACE, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fake.commands()).containsExactly("previewAbort", "abort", "resume");
  }

  @Test
  void anApplicationWithTwoRolloutsOffersAChoiceAndCommandsGoToTheChosenOne(FxRobot robot) {
    robot.interact(() -> pane.update(RolloutFixtures.twoRollouts(25)));
    robot.interact(pane::layout); // the new toggles are placed before the robot aims at them
    assertThat(robot.lookup("#rollout-choice").queryAs(Node.class).isVisible()).isTrue();
    assertThat(text(robot, "#rollout-title")).isEqualTo("checkout · checkout");

    robot.clickOn("#rollout-choice-checkout-worker");
    assertThat(text(robot, "#rollout-title")).isEqualTo("checkout · checkout-worker");
    assertThat(text(robot, "#canary-weight")).isEqualTo("canary v1.9.0 · 50%");
    assertThat(text(robot, "#rollout-phase")).isEqualTo("Progressing");
    // a newer snapshot keeps the choice
    robot.interact(() -> pane.update(RolloutFixtures.twoRollouts(30)));
    assertThat(text(robot, "#rollout-title")).isEqualTo("checkout · checkout-worker");

    robot.clickOn("#pause");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fake.sent())
        .containsExactly(new Sent("pause", List.of("checkout", Optional.of("checkout-worker"), RolloutPane.WHY)));
  }

  @Test
  void newSnapshotsRedrawTheChartsWithTheirPoints(FxRobot robot) {
    MetricChart chart = robot.lookup("#chart-success-rate").queryAs(MetricChart.class);
    assertThat(chart.data().count()).isEqualTo(16);
    assertThat(chart.data().to()).isEqualTo(RolloutFixtures.AT);
    assertThat(chart.data().thresholds()).extracting(RolloutPanel.Threshold::label).containsExactly("result >= 0.99");
    assertThat(chart.data().window()).isPresent();
    robot.interact(
        () -> {
          pane.show(
              new dev.weir.engine.console.ConsoleSnapshot(
                  2, RolloutFixtures.AT.plusSeconds(30), Optional.empty(), fake.snapshot().cluster(),
                  fake.snapshot().applications(), fake.snapshot().events()),
              "checkout");
        });
    assertThat(chart.data().to()).as("the axis follows the snapshot's time").isEqualTo(RolloutFixtures.AT.plusSeconds(30));
  }

  @Test
  void anApplicationWithoutARolloutSaysSo(FxRobot robot) {
    robot.interact(() -> pane.update(FakeConsole.application("inventory"), List.of()));
    assertThat(text(robot, "#rollout-empty")).isEqualTo("inventory has no rollout.");
    assertThat(robot.lookup("#rollout-empty").query().isVisible()).isTrue();
    assertThat(pane.panel()).isEmpty();
    assertThat(robot.lookup(".rollout-scroll").query().isVisible()).isFalse();
  }

  @Test
  void snapshotsTenTimesASecondKeepTheChartsAndTheChosenWeight(FxRobot robot) {
    MetricChart before = robot.lookup("#chart-p99-latency").queryAs(MetricChart.class);
    robot.drag(robot.lookup("#weight-slider .thumb").queryAs(Node.class), MouseButton.PRIMARY).moveBy(80, 0);
    double chosen = slider(robot).getValue();
    for (int i = 0; i < 5; i++) {
      showing(robot, RolloutPhase.PAUSED, 25);
    }
    assertThat(slider(robot).getValue()).as("a snapshot does not move the slider under the hand").isEqualTo(chosen);
    assertThat(robot.lookup("#chart-p99-latency").queryAs(MetricChart.class)).isSameAs(before);
    robot.type(KeyCode.ESCAPE).drop();
    assertThat(robot.lookup("#rollout-charts").queryAs(Node.class)).isInstanceOf(javafx.scene.layout.FlowPane.class);
    assertThat(((VBox) robot.lookup("#rollout-events").query()).getChildren()).hasSize(5);
  }
}
