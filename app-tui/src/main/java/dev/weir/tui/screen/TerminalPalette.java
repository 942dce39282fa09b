package dev.weir.tui.screen;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import dev.weir.themes.Ansi16;
import dev.weir.themes.ColourDepth;
import dev.weir.themes.Rgb;
import dev.weir.themes.Theme;
import dev.weir.themes.Token;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * The themes module's palette as Lanterna colours, for one theme on a terminal of one depth: true
 * colour, xterm's 256, the user's sixteen, or none at all (then each token's emphasis: bold,
 * underline or reverse). Immutable.
 */
public final class TerminalPalette {
  private final Theme theme;
  private final ColourDepth depth;
  private final Map<Token, TextColor> colours = new EnumMap<>(Token.class);

  public TerminalPalette(Theme theme, ColourDepth depth) {
    this.theme = theme;
    this.depth = depth;
    for (Token token : Token.values()) {
      colours.put(token, colour(token));
    }
  }

  public Theme theme() {
    return theme;
  }

  public ColourDepth depth() {
    return depth;
  }

  /** The token as a foreground or background colour ({@code DEFAULT} when there is no colour). */
  public TextColor colour(Token token) {
    TextColor known = colours.get(token);
    if (known != null) {
      return known;
    }
    return switch (depth) {
      case NONE -> TextColor.ANSI.DEFAULT;
      case ANSI16 -> ansi(theme.ansi16(token));
      case ANSI256 -> new TextColor.Indexed(theme.ansi256(token));
      case TRUE_COLOUR -> {
        Rgb rgb = theme.rgb(token);
        yield new TextColor.RGB(rgb.red(), rgb.green(), rgb.blue());
      }
    };
  }

  /**
   * The modifiers that carry a foreground token's meaning: with colour, bold for the tokens that
   * are bold without it too (so danger stands out either way); without colour, its emphasis.
   */
  public EnumSet<SGR> modifiers(Token token) {
    EnumSet<SGR> modifiers = EnumSet.noneOf(SGR.class);
    switch (token.emphasis()) {
      case BOLD -> modifiers.add(SGR.BOLD);
      case UNDERLINE -> {
        if (depth == ColourDepth.NONE) {
          modifiers.add(SGR.UNDERLINE);
        }
      }
      case REVERSE -> {
        if (depth == ColourDepth.NONE) {
          modifiers.add(SGR.REVERSE);
        }
      }
      case NONE -> {}
    }
    return modifiers;
  }

  private static TextColor ansi(Ansi16 colour) {
    return switch (colour) {
      case BLACK -> TextColor.ANSI.BLACK;
      case RED -> TextColor.ANSI.RED;
      case GREEN -> TextColor.ANSI.GREEN;
      case YELLOW -> TextColor.ANSI.YELLOW;
      case BLUE -> TextColor.ANSI.BLUE;
      case MAGENTA -> TextColor.ANSI.MAGENTA;
      case CYAN -> TextColor.ANSI.CYAN;
      case WHITE -> TextColor.ANSI.WHITE;
      case BRIGHT_BLACK -> TextColor.ANSI.BLACK_BRIGHT;
      case BRIGHT_RED -> TextColor.ANSI.RED_BRIGHT;
      case BRIGHT_GREEN -> TextColor.ANSI.GREEN_BRIGHT;
      case BRIGHT_YELLOW -> TextColor.ANSI.YELLOW_BRIGHT;
      case BRIGHT_BLUE -> TextColor.ANSI.BLUE_BRIGHT;
      case BRIGHT_MAGENTA -> TextColor.ANSI.MAGENTA_BRIGHT;
      case BRIGHT_CYAN -> TextColor.ANSI.CYAN_BRIGHT;
      case BRIGHT_WHITE -> TextColor.ANSI.WHITE_BRIGHT;
      case DEFAULT -> TextColor.ANSI.DEFAULT;
    };
  }
}
