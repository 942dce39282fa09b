package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.RolloutFixtures;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.themes.ColourDepth;
import dev.weir.tui.golden.Golden;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rollout page on Lanterna's virtual terminal against the fake console: what each key shows
 * where, and which command it sends, at 80×24 and 120×40, with and without colour.
 */
class RolloutPageTest {
  ScreenHarness screen;
  FakeConsole fake;

  @AfterEach
  void close() throws Exception {
    if (screen != null) {
      screen.close();
    }
  }

  /** checkout's rollout page, opened with {@code o} from the application list. */
  private ScreenHarness open(int columns, int rows, ColourDepth depth) {
    fake = RolloutFixtures.console(RolloutFixtures.checkout(25), Fixtures.healthy("payments"));
    screen = new ScreenHarness(fake, columns, rows, depth);
    assertThat(screen.row(0)).startsWith(" weir › applications");
    screen.press("o");
    assertThat(screen.row(0)).startsWith(" weir › checkout › rollout");
    return screen;
  }

  @Test
  void aRolloutMeasuredBeforeTheConsoleOpenedSaysNothingWasMeasuredRatherThanDrawEmptyCharts() {
    fake = RolloutFixtures.console(RolloutFixtures.abortedBeforeOpening("checkout"));
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.NONE);
    screen.press(":").type("apps").press("enter"); // it opens on the attention queue: aborted
    screen.press("o");
    assertThat(screen.row(0)).startsWith(" weir › checkout › rollout");
    int row = screen.rowOf("success-rate    —");
    assertThat(row).as(screen.text()).isPositive();
    assertThat(screen.row(row)).contains("✖ Failed").contains("result[0] >= 0.99 · no …"); // 80 columns: cut
    int chart = screen.rowOf(" success-rate", row + 1);
    assertThat(chart).as(screen.text()).isGreaterThan(row);
    assertThat(screen.row(chart + 1)).isEqualTo(" no measurements in the last 15 min");
    assertThat(screen.text()).doesNotContain("└").doesNotContain("last 15 min ");
    assertThat(screen.text()).as("no request rate measured: the key alone").contains("<w> set weight").doesNotContain("unknown");
  }

  @ParameterizedTest
  @EnumSource(value = ColourDepth.class, names = {"NONE", "TRUE_COLOUR"})
  void at80x24TheStepsBarsMetricRowsAndOneChartFit(ColourDepth depth) {
    open(80, 24, depth);

    assertThat(screen.row(1)).startsWith("⏸ checkout Paused").endsWith("canary · gatewayAPI HTTPRoute checkout/checkout · step 4/7");
    assertThat(screen.row(2)).isEqualTo("step 4/7 waits for promote");
    assertThat(screen.row(3)).startsWith("Steps").contains("Traffic");
    assertThat(screen.row(4)).startsWith(" ✓ 1 setWeight 5").contains("stable ████").endsWith("░  75%");
    assertThat(screen.row(5)).startsWith(" ✓ 2 pause 2m").contains("canary ░░░░").endsWith("▓  25%");
    assertThat(screen.row(6)).contains("✓ 3 analysis").contains("✓ Successful").contains("stable v2.4.0 · canary v2.4.1");
    assertThat(screen.row(7)).startsWith(" ▶ 4 pause (until promoted)").contains("<w> set weight (now ≈ 50.0 req/s to the canary)");
    assertThat(screen.row(10)).startsWith("   7 setWeight 100");
    assertThat(screen.row(11)).startsWith("METRIC          CANARY   STABLE   VERDICT        P      JUDGE · EXPLANATION");
    assertThat(screen.row(12)).startsWith("success-rate    0.996    0.997    ✓ Successful   —      result[0] >= 0.99 · ");
    assertThat(screen.row(13)).startsWith("p99-latency     212      205      ⟳ Running      0.41   Mann-Whitney");
    assertThat(screen.row(14)).startsWith("request-rate    50.0     150");
    assertThat(screen.row(15)).startsWith(" success-rate").endsWith("── canary  ·· stable  ╌╌ threshold 0.990");
    assertThat(screen.row(21)).contains("09:45").contains("last 15 min").endsWith("10:00");
    assertThat(screen.row(22)).startsWith("<p> promote  <P> promote full  <a> abort  <space> pause/resume  <w> set weight");
  }

  @Test
  void theRolloutPageAt80x24MatchesItsGoldenScreen() {
    open(80, 24, ColourDepth.NONE);
    Golden.assertMatches("console/rollout-80x24.txt", screen.text());
  }

  @Test
  void at120x40TwoChartsSideBySideAndTheEventsNewestAtTheBottom() {
    open(120, 40, ColourDepth.NONE);

    int charts = screen.rowOf(" success-rate      ── canary");
    assertThat(charts).isPositive();
    assertThat(screen.row(charts)).contains("p99-latency (ms)").endsWith("╌╌ threshold 225");
    // the explanation gets its own line under each metric
    int latency = screen.rowOf("p99-latency     212");
    assertThat(screen.row(latency)).contains("Mann-Whitney, effect 10%");
    assertThat(screen.row(latency + 1)).isEqualTo("                canary median 212ms vs stable 205ms (+3%)");
    // events: oldest first, the newest on the last row above the footer
    assertThat(screen.rowOf("Events")).isGreaterThan(charts);
    assertThat(screen.row(37)).isEqualTo(" 09:54:00  ⚠ step 4 paused, waiting for promote (weir)");
    assertThat(screen.rowOf("09:48:00  • synced rev 3f2a1c9: v2.4.1 (alice)")).isBetween(charts, 36);
    Golden.assertMatches("console/rollout-120x40.txt", screen.text());
  }

  @Test
  void theSliderMovesInFivesAndSaysWhatTheWeightMeansThenEnterAppliesAfterThePreview() {
    open(80, 24, ColourDepth.NONE);
    fake.script(
        "previewSetWeight",
        new CommandResult(
            CommandResult.Status.OK,
            "now: stable v2.4.0 75%, canary v2.4.1 25%",
            List.of("afterwards: stable v2.4.0 70%, canary v2.4.1 30%", "held there until resumed or promoted")));

    screen.press("w");
    assertThat(screen.row(6)).contains("slider ◀ 25% ▶  enter apply · esc cancel");
    screen.press("right");
    assertThat(screen.row(6)).contains("slider ◀ 30% ▶");
    assertThat(screen.row(7)).contains("       ≈ 60.0 req/s to the canary");
    assertThat(screen.row(8)).contains("       ~14.4 errors/min at its 0.40% error rate");
    assertThat(screen.row(9)).contains("←/→ 5%, shift+←/→ 1%; held until resume");
    assertThat(fake.commands()).as("moving the slider sends nothing").isEmpty();

    screen.press("enter");
    assertThat(screen.text()).contains("afterwards: stable v2.4.0 70%, canary v2.4.1 30%");
    assertThat(screen.row(23)).contains("y: do it");
    assertThat(fake.commands()).containsExactly("previewSetWeight");
    assertThat(fake.sent().getLast().arguments()).containsExactly("checkout", Optional.of("checkout"), 30);

    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewSetWeight", "setWeight");
    assertThat(fake.sent().getLast().arguments())
        .containsExactly("checkout", Optional.of("checkout"), 30, Acts.WHY);
    assertThat(screen.row(23)).contains("✔ setWeight checkout: done (fake)");
    assertThat(screen.row(6)).as("the slider closed").doesNotContain("slider");
  }

  @Test
  void shiftMovesTheSliderByOneAndEscapeCancelsWithNothingSent() {
    open(120, 40, ColourDepth.NONE);
    screen.press("w", "shift+right", "shift+right", "shift+right", "left");
    assertThat(screen.row(6)).contains("slider ◀ 23% ▶");
    assertThat(screen.row(7)).contains("≈ 46.0 req/s to the canary");
    screen.press("left", "left", "left", "left", "left", "left");
    assertThat(screen.row(6)).as("never below 0").contains("slider ◀ 0% ▶");
    screen.press("esc");
    assertThat(screen.row(6)).doesNotContain("slider");
    assertThat(screen.row(38)).as("still on the rollout page: the footer").startsWith("<p> promote");
    assertThat(screen.row(39)).contains("weight unchanged");
    assertThat(fake.commands()).isEmpty();
  }

  @Test
  void promoteAndPromoteFullAndRetryConfirmWithTheEnginesPreview() {
    open(80, 24, ColourDepth.NONE);
    screen.press("p");
    assertThat(screen.text()).contains("goes past step 4; the steps after it, and their analyses, still run");
    screen.press("y");
    screen.press("P");
    assertThat(screen.text()).contains("skips every remaining step and analysis: all traffic to the new version");
    screen.press("y");
    screen.press("t", "y");
    assertThat(fake.commands()).containsExactly("promote", "promoteFull", "retry");
    assertThat(fake.sent().getFirst().arguments()).containsExactly("checkout", Optional.of("checkout"), Acts.WHY);
    assertThat(screen.row(23)).contains("✔ retry checkout: done (fake)");
  }

  @Test
  void abortShowsTheSplitAfterwardsAndSpaceResumesAPausedRollout() {
    open(80, 24, ColourDepth.NONE);
    fake.script("previewAbort", CommandResult.ok("afterwards: stable v2.4.0 100%, canary v2.4.1 0%"));
    screen.press("a");
    assertThat(screen.text()).contains("afterwards: stable v2.4.0 100%, canary v2.4.1 0%");
    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewAbort", "abort");
    assertThat(screen.row(23)).contains("✔ abort checkout: done (fake)");

    screen.press("space");
    assertThat(fake.commands()).containsExactly("previewAbort", "abort", "resume");
    assertThat(screen.row(23)).contains("✔ resume checkout: done (fake)");
  }

  @Test
  void spacePausesAProgressingRolloutAndEscGoesBack() {
    fake =
        RolloutFixtures.console(
            RolloutFixtures.application("checkout", RolloutPhase.PROGRESSING, 25, "step 4/7"));
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("o", "space");
    assertThat(fake.commands()).containsExactly("pause");
    screen.press("esc");
    assertThat(screen.row(0)).startsWith(" weir › applications");
  }

  @Test
  void jAndKChooseTheMetricWhoseChartIsDrawn() {
    open(80, 24, ColourDepth.NONE);
    assertThat(screen.row(15)).startsWith(" success-rate ");
    screen.press("j");
    assertThat(screen.row(15)).startsWith(" p99-latency (ms)").endsWith("╌╌ threshold 225");
    screen.press("k");
    assertThat(screen.row(15)).startsWith(" success-rate ");
  }

  @Test
  void canaryAndStableDifferByCharacterAndByColour() {
    open(80, 24, ColourDepth.TRUE_COLOUR);
    int stableRow = screen.rowOf("stable ████");
    int canaryRow = screen.rowOf("canary ░░░░");
    String stableBar = screen.row(stableRow);
    String canaryBar = screen.row(canaryRow);
    int end = canaryBar.lastIndexOf('▓');
    assertThat(stableBar.charAt(stableBar.indexOf('█'))).isEqualTo('█');
    assertThat(end).isPositive();
    assertThat(screen.cell(end, canaryRow).getForegroundColor())
        .isNotEqualTo(screen.cell(stableBar.indexOf('█'), stableRow).getForegroundColor());
  }

  @Test
  void enterOnAFailingRolloutInTheAttentionQueueOpensItsRolloutPage() {
    fake =
        RolloutFixtures.console(
            RolloutFixtures.application("storefront", RolloutPhase.DEGRADED, 5, "p99 latency 0.41s ≥ 0.3s"),
            Fixtures.healthy("payments"));
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.NONE);
    assertThat(screen.row(0)).startsWith(" weir › attention");
    screen.press("enter");
    assertThat(screen.row(0)).startsWith(" weir › storefront › rollout");
    assertThat(screen.row(1)).startsWith("✖ storefront Degraded");
  }

  @Test
  void theRolloutsCommandOpensTheSelectedApplicationsRollout() {
    fake = RolloutFixtures.console(RolloutFixtures.checkout(25), Fixtures.healthy("payments"));
    screen = new ScreenHarness(fake, 120, 40, ColourDepth.NONE);
    screen.press(":").type("rollouts").press("enter");
    assertThat(screen.row(0)).startsWith(" weir › checkout › rollout");
    assertThat(screen.rowOf("▶ 4 pause (until promoted)")).isPositive();
  }

  @Test
  void anApplicationWithoutARolloutSaysSoAndTheSliderDoesNotOpen() {
    fake = RolloutFixtures.console(Fixtures.healthy("payments"));
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.NONE);
    screen.press("o");
    assertThat(screen.row(2)).contains("payments has no rollout");
    screen.press("w");
    assertThat(screen.row(23)).contains("set weight: nothing selected it applies to");
    assertThat(fake.commands()).isEmpty();
  }
}
