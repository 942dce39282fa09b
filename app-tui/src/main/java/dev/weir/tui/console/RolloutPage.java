package dev.weir.tui.console;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.RolloutPanel;
import dev.weir.engine.console.Severity;
import dev.weir.themes.Token;
import dev.weir.tui.chart.BrailleChart;
import dev.weir.tui.chart.ChartSeries;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One application's rollout: the header line (strategy, router and its object, step n/m), the
 * steps with the current one marked, the stable and canary weight bars, the traffic-split slider,
 * canary-vs-stable Braille charts, one row per metric, and the application's events, newest at the
 * bottom. A function of the snapshot's {@link RolloutPanel}s and of its own state: which rollout
 * (Tab, when there are several), which metric (j/k; its chart is drawn) and the slider's weight.
 *
 * <p>At 80×24 the steps, bars, metric rows and one chart come first and the events get what is left;
 * wider and taller screens get two charts side by side and more events.
 */
final class RolloutPage implements Page {
  /** What a chart or metric row without any value says (the charts span the last 15 minutes). */
  static final String NO_MEASUREMENTS = "no measurements in the last 15 min";

  /** The slider's steps: ←/→ move by {@link #STEP}, shift+←/→ by 1. */
  static final int STEP = 5;

  private final String application;
  private final ZoneId zone;
  private int rolloutIndex;
  private int metricIndex;
  private Integer slider; // the proposed canary weight while the slider is open

  RolloutPage(String application, ZoneId zone) {
    this.application = application;
    this.zone = zone;
  }

  @Override
  public ConsoleView view() {
    return ConsoleView.ROLLOUT;
  }

  @Override
  public String breadcrumb() {
    return application + " › rollout";
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return Optional.of(application);
  }

  /** The rollout shown, if the application has one. */
  Optional<RolloutPanel> panel(ConsoleSnapshot snapshot) {
    List<RolloutPanel> panels =
        snapshot.application(application).map(ApplicationView::rolloutPanels).orElse(List.of());
    if (panels.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(panels.get(Math.floorMod(rolloutIndex, panels.size())));
  }

  /** Whether the slider is open. */
  boolean sliding() {
    return slider != null;
  }

  // ------------------------------------------------------------------------------------------
  // Drawing

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    Optional<ApplicationView> app = snapshot.application(application);
    Optional<RolloutPanel> found = panel(snapshot);
    if (app.isEmpty() || found.isEmpty()) {
      body.text(1, 1, app.isEmpty() ? "no application named " + application : application + " has no rollout", Token.FG_MUTED);
      return;
    }
    RolloutPanel panel = found.get();
    int width = body.width();
    int height = body.height();
    int count = app.get().rolloutPanels().size();
    int row = drawHeadline(body, panel, count);

    // steps (left) and traffic (right)
    int left = Math.min(Math.max(30, width * 2 / 5), 44);
    int trafficRows = 6;
    int stepRows = Math.min(panel.steps().size(), Math.max(3, stepBudget(panel, height)));
    int block = 1 + Math.max(trafficRows, Math.max(1, stepRows));
    drawSteps(body.region(0, row, left, block), panel, stepRows);
    drawTraffic(body.region(left, row, width - left, block), panel);
    row += block;

    // metric rows
    boolean twoLines = height >= 30 && width >= 100;
    int metricRows = panel.metrics().size() * (twoLines ? 2 : 1);
    int metricBlock = panel.metrics().isEmpty() ? 0 : Math.min(1 + metricRows, Math.max(0, height - row - 6));
    if (metricBlock > 0) {
      drawMetrics(body.region(0, row, width, metricBlock), panel, twoLines);
      row += metricBlock;
    }

    // charts, then events with what is left
    List<ConsoleEvent> events = snapshot.eventsOf(application);
    int room = height - row;
    int eventRows = events.isEmpty() ? 0 : Math.min(events.size() + 1, Math.max(0, room - 12));
    int chartRows = room - eventRows;
    if (chartRows < 5) {
      chartRows = 0;
      eventRows = room;
    } else if (height < 30 && chartRows > 9 && !events.isEmpty()) {
      // a small screen: the chart needs no more than 9 rows; the rest goes to events
      eventRows = Math.min(events.size() + 1, chartRows - 9);
      chartRows = room - eventRows;
    }
    if (chartRows >= 5) {
      drawCharts(body.region(0, row, width, chartRows), panel, snapshot.at());
      row += chartRows;
    }
    if (eventRows >= 2) {
      drawEvents(body.region(0, row, width, height - row), events);
    }
  }

