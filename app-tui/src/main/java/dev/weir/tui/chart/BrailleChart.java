package dev.weir.tui.chart;

import dev.weir.themes.Token;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

/**
 * Draws line charts with Braille characters: each cell holds 2×4 dots, so a 60×8 plot has 120×32
 * points of resolution. A pure function of its input: series and a size in, lines and cell colours
 * out ({@link ChartFrame}); the terminal view only paints it.
 *
 * <p>Layout, top to bottom: one line of title and legend ({@code ── canary ·· stable ┄┄
 * threshold}), the plot with the value axis on its left, the time axis, and the times of its two
 * ends. A threshold is a dashed line across the cells that no series touches. When series share a
 * cell, the first series in the list colours it.
 */
public final class BrailleChart {
  private static final char BRAILLE = '\u2800';
  // the dot bit of each (column, row) in a 2×4 Braille cell
  private static final int[][] DOT = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

  /**
   * What to draw. Immutable.
   *
   * @param title the chart's name and unit ({@code p99 latency (ms), last 15 min})
   * @param series the lines, the most important first
   * @param threshold the analysis threshold, if any
   * @param from the time at the left edge
   * @param to the time at the right edge
   * @param zone the zone the times are shown in
   * @param format how a value is written on the value axis
   */
  public record Spec(
      String title,
      List<ChartSeries> series,
      OptionalDouble threshold,
      Instant from,
      Instant to,
      ZoneId zone,
      DoubleFunction<String> format) {
    public Spec {
      Objects.requireNonNull(title, "title");
      series = List.copyOf(series);
      Objects.requireNonNull(threshold, "threshold");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(format, "format");
      if (!to.isAfter(from)) {
        throw new IllegalArgumentException("a chart's end must be after its start: " + from + " … " + to);
      }
    }
  }

  private BrailleChart() {}

  /** Draws {@code spec} in {@code width}×{@code height} cells (at least 20×5). */
  public static ChartFrame render(Spec spec, int width, int height) {
    if (width < 20 || height < 5) {
      throw new IllegalArgumentException("a chart needs at least 20×5 cells, got " + width + "×" + height);
    }
    int plotRows = height - 3; // legend, axis, times
    double[] range = range(spec);
    double low = range[0];
    double high = range[1];
    String top = spec.format().apply(high);
    String middle = spec.format().apply((low + high) / 2);
    String bottom = spec.format().apply(low);
    int labelWidth = Math.max(top.length(), Math.max(middle.length(), bottom.length()));
    int plotColumns = width - labelWidth - 2; // " ┤"
    int dotsWide = plotColumns * 2;
    int dotsHigh = plotRows * 4;

    int[][] bits = new int[plotRows][plotColumns];
    Token[][] owner = new Token[plotRows][plotColumns];
    boolean anyPoint = false;
    for (ChartSeries series : spec.series()) {
      int[][] mine = new int[plotRows][plotColumns];
      int[] previous = null;
      int step = 0;
      for (ChartSeries.Point point : series.points()) {
        if (Double.isNaN(point.value())
            || point.at().isBefore(spec.from())
            || point.at().isAfter(spec.to())) {
          previous = null;
          continue;
        }
        int x = (int) Math.round(fraction(spec.from(), spec.to(), point.at()) * (dotsWide - 1));
        double scaled = (high - point.value()) / (high - low);
        int y = (int) Math.round(Math.max(0, Math.min(1, scaled)) * (dotsHigh - 1));
        anyPoint = true;
        if (previous == null) {
          step = plot(mine, x, y, series.style(), step);
        } else {
          step = line(mine, previous[0], previous[1], x, y, series.style(), step);
        }
        previous = new int[] {x, y};
      }
      for (int row = 0; row < plotRows; row++) {
        for (int column = 0; column < plotColumns; column++) {
          if (mine[row][column] != 0) {
            bits[row][column] |= mine[row][column];
            if (owner[row][column] == null) {
              owner[row][column] = series.token();
            }
          }
        }
      }
    }

    int thresholdRow = -1;
    if (spec.threshold().isPresent()) {
      double scaled = (high - spec.threshold().getAsDouble()) / (high - low);
      thresholdRow = (int) Math.round(Math.max(0, Math.min(1, scaled)) * (dotsHigh - 1)) / 4;
    }

    List<String> lines = new ArrayList<>();
    Token[][] tokens = new Token[height][width];
    fill(lines, tokens, 0, legend(spec, width), Token.FG_MUTED);
    for (int row = 0; row < plotRows; row++) {
      String label =
          row == 0 ? top : row == plotRows - 1 ? bottom : row == (plotRows - 1) / 2 ? middle : "";
      boolean labelled = !label.isEmpty();
      StringBuilder line = new StringBuilder();
      line.append(" ".repeat(labelWidth - label.length())).append(label).append(' ');
      line.append(labelled ? '┤' : '│');
      Token[] rowTokens = tokens[row + 1];
      for (int i = 0; i < line.length(); i++) {
        rowTokens[i] = Token.FG_MUTED;
      }
      for (int column = 0; column < plotColumns; column++) {
        int cell = labelWidth + 2 + column;
        if (bits[row][column] != 0) {
          line.append((char) (BRAILLE + bits[row][column]));
          rowTokens[cell] = owner[row][column];
        } else if (row == thresholdRow) {
          line.append(column % 2 == 0 ? '╌' : ' ');
          rowTokens[cell] = Token.THRESHOLD;
        } else {
          line.append(' ');
          rowTokens[cell] = Token.FG_DEFAULT;
        }
      }
      lines.add(line.toString());
    }
    if (!anyPoint) {
      String none = "no data yet";
      int row = plotRows / 2;
      StringBuilder line = new StringBuilder(lines.get(row + 1));
      int start = labelWidth + 2 + Math.max(0, (plotColumns - none.length()) / 2);
      line.replace(start, start + none.length(), none);
      lines.set(row + 1, line.toString());
      for (int i = 0; i < none.length(); i++) {
        tokens[row + 1][start + i] = Token.FG_MUTED;
      }
    }
    fill(lines, tokens, plotRows + 1, " ".repeat(labelWidth + 1) + "└" + "─".repeat(plotColumns), Token.FG_MUTED);
    String left = CLOCK.format(spec.from().atZone(spec.zone()));
    String right = CLOCK.format(spec.to().atZone(spec.zone()));
    String span = "last " + describe(Duration.between(spec.from(), spec.to()));
    int gap = plotColumns - left.length() - right.length();
    String times =
        gap >= span.length() + 2
            ? left + centred(span, gap) + right
            : left + " ".repeat(Math.max(1, gap)) + right;
    fill(lines, tokens, plotRows + 2, " ".repeat(labelWidth + 2) + times, Token.FG_MUTED);
    return new ChartFrame(lines, tokens);
  }

