package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.SGR;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.FakeConsole;
import dev.weir.themes.ColourDepth;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContextsPageTest {
  ScreenHarness screen;

  @AfterEach
  void close() throws Exception {
    if (screen != null) {
      screen.close();
    }
  }

  static Stream<Arguments> screens() {
    return Stream.of(
        Arguments.of(80, 24, ColourDepth.TRUE_COLOUR),
        Arguments.of(120, 40, ColourDepth.TRUE_COLOUR),
        Arguments.of(80, 24, ColourDepth.NONE),
        Arguments.of(120, 40, ColourDepth.NONE));
  }

  static FakeConsole console() {
    return new FakeConsole(
        FakeConsole.loaded(List.of(Fixtures.healthy("payments")))
            .withContexts(List.of("fake", "prod-eu", "staging")));
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @MethodSource("screens")
  void colonCtxListsTheContextsEnterSwitchesAfterAPreviewAndTheHeaderFollows(int columns, int rows, ColourDepth depth) {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake, columns, rows, depth);

    screen.press(":").type("ctx").press("enter");

    assertThat(screen.row(0)).startsWith(" weir › contexts  ctx:fake");
    assertThat(screen.row(1)).startsWith("┌─ Contexts (3) ");
    assertThat(screen.row(2)).startsWith("│ CONTEXT                       STATE");
    assertThat(screen.row(3)).startsWith("│▶● fake                        current  https://fake.example.com:6443");
    assertThat(screen.row(4)).startsWith("│   prod-eu                     enter switches");
    assertThat(screen.row(5)).startsWith("│   staging                     enter switches");
    assertThat(screen.row(rows - 2)).startsWith("<enter> switch  <esc> back  <?> help");

    screen.press("j");
    assertThat(screen.row(4)).startsWith("│▶  prod-eu");
    if (depth == ColourDepth.NONE) {
      assertThat(screen.cell(5, 4).getModifiers()).contains(SGR.REVERSE);
    }

    screen.press("enter");
    assertThat(fake.sent()).containsExactly(new FakeConsole.Sent("previewSwitchContext", List.of("prod-eu")));
    assertThat(screen.text())
        .contains("Switch to context prod-eu")
        .contains("the console leaves context fake and connects to prod-eu");
    assertThat(screen.row(rows - 1)).startsWith("y: do it    n or esc: cancel");

    screen.press("y");
    assertThat(fake.sent().getLast()).isEqualTo(new FakeConsole.Sent("switchContext", List.of("prod-eu")));
    screen.show(fake.snapshot()); // the snapshot of the new context, as the subscription delivers it

    assertThat(screen.row(0)).startsWith(" weir › contexts  ctx:prod-eu");
    assertThat(screen.row(3)).startsWith("│ ● fake".replace("● ", "  "));
    assertThat(screen.row(4)).startsWith("│▶● prod-eu                     current  https://prod-eu.example.com:6443");
    assertThat(screen.row(rows - 1)).startsWith("✔ switched to context prod-eu");
  }

  @Test
  void enterOnTheCurrentContextSendsNothingAndEscCancelsASwitch() {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake);
    screen.press(":").type("ctx").press("enter");

    screen.press("enter");
    assertThat(screen.row(23)).startsWith("already on context fake");
    assertThat(fake.sent()).isEmpty();

    screen.press("j", "j", "enter", "esc");
    assertThat(fake.commands()).containsExactly("previewSwitchContext");
    assertThat(screen.row(23)).contains("cancelled: Switch to context staging");
    assertThat(screen.row(0)).contains("ctx:fake");
  }

  @Test
  void aRefusedSwitchSaysWhyAndTheHeaderStays() {
    FakeConsole fake = console();
    fake.script("switchContext", CommandResult.of(CommandResult.Status.UNREACHABLE, "prod-eu: connection refused"));
    screen = new ScreenHarness(fake);
    screen.press(":").type("ctx").press("enter", "j", "enter", "y");
    assertThat(screen.row(23)).startsWith("✖ prod-eu: connection refused");
    assertThat(screen.row(0)).contains("ctx:fake");
  }
}
