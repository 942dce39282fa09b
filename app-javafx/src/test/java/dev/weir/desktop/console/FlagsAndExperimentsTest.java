package dev.weir.desktop.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ExperimentConclusion;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.model.FlagChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;

/**
 * The Flags and Experiments tabs against the façade's {@link FakeConsole} (the engine's flag edits
 * and experiment statistics have their own tests there), with real clicks: the rows shown, and
 * each change asking for a reason, showing the engine's preview and sent only once confirmed.
 */
@ExtendWith(ApplicationExtension.class)
class FlagsAndExperimentsTest {
  static final String REASON = "beta is over";
  static final String RECORDED = REASON + " (" + DesktopConsole.WHY + ")";

  FakeConsole fake;
  DesktopHarness window;

  @Start
  void start(Stage stage) {
    fake = Fixtures.flagsAndExperiments();
    window = new DesktopHarness(stage, fake, 1280, 800);
  }

  @AfterEach
  void stop() {
    DesktopHarness.fxRun(() -> window.console.close());
    fake.close();
  }

  void open(FxRobot robot, String application, String tab) {
    window.awaitText("APPLICATIONS (4)");
    DesktopHarness.await(application + " listed", () -> robot.lookup("#applications .app-name")
        .match(LabeledMatchers.hasText(application)).tryQuery().isPresent());
    robot.clickOn(robot.lookup("#applications .app-name").match(LabeledMatchers.hasText(application)).queryLabeled());
    DesktopHarness.await(application + " selected", () -> application.equals(((Labeled) robot.lookup("#app-title").query()).getText()));
    robot.clickOn(tab);
  }

  /** Clicks {@code button}, writes the reason, then Next: the preview is asked for. */
  void reasonAndNext(FxRobot robot, String button) {
    robot.clickOn(button);
    DesktopHarness.await("the reason form", () -> robot.lookup("#reason").tryQuery().isPresent());
    robot.clickOn("#reason").write(REASON);
  }

  void next(FxRobot robot) {
    robot.clickOn("#form-next");
  }

  void confirm(FxRobot robot) {
    DesktopHarness.await("the preview allows confirming", () -> robot.lookup("#confirm").tryQuery().isPresent()
        && !robot.lookup("#confirm").queryButton().isDisabled());
    robot.clickOn("#confirm");
  }

  @Test
  void theFlagsTabShowsTheSelectedApplicationsFlags(FxRobot robot) {
    open(robot, "payments", "#tab-flags");
    window.awaitText("Flags of payments");
    String text = window.text();
    assertThat(text)
        .contains("2 flags at the rendered revision")
        .contains("new-checkout").contains("○ off").contains("on=true, off=false").contains("on 10% / off 90%")
        .contains("fractional by targetingKey")
        .contains("3f2a1c9 Ann Lee 2026-01-01T09:12:00Z Set flag new-checkout: fractional on 10% / off 90%")
        .contains("theme").contains("● on").contains("blue=\"#0000ff\", green=\"#00ff00\", red=\"#ff0000\"")
        .contains("email ends_with @shop.example → green");
    assertThat(DesktopHarness.fx(() -> window.console.view().title())).isEqualTo("Flags");
    // another application without flag files: none
    robot.clickOn(robot.lookup("#applications .app-name").match(LabeledMatchers.hasText("inventory")).queryLabeled());
    window.awaitText("0 flags at the rendered revision");
  }

  @Test
  void turningAFlagOnAsksForAReasonShowsThePreviewAndSendsOnlyOnceConfirmed(FxRobot robot) {
    fake.script("previewSetFlag", new dev.weir.engine.console.CommandResult(dev.weir.engine.console.CommandResult.Status.OK,
        "Set flag new-checkout of payments: on (ENABLED)", List.of("edit apps/payments/flags.json:4 state DISABLED → ENABLED")));
    open(robot, "payments", "#tab-flags");
    window.awaitText("2 flags at the rendered revision");
    reasonAndNext(robot, "#flags-flag-toggle");
    next(robot);
    window.awaitText("edit apps/payments/flags.json:4 state DISABLED → ENABLED");
    assertThat(fake.commands()).doesNotContain("setFlag");
    confirm(robot);
    DesktopHarness.await("setFlag sent", () -> fake.commands().contains("setFlag"));
    assertThat(fake.sent()).contains(
        new FakeConsole.Sent("previewSetFlag", List.of("payments", "new-checkout", new FlagChange.SetState(true), RECORDED, true)),
        new FakeConsole.Sent("setFlag", List.of("payments", "new-checkout", new FlagChange.SetState(true), RECORDED, true)));
  }

