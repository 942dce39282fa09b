package dev.weir.tui.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which runs get the terminal console's first frame from the entry point, and what it shows. */
class SplashTest {
  private static final Map<String, String> XTERM = Map.of("TERM", "xterm-256color");

  @Test
  void onlyTheTerminalConsoleOnARealTerminalGetsTheSplash() {
    assertThat(Splash.wanted(List.of("tui"), XTERM)).isTrue();
    assertThat(Splash.wanted(List.of("tui", "--sandbox", "--repo", "/shop"), XTERM)).isTrue();
    assertThat(Splash.wanted(List.of("tui", "--help"), XTERM)).as("help is printed, not hidden").isFalse();
    assertThat(Splash.wanted(List.of("tui", "-V"), XTERM)).isFalse();
    assertThat(Splash.wanted(List.of("status"), XTERM)).isFalse();
    assertThat(Splash.wanted(List.of(), XTERM)).isFalse();
    assertThat(Splash.wanted(List.of("tui"), Map.of("TERM", "dumb"))).isFalse();
    assertThat(Splash.wanted(List.of("tui"), Map.of())).isFalse();
  }

  @Test
  void theSplashIsTheConsolesLoadingFrameOnTheAlternateScreen() {
    String frame = Splash.frame(false);
    assertThat(frame).startsWith("\u001b[?1049h").contains(" weir").contains(" › applications")
        .contains("ctx:loading…").contains("Opening…").contains("▶ start weir");
    assertThat(Splash.frame(true)).as("NO_COLOR: bold only, no dim").doesNotContain("\u001b[2m");
  }
}
