package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleSnapshot.Loading.Stage;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.rollout.RolloutPhase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShellTest {
  ScreenHarness screen;

  @AfterEach
  void close() throws Exception {
    if (screen != null) {
      screen.close();
    }
  }

  @Test
  void aFailingCanaryIsSelectedAtLaunchAndAbortedInTwoKeystrokesAfterItsPreview() {
    FakeConsole fake =
        Fixtures.console(
            Fixtures.healthy("payments"),
            Fixtures.withRollout("storefront", RolloutPhase.DEGRADED, 5, "p99 latency 0.41s ≥ 0.3s"),
            Fixtures.withRollout("checkout", RolloutPhase.PAUSED, 25, "step 4/7 waits for promote"));
    fake.script("previewAbort", CommandResult.ok("traffic afterwards: stable 100%, canary 0%"));
    screen = new ScreenHarness(fake);

    assertThat(screen.row(0)).startsWith(" weir › attention  ctx:fake  fake@main");
    int storefront = screen.rowOf("storefront");
    assertThat(screen.row(storefront)).contains("▶✖ storefront");
    assertThat(screen.rowOf("Needs attention (")).isLessThan(storefront);
    assertThat(screen.row(22))
        .startsWith("<enter> open  <a> abort  <p> promote")
        .as("the actions that do not fit are one key away")
        .endsWith("<?> more");

    screen.press("a");
    assertThat(screen.text()).contains("traffic afterwards: stable 100%, canary 0%");
    assertThat(screen.row(23)).contains("y: do it");
    assertThat(fake.commands()).containsExactly("previewAbort");

    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewAbort", "abort");
    assertThat(fake.sent().getLast().arguments().getFirst()).isEqualTo("storefront");
    assertThat(screen.row(23)).contains("✔ abort storefront: done (fake)");
  }

  @Test
  void escapeCancelsAConfirmationAndNothingIsSent() {
    FakeConsole fake =
        Fixtures.console(Fixtures.withRollout("storefront", RolloutPhase.DEGRADED, 5, "failing"));
    screen = new ScreenHarness(fake);
    screen.press("a", "esc");
    assertThat(fake.commands()).containsExactly("previewAbort");
    assertThat(screen.row(23)).contains("cancelled: Abort the rollout of storefront");
  }

  @Test
  void withNothingToAttendToTheConsoleOpensOnTheApplications() {
    screen = new ScreenHarness(Fixtures.console(Fixtures.healthy("payments"), Fixtures.healthy("search")));
    assertThat(screen.row(0)).startsWith(" weir › applications");
    assertThat(screen.text()).contains("Applications (2)").contains("payments").contains("Synced");
  }

  @Test
  void theCommandPromptCompletesAndJumps() {
    screen = new ScreenHarness(Fixtures.console(Fixtures.healthy("payments")));
    screen.press(":").type("at").press("tab");
    assertThat(screen.row(23)).startsWith(":attention");
    screen.press("enter");
    assertThat(screen.row(0)).startsWith(" weir › attention");
    assertThat(screen.row(23)).as("the completions leave with the prompt").isBlank();
    screen.press(":").type("fl").press("esc");
    assertThat(screen.row(23)).isBlank();
    screen.press(":").type("nope").press("enter");
    assertThat(screen.row(23)).contains("no view named 'nope'");
  }

  @Test
  void helpListsEveryKeyOfTheViewFromItsActionTable() {
    screen = new ScreenHarness(Fixtures.console(Fixtures.healthy("payments")));
    screen.press("?");
    String text = screen.text();
    for (var action : dev.weir.engine.console.ConsoleView.APPLICATIONS.actions()) {
      assertThat(text).contains(action.words());
    }
    screen.press("x");
    assertThat(screen.text()).doesNotContain("Keys: Applications");
  }

  @Test
  void helpNamesEscOnceAndEveryViewToJumpToWithin80Columns() {
    screen = new ScreenHarness(Fixtures.console(Fixtures.healthy("payments")));
    screen.press(":").type("ctx").press("enter").press("?");
    String text = screen.text();
    assertThat(text.split("│ esc ", -1)).as(text).hasSize(2);
    for (String view : Shell.commands()) {
      assertThat(text).contains(" " + view);
    }
    assertThat(text).doesNotContain("his…");
  }

  @Test
  void whileTheSandboxStartsTheHeaderSaysLoadingWhereNoContextOrRepositoryIsKnownYet() {
    var starting =
        new dev.weir.engine.console.ConsoleSnapshot(
            0,
            java.time.Instant.parse("2026-01-01T10:00:00Z"),
            java.util.Optional.empty(),
            dev.weir.engine.cluster.ClusterStatus.reachable("", ""),
            java.util.List.of(),
            java.util.List.of(),
            java.util.Optional.of(
                new dev.weir.engine.console.ConsoleSnapshot.Loading(
                    dev.weir.engine.console.ConsoleSnapshot.Loading.Stage.CONNECTING,
                    "starting the sandbox")),
            "",
            "",
            java.util.List.of(),
            java.util.Optional.empty());
    screen = new ScreenHarness(new FakeConsole(starting));
    assertThat(screen.row(0)).contains("ctx:loading…").contains("repo:loading…").doesNotContain("@");
    assertThat(screen.text()).contains("starting the sandbox");
  }

  @Test
  void theLoadingStepsAreTickedInTheOrderTheyRanAndTheFooterOffersOnlyQuit() throws Exception {
    var fake = new FakeConsole(loadingAt(Stage.CONNECTING, "starting the sandbox"));
    screen = new ScreenHarness(fake);
    assertThat(screen.text()).doesNotContain("✓").contains("▶ connect to the cluster").contains("starting the sandbox");
    assertThat(screen.row(22)).startsWith("<:q> quit").doesNotContain("sync");
    screen.show(fake.show(loadingAt(Stage.CLONING, "cloning /shop")));
    assertThat(screen.text()).contains("✓ connect to the cluster").contains("▶ clone the repository");
    screen.show(fake.show(loadingAt(Stage.CONNECTING, "connecting to context weir-sandbox")));
    String text = screen.text();
    assertThat(text).contains("✓ clone the repository").contains("▶ connect to the cluster");
    assertThat(text.indexOf("clone the repository")).isLessThan(text.indexOf("connect to the cluster"));
    assertThat(text).doesNotContain("fetch the repository").doesNotContain("✓ compare");
    screen.close();
    screen = new ScreenHarness(new FakeConsole(loadingAt(Stage.FETCHING, "fetching /shop")));
    assertThat(screen.text()).contains("▶ fetch the repository").doesNotContain("clone the repository");
  }

  private static dev.weir.engine.console.ConsoleSnapshot loadingAt(Stage stage, String message) {
    return FakeConsole.loading(new dev.weir.engine.console.ConsoleSnapshot.Loading(stage, message));
  }

  @Test
  void whileLoadingTheFirstFrameSaysWhatItIsDoing() {
    screen = new ScreenHarness(new FakeConsole());
    assertThat(screen.text()).contains("Opening…").contains("▶ connect to the cluster").contains("connecting to context fake");
  }
}
