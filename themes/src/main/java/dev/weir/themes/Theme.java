package dev.weir.themes;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The three themes both faces offer. Each gives every {@link Token} a true colour and a hand-picked
 * choice among the terminal's sixteen. The canary and stable pair is blue against orange (the
 * Okabe–Ito pair), which people with any of the common colour-vision deficiencies tell apart; the
 * faces also tell them apart by line style, never by colour alone. Success is a teal green and
 * danger a warm red of a different lightness, so they differ for red–green colour blindness too.
 *
 * <p>Text tokens reach a WCAG contrast of 4.5:1 on the background and on surfaces (7:1 in {@link
 * #HIGH_CONTRAST}); {@code ThemeTest} holds each theme to it.
 */
public enum Theme {
  DARK("dark"),
  LIGHT("light"),
  HIGH_CONTRAST("high-contrast");

  private final String id;
  private final Map<Token, Rgb> colours = new EnumMap<>(Token.class);
  private final Map<Token, Ansi16> ansi = new EnumMap<>(Token.class);

  Theme(String id) {
    this.id = id;
  }

  static {
    // token                     dark        16 colours             light       16 colours
    define(Token.BACKGROUND, "#15181e", Ansi16.DEFAULT, "#ffffff", Ansi16.DEFAULT, "#000000", Ansi16.DEFAULT);
    define(Token.SURFACE, "#1d2129", Ansi16.DEFAULT, "#f5f7f9", Ansi16.DEFAULT, "#000000", Ansi16.DEFAULT);
    define(Token.BORDER, "#4a5261", Ansi16.BRIGHT_BLACK, "#b8c0ca", Ansi16.BRIGHT_BLACK, "#ffffff", Ansi16.WHITE);
    define(Token.FG_DEFAULT, "#e6e9ee", Ansi16.DEFAULT, "#1f2328", Ansi16.DEFAULT, "#ffffff", Ansi16.BRIGHT_WHITE);
    define(Token.FG_MUTED, "#9aa4b3", Ansi16.BRIGHT_BLACK, "#57606a", Ansi16.BRIGHT_BLACK, "#d6d6d6", Ansi16.WHITE);
    define(Token.ACCENT, "#7cb8ff", Ansi16.BRIGHT_CYAN, "#0a5fc2", Ansi16.BLUE, "#8cc8ff", Ansi16.BRIGHT_CYAN);
    define(Token.SUCCESS, "#44c9b0", Ansi16.GREEN, "#1a7434", Ansi16.GREEN, "#4fe0c0", Ansi16.BRIGHT_GREEN);
    define(Token.WARNING, "#e0a935", Ansi16.YELLOW, "#8a5a00", Ansi16.YELLOW, "#ffd54a", Ansi16.BRIGHT_YELLOW);
    define(Token.DANGER, "#ff5c5c", Ansi16.BRIGHT_RED, "#c21f2b", Ansi16.RED, "#ff8a87", Ansi16.BRIGHT_RED);
    define(Token.INFO, "#a8b8ff", Ansi16.CYAN, "#4a4fc2", Ansi16.CYAN, "#c2ccff", Ansi16.BRIGHT_CYAN);
    define(Token.CANARY, "#f0a020", Ansi16.YELLOW, "#a85300", Ansi16.YELLOW, "#ffb84d", Ansi16.BRIGHT_YELLOW);
    define(Token.STABLE, "#5cb8ee", Ansi16.BLUE, "#0068a8", Ansi16.BLUE, "#8fd3ff", Ansi16.BRIGHT_BLUE);
    define(Token.THRESHOLD, "#e08cc0", Ansi16.MAGENTA, "#9c3a78", Ansi16.MAGENTA, "#ffa6e0", Ansi16.BRIGHT_MAGENTA);
    define(Token.SELECTION_BG, "#2b4a75", Ansi16.BLUE, "#cfe6ff", Ansi16.CYAN, "#ffffff", Ansi16.BRIGHT_WHITE);
    define(Token.SELECTION_FG, "#ffffff", Ansi16.BRIGHT_WHITE, "#0d1117", Ansi16.BLACK, "#000000", Ansi16.BLACK);
    define(Token.DIFF_ADDED, "#44c9b0", Ansi16.GREEN, "#1a7434", Ansi16.GREEN, "#4fe0c0", Ansi16.BRIGHT_GREEN);
    define(Token.DIFF_REMOVED, "#ff7b72", Ansi16.RED, "#c21f2b", Ansi16.RED, "#ff8a87", Ansi16.BRIGHT_RED);
  }

  private static void define(
      Token token, String dark, Ansi16 dark16, String light, Ansi16 light16, String high, Ansi16 high16) {
    DARK.colours.put(token, Rgb.of(dark));
    DARK.ansi.put(token, dark16);
    LIGHT.colours.put(token, Rgb.of(light));
    LIGHT.ansi.put(token, light16);
    HIGH_CONTRAST.colours.put(token, Rgb.of(high));
    HIGH_CONTRAST.ansi.put(token, high16);
  }

  /** The name users give: {@code dark}, {@code light}, {@code high-contrast}. */
  public String id() {
    return id;
  }

  /** The token's true colour in this theme. */
  public Rgb rgb(Token token) {
    return colours.get(token);
  }

  /** The token's colour among the terminal's sixteen. */
  public Ansi16 ansi16(Token token) {
    return ansi.get(token);
  }

  /** The token's colour among xterm's 256: the nearest to its true colour. */
  public int ansi256(Token token) {
    return Xterm256.nearest(rgb(token));
  }

  /** The theme named {@code id} ({@code dark}, {@code light}, {@code high-contrast}), if any. */
  public static Optional<Theme> byId(String id) {
    String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (Theme theme : values()) {
      if (theme.id.equals(wanted)) {
        return Optional.of(theme);
      }
    }
    return Optional.empty();
  }
}
