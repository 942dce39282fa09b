package dev.weir.tui.chart;

import dev.weir.themes.Token;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One line of a chart. Immutable.
 *
 * @param label its name in the legend ({@code canary}, {@code stable})
 * @param token its colour
 * @param style solid or dotted, so that the lines differ without colour too
 * @param points its samples, oldest first
 */
public record ChartSeries(String label, Token token, LineStyle style, List<Point> points) {

  /** How a line is drawn. */
  public enum LineStyle {
    /** Every dot: {@code ──} in the legend. */
    SOLID("──"),
    /** Every other dot: {@code ··} in the legend. */
    DOTTED("··");

    private final String legend;

    LineStyle(String legend) {
      this.legend = legend;
    }

    /** The two characters that stand for the style in the legend. */
    public String legend() {
      return legend;
    }
  }

  /** A sample. NaN values are gaps. */
  public record Point(Instant at, double value) {
    public Point {
      Objects.requireNonNull(at, "at");
    }
  }

  public ChartSeries {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(style, "style");
    points = List.copyOf(points);
  }
}
