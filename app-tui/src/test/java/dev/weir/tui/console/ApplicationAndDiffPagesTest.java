package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.FakeConsole;
import dev.weir.themes.ColourDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplicationAndDiffPagesTest {
  ScreenHarness screen;

  @AfterEach
  void close() throws Exception {
    if (screen != null) {
      screen.close();
    }
  }

  @Test
  void dump() {
    FakeConsole fake = DriftFixtures.console();
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.TRUE_COLOUR);
    System.out.println(screen.text());
    screen.press("enter");
    System.out.println(screen.text());
    screen.press("d");
    System.out.println(screen.text());
    screen.press("v");
    System.out.println(screen.text());
  }
}
