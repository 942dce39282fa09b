package dev.weir.tui.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.themes.Token;
import dev.weir.tui.chart.ChartSeries.LineStyle;
import dev.weir.tui.chart.ChartSeries.Point;
import dev.weir.tui.golden.Golden;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class BrailleChartTest {
  static final Instant FROM = Instant.parse("2026-12-02T10:30:00Z");
  static final Instant TO = FROM.plus(Duration.ofMinutes(15));

  static List<Point> series(DoubleUnaryOperator value) {
    List<Point> points = new ArrayList<>();
    for (int second = 0; second <= 900; second += 15) {
      points.add(new Point(FROM.plusSeconds(second), value.applyAsDouble(second)));
    }
    return points;
  }

  static BrailleChart.Spec latency(List<Point> canary, List<Point> stable) {
    return new BrailleChart.Spec(
        "p99 latency (ms)",
        List.of(
            new ChartSeries("canary", Token.CANARY, LineStyle.SOLID, canary),
            new ChartSeries("stable", Token.STABLE, LineStyle.DOTTED, stable)),
        OptionalDouble.of(300),
        FROM,
        TO,
        ZoneOffset.UTC,
        v -> String.format(Locale.ROOT, "%.0f", v));
  }

  @Test
  void aCanaryClimbingThroughTheThresholdBesideAFlatStable() {
    ChartFrame frame =
        BrailleChart.render(
            latency(series(s -> s < 450 ? 210 : 210 + (s - 450) * 0.45), series(s -> 205)), 60, 12);
    Golden.assertMatches("chart/canary-climbs.txt", frame.text());
    assertThat(frame.lines()).allSatisfy(line -> assertThat(line.codePointCount(0, line.length())).isEqualTo(60));
    assertThat(frame.lines().getFirst())
        .startsWith(" p99 latency (ms)")
        .endsWith("── canary  ·· stable  ╌╌ threshold 300");
    assertThat(frame.lines().getLast()).contains("10:30").contains("last 15 min").endsWith("10:45");
  }

  @Test
  void cellsAreColouredByTheSeriesThatDrewThemAndTheThresholdByItsOwnToken() {
    ChartFrame frame =
        BrailleChart.render(latency(series(s -> 400), series(s -> 100)), 40, 10);
    int canaryRow = rowContainingBraille(frame, 1);
    int stableRow = rowContainingBraille(frame, canaryRow + 1);
    assertThat(canaryRow).isLessThan(stableRow);
    assertThat(tokensOfBraille(frame, canaryRow)).containsOnly(Token.CANARY);
    assertThat(tokensOfBraille(frame, stableRow)).containsOnly(Token.STABLE);
    // the stable line is dotted: fewer dots than the solid canary over the same span
    assertThat(dots(frame.lines().get(stableRow))).isLessThan(dots(frame.lines().get(canaryRow)));
    int thresholdRow = -1;
    for (int row = 0; row < frame.lines().size(); row++) {
      if (frame.lines().get(row).contains("╌")) {
        thresholdRow = row;
      }
    }
    assertThat(thresholdRow).isBetween(canaryRow + 1, stableRow - 1);
    int column = frame.lines().get(thresholdRow).indexOf('╌');
    assertThat(frame.token(column, thresholdRow)).isEqualTo(Token.THRESHOLD);
  }

  @Test
  void gapsAreLeftEmptyAndAnEmptyChartSaysSo() {
    List<Point> withGap = new ArrayList<>(series(s -> 250));
    for (int i = 20; i < 40; i++) {
      withGap.set(i, new Point(withGap.get(i).at(), Double.NaN));
    }
    Golden.assertMatches("chart/gap.txt", BrailleChart.render(latency(withGap, List.of()), 78, 8).text());
    ChartFrame empty = BrailleChart.render(latency(List.of(), List.of()), 40, 7);
    Golden.assertMatches("chart/empty.txt", empty.text());
    assertThat(empty.text()).contains("no data yet");
  }

  @Test
  void aNarrowChartCutsItsTitleNotItsLegend() {
    ChartFrame frame = BrailleChart.render(latency(series(s -> 200), series(s -> 190)), 44, 6);
    assertThat(frame.lines().getFirst()).endsWith("── canary  ·· stable  ╌╌ threshold 300").startsWith(" p9…");
    assertThatThrownBy(() -> BrailleChart.render(latency(List.of(), List.of()), 10, 3))
        .hasMessage("a chart needs at least 20×5 cells, got 10×3");
  }

  static int rowContainingBraille(ChartFrame frame, int from) {
    for (int row = from; row < frame.lines().size(); row++) {
      if (dots(frame.lines().get(row)) > 0) {
        return row;
      }
    }
    throw new AssertionError("no Braille below row " + from + "\n" + frame.text());
  }

  static List<Token> tokensOfBraille(ChartFrame frame, int row) {
    List<Token> tokens = new ArrayList<>();
    String line = frame.lines().get(row);
    for (int column = 0; column < line.length(); column++) {
      if (line.charAt(column) > '\u2800' && line.charAt(column) <= '\u28ff') {
        tokens.add(frame.token(column, row));
      }
    }
    return tokens;
  }

  static int dots(String line) {
    int dots = 0;
    for (char c : line.toCharArray()) {
      if (c > '\u2800' && c <= '\u28ff') {
        dots += Integer.bitCount(c - '\u2800');
      }
    }
    return dots;
  }
}
