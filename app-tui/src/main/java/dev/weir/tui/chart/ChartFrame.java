package dev.weir.tui.chart;

import dev.weir.themes.Token;
import java.util.List;

/**
 * A chart drawn as text: its lines, all of the same length, and the colour token of every cell.
 * Immutable (the token grid is copied in and never handed out).
 */
public final class ChartFrame {
  private final List<String> lines;
  private final Token[][] tokens;

  ChartFrame(List<String> lines, Token[][] tokens) {
    this.lines = List.copyOf(lines);
    this.tokens = new Token[tokens.length][];
    for (int row = 0; row < tokens.length; row++) {
      this.tokens[row] = tokens[row].clone();
    }
  }

  /** The lines, top first; each as many characters (code points) wide as the frame. */
  public List<String> lines() {
    return lines;
  }

  /** The colour of the cell at {@code column}, {@code row}. */
  public Token token(int column, int row) {
    return tokens[row][column];
  }

  /** The lines joined with newlines, for golden files. */
  public String text() {
    return String.join("\n", lines) + "\n";
  }
}
