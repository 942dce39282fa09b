package dev.weir.desktop.rollout;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.beans.value.ObservableValue;
import javafx.css.StyleablePropertyFactory;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Line;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * A canary-versus-stable line chart of one metric, drawn on a {@link Canvas}: JavaFX's {@code
 * LineChart} makes a scene-graph node per point, which cannot hold 10,000 points per series and
 * redraw ten times a second; here each redraw thins the series to four values per pixel column
 * ({@link ColumnDecimation}) and strokes one path per series. The canary is a solid line and the
 * stable version a dashed one, in the theme's {@code canary} and {@code stable} colours (looked up
 * from the style sheet: {@code -weir-chart-canary} and friends), so they differ by more than
 * colour; thresholds are dotted lines with their label, and the analysis window is shaded. Moving
 * the pointer over the chart shows the nearest point's time and both values.
 */
public final class MetricChart extends Region {
  static final double LEFT = 56;
  static final double RIGHT = 12;
  static final double TOP = 22;
  static final double BOTTOM = 18;

  private static final StyleablePropertyFactory<MetricChart> CSS =
      new StyleablePropertyFactory<>(Region.getClassCssMetaData());

  private final StyleableProperty<Paint> canaryColour =
      CSS.createStyleablePaintProperty(this, "canaryColour", "-weir-chart-canary", c -> c.canaryColour, Color.web("#f0a020"));
  private final StyleableProperty<Paint> stableColour =
      CSS.createStyleablePaintProperty(this, "stableColour", "-weir-chart-stable", c -> c.stableColour, Color.web("#5cb8ee"));
  private final StyleableProperty<Paint> thresholdColour =
      CSS.createStyleablePaintProperty(this, "thresholdColour", "-weir-chart-threshold", c -> c.thresholdColour, Color.web("#e08cc0"));
  private final StyleableProperty<Paint> windowColour =
      CSS.createStyleablePaintProperty(this, "windowColour", "-weir-chart-window", c -> c.windowColour, Color.web("#7cb8ff"));
  private final StyleableProperty<Paint> gridColour =
      CSS.createStyleablePaintProperty(this, "gridColour", "-weir-chart-grid", c -> c.gridColour, Color.web("#4a5261"));
  private final StyleableProperty<Paint> textColour =
      CSS.createStyleablePaintProperty(this, "textColour", "-weir-chart-text", c -> c.textColour, Color.web("#9aa4b3"));

  private final Canvas canvas = new Canvas();
  private final Line cursor = new Line();
  private final Label hover = new Label();
  private final ReadOnlyStringWrapper hoverText = new ReadOnlyStringWrapper(this, "hoverText", "");
  private final Font font = Font.font(11);
  private ZoneId zone = ZoneId.systemDefault();
  private DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private ChartData data;
  private String canaryName = "canary";
  private String stableName = "stable";
  private double yMin;
  private double yMax;

  public MetricChart() {
    getStyleClass().add("metric-chart");
    cursor.getStyleClass().add("chart-cursor");
    cursor.setManaged(false);
    cursor.setVisible(false);
    cursor.setMouseTransparent(true);
    hover.getStyleClass().add("chart-hover");
    hover.setId("chart-hover");
    hover.setManaged(false);
    hover.setVisible(false);
    hover.setMouseTransparent(true);
    getChildren().addAll(canvas, cursor, hover);
    setMinSize(240, 120);
    setPrefSize(520, 180);
    for (var p : List.of(canaryColour, stableColour, thresholdColour, windowColour, gridColour, textColour)) {
      ((ObservableValue<?>) p).addListener((o, a, b) -> draw());
    }
    setOnMouseMoved(e -> pointAt(e.getX()));
    setOnMouseExited(e -> clearHover());
  }

  /** The zone the times are shown in (the hover and the axis). */
  public void setZone(ZoneId zone) {
    this.zone = zone;
    draw();
  }

  /** What the two lines are called in the legend and the hover ({@code canary v2.4.1}). */
  public void setNames(String canary, String stable) {
    this.canaryName = canary;
    this.stableName = stable;
  }

  /** Draws {@code data} from now on (on the JavaFX thread). */
  public void show(ChartData data) {
    this.data = data;
    draw();
    if (hover.isVisible()) {
      pointAt(cursor.getStartX());
    }
  }

  /** What is drawn, or null. */
  public ChartData data() {
    return data;
  }

  /** The hover's text ({@code 10:42:15 · canary 0.996 · stable 0.997}); "" when not hovering. */
  public ReadOnlyStringProperty hoverTextProperty() {
    return hoverText.getReadOnlyProperty();
  }

  @Override
  protected void layoutChildren() {
    double w = snapSizeX(getWidth());
    double h = snapSizeY(getHeight());
    if (canvas.getWidth() != w || canvas.getHeight() != h) {
      canvas.setWidth(w);
      canvas.setHeight(h);
      draw();
    }
  }

