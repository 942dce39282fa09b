package dev.weir.desktop.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.RolloutPanel;
import dev.weir.themes.Theme;
import dev.weir.themes.Token;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Point2D;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The canvas chart: hover, 10,000 points, canary solid and stable dashed in the theme's colours. */
@ExtendWith(ApplicationExtension.class)
class MetricChartTest {
  static final Instant FROM = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant TO = Instant.parse("2026-01-01T10:15:00Z");
  MetricChart chart;

  @Start
  void start(Stage stage) {
    chart = new MetricChart();
    chart.setZone(ZoneOffset.UTC);
    chart.setNames("canary v2.4.1", "stable v2.4.0");
    StackPane root = new StackPane(chart);
    root.getStylesheets().add(RolloutPane.class.getResource("rollout.css").toExternalForm());
    stage.setScene(ThemedScene.of(root, Theme.DARK, 640, 220));
    stage.show();
  }

  static ChartData data(String unit, double[] minutes, double[] canary, double[] stable) {
    double[] times = new double[minutes.length];
    for (int i = 0; i < minutes.length; i++) {
      times[i] = FROM.toEpochMilli() + minutes[i] * 60_000;
    }
    return new ChartData(
        "p99-latency", unit, times, canary, stable, times.length,
        List.of(new RolloutPanel.Threshold(225, "stable +10%")), FROM, TO,
        Optional.of(new ChartData.Window(FROM.plusSeconds(300), FROM.plusSeconds(840))));
  }

  Point2D screenAt(FxRobot robot, double minute) {
    double columns = chart.getWidth() - MetricChart.LEFT - MetricChart.RIGHT;
    double x = MetricChart.LEFT + minute / 15 * Math.floor(columns);
    return chart.localToScreen(x, chart.getHeight() / 2);
  }

  @Test
  void hoveringShowsTheNearestPointsTimeAndBothValues(FxRobot robot) {
    robot.interact(
        () -> chart.show(data("ms", new double[] {5, 10, 14}, new double[] {190, 212, 230}, new double[] {205, 204, Double.NaN})));
    robot.moveTo(screenAt(robot, 10.3));
    assertThat(chart.hoverTextProperty().get())
        .isEqualTo("10:10:00 · canary v2.4.1 212 ms · stable v2.4.0 204 ms");
    assertThat(robot.lookup("#chart-hover").queryLabeled().getText())
        .isEqualTo("10:10:00 · canary v2.4.1 212 ms · stable v2.4.0 204 ms");
    assertThat(robot.lookup("#chart-hover").queryLabeled().isVisible()).isTrue();

    robot.moveTo(screenAt(robot, 13.8));
    assertThat(chart.hoverTextProperty().get())
        .as("a side without a value says so")
        .isEqualTo("10:14:00 · canary v2.4.1 230 ms · stable v2.4.0 —");

    // a newer snapshot under a still pointer: the hover follows the data
    robot.interact(
        () -> chart.show(data("ms", new double[] {5, 10, 14}, new double[] {190, 212, 240}, new double[] {205, 204, 206})));
    assertThat(chart.hoverTextProperty().get()).isEqualTo("10:14:00 · canary v2.4.1 240 ms · stable v2.4.0 206 ms");

    robot.moveTo(chart.localToScreen(chart.getWidth() / 2, chart.getHeight() + 30));
    assertThat(chart.hoverTextProperty().get()).as("gone when the pointer leaves").isEmpty();
  }

  @Test
  void tenThousandPointsPerSeriesAreDrawnAndHovered(FxRobot robot) {
    int n = 10_000;
    double[] minutes = new double[n];
    double[] canary = new double[n];
    double[] stable = new double[n];
    for (int i = 0; i < n; i++) {
      minutes[i] = i * 15.0 / n;
      canary[i] = 200 + 20 * Math.sin(i / 300.0);
      stable[i] = 205 + 5 * Math.cos(i / 200.0);
    }
    robot.interact(() -> chart.show(data("ms", minutes, canary, stable)));
    assertThat(chart.data().count()).isEqualTo(10_000);
    robot.moveTo(screenAt(robot, 7.5));
    assertThat(chart.hoverTextProperty().get()).startsWith("10:07:").contains("canary v2.4.1 ").contains("stable v2.4.0 ");
  }

  @Test
  void theCanaryIsASolidLineAndTheStableVersionADashedOneInTheThemesColours(FxRobot robot) {
    // flat lines far apart: canary at 300, stable at 100
    double[] minutes = new double[200];
    double[] canary = new double[200];
    double[] stable = new double[200];
    for (int i = 0; i < 200; i++) {
      minutes[i] = i * 15.0 / 199;
      canary[i] = 300;
      stable[i] = 100;
    }
    robot.interact(() -> chart.show(data("ms", minutes, canary, stable)));
    WritableImage image = snapshot(robot);
    int columns = (int) (chart.getWidth() - MetricChart.LEFT - MetricChart.RIGHT);
    int canaryRun = longestRowCount(image, Theme.DARK.rgb(Token.CANARY).hex());
    int stableRun = longestRowCount(image, Theme.DARK.rgb(Token.STABLE).hex());
    assertThat(canaryRun).as("solid: nearly every column").isGreaterThan((int) (columns * 0.9));
    assertThat(stableRun).as("dashed: 6 on, 4 off").isBetween((int) (columns * 0.45), (int) (columns * 0.75));
  }

  WritableImage snapshot(FxRobot robot) {
    WritableImage[] out = new WritableImage[1];
    robot.interact(() -> out[0] = chart.snapshot(null, null));
    return out[0];
  }

  /** The most pixels of one row (in the plot) close to {@code hex}. */
  static int longestRowCount(WritableImage image, String hex) {
    Color want = Color.web(hex);
    PixelReader pixels = image.getPixelReader();
    int best = 0;
    for (int y = (int) MetricChart.TOP; y < image.getHeight() - MetricChart.BOTTOM; y++) {
      int count = 0;
      for (int x = (int) MetricChart.LEFT; x < image.getWidth() - MetricChart.RIGHT; x++) {
        Color c = pixels.getColor(x, y);
        double d = Math.abs(c.getRed() - want.getRed()) + Math.abs(c.getGreen() - want.getGreen()) + Math.abs(c.getBlue() - want.getBlue());
        if (d < 0.25) {
          count++;
        }
      }
      best = Math.max(best, count);
    }
    return best;
  }
}
