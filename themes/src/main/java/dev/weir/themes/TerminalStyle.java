package dev.weir.themes;

/**
 * How one token looks on a terminal of a given {@link ColourDepth}: a colour (true, one of xterm's
 * 256, one of the sixteen) or, with no colour, an emphasis. A terminal face maps this onto its
 * library's colour type. Immutable.
 *
 * @param depth the terminal's depth
 * @param rgb the true colour (used at {@link ColourDepth#TRUE_COLOUR})
 * @param xterm the xterm index 16–255 (used at {@link ColourDepth#ANSI256})
 * @param ansi16 one of the sixteen (used at {@link ColourDepth#ANSI16})
 * @param emphasis what stands in at {@link ColourDepth#NONE}
 */
public record TerminalStyle(
    ColourDepth depth, Rgb rgb, int xterm, Ansi16 ansi16, Token.Emphasis emphasis) {

  /** The style of {@code token} in {@code theme} on a terminal of {@code depth}. */
  public static TerminalStyle of(Theme theme, Token token, ColourDepth depth) {
    return new TerminalStyle(
        depth, theme.rgb(token), theme.ansi256(token), theme.ansi16(token), token.emphasis());
  }

  /**
   * The SGR parameters that set this style as a foreground ({@code 38;2;r;g;b}, {@code 38;5;n},
   * {@code 91}, or {@code 1} for bold when there is no colour); empty when nothing is set.
   */
  public String sgrForeground() {
    return switch (depth) {
      case TRUE_COLOUR -> "38;2;" + rgb.red() + ";" + rgb.green() + ";" + rgb.blue();
      case ANSI256 -> "38;5;" + xterm;
      case ANSI16 -> Integer.toString(ansi16.foregroundCode());
      case NONE ->
          switch (emphasis) {
            case NONE -> "";
            case BOLD -> "1";
            case UNDERLINE -> "4";
            case REVERSE -> "7";
          };
    };
  }
}