  /** The plot's width in whole pixel columns. */
  int plotColumns() {
    return (int) Math.max(1, Math.floor(canvas.getWidth() - LEFT - RIGHT));
  }

  private double plotHeight() {
    return Math.max(1, canvas.getHeight() - TOP - BOTTOM);
  }

  private double xOf(double millis) {
    double from = data.from().toEpochMilli();
    double to = data.to().toEpochMilli();
    return LEFT + (millis - from) / (to - from) * plotColumns();
  }

  private double yOf(double v) {
    return TOP + (yMax - v) / (yMax - yMin) * plotHeight();
  }

  /** Redraws the whole chart: cheap, since every series is first thinned to the plot's width. */
  void draw() {
    GraphicsContext g = canvas.getGraphicsContext2D();
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    g.clearRect(0, 0, w, h);
    if (w < LEFT + RIGHT + 2 || h < TOP + BOTTOM + 2) {
      return;
    }
    g.setFont(font);
    g.setTextBaseline(VPos.CENTER);
    if (data == null) {
      return;
    }
    int columns = plotColumns();
    double from = data.from().toEpochMilli();
    double to = data.to().toEpochMilli();
    if (!(to > from)) {
      return;
    }
    ColumnDecimation canary = ColumnDecimation.of(data.times(), data.canary(), data.count(), from, to, columns);
    ColumnDecimation stable = ColumnDecimation.of(data.times(), data.stable(), data.count(), from, to, columns);
    range(canary, stable);

    // the analysis window
    data.window()
        .ifPresent(
            win -> {
              double x0 = Math.max(LEFT, xOf(win.from().toEpochMilli()));
              double x1 = Math.min(LEFT + columns, xOf(win.to().toEpochMilli()));
              g.setGlobalAlpha(0.09);
              g.setFill(windowColour.getValue());
              g.fillRect(x0, TOP, Math.max(2, x1 - x0), plotHeight());
              g.setGlobalAlpha(0.6);
              g.setStroke(windowColour.getValue());
              g.setLineWidth(1);
              g.setLineDashes();
              g.strokeLine(Math.round(x0) + 0.5, TOP, Math.round(x0) + 0.5, TOP + plotHeight());
              g.strokeLine(Math.round(x1) - 0.5, TOP, Math.round(x1) - 0.5, TOP + plotHeight());
              g.setGlobalAlpha(1);
              g.setFill(windowColour.getValue());
              g.setTextAlign(TextAlignment.LEFT);
              g.setTextBaseline(VPos.BOTTOM);
              g.fillText("analysis", x0 + 3, TOP + plotHeight() - 2);
            });

    // grid and the y axis
    g.setLineDashes();
    g.setLineWidth(1);
    g.setStroke(gridColour.getValue());
    g.setFill(textColour.getValue());
    g.setTextAlign(TextAlignment.RIGHT);
    for (int i = 0; i <= 2; i++) {
      double v = yMin + (yMax - yMin) * i / 2;
      double y = Math.round(yOf(v)) + 0.5;
      g.setGlobalAlpha(i == 0 ? 0.9 : 0.35);
      g.strokeLine(LEFT, y, LEFT + columns, y);
      g.setGlobalAlpha(1);
      g.fillText(number(v), LEFT - 6, y);
    }
    // the time axis
    g.setTextAlign(TextAlignment.LEFT);
    g.setTextBaseline(VPos.BOTTOM);
    g.fillText(time(data.from()), LEFT, h - 2);
    g.setTextAlign(TextAlignment.RIGHT);
    g.fillText(time(data.to()), LEFT + columns, h - 2);

    // the title and legend
    g.setTextBaseline(VPos.CENTER);
    g.setTextAlign(TextAlignment.LEFT);
    g.setFill(textColour.getValue());
    g.fillText(data.metric() + (data.unit().isEmpty() ? "" : " (" + data.unit() + ")"), LEFT, TOP / 2);
    legend(g, w);

    // thresholds
    g.setLineWidth(1.5);
    g.setStroke(thresholdColour.getValue());
    g.setLineDashes(2, 3);
    for (var t : data.thresholds()) {
      double y = Math.round(yOf(t.value())) + 0.5;
      g.strokeLine(LEFT, y, LEFT + columns, y);
      g.setFill(thresholdColour.getValue());
      g.setTextAlign(TextAlignment.RIGHT);
      g.setTextBaseline(VPos.BOTTOM);
      g.fillText(t.label(), LEFT + columns - 2, y - 2);
    }

    // the stable version dashed, the canary solid on top
    g.setLineCap(StrokeLineCap.BUTT);
    stroke(g, stable, stableColour.getValue(), 1.6, new double[] {6, 4});
    stroke(g, canary, canaryColour.getValue(), 2.0, new double[0]);
    g.setLineDashes();
  }