  /** How many step rows fit beside the traffic on a screen of {@code height} body rows. */
  private static int stepBudget(RolloutPanel panel, int height) {
    return height >= 30 ? 12 : 7;
  }

  private int drawHeadline(Painter body, RolloutPanel panel, int count) {
    int x =
        body.text(
            0, 0, Badges.rolloutIcon(panel.phase()) + " " + panel.rollout() + " " + panel.phase(),
            Badges.rolloutToken(panel.phase()), Token.BACKGROUND, EnumSet.of(SGR.BOLD));
    if (count > 1) {
      x = body.text(x, 0, "  (" + (Math.floorMod(rolloutIndex, count) + 1) + "/" + count + ", tab: next)", Token.FG_MUTED);
    }
    String headline = panel.headline();
    int room = body.width() - x - 2;
    if (room > 0) {
      String fitted = Text.fit(headline, room);
      body.text(body.width() - fitted.length(), 0, fitted, Token.ACCENT);
    }
    String message = panel.blocked().isEmpty() ? panel.message() : panel.message() + " · " + panel.blocked();
    body.fitted(0, 1, message, body.width(), Token.FG_MUTED, Token.BACKGROUND);
    return 2;
  }

  private static void drawSteps(Painter box, RolloutPanel panel, int rows) {
    box.text(0, 0, "Steps", Token.FG_DEFAULT, Token.BACKGROUND, EnumSet.of(SGR.BOLD));
    List<RolloutPanel.Step> steps = panel.steps();
    if (steps.isEmpty()) {
      box.text(1, 1, "no steps known", Token.FG_MUTED);
      return;
    }
    int current = 0;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).state() == RolloutPanel.StepState.CURRENT) {
        current = i;
      }
    }
    int top = Math.max(0, Math.min(current - rows / 2, steps.size() - rows));
    for (int i = 0; i < rows && top + i < steps.size(); i++) {
      RolloutPanel.Step step = steps.get(top + i);
      boolean more = (i == 0 && top > 0) || (i == rows - 1 && top + i < steps.size() - 1);
      String mark =
          switch (step.state()) {
            case DONE -> "✓";
            case CURRENT -> "▶";
            case PENDING -> " ";
          };
      Token token =
          switch (step.state()) {
            case DONE -> Token.SUCCESS;
            case CURRENT -> Token.ACCENT;
            case PENDING -> Token.FG_MUTED;
          };
      String outcome = step.analysis().isEmpty() ? "" : "  " + outcomeIcon(step.analysis()) + " " + step.analysis();
      String text = (more ? "…" : " ") + mark + " " + step.number() + " " + step.description();
      int width = box.width() - 1;
      int x = box.fitted(0, i + 1, text, Math.max(0, width - outcome.length()), step.state() == RolloutPanel.StepState.PENDING ? Token.FG_DEFAULT : token, Token.BACKGROUND);
      if (step.state() == RolloutPanel.StepState.CURRENT) {
        box.text(1, i + 1, mark, Token.ACCENT, Token.BACKGROUND, EnumSet.of(SGR.BOLD));
      }
      if (!outcome.isEmpty()) {
        box.text(Math.min(x, width - outcome.length()), i + 1, outcome, outcomeToken(step.analysis()));
      }
    }
  }

  private void drawTraffic(Painter box, RolloutPanel panel) {
    box.text(0, 0, "Traffic", Token.FG_DEFAULT, Token.BACKGROUND, EnumSet.of(SGR.BOLD));
    int width = box.width();
    String stableName = panel.isCanary() ? "stable" : "active";
    String canaryName = panel.isCanary() ? "canary" : "preview";
    int barWidth = Math.max(10, width - 13);
    // stable fills from the left with █, the canary from the right with ▓: apart without colour
    box.text(0, 1, stableName + " ", Token.FG_DEFAULT);
    box.text(7, 1, Text.bar(panel.stableWeight(), barWidth), Token.STABLE);
    box.text(8 + barWidth, 1, String.format(Locale.ROOT, "%3d%%", panel.stableWeight()), Token.STABLE);
    box.text(0, 2, canaryName + " ", Token.FG_DEFAULT);
    box.text(7, 2, canaryBar(panel.canaryWeight(), barWidth), Token.CANARY);
    box.text(8 + barWidth, 2, String.format(Locale.ROOT, "%3d%%", panel.canaryWeight()), Token.CANARY);
    String versions =
        stableName + " " + panel.stable() + (panel.canary().isEmpty() ? "" : " · " + canaryName + " " + panel.canary());
    box.fitted(0, 3, versions, width - 1, Token.FG_MUTED, Token.BACKGROUND);
    if (slider != null) {
      // the slider: the weight proposed, what it means in requests and errors, the keys
      RolloutPanel.Meaning meaning = panel.meaning(slider);
      box.fill(0, 3, width, ' ', Token.FG_DEFAULT, Token.BACKGROUND);
      int x = box.text(0, 3, "slider ", Token.ACCENT, Token.BACKGROUND, EnumSet.of(SGR.BOLD));
      x = box.text(x, 3, "◀ " + slider + "% ▶", Token.SELECTION_FG, Token.SELECTION_BG);
      box.fitted(x + 2, 3, "enter apply · esc cancel", width - x - 3, Token.FG_MUTED, Token.BACKGROUND);
      box.fitted(7, 4, meaning.requests() + " to the canary", width - 8, Token.CANARY, Token.BACKGROUND);
      box.fitted(7, 5, meaning.errors(), width - 8, Token.WARNING, Token.BACKGROUND);
      box.fitted(7, 6, "←/→ " + STEP + "%, shift+←/→ 1%; held until resume", width - 8, Token.FG_MUTED, Token.BACKGROUND);
    } else if (panel.isCanary() && !panel.canary().isEmpty()) {
      RolloutPanel.Meaning now = panel.meaning(panel.canaryWeight());
      // "now req/s unknown to the canary" read badly: when the metrics do not tell, only the key
      String hint =
          now.requestsPerSecond().isPresent()
              ? "<w> set weight (now " + now.requests() + " to the canary)"
              : "<w> set weight";
      box.fitted(0, 4, hint, width - 1, Token.FG_MUTED, Token.BACKGROUND);
    }
  }

  /** {@code ░░░░▓▓}: the canary's share, filled from the right. */
  static String canaryBar(int percent, int columns) {
    int clamped = Math.max(0, Math.min(100, percent));
    int full = (int) Math.round(clamped / 100.0 * columns);
    return "░".repeat(Math.max(0, columns - full)) + "▓".repeat(full);
  }

  private void drawMetrics(Painter box, RolloutPanel panel, boolean twoLines) {
    int width = box.width();
    boolean wide = width >= 100;
    int judgeWidth = wide ? 34 : 0;
    String header =
        Text.pad("METRIC", 16) + Text.pad("CANARY", 9) + Text.pad("STABLE", 9) + Text.pad("VERDICT", 15)
            + Text.pad("P", 7) + (wide ? Text.pad("JUDGE", judgeWidth) + (twoLines ? "" : "EXPLANATION") : "JUDGE · EXPLANATION");
    box.fitted(0, 0, header, width, Token.FG_MUTED, Token.BACKGROUND);
    int row = 1;
    List<RolloutPanel.Metric> metrics = panel.metrics();
    int selected = Math.floorMod(metricIndex, Math.max(1, metrics.size()));
    for (int i = 0; i < metrics.size() && row < box.height(); i++) {
      RolloutPanel.Metric m = metrics.get(i);
      boolean chosen = i == selected && metrics.size() > 1;
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Token text = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      box.fill(0, row, width, ' ', text, ground);
      int x = box.text(0, row, Text.pad(m.metric(), 15) + " ", text, ground);
      x = box.text(x, row, Text.pad(value(m.canary()), 9), chosen ? text : Token.CANARY, ground);
      x = box.text(x, row, Text.pad(value(m.stable()), 9), chosen ? text : Token.STABLE, ground);
      x = box.text(x, row, Text.pad(outcomeIcon(m.verdict()) + " " + m.verdict(), 15), chosen ? text : outcomeToken(m.verdict()), ground);
      x = box.text(x, row, Text.pad(m.pValue().isPresent() ? String.format(Locale.ROOT, "%.2f", m.pValue().getAsDouble()) : "—", 7), text, ground);
      String explanation = explanation(m);
      String rest;
      if (wide) {
        x = box.text(x, row, Text.pad(m.judge(), judgeWidth), text, ground);
        rest = twoLines ? "" : explanation;
      } else {
        rest = m.judge() + " · " + explanation;
      }
      if (!rest.isEmpty()) {
        box.fitted(x, row, rest, width - x, chosen ? text : Token.FG_MUTED, ground);
      }
      row++;
      if (twoLines && row < box.height()) {
        box.fitted(16, row, explanation, width - 16, Token.FG_MUTED, Token.BACKGROUND);
        row++;
      }
    }
  }

  /** What the row says of its metric; with no value at all, that nothing was measured lately. */
  private static String explanation(RolloutPanel.Metric m) {
    if (m.canary().isEmpty() && m.stable().isEmpty() && m.explanation().isBlank()) {
      return NO_MEASUREMENTS;
    }
    return m.explanation();
  }

  private void drawCharts(Painter box, RolloutPanel panel, Instant now) {
    List<RolloutPanel.Series> all = panel.series();
    if (all.isEmpty()) {
      box.text(1, 0, NO_MEASUREMENTS, Token.FG_MUTED);
      return;
    }
    // the selected metric's chart first, then the others as room allows
    List<RolloutPanel.Series> order = new ArrayList<>();
    if (!panel.metrics().isEmpty()) {
      String metric = panel.metrics().get(Math.floorMod(metricIndex, panel.metrics().size())).metric();
      panel.series(metric).ifPresent(order::add);
    }
    for (RolloutPanel.Series s : all) {
      if (!order.contains(s)) {
        order.add(s);
      }
    }
    int columns = box.width() >= 110 ? 2 : 1;
    columns = Math.min(columns, order.size());
    int width = (box.width() - (columns - 1)) / columns;
    for (int i = 0; i < columns; i++) {
      RolloutPanel.Series series = order.get(i);
      if (series.points().isEmpty()) {
        // a rollout measured before the console opened (or not yet): say so rather than draw
        // empty axes
        Painter cell = box.region(i * (width + 1), 0, width, box.height());
        cell.fitted(1, 0, title(series), width - 1, Token.FG_DEFAULT, Token.BACKGROUND);
        cell.fitted(1, 1, NO_MEASUREMENTS, width - 1, Token.FG_MUTED, Token.BACKGROUND);
        continue;
      }
      var frame = BrailleChart.render(spec(series, now), Math.max(20, width), box.height());
      box.chart(i * (width + 1), 0, frame, Token.BACKGROUND);
    }
  }

  private BrailleChart.Spec spec(RolloutPanel.Series series, Instant now) {
    List<ChartSeries.Point> canary = new ArrayList<>();
    List<ChartSeries.Point> stable = new ArrayList<>();
    boolean anyStable = false;
    for (RolloutPanel.Point p : series.points()) {
      canary.add(new ChartSeries.Point(p.at(), p.canary()));
      stable.add(new ChartSeries.Point(p.at(), p.stable()));
      anyStable |= !Double.isNaN(p.stable());
    }
    List<ChartSeries> lines = new ArrayList<>();
    lines.add(new ChartSeries("canary", Token.CANARY, ChartSeries.LineStyle.SOLID, canary));
    if (anyStable) {
      lines.add(new ChartSeries("stable", Token.STABLE, ChartSeries.LineStyle.DOTTED, stable));
    }
    Instant from = series.points().isEmpty() ? now.minus(Duration.ofMinutes(15)) : series.points().getFirst().at();
    Instant to = series.points().isEmpty() ? now : series.points().getLast().at();
    if (!to.isAfter(from)) {
      to = from.plus(Duration.ofMinutes(1));
    }
    OptionalDouble threshold =
        series.thresholds().isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(series.thresholds().getFirst().value());
    return new BrailleChart.Spec(title(series), lines, threshold, from, to, zone, RolloutPage::number);
  }

  private static String title(RolloutPanel.Series series) {
    return series.metric() + (series.unit().isEmpty() ? "" : " (" + series.unit() + ")");
  }

  private void drawEvents(Painter box, List<ConsoleEvent> events) {
    box.text(0, 0, "Events", Token.FG_DEFAULT, Token.BACKGROUND, EnumSet.of(SGR.BOLD));
    int rows = box.height() - 1;
    int first = Math.max(0, events.size() - rows);
    for (int i = 0; first + i < events.size(); i++) {
      ConsoleEvent event = events.get(first + i);
      String time = Shell.CLOCK.format(event.at().atZone(zone));
      int x = box.text(1, i + 1, time + " ", Token.FG_MUTED);
      x = box.text(x + 1, i + 1, Badges.icon(event.severity()) + " ", Badges.token(event.severity()));
      String who = event.who().isEmpty() ? "" : " (" + event.who() + ")";
      box.fitted(x, i + 1, event.message() + who, box.width() - x, event.severity() == Severity.INFO ? Token.FG_DEFAULT : Badges.token(event.severity()), Token.BACKGROUND);
    }
  }

  static String outcomeIcon(String outcome) {
    return switch (outcome) {
      case "Successful" -> "✓";
      case "Failed", "Error" -> "✖";
      case "Inconclusive" -> "?";
      case "Running" -> "⟳";
      case "Stopped" -> "■";
      default -> "·";
    };
  }

  static Token outcomeToken(String outcome) {
    return switch (outcome) {
      case "Successful" -> Token.SUCCESS;
      case "Failed", "Error" -> Token.DANGER;
      case "Inconclusive", "Stopped" -> Token.WARNING;
      case "Running" -> Token.INFO;
      default -> Token.FG_MUTED;
    };
  }

  private static String value(OptionalDouble v) {
    return v.isPresent() ? number(v.getAsDouble()) : "—";
  }

  /** {@code 0.912}, {@code 4.20}, {@code 212}: three figures or so. */
  static String number(double v) {
    double a = Math.abs(v);
    if (Double.isNaN(v)) {
      return "—";
    }
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

  // ------------------------------------------------------------------------------------------
  // Keys

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    String name = Keys.name(key);
    if (slider != null) {
      return slide(name, snapshot, shell);
    }
    Optional<RolloutPanel> panel = panel(snapshot);
    if (name.equals("tab")) {
      rolloutIndex++;
      metricIndex = 0;
      return true;
    }
    if (panel.isPresent() && !panel.get().metrics().isEmpty()) {
      if (Keys.down(key)) {
        metricIndex = Math.min(panel.get().metrics().size() - 1, Math.floorMod(metricIndex, panel.get().metrics().size()) + 1);
        return true;
      }
      if (Keys.up(key)) {
        metricIndex = Math.max(0, Math.floorMod(metricIndex, panel.get().metrics().size()) - 1);
        return true;
      }
    }
    return false;
  }

  private boolean slide(String name, ConsoleSnapshot snapshot, Shell shell) {
    switch (name) {
      case "left" -> slider = Math.max(0, slider - STEP);
      case "right" -> slider = Math.min(100, slider + STEP);
      case "shift+left" -> slider = Math.max(0, slider - 1);
      case "shift+right" -> slider = Math.min(100, slider + 1);
      case "esc" -> {
        slider = null;
        shell.say("weight unchanged", Token.FG_MUTED);
      }
      case "enter" -> {
        int weight = slider;
        slider = null;
        Optional<RolloutPanel> panel = panel(snapshot);
        if (panel.isEmpty()) {
          shell.say(application + " has no rollout", Token.WARNING);
          return true;
        }
        Optional<String> rollout = Optional.of(panel.get().rollout());
        shell.confirm(
            "Set the canary weight of " + application + " to " + weight + "%",
            () -> shell.console().previewSetWeight(application, rollout, weight),
            () -> shell.console().setWeight(application, rollout, weight, Acts.WHY),
            "holding " + application + "'s canary at " + weight + "%");
      }
      default -> {}
    }
    return true; // the slider keeps every other key until enter or esc
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    Optional<RolloutPanel> panel = panel(snapshot);
    if (action == ConsoleAction.SET_WEIGHT) {
      if (panel.isEmpty()) {
        return false;
      }
      if (!panel.get().isCanary() || panel.get().canary().isEmpty()) {
        shell.say(
            panel.get().isCanary()
                ? "no canary runs: " + panel.get().stable() + " is the only version"
                : panel.get().rollout() + " is blue-green: it switches, it has no weights to set",
            Token.WARNING);
        return true;
      }
      slider = panel.get().canaryWeight();
      return true;
    }
    return Acts.on(action, application, panel.map(RolloutPanel::rollout), shell);
  }
}