  private static String legend(Spec spec, int width) {
    StringBuilder keys = new StringBuilder();
    for (ChartSeries series : spec.series()) {
      keys.append("  ").append(series.style().legend()).append(' ').append(series.label());
    }
    if (spec.threshold().isPresent()) {
      keys.append("  ╌╌ threshold ").append(spec.format().apply(spec.threshold().getAsDouble()));
    }
    String title = " " + spec.title();
    int room = width - keys.length();
    if (title.length() > room) {
      title = room > 1 ? title.substring(0, room - 1) + "…" : "";
    }
    return title + " ".repeat(Math.max(0, room - title.length())) + keys;
  }

  private static void fill(List<String> lines, Token[][] tokens, int row, String text, Token token) {
    int width = tokens[row].length;
    String fitted = text.length() > width ? text.substring(0, width) : text + " ".repeat(width - text.length());
    if (lines.size() == row) {
      lines.add(fitted);
    } else {
      lines.add(row, fitted);
    }
    for (int i = 0; i < width; i++) {
      tokens[row][i] = token;
    }
  }

  private static String centred(String text, int width) {
    int left = (width - text.length()) / 2;
    return " ".repeat(left) + text + " ".repeat(width - text.length() - left);
  }

  private static String describe(Duration span) {
    long minutes = span.toMinutes();
    if (minutes >= 120 && minutes % 60 == 0) {
      return minutes / 60 + " h";
    }
    return minutes >= 1 ? minutes + " min" : span.toSeconds() + " s";
  }

  private static double fraction(Instant from, Instant to, Instant at) {
    return (double) Duration.between(from, at).toMillis() / Duration.between(from, to).toMillis();
  }

  private static double[] range(Spec spec) {
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (ChartSeries series : spec.series()) {
      for (ChartSeries.Point point : series.points()) {
        if (!Double.isNaN(point.value())
            && !point.at().isBefore(spec.from())
            && !point.at().isAfter(spec.to())) {
          low = Math.min(low, point.value());
          high = Math.max(high, point.value());
        }
      }
    }
    if (spec.threshold().isPresent()) {
      low = Math.min(low, spec.threshold().getAsDouble());
      high = Math.max(high, spec.threshold().getAsDouble());
    }
    if (low == Double.POSITIVE_INFINITY) {
      return new double[] {0, 1};
    }
    if (high - low < 1e-9) {
      double pad = Math.abs(high) > 1e-9 ? Math.abs(high) * 0.1 : 1;
      return new double[] {low - pad, high + pad};
    }
    double pad = (high - low) * 0.05;
    return new double[] {low - pad, high + pad};
  }

  private static int plot(int[][] cells, int x, int y, ChartSeries.LineStyle style, int step) {
    if (style == ChartSeries.LineStyle.SOLID || step % 2 == 0) {
      cells[y / 4][x / 2] |= DOT[x % 2][y % 4];
    }
    return step + 1;
  }

  /** Bresenham from (x0, y0) to (x1, y1), the first dot excluded (it was drawn already). */
  private static int line(
      int[][] cells, int x0, int y0, int x1, int y1, ChartSeries.LineStyle style, int step) {
    int dx = Math.abs(x1 - x0);
    int dy = -Math.abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1;
    int sy = y0 < y1 ? 1 : -1;
    int error = dx + dy;
    int x = x0;
    int y = y0;
    while (x != x1 || y != y1) {
      int doubled = 2 * error;
      if (doubled >= dy) {
        error += dy;
        x += sx;
      }
      if (doubled <= dx) {
        error += dx;
        y += sy;
      }
      step = plot(cells, x, y, style, step);
    }
    return step;
  }
}
