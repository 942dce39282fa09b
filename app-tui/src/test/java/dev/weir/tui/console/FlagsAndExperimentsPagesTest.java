package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.ExperimentConclusion;
import dev.weir.engine.console.ExperimentView;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.FlagView;
import dev.weir.engine.model.FlagChange;
import dev.weir.themes.ColourDepth;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code :flags} and {@code :experiments} views on Lanterna's virtual terminal, against the FakeConsole. */
class FlagsAndExperimentsPagesTest {
  ScreenHarness screen;

  @AfterEach
  void close() throws Exception {
    if (screen != null) {
      screen.close();
    }
  }

  static FlagView flag(String key, boolean enabled, String defaultVariant, List<FlagView.Share> split, String targeting) {
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("on", "true");
    variants.put("off", "false");
    return new FlagView(key, enabled, defaultVariant, variants, split, targeting, "apps/" + key + ".flagd.json:3:5", Optional.empty());
  }

  static ApplicationView withFlags(String name, FlagView... flags) {
    ApplicationView a = FakeConsole.application(name);
    return a.withFlags(List.of(flags));
  }

  static ExperimentView experiment() {
    return new ExperimentView(
        "storefront", "storefront", "new-checkout", "header x-segment = beta",
        List.of(
            new ExperimentView.Variant("A", "v2.4.0", "stable", "the rest", 0.801, 1203, 12034),
            new ExperimentView.Variant("B", "v2.4.1", "canary", "header x-segment = beta", 0.199, 392, 2990)),
        0.031, 0.012, 0.050, 0.0012, 0.05, "B wins", "promote", Duration.ofSeconds(270), 6000,
        "B converts better: 13.1% against 10.0%", Optional.empty());
  }

  static FakeConsole console() {
    ConsoleSnapshot s =
        FakeConsole.loaded(
            List.of(
                withFlags(
                    "pricing",
                    flag("new-checkout", true, "off", List.of(new FlagView.Share("on", 10), new FlagView.Share("off", 90)), "fractional by targetingKey"),
                    flag("dark-mode", false, "off", List.of(), "none")),
                withFlags("storefront", flag("banner", true, "on", List.of(), "email ends_with @example.com → on"))));
    return new FakeConsole(
        new ConsoleSnapshot(
            s.version(), s.at(), s.git(), s.cluster(), s.applications(), s.events(), s.loading(), s.repository(),
            s.branch(), s.contexts(), s.globalFreeze(), s.definitionFailures(), s.attention(),
            s.applicationEvents(), List.of(experiment())));
  }

