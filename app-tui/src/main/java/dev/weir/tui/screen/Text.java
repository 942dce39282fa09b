package dev.weir.tui.screen;

/** Fitting text into terminal columns. */
public final class Text {
  private Text() {}

  /** {@code text} cut to {@code columns} code points, ending in {@code …} when it was cut. */
  public static String fit(String text, int columns) {
    if (columns <= 0) {
      return "";
    }
    int length = text.codePointCount(0, text.length());
    if (length <= columns) {
      return text;
    }
    int end = text.offsetByCodePoints(0, columns - 1);
    return text.substring(0, end) + "…";
  }

  /** {@code text} cut or padded with spaces to exactly {@code columns}. */
  public static String pad(String text, int columns) {
    String fitted = fit(text, columns);
    int length = fitted.codePointCount(0, fitted.length());
    return fitted + " ".repeat(Math.max(0, columns - length));
  }

  /** A bar of {@code columns} cells, {@code percent} of it filled: {@code ██████░░░░}. */
  public static String bar(int percent, int columns) {
    int clamped = Math.max(0, Math.min(100, percent));
    int full = (int) Math.round(clamped / 100.0 * columns);
    return "█".repeat(full) + "░".repeat(Math.max(0, columns - full));
  }
}
