package dev.weir.themes;

import java.util.Locale;

/**
 * A colour named by what it means, never by its hue: the faces ask for {@code DANGER}, and each
 * {@link Theme} says what that looks like. With no colour at all ({@code NO_COLOR}, a dumb terminal)
 * a token falls back to its {@link #emphasis()}, so meaning survives without colour (icons and words
 * carry it too: the faces never rely on colour alone).
 */
public enum Token {
  /** The window or terminal background. */
  BACKGROUND(Emphasis.NONE),
  /** Panels and boxes drawn on the background. */
  SURFACE(Emphasis.NONE),
  /** Box lines and separators. */
  BORDER(Emphasis.NONE),
  /** Ordinary text. */
  FG_DEFAULT(Emphasis.NONE),
  /** Secondary text: ages, hints, units. */
  FG_MUTED(Emphasis.NONE),
  /** Titles, keys in the footer, the focused element. */
  ACCENT(Emphasis.BOLD),
  /** Healthy, Synced, Pass. */
  SUCCESS(Emphasis.NONE),
  /** Progressing, Paused, Inconclusive, drift. */
  WARNING(Emphasis.BOLD),
  /** Degraded, Failed, Aborted, dangerous actions. */
  DANGER(Emphasis.BOLD),
  /** Neutral information: a command under way. */
  INFO(Emphasis.NONE),
  /** The canary (or preview) version: bars, chart lines, labels. */
  CANARY(Emphasis.UNDERLINE),
  /** The stable (or active) version: bars, chart lines, labels. */
  STABLE(Emphasis.NONE),
  /** An analysis threshold line on a chart. */
  THRESHOLD(Emphasis.NONE),
  /** The selected row's background. */
  SELECTION_BG(Emphasis.REVERSE),
  /** The selected row's text. */
  SELECTION_FG(Emphasis.REVERSE),
  /** Lines only in the newer side of a diff. */
  DIFF_ADDED(Emphasis.NONE),
  /** Lines only in the older side of a diff. */
  DIFF_REMOVED(Emphasis.NONE);

  /** How a token shows when there is no colour. */
  public enum Emphasis {
    NONE,
    BOLD,
    UNDERLINE,
    REVERSE
  }

  private final Emphasis emphasis;

  Token(Emphasis emphasis) {
    this.emphasis = emphasis;
  }

  /** What stands in for the colour when there is none. */
  public Emphasis emphasis() {
    return emphasis;
  }

  /** The CSS name, e.g. {@code fg-default}. */
  public String cssName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
