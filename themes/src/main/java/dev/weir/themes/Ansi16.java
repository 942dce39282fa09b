package dev.weir.themes;

/**
 * The sixteen colours every terminal has, whose exact shades the user's terminal theme decides.
 * Weir picks one per token by hand rather than by nearest match, because "red" on the user's
 * terminal is whatever they made it.
 */
public enum Ansi16 {
  BLACK,
  RED,
  GREEN,
  YELLOW,
  BLUE,
  MAGENTA,
  CYAN,
  WHITE,
  BRIGHT_BLACK,
  BRIGHT_RED,
  BRIGHT_GREEN,
  BRIGHT_YELLOW,
  BRIGHT_BLUE,
  BRIGHT_MAGENTA,
  BRIGHT_CYAN,
  BRIGHT_WHITE,
  /** The terminal's own default foreground or background, whatever the user chose. */
  DEFAULT;

  /** The SGR foreground code: 30–37, 90–97, or 39 for the default. */
  public int foregroundCode() {
    if (this == DEFAULT) {
      return 39;
    }
    return ordinal() < 8 ? 30 + ordinal() : 90 + ordinal() - 8;
  }

  /** The SGR background code: 40–47, 100–107, or 49 for the default. */
  public int backgroundCode() {
    return foregroundCode() + 10;
  }
}
