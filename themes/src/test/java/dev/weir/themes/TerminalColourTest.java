package dev.weir.themes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminalColourTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "#000000, 16",
    "#ffffff, 231",
    "#ff0000, 196",
    "#00ff00, 46",
    "#0000ff, 21",
    "#5f87af, 67",
    "#808080, 244",
    "#121212, 233"
  })
  void xtermColoursAreTheNearestInTheCubeOrTheGreyRamp(String hex, int index) {
    assertThat(Xterm256.nearest(Rgb.of(hex))).isEqualTo(index);
  }

  @Test
  void theXtermTableIsTheStandardOne() {
    assertThat(Xterm256.rgb(16).hex()).isEqualTo("#000000");
    assertThat(Xterm256.rgb(67).hex()).isEqualTo("#5f87af");
    assertThat(Xterm256.rgb(231).hex()).isEqualTo("#ffffff");
    assertThat(Xterm256.rgb(232).hex()).isEqualTo("#080808");
    assertThat(Xterm256.rgb(255).hex()).isEqualTo("#eeeeee");
    assertThatThrownBy(() -> Xterm256.rgb(15)).hasMessageContaining("16–255");
  }

  @ParameterizedTest(name = "[{index}] {0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NO_COLOR=1, TERM=xterm-256color, COLORTERM=truecolor | NONE",
        "TERM=dumb                                            | NONE",
        "TERM=xterm-256color, COLORTERM=truecolor             | TRUE_COLOUR",
        "TERM=tmux-256color, COLORTERM=24bit                  | TRUE_COLOUR",
        "TERM=screen-256color                                 | ANSI256",
        "TERM=xterm                                           | ANSI16",
        "NO_COLOR=, TERM=xterm                                | ANSI16",
        "''                                                   | ANSI16"
      })
  void theDepthFollowsTheEnvironment(String env, ColourDepth expected) {
    assertThat(ColourDepth.detect(parse(env))).isEqualTo(expected);
  }

  @Test
  void eachDepthSetsItsOwnKindOfColour() {
    assertThat(TerminalStyle.of(Theme.DARK, Token.DANGER, ColourDepth.TRUE_COLOUR).sgrForeground())
        .isEqualTo("38;2;255;92;92");
    assertThat(TerminalStyle.of(Theme.DARK, Token.DANGER, ColourDepth.ANSI256).sgrForeground())
        .matches("38;5;\\d+");
    assertThat(TerminalStyle.of(Theme.DARK, Token.DANGER, ColourDepth.ANSI16).sgrForeground())
        .isEqualTo("91");
    assertThat(TerminalStyle.of(Theme.DARK, Token.DANGER, ColourDepth.NONE).sgrForeground())
        .as("no colour: danger is bold")
        .isEqualTo("1");
    assertThat(TerminalStyle.of(Theme.DARK, Token.FG_DEFAULT, ColourDepth.NONE).sgrForeground())
        .isEmpty();
    assertThat(TerminalStyle.of(Theme.LIGHT, Token.FG_DEFAULT, ColourDepth.ANSI16).sgrForeground())
        .as("the terminal's own foreground")
        .isEqualTo("39");
  }

  @Test
  void theStyleSheetNamesEveryTokenOnce() {
    String css = JavaFxCss.of(Theme.LIGHT);
    assertThat(css).startsWith("/* Weir theme 'light'").contains(".root {\n");
    for (Token token : Token.values()) {
      assertThat(css)
          .containsOnlyOnce("  -weir-" + token.cssName() + ": " + Theme.LIGHT.rgb(token).hex() + ";\n");
    }
    assertThat(css).contains("-weir-fg-default: #1f2328;");
  }

  @Test
  void coloursAreWrittenAndReadAsHex() {
    assertThat(Rgb.of("#0A5fC2")).isEqualTo(new Rgb(10, 95, 194));
    assertThat(new Rgb(10, 95, 194).hex()).isEqualTo("#0a5fc2");
    assertThatThrownBy(() -> Rgb.of("0a5fc2")).hasMessage("a colour is written #rrggbb, was '0a5fc2'");
    assertThat(Rgb.of("#000000").contrast(Rgb.of("#ffffff"))).isEqualTo(21.0);
  }

  private static Map<String, String> parse(String env) {
    java.util.Map<String, String> map = new java.util.HashMap<>();
    for (String pair : env.split(",")) {
      String p = pair.trim();
      if (p.isEmpty() || p.equals("''")) {
        continue;
      }
      int eq = p.indexOf('=');
      map.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return map;
  }
}
