package dev.weir.themes;

import java.util.Locale;
import java.util.Map;

/**
 * How many colours a terminal shows, read from the environment as terminal programs conventionally
 * do: {@code NO_COLOR} (any non-empty value, no-color.org) turns colour off; {@code COLORTERM} of
 * {@code truecolor} or {@code 24bit} means 24-bit colour; a {@code TERM} naming {@code 256color}
 * means xterm's 256; {@code TERM=dumb} means none; anything else gets the sixteen.
 */
public enum ColourDepth {
  /** No colour: emphasis (bold, underline, reverse) only. */
  NONE,
  /** The terminal's sixteen colours. */
  ANSI16,
  /** xterm's 256 colours. */
  ANSI256,
  /** 24-bit colour. */
  TRUE_COLOUR;

  /** The depth the environment {@code env} asks for. */
  public static ColourDepth detect(Map<String, String> env) {
    String noColour = env.get("NO_COLOR");
    if (noColour != null && !noColour.isEmpty()) {
      return NONE;
    }
    String term = env.getOrDefault("TERM", "").toLowerCase(Locale.ROOT);
    if (term.equals("dumb")) {
      return NONE;
    }
    String colourTerm = env.getOrDefault("COLORTERM", "").toLowerCase(Locale.ROOT);
    if (colourTerm.equals("truecolor") || colourTerm.equals("24bit")) {
      return TRUE_COLOUR;
    }
    if (term.contains("256color") || term.contains("direct")) {
      return ANSI256;
    }
    return ANSI16;
  }
}