  @Test
  void cancellingThePreviewSendsNothing(FxRobot robot) {
    open(robot, "payments", "#tab-flags");
    window.awaitText("2 flags at the rendered revision");
    reasonAndNext(robot, "#flags-flag-toggle");
    next(robot);
    DesktopHarness.await("the preview", () -> fake.commands().contains("previewSetFlag"));
    DesktopHarness.await("the confirmation", () -> robot.lookup("#confirm").tryQuery().isPresent());
    robot.clickOn("Cancel (Esc)");
    DesktopHarness.await("the overlay closes", () -> !window.console.overlays().open());
    assertThat(fake.commands()).doesNotContain("setFlag");
  }

  @Test
  void aChangeWithoutAReasonIsNotEvenPreviewed(FxRobot robot) {
    open(robot, "payments", "#tab-flags");
    window.awaitText("2 flags at the rendered revision");
    robot.clickOn("#flags-flag-toggle");
    DesktopHarness.await("the reason form", () -> robot.lookup("#reason").tryQuery().isPresent());
    next(robot);
    window.awaitText("✖ give a reason: it is recorded with who did it");
    assertThat(fake.commands()).doesNotContain("previewSetFlag", "setFlag");
  }

  @Test
  void theDefaultVariantIsChosenAmongTheFlagsVariants(FxRobot robot) {
    open(robot, "payments", "#tab-flags");
    window.awaitText("2 flags at the rendered revision");
    robot.clickOn(robot.lookup("#flags .table-cell").match(LabeledMatchers.hasText("theme")).queryLabeled());
    reasonAndNext(robot, "#flags-flag-default");
    @SuppressWarnings("unchecked")
    ComboBox<String> variant = robot.lookup("#flag-variant").queryAs(ComboBox.class);
    assertThat(variant.getItems()).containsExactly("blue", "green", "red");
    robot.clickOn(variant);
    robot.clickOn(robot.lookup(".list-cell").match(LabeledMatchers.hasText("green")).queryLabeled());
    next(robot);
    confirm(robot);
    DesktopHarness.await("setFlag sent", () -> fake.commands().contains("setFlag"));
    assertThat(fake.sent()).contains(
        new FakeConsole.Sent("setFlag", List.of("payments", "theme", new FlagChange.SetDefault("green"), RECORDED, true)));
  }

  @Test
  void theFractionalSplitIsAPercentagePerVariant(FxRobot robot) {
    open(robot, "payments", "#tab-flags");
    window.awaitText("2 flags at the rendered revision");
    reasonAndNext(robot, "#flags-flag-split");
    robot.doubleClickOn("#split-on").eraseText(2).write("25");
    robot.doubleClickOn("#split-off").eraseText(2).write("75");
    next(robot);
    confirm(robot);
    DesktopHarness.await("setFlag sent", () -> fake.commands().contains("setFlag"));
    Map<String, Integer> split = new LinkedHashMap<>();
    split.put("on", 25);
    split.put("off", 75);
    assertThat(fake.sent()).contains(
        new FakeConsole.Sent("setFlag", List.of("payments", "new-checkout", new FlagChange.SetFractions(split), RECORDED, true)));
  }

  @Test
  void theExperimentsTabShowsTheVariantsAndPromotingBIsConfirmedFirst(FxRobot robot) {
    open(robot, "checkout", "#tab-experiments");
    window.awaitText("Experiments of checkout");
    assertThat(window.text())
        .contains("new-checkout · checkout (rollout checkout)")
        .contains("B wins → promote")
        .contains("80.1%").contains("19.9%").contains("10.0%").contains("13.1%").contains("1203 / 12034").contains("392 / 2990")
        .contains("uplift +3.1 points [+1.2, +5.0], p = 0.0012");
    reasonAndNext(robot, "#experiment-promote");
    next(robot);
    DesktopHarness.await("the preview", () -> fake.commands().contains("previewConclude"));
    assertThat(fake.commands()).doesNotContain("conclude");
    confirm(robot);
    DesktopHarness.await("conclude sent", () -> fake.commands().contains("conclude"));
    assertThat(fake.sent()).contains(
        new FakeConsole.Sent("previewConclude", List.of("checkout", ExperimentConclusion.PROMOTE, RECORDED)),
        new FakeConsole.Sent("conclude", List.of("checkout", ExperimentConclusion.PROMOTE, RECORDED)));
  }

  @Test
  void keepingAIsItsOwnShortcut(FxRobot robot) {
    open(robot, "checkout", "#tab-experiments");
    window.awaitText("Experiments of checkout");
    robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.K).release(KeyCode.K, KeyCode.SHIFT, KeyCode.CONTROL);
    DesktopHarness.await("the reason form", () -> robot.lookup("#reason").tryQuery().isPresent());
    robot.clickOn("#reason").write(REASON);
    next(robot);
    confirm(robot);
    DesktopHarness.await("conclude sent", () -> fake.commands().contains("conclude"));
    assertThat(fake.sent()).contains(new FakeConsole.Sent("conclude", List.of("checkout", ExperimentConclusion.KEEP, RECORDED)));
  }
}