  private void legend(GraphicsContext g, double w) {
    double x = w - RIGHT;
    g.setTextAlign(TextAlignment.RIGHT);
    g.setFill(textColour.getValue());
    double y = TOP / 2;
    g.fillText(stableName, x, y);
    x -= textWidth(stableName) + 6;
    g.setStroke(stableColour.getValue());
    g.setLineWidth(2);
    g.setLineDashes(6, 4);
    g.strokeLine(x - 22, y, x, y);
    x -= 34;
    g.setLineDashes();
    g.fillText(canaryName, x, y);
    x -= textWidth(canaryName) + 6;
    g.setStroke(canaryColour.getValue());
    g.strokeLine(x - 22, y, x, y);
  }

  private double textWidth(String s) {
    javafx.scene.text.Text t = new javafx.scene.text.Text(s);
    t.setFont(font);
    return t.getLayoutBounds().getWidth();
  }

  private double[] xs = new double[0];
  private double[] ys = new double[0];

  /** One polyline per series: each column's first, lowest, highest and last value, in order. */
  private void stroke(GraphicsContext g, ColumnDecimation d, Paint colour, double width, double[] dashes) {
    int n = d.columns();
    if (xs.length < 4 * n) {
      xs = new double[4 * n];
      ys = new double[4 * n];
    }
    int k = 0;
    for (int c = 0; c < n; c++) {
      if (!d.has(c)) {
        continue;
      }
      double x = LEFT + c + 0.5;
      k = vertex(k, x, yOf(d.first()[c]));
      if (d.min()[c] != d.max()[c]) {
        boolean falling = d.first()[c] >= d.last()[c];
        // the extreme nearer the first value first, so the stroke does not double back
        k = vertex(k, x, yOf(falling ? d.max()[c] : d.min()[c]));
        k = vertex(k, x, yOf(falling ? d.min()[c] : d.max()[c]));
      }
      k = vertex(k, x, yOf(d.last()[c]));
    }
    if (k < 2) {
      return;
    }
    g.setStroke(colour);
    g.setLineWidth(width);
    g.setLineDashes(dashes);
    g.strokePolyline(xs, ys, k);
  }

  /** Adds a vertex unless it repeats the last one; answers the new count. */
  private int vertex(int k, double x, double y) {
    if (k > 0 && xs[k - 1] == x && Math.abs(ys[k - 1] - y) < 0.25) {
      return k;
    }
    xs[k] = x;
    ys[k] = y;
    return k + 1;
  }

  /** The y range: both series and every threshold, with a margin. */
  private void range(ColumnDecimation canary, ColumnDecimation stable) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ColumnDecimation d : List.of(canary, stable)) {
      for (int c = 0; c < d.columns(); c++) {
        if (d.has(c)) {
          lo = Math.min(lo, d.min()[c]);
          hi = Math.max(hi, d.max()[c]);
        }
      }
    }
    for (var t : data.thresholds()) {
      lo = Math.min(lo, t.value());
      hi = Math.max(hi, t.value());
    }
    if (lo == Double.POSITIVE_INFINITY) {
      lo = 0;
      hi = 1;
    }
    double margin = (hi - lo) * 0.08;
    if (margin == 0) {
      margin = Math.abs(hi) * 0.05 + 0.01;
    }
    yMin = lo - margin;
    yMax = hi + margin;
  }

  private void pointAt(double x) {
    if (data == null || data.count() == 0 || x < LEFT || x > LEFT + plotColumns()) {
      clearHover();
      return;
    }
    double from = data.from().toEpochMilli();
    double to = data.to().toEpochMilli();
    double millis = from + (x - LEFT) / plotColumns() * (to - from);
    int i = data.nearest(millis);
    String text =
        time(Instant.ofEpochMilli((long) data.times()[i]))
            + " · "
            + canaryName
            + " "
            + value(data.canary()[i])
            + " · "
            + stableName
            + " "
            + value(data.stable()[i]);
    hoverText.set(text);
    hover.setText(text);
    double px = xOf(data.times()[i]);
    cursor.setStartX(px);
    cursor.setEndX(px);
    cursor.setStartY(TOP);
    cursor.setEndY(TOP + plotHeight());
    cursor.setVisible(true);
    hover.applyCss();
    double width = hover.prefWidth(-1);
    double height = hover.prefHeight(width);
    double right = LEFT + plotColumns();
    double left = px + 8 + width <= right ? px + 8 : px - 8 - width;
    hover.resizeRelocate(Math.max(LEFT, Math.min(right - width, left)), TOP + 4, width, height);
    hover.setVisible(true);
  }

  private void clearHover() {
    hoverText.set("");
    hover.setVisible(false);
    cursor.setVisible(false);
  }

  private String time(Instant at) {
    return clock.withZone(zone).format(at);
  }

  private String value(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    return number(v) + (data.unit().isEmpty() ? "" : " " + data.unit());
  }

  /** {@code 212}, {@code 12.5}, {@code 0.996}: enough digits to read. */
  static String number(double v) {
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
    return CSS.getCssMetaData();
  }

  @Override
  public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
    return CSS.getCssMetaData();
  }
}