  ScreenHarness open(FakeConsole fake, int columns, int rows, String view) {
    screen = new ScreenHarness(fake, columns, rows, ColourDepth.TRUE_COLOUR);
    screen.press(":").type(view).press("enter");
    return screen;
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"80,24", "120,40"})
  void flagsListsEveryFlagOfEveryApplicationWithItsStateDefaultSplitAndTargeting(int columns, int rows) {
    open(console(), columns, rows, "flags");

    assertThat(screen.row(0)).startsWith(" weir › flags");
    assertThat(screen.row(1)).startsWith("┌─ Flags  (3)");
    assertThat(screen.row(2)).containsPattern("^│ APPLICATION +FLAG +STATE +DEFAULT +SPLIT +TARGETING");
    assertThat(screen.row(3)).startsWith("│▶pricing").contains("new-checkout").contains("ENABLED").containsPattern("on 10% / off 90% +fractional");
    assertThat(screen.row(4)).startsWith("│ pricing").contains("dark-mode").contains("DISABLED").contains("—").contains("none");
    assertThat(screen.row(5)).startsWith("│ storefront").contains("banner").contains("ENABLED").contains("email ends_w");
    assertThat(screen.row(rows - 2)).startsWith("<x> flag on/off  <D> default variant  <%> fractional split");
    for (int r = 0; r < rows; r++) {
      assertThat(screen.row(r).stripTrailing().length()).as(screen.text()).isLessThanOrEqualTo(columns);
    }
  }

  @Test
  void flagsOpenedFromAnApplicationShowsOnlyItsFlags() {
    screen = new ScreenHarness(console(), 80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("j", "enter");
    assertThat(screen.row(0)).startsWith(" weir › storefront");
    screen.press(":").type("flags").press("enter");

    assertThat(screen.row(0)).startsWith(" weir › storefront › flags");
    assertThat(screen.row(1)).startsWith("┌─ Flags of storefront  (1)");
    assertThat(screen.row(3)).startsWith("│▶storefront").contains("banner");
    assertThat(screen.text()).doesNotContain("new-checkout");
  }

  @Test
  void xAsksForAReasonShowsTheEnginesPreviewAndSendsSetFlagOnlyAfterY() {
    FakeConsole fake = console();
    open(fake, 80, 24, "flags");
    screen.press("j", "x");
    assertThat(screen.row(23)).startsWith("reason for dark-mode on (ENABLED): ");
    screen.type("beta opens").press("enter");

    FlagChange on = new FlagChange.SetState(true);
    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("previewSetFlag", List.of("pricing", "dark-mode", on, "beta opens", true)));
    assertThat(screen.text()).contains("previewSetFlag");
    assertThat(screen.row(23)).startsWith("y: do it    n or esc: cancel");
    assertThat(fake.commands()).doesNotContain("setFlag");

    screen.press("y");
    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("setFlag", List.of("pricing", "dark-mode", on, "beta opens", true)));
    assertThat(screen.row(23)).startsWith("✔");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"n", "esc"})
  void nOrEscAtThePreviewSendsNothing(String key) {
    FakeConsole fake = console();
    open(fake, 80, 24, "flags");
    screen.press("x").type("rollback").press("enter").press(key);

    assertThat(fake.commands()).contains("previewSetFlag").doesNotContain("setFlag");
    assertThat(screen.row(23)).startsWith("cancelled");
  }

  @Test
  void escAtTheReasonSendsNothingAtAll() {
    FakeConsole fake = console();
    open(fake, 80, 24, "flags");
    int before = fake.sent().size();
    screen.press("x").type("half").press("esc");

    assertThat(fake.sent()).hasSize(before);
    assertThat(screen.row(23)).startsWith("cancelled: nothing sent");
  }

  @Test
  void dAsksForTheVariantAndPercentForTheSplitThenTheReason() {
    FakeConsole fake = console();
    open(fake, 80, 24, "flags");
    screen.press("D");
    assertThat(screen.row(23)).startsWith("default variant of new-checkout (on, off): ");
    screen.type("on").press("enter").type("launch").press("enter").press("y");
    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("setFlag", List.of("pricing", "new-checkout", new FlagChange.SetDefault("on"), "launch", true)));

    screen.press("%").type("on=25, off=75%").press("enter").type("ramp up").press("enter").press("y");
    Map<String, Integer> split = new LinkedHashMap<>();
    split.put("on", 25);
    split.put("off", 75);
    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("setFlag", List.of("pricing", "new-checkout", new FlagChange.SetFractions(split), "ramp up", true)));

    int before = fake.sent().size();
    screen.press("%").type("on=lots").press("enter");
    assertThat(screen.row(23)).contains("'lots' is not a whole percentage for on; nothing sent");
    assertThat(fake.sent()).hasSize(before);
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"80,24", "120,40"})
  void experimentsShowsEachExperimentWithItsVariantsUpliftAndOutcome(int columns, int rows) {
    open(console(), columns, rows, "experiments");

    assertThat(screen.row(0)).startsWith(" weir › experiments");
    assertThat(screen.row(1)).startsWith("┌─ Experiments  (1)");
    assertThat(screen.row(3)).startsWith("│▶storefront").contains("B wins → promote").contains("+3.1 [+1.2, +5.0]").contains("0.0012");
    String text = screen.text();
    assertThat(text).contains("A v2.4.0").contains("80.1%").contains("(1203/12034)");
    assertThat(text).contains("B v2.4.1").contains("19.9%").contains("(392/2990)");
    assertThat(screen.row(rows - 2)).startsWith("<B> conclude: promote B  <A> conclude: keep A  <esc> back");
  }

  @Test
  void bAsksForAReasonShowsThePreviewAndConcludesOnlyAfterY() {
    FakeConsole fake = console();
    open(fake, 80, 24, "experiments");
    screen.press("B");
    assertThat(screen.row(23)).startsWith("reason to promote B in storefront: ");
    screen.type("B converts better").press("enter");
    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("previewConclude", List.of("storefront", ExperimentConclusion.PROMOTE, "B converts better")));
    assertThat(fake.commands()).doesNotContain("conclude");

    screen.press("y");
    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("conclude", List.of("storefront", ExperimentConclusion.PROMOTE, "B converts better")));

    screen.press("A").type("too risky").press("enter").press("n");
    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("previewConclude", List.of("storefront", ExperimentConclusion.KEEP, "too risky")));
  }

  @Test
  void everyActionOfBothViewsIsBound() {
    for (ConsoleView view : List.of(ConsoleView.FLAGS, ConsoleView.EXPERIMENTS)) {
      for (var action : view.actions()) {
        open(console(), 80, 24, view.command());
        screen.press(action.key().equals("esc") ? "esc" : action.key());
        assertThat(screen.row(23)).as(view + " " + action).doesNotContain("nothing selected it applies to");
        if (action.confirms()) {
          assertThat(screen.row(23)).as(view + " " + action).isNotBlank();
        }
        try {
          screen.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        screen = null;
      }
    }
  }
}
