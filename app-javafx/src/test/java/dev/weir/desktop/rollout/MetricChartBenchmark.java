package dev.weir.desktop.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One chart frame with 10,000 points per series, canary and stable, in a 600×200 chart:
 *
 * <ul>
 *   <li>{@code decimate}: both series thinned to the plot's pixel columns ({@link
 *       ColumnDecimation}), the pure part;
 *   <li>{@code canvasFrame}: a new snapshot's data handed to {@link MetricChart} (thinned and
 *       stroked) and the canvas rendered to an image by JavaFX's software pipeline, on the JavaFX
 *       thread — what a redraw costs while a rollout runs;
 *   <li>{@code canvasEmptyFrame}: the same without points, what rendering and reading back the
 *       image cost alone;
 *   <li>{@code lineChartFrame}: the same data set into JavaFX's {@code LineChart} (no symbols, no
 *       animation) and rendered the same way, for comparison.
 * </ul>
 *
 * <p>Headless Monocle, software rendering. Run from the worktree root:
 *
 * <pre>{@code
 * ./mvnw -B -q -ntp -o -DskipTests -pl app-javafx -am install
 * cp=$(./mvnw -B -q -ntp -o -pl app-javafx dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
 * $JAVA_HOME/bin/java -cp app-javafx/target/test-classes:app-javafx/target/classes:$cp org.openjdk.jmh.Main MetricChartBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw",
      "-Dprism.text=t2k", "-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED"
    })
public class MetricChartBenchmark {
  static final int POINTS = 10_000;
  static final Instant FROM = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant TO = FROM.plusSeconds(15 * 60);

  ChartData[] frames;
  ChartData empty;
  int next;
  MetricChart chart;
  LineChart<Number, Number> lineChart;
  List<List<XYChart.Data<Number, Number>>> lineFrames;
  WritableImage image;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    // a few frames that differ, as successive snapshots do
    frames = new ChartData[4];
    lineFrames = new ArrayList<>();
    for (int f = 0; f < frames.length; f++) {
      double[] t = new double[POINTS];
      double[] canary = new double[POINTS];
      double[] stable = new double[POINTS];
      List<XYChart.Data<Number, Number>> c = new ArrayList<>(POINTS);
      List<XYChart.Data<Number, Number>> s = new ArrayList<>(POINTS);
      for (int i = 0; i < POINTS; i++) {
        t[i] = FROM.toEpochMilli() + i * 90.0;
        canary[i] = 200 + 20 * Math.sin((i + f * 7) / 300.0) + (i % 13);
        stable[i] = 205 + 5 * Math.cos((i + f * 5) / 200.0) + (i % 7);
        c.add(new XYChart.Data<>(t[i], canary[i]));
        s.add(new XYChart.Data<>(t[i], stable[i]));
      }
      frames[f] =
          new ChartData(
              "p99-latency", "ms", t, canary, stable, POINTS,
              List.of(new dev.weir.engine.console.RolloutPanel.Threshold(225, "stable +10%")),
              FROM, TO, Optional.of(new ChartData.Window(FROM.plusSeconds(300), TO)));
      lineFrames.add(c);
      lineFrames.add(s);
    }
    empty =
        new ChartData(
            "p99-latency", "ms", new double[0], new double[0], new double[0], 0, List.of(), FROM, TO,
            Optional.empty());
    CompletableFuture<Void> started = new CompletableFuture<>();
    try {
      Platform.startup(() -> started.complete(null));
    } catch (IllegalStateException alreadyRunning) {
      started.complete(null);
    }
    started.get();
    onFx(
        () -> {
          chart = new MetricChart();
          new Scene(new StackPane(chart), 600, 200);
          chart.applyCss();
          chart.resize(600, 200);
          chart.layout();
          NumberAxis x = new NumberAxis();
          x.setForceZeroInRange(false);
          NumberAxis y = new NumberAxis();
          y.setForceZeroInRange(false);
          lineChart = new LineChart<>(x, y);
          lineChart.setAnimated(false);
          lineChart.setCreateSymbols(false);
          new Scene(new StackPane(lineChart), 600, 200);
          lineChart.getData().add(new XYChart.Series<>());
          lineChart.getData().add(new XYChart.Series<>());
          image = new WritableImage(600, 200);
          return null;
        });
  }

  static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          try {
            done.complete(work.call());
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        });
    return done.get();
  }

  @Benchmark
  public ColumnDecimation decimate() {
    ChartData d = frames[next++ & 3];
    ColumnDecimation.of(d.times(), d.stable(), d.count(), FROM.toEpochMilli(), TO.toEpochMilli(), 532);
    return ColumnDecimation.of(d.times(), d.canary(), d.count(), FROM.toEpochMilli(), TO.toEpochMilli(), 532);
  }

  @Benchmark
  public WritableImage canvasFrame() throws Exception {
    ChartData d = frames[next++ & 3];
    return onFx(
        () -> {
          chart.show(d);
          return chart.snapshot(null, image);
        });
  }

  /** The cost of rendering and reading back the image alone: the chart without points. */
  @Benchmark
  public WritableImage canvasEmptyFrame() throws Exception {
    return onFx(
        () -> {
          chart.show(empty);
          return chart.snapshot(null, image);
        });
  }

  @Benchmark
  public WritableImage lineChartFrame() throws Exception {
    int f = next++ & 3;
    return onFx(
        () -> {
          lineChart.getData().get(0).getData().setAll(copy(lineFrames.get(2 * f)));
          lineChart.getData().get(1).getData().setAll(copy(lineFrames.get(2 * f + 1)));
          lineChart.layout();
          return lineChart.snapshot(null, image);
        });
  }

  /** LineChart keeps its Data objects as nodes' owners: a frame brings new ones. */
  private static List<XYChart.Data<Number, Number>> copy(List<XYChart.Data<Number, Number>> data) {
    List<XYChart.Data<Number, Number>> out = new ArrayList<>(data.size());
    for (XYChart.Data<Number, Number> d : data) {
      out.add(new XYChart.Data<>(d.getXValue(), d.getYValue()));
    }
    return out;
  }
}
