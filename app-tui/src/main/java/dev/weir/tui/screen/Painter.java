package dev.weir.tui.screen;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.screen.Screen;
import dev.weir.themes.Token;
import dev.weir.tui.chart.ChartFrame;
import java.util.EnumSet;

/**
 * Draws text in theme tokens onto a Lanterna {@link Screen}'s back buffer, clipped to a region.
 * Lanterna sends only the cells that changed when the screen is refreshed, so a view redraws all
 * of its region every frame and costs the terminal only its differences.
 *
 * <p>Not thread-safe: the UI thread's alone.
 */
public final class Painter {
  private final Screen screen;
  private final TerminalPalette palette;
  private final int left;
  private final int top;
  private final int width;
  private final int height;

  public Painter(Screen screen, TerminalPalette palette) {
    this(screen, palette, 0, 0, screen.getTerminalSize().getColumns(), screen.getTerminalSize().getRows());
  }

  private Painter(Screen screen, TerminalPalette palette, int left, int top, int width, int height) {
    this.screen = screen;
    this.palette = palette;
    this.left = left;
    this.top = top;
    this.width = Math.max(0, width);
    this.height = Math.max(0, height);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public TerminalPalette palette() {
    return palette;
  }

  /** A painter for the region at {@code column}, {@code row} of this one, clipped to it. */
  public Painter region(int column, int row, int columns, int rows) {
    int c = Math.max(0, Math.min(column, width));
    int r = Math.max(0, Math.min(row, height));
    return new Painter(
        screen, palette, left + c, top + r, Math.min(columns, width - c), Math.min(rows, height - r));
  }

  /** Fills the region with blanks on {@code background}. */
  public void clear(Token background) {
    for (int row = 0; row < height; row++) {
      fill(0, row, width, ' ', Token.FG_DEFAULT, background);
    }
  }

  /** Writes {@code text} at {@code column}, {@code row}; what does not fit is cut. */
  public int text(int column, int row, String text, Token foreground) {
    return text(column, row, text, foreground, Token.BACKGROUND, EnumSet.noneOf(SGR.class));
  }

  /** Writes {@code text} on {@code background}; returns the column after it. */
  public int text(int column, int row, String text, Token foreground, Token background) {
    return text(column, row, text, foreground, background, EnumSet.noneOf(SGR.class));
  }

  /** Writes {@code text} with extra modifiers (bold for a title, reverse for a selection). */
  public int text(
      int column, int row, String text, Token foreground, Token background, EnumSet<SGR> extra) {
    if (row < 0 || row >= height) {
      return column;
    }
    TextColor fg = palette.colour(foreground);
    TextColor bg = palette.colour(background);
    EnumSet<SGR> modifiers = palette.modifiers(foreground);
    modifiers.addAll(extra);
    if (background == Token.SELECTION_BG) {
      modifiers.addAll(palette.modifiers(background));
    }
    int x = column;
    for (int i = 0; i < text.length() && x < width; ) {
      int codePoint = text.codePointAt(i);
      i += Character.charCount(codePoint);
      if (x >= 0) {
        char c = Character.isBmpCodePoint(codePoint) ? (char) codePoint : '?';
        screen.setCharacter(left + x, top + row, new TextCharacter(c, fg, bg, modifiers));
      }
      x++;
    }
    return x;
  }

  /** Writes {@code text} cut to {@code columns}, ending in {@code …} when it was longer. */
  public int fitted(int column, int row, String text, int columns, Token foreground, Token background) {
    return text(column, row, Text.fit(text, columns), foreground, background);
  }

  /** {@code count} copies of {@code c}. */
  public void fill(int column, int row, int count, char c, Token foreground, Token background) {
    text(column, row, String.valueOf(c).repeat(Math.max(0, count)), foreground, background);
  }

  /** Paints a chart drawn by {@code BrailleChart} at {@code column}, {@code row}. */
  public void chart(int column, int row, ChartFrame frame, Token background) {
    for (int r = 0; r < frame.lines().size(); r++) {
      String line = frame.lines().get(r);
      for (int c = 0; c < line.length(); c++) {
        text(column + c, row + r, String.valueOf(line.charAt(c)), frame.token(c, r), background);
      }
    }
  }
}
