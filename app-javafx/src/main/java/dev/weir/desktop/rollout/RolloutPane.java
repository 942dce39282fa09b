package dev.weir.desktop.rollout;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.Preview;
import dev.weir.engine.console.RolloutPanel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The desktop console's rollout panel for one application: the steps with the current one marked,
 * the stable and canary weights, a traffic-split slider bound to the router's weight, the buttons
 * of the engine's action table ({@link ConsoleView#ROLLOUT}), one row per metric, a canary-versus-
 * stable {@link MetricChart} per metric, and the rollout's events.
 *
 * <p>It reads only the façade's {@link RolloutPanel} (through {@link ApplicationView#rolloutPanels()})
 * and sends only {@link ConsoleApi} commands, each after the engine's {@link Preview} when the
 * action table says it confirms. Dragging the slider shows what the weight would mean ({@link
 * RolloutPanel#meaning(int)}: requests per second to the canary and errors per minute at its
 * error rate, the same figures as the terminal's); releasing it asks with the set-weight preview,
 * Esc puts it back. Call {@link #update} on the JavaFX thread; commands and previews run on the
 * console's threads and never block it.
 */
public final class RolloutPane extends StackPane {
  /** The reason recorded with every command sent from here. */
  public static final String WHY = "from the desktop console";

  private static final Duration CHART_SPAN = Duration.ofMinutes(15);

  private final ConsoleApi console;
  private final ZoneId zone;
  private final DateTimeFormatter clock;

  private final Label title = new Label();
  private final Label phase = new Label();
  private final Label headline = new Label();
  private final Label message = new Label();
  private final Label blocked = new Label();
  /** One toggle per rollout when the application has several (a segmented choice). */
  private final HBox rolloutChoice = new HBox();
  private final javafx.scene.control.ToggleGroup rolloutToggles = new javafx.scene.control.ToggleGroup();
  private final FlowPane steps = new FlowPane(6, 6);
  private final ProgressBar stableBar = new ProgressBar(0);
  private final ProgressBar canaryBar = new ProgressBar(0);
  private final Label stableWeight = new Label();
  private final Label canaryWeight = new Label();
  private final Slider slider = new Slider(0, 100, 0);
  private final Label meaning = new Label();
  private final Label held = new Label();
  private final Map<String, Button> buttons = new LinkedHashMap<>();
  private final Label status = new Label();
  private final GridPane metrics = new GridPane();
  private final FlowPane charts = new FlowPane(12, 12);
  private final Map<String, MetricChart> chartsByMetric = new LinkedHashMap<>();
  private final VBox events = new VBox(2);
  private final ConfirmSheet sheet = new ConfirmSheet();
  private final Label empty = new Label("No rollout.");

  private ApplicationView application;
  private List<ConsoleEvent> applicationEvents = List.of();
  private RolloutPanel panel;
  private Instant now;
  private String chosenRollout;
  /** Set while the slider is moved by code, not by a person. */
  private boolean settingSlider;
  /** A weight a person is choosing or has asked for; the snapshot's weight does not move the slider. */
  private boolean choosing;

  /** A panel sending its commands to {@code console}; times in the system's zone. */
  public RolloutPane(ConsoleApi console) {
    this(console, ZoneId.systemDefault());
  }

  /** A panel sending its commands to {@code console}, showing times in {@code zone}. */
  public RolloutPane(ConsoleApi console, ZoneId zone) {
    this.console = console;
    this.zone = zone;
    this.clock = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    getStyleClass().add("rollout-pane");
    getStylesheets().add(RolloutPane.class.getResource("rollout.css").toExternalForm());

    title.getStyleClass().add("rollout-title");
    title.setId("rollout-title");
    phase.getStyleClass().add("phase");
    phase.setId("rollout-phase");
    headline.getStyleClass().add("muted");
    message.setId("rollout-message");
    message.setWrapText(true);
    blocked.getStyleClass().add("blocked");
    blocked.setWrapText(true);
    rolloutChoice.setId("rollout-choice");
    rolloutChoice.getStyleClass().add("rollout-choice");
    HBox top = new HBox(10, title, phase, headline, spring(), rolloutChoice);
    top.setAlignment(Pos.BASELINE_LEFT);

    steps.setId("rollout-steps");
    steps.getStyleClass().add("steps");

    Label weightsTitle = new Label("Weights");
    weightsTitle.getStyleClass().add("section");
    VBox weights =
        new VBox(
            6, weightsTitle, weightRow(stableBar, stableWeight, "stable"), weightRow(canaryBar, canaryWeight, "canary"));
    weights.setMinWidth(420);
    slider.setId("weight-slider");
    slider.setShowTickMarks(true);
    slider.setShowTickLabels(true);
    slider.setMajorTickUnit(25);
    slider.setMinorTickCount(4);
    slider.setBlockIncrement(1);
    slider.setFocusTraversable(true);
    meaning.setId("weight-meaning");
    meaning.getStyleClass().add("meaning");
    meaning.setWrapText(true);
    held.setId("weight-held");
    held.getStyleClass().add("muted");
    held.setWrapText(true);
    Label sliderTitle = new Label("Traffic to the canary");
    sliderTitle.getStyleClass().add("section");
    VBox split = new VBox(4, sliderTitle, slider, meaning, held);
    wireSlider();

    HBox actions = new HBox(8);
    actions.setId("rollout-actions");
    actions.setAlignment(Pos.CENTER_LEFT);
    for (ConsoleAction action : ConsoleView.ROLLOUT.actions()) {
      switch (action) {
        case BACK, HELP, SET_WEIGHT -> {}
        case PAUSE_RESUME -> {
          actions.getChildren().add(button(action, "pause", "pause"));
          actions.getChildren().add(button(action, "resume", "resume"));
        }
        default -> actions.getChildren().add(button(action, id(action), action.words()));
      }
    }
    status.setId("rollout-status");
    status.getStyleClass().add("status");
    status.setWrapText(true);
    status.setVisible(false);
    status.setManaged(false);

    metrics.setId("rollout-metrics");
    metrics.getStyleClass().add("metrics");
    metrics.setHgap(14);
    metrics.setVgap(4);
    charts.setId("rollout-charts");
    events.setId("rollout-events");

    VBox content =
        new VBox(
            12,
            top,
            message,
            blocked,
            section("Steps"),
            steps,
            new HBox(28, weights, grow(split)),
            actions,
            status,
            section("Metrics"),
            metrics,
            charts,
            section("Events"),
            events);
    content.getStyleClass().add("rollout-content");
    content.setPadding(new Insets(14));
    ScrollPane scroll = new ScrollPane(content);
    scroll.setFitToWidth(true);
    scroll.getStyleClass().add("rollout-scroll");
    empty.getStyleClass().add("muted");
    empty.setId("rollout-empty");
    getChildren().addAll(scroll, empty, sheet);
    addEventHandler(KeyEvent.KEY_PRESSED, this::shortcut);
    render();
  }

  // ------------------------------------------------------------------------------------------
  // updates

  /**
   * Shows {@code application}'s rollout (the one chosen, else its first) and {@code events}, the
   * application's recent events oldest first ({@link ConsoleSnapshot#eventsOf}).
   */
  public void update(ApplicationView application, List<ConsoleEvent> events) {
    this.application = application;
    this.applicationEvents = List.copyOf(events);
    render();
  }

  /** Shows {@code application}'s rollout, keeping the events last given. */
  public void update(ApplicationView application) {
    update(application, applicationEvents);
  }

  /** Shows {@code application} as {@code snapshot} has it: its rollout, its events, the time. */
  public void show(ConsoleSnapshot snapshot, String application) {
    this.now = snapshot.at();
    snapshot
        .application(application)
        .ifPresentOrElse(
            a -> update(a, snapshot.eventsOf(application)),
            () -> {
              this.application = null;
              render();
            });
  }

  /** The rollout shown, if any. */
  public Optional<RolloutPanel> panel() {
    return Optional.ofNullable(panel);
  }

  /**
   * Does what {@code action} does for the rollout shown (asking first when it confirms): for the
   * window's command palette and shortcuts. False when it is not one of the panel's actions or no
   * rollout is shown.
   */
  public boolean perform(ConsoleAction action) {
    if (panel == null) {
      return false;
    }
    return switch (action) {
      case PROMOTE, PROMOTE_FULL, ABORT, RETRY -> {
        buttons.get(id(action)).fire();
        yield true;
      }
      case PAUSE_RESUME -> {
        buttons.get(panel.phase().equals("Paused") ? "resume" : "pause").fire();
        yield true;
      }
      case SET_WEIGHT -> {
        slider.requestFocus();
        yield true;
      }
      default -> false;
    };
  }

  private void render() {
    List<RolloutPanel> panels = application == null ? List.of() : application.rolloutPanels();
    panel =
        panels.stream()
            .filter(p -> p.rollout().equals(chosenRollout))
            .findFirst()
            .orElse(panels.isEmpty() ? null : panels.getFirst());
    boolean has = panel != null;
    getChildren().get(0).setVisible(has);
    empty.setVisible(!has);
    if (!has) {
      empty.setText(application == null ? "No application." : application.name() + " has no rollout.");
      return;
    }
    chosenRollout = panel.rollout();
    List<String> names = panels.stream().map(RolloutPanel::rollout).toList();
    List<String> shownNames =
        rolloutChoice.getChildren().stream().map(n -> ((javafx.scene.control.ToggleButton) n).getText()).toList();
    if (!shownNames.equals(names)) {
      rolloutToggles.getToggles().clear();
      rolloutChoice.getChildren().clear();
      for (String name : names) {
        javafx.scene.control.ToggleButton t = new javafx.scene.control.ToggleButton(name);
        t.setId("rollout-choice-" + name);
        t.setToggleGroup(rolloutToggles);
        t.setOnAction(
            e -> {
              chosenRollout = name;
              render();
            });
        rolloutChoice.getChildren().add(t);
      }
    }
    for (var n : rolloutChoice.getChildren()) {
      var t = (javafx.scene.control.ToggleButton) n;
      t.setSelected(t.getText().equals(chosenRollout));
    }
    rolloutChoice.setVisible(names.size() > 1);
    rolloutChoice.setManaged(names.size() > 1);

    title.setText(application.name() + " · " + panel.rollout());
    phase.setText(panel.phase());
    phase.getStyleClass().removeAll("phase-ok", "phase-paused", "phase-bad", "phase-running");
    phase.getStyleClass().add(phaseClass(panel.phase()));
    headline.setText(panel.headline());
    message.setText(panel.message());
    blocked.setText(panel.blocked().isEmpty() ? "" : "Blocked: " + panel.blocked());
    blocked.setVisible(!panel.blocked().isEmpty());
    blocked.setManaged(!panel.blocked().isEmpty());
    renderSteps();
    renderWeights();
    renderButtons();
    renderMetrics();
    renderCharts();
    renderEvents();
  }

  private void renderSteps() {
    steps.getChildren().clear();
    for (RolloutPanel.Step step : panel.steps()) {
      String mark =
          switch (step.state()) {
            case DONE -> "✓";
            case CURRENT -> "▶";
            case PENDING -> "○";
          };
      String analysis = step.analysis().isEmpty() ? "" : " · " + step.analysis();
      Label l = new Label(mark + " " + step.number() + " " + step.description() + analysis);
      l.getStyleClass().addAll("step", "step-" + step.state().name().toLowerCase(Locale.ROOT));
      if (step.state() == RolloutPanel.StepState.CURRENT) {
        l.setId("step-current");
      }
      steps.getChildren().add(l);
    }
    if (panel.steps().isEmpty()) {
      Label l = new Label("no steps known");
      l.getStyleClass().add("muted");
      steps.getChildren().add(l);
    }
  }

  private void renderWeights() {
    stableBar.setProgress(panel.stableWeight() / 100.0);
    canaryBar.setProgress(panel.canaryWeight() / 100.0);
    stableWeight.setText("stable " + panel.stable() + " · " + panel.stableWeight() + "%");
    canaryWeight.setText(
        panel.canary().isEmpty()
            ? "canary: none"
            : "canary " + panel.canary() + " · " + panel.canaryWeight() + "%");
    boolean settable = panel.isCanary() && !panel.canary().isEmpty();
    slider.setDisable(!settable);
    if (!choosing) {
      setSlider(panel.canaryWeight());
      meaning.getStyleClass().remove("choosing");
      meaning.setText(
          settable
              ? "Now " + panel.meaning(panel.canaryWeight()).describe()
              : panel.isCanary()
                  ? "No canary runs: " + panel.stable() + " is the only version."
                  : panel.rollout() + " is blue-green: it switches, it has no weights to set.");
    }
    held.setText(
        settable
            ? "Drag and release to set the router's weight (asks first; Esc puts it back)."
                + " A weight set here is held until the rollout is resumed or promoted."
            : "");
  }

  private void renderButtons() {
    String p = panel.phase();
    boolean live = p.equals("Progressing") || p.equals("Paused");
    buttons.get("promote").setDisable(!live);
    buttons.get("promote-full").setDisable(!live);
    buttons.get("abort").setDisable(!live);
    buttons.get("pause").setDisable(!p.equals("Progressing"));
    buttons.get("resume").setDisable(!p.equals("Paused"));
    buttons.get("retry").setDisable(!(p.equals("Aborted") || p.equals("Degraded")));
  }

  private void renderMetrics() {
    metrics.getChildren().clear();
    metrics.getColumnConstraints().clear();
    String[] heads = {"Metric", "Analysis", "Canary", "Stable", "Judge", "Verdict", "Explanation"};
    for (int c = 0; c < heads.length; c++) {
      Label h = new Label(heads[c]);
      h.getStyleClass().add("metric-head");
      metrics.add(h, c, 0);
      ColumnConstraints cc = new ColumnConstraints();
      cc.setHgrow(c == heads.length - 1 ? Priority.ALWAYS : Priority.NEVER);
      metrics.getColumnConstraints().add(cc);
    }
    int row = 1;
    for (RolloutPanel.Metric m : panel.metrics()) {
      String judge =
          m.judge() + (m.pValue().isPresent() ? " (p " + MetricChart.number(m.pValue().getAsDouble()) + ")" : "");
      Label verdict = new Label((m.failed() ? "✖ " : verdictMark(m.verdict())) + m.verdict());
      verdict.getStyleClass().add(m.failed() ? "verdict-failed" : verdictClass(m.verdict()));
      Label explanation = new Label(m.explanation());
      explanation.setWrapText(true);
      List<Label> cells =
          List.of(
              new Label(m.metric()),
              new Label(m.analysis()),
              new Label(m.canary().isPresent() ? MetricChart.number(m.canary().getAsDouble()) : "—"),
              new Label(m.stable().isPresent() ? MetricChart.number(m.stable().getAsDouble()) : "—"),
              new Label(judge),
              verdict,
              explanation);
      for (int c = 0; c < cells.size(); c++) {
        cells.get(c).getStyleClass().add("metric-cell");
        metrics.add(cells.get(c), c, row);
      }
      cells.get(0).getStyleClass().add("metric-name");
      cells.get(2).getStyleClass().add("canary-value");
      cells.get(3).getStyleClass().add("stable-value");
      row++;
    }
    if (panel.metrics().isEmpty()) {
      Label l = new Label("No analysis has measured yet.");
      l.getStyleClass().add("muted");
      metrics.add(l, 0, 1, heads.length, 1);
    }
  }

  private void renderCharts() {
    Instant at = now != null ? now : newestPoint().orElse(Instant.EPOCH);
    List<String> shown = new ArrayList<>();
    for (RolloutPanel.Series series : panel.series()) {
      MetricChart chart =
          chartsByMetric.computeIfAbsent(
              series.metric(),
              m -> {
                MetricChart c = new MetricChart();
                c.setId("chart-" + m);
                // two side by side when there is room, else one per row
                c.prefWidthProperty()
                    .bind(
                        javafx.beans.binding.Bindings.createDoubleBinding(
                            () -> {
                              double w = charts.getWidth();
                              return w >= 900 ? Math.floor((w - charts.getHgap()) / 2) - 1 : Math.max(240, w);
                            },
                            charts.widthProperty()));
                c.setZone(zone);
                return c;
              });
      chart.setNames(
          "canary" + (panel.canary().isEmpty() ? "" : " " + panel.canary()),
          "stable " + panel.stable());
      chart.show(ChartData.of(series, at, CHART_SPAN));
      shown.add(series.metric());
    }
    chartsByMetric.keySet().retainAll(shown);
    List<MetricChart> inOrder = shown.stream().map(chartsByMetric::get).toList();
    if (!charts.getChildren().equals(inOrder)) {
      charts.getChildren().setAll(inOrder);
    }
  }

  private Optional<Instant> newestPoint() {
    return panel.series().stream()
        .filter(s -> !s.points().isEmpty())
        .map(s -> s.points().getLast().at())
        .max(Instant::compareTo);
  }

  private void renderEvents() {
    events.getChildren().clear();
    List<ConsoleEvent> list = new ArrayList<>(applicationEvents);
    java.util.Collections.reverse(list);
    for (ConsoleEvent e : list.subList(0, Math.min(12, list.size()))) {
      Label l = new Label(clock.format(e.at()) + "  " + e.who() + "  " + e.message());
      l.getStyleClass().addAll("event", "event-" + e.severity().name().toLowerCase(Locale.ROOT));
      events.getChildren().add(l);
    }
    if (list.isEmpty()) {
      Label l = new Label("No events yet.");
      l.getStyleClass().add("muted");
      events.getChildren().add(l);
    }
  }

  // ------------------------------------------------------------------------------------------
  // the slider

  private void wireSlider() {
    slider
        .valueProperty()
        .addListener(
            (o, before, after) -> {
              if (settingSlider || panel == null) {
                return;
              }
              choosing = true;
              int weight = weight();
              meaning.setText(panel.meaning(weight).describe());
              if (!meaning.getStyleClass().contains("choosing")) {
                meaning.getStyleClass().add("choosing");
              }
            });
    // released after a drag or a click on the track: ask with the preview
    slider.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> Platform.runLater(this::released));
    slider.addEventFilter(
        KeyEvent.KEY_PRESSED,
        e -> {
          if (e.getCode() == KeyCode.ESCAPE && choosing) {
            e.consume();
            cancelWeight();
          } else if (e.getCode() == KeyCode.ENTER && choosing) {
            e.consume();
            released();
          }
        });
  }

  private int weight() {
    return (int) Math.round(slider.getValue());
  }

  private void setSlider(int weight) {
    settingSlider = true;
    try {
      slider.setValue(weight);
    } finally {
      settingSlider = false;
    }
  }

  private void released() {
    if (panel == null || !choosing || sheet.showing()) {
      return;
    }
    int weight = weight();
    if (weight == panel.canaryWeight()) {
      cancelWeight();
      return;
    }
    String app = application.name();
    Optional<String> rollout = Optional.of(panel.rollout());
    ask(
        "Set weight " + weight + "%",
        () -> console.previewSetWeight(app, rollout, weight),
        () -> console.setWeight(app, rollout, weight, WHY),
        "holding " + app + "'s canary at " + weight + "%",
        this::cancelWeight,
        this::weightSent);
  }

  private void cancelWeight() {
    choosing = false;
    if (panel != null) {
      setSlider(panel.canaryWeight());
    }
    say("Weight unchanged.", "status-muted");
    if (panel != null) {
      renderWeights();
    }
  }

  private void weightSent() {
    choosing = false;
    if (panel != null) {
      renderWeights();
    }
  }

  // ------------------------------------------------------------------------------------------
  // actions

  private Button button(ConsoleAction action, String id, String words) {
    Button b = new Button(words);
    b.setId(id);
    b.getStyleClass().add("rollout-action");
    if (action == ConsoleAction.ABORT) {
      b.getStyleClass().add("danger");
    }
    b.setTooltip(new Tooltip(words + " — " + action.shortcut() + (action.confirms() ? " (asks first)" : "")));
    b.setOnAction(e -> act(action, id));
    buttons.put(id, b);
    return b;
  }

  private void act(ConsoleAction action, String id) {
    if (panel == null) {
      return;
    }
    String app = application.name();
    Optional<String> rollout = Optional.of(panel.rollout());
    switch (id) {
      case "promote" ->
          ask("Promote", () -> console.previewPromote(app, rollout, false),
              () -> console.promote(app, rollout, WHY), "promoting " + app, () -> {}, () -> {});
      case "promote-full" ->
          ask("Promote fully", () -> console.previewPromote(app, rollout, true),
              () -> console.promoteFull(app, rollout, WHY), "promoting " + app + " fully", () -> {}, () -> {});
      case "abort" ->
          ask("Abort", () -> console.previewAbort(app, rollout),
              () -> console.abort(app, rollout, WHY), "aborting " + app, () -> {}, () -> {});
      case "retry" ->
          ask("Retry", () -> console.previewRetry(app, rollout),
              () -> console.retry(app, rollout, WHY), "retrying " + app, () -> {}, () -> {});
      case "pause" -> run(() -> console.pause(app, rollout, WHY), "pausing " + app, () -> {});
      case "resume" -> run(() -> console.resume(app, rollout, WHY), "resuming " + app, () -> {});
      default -> throw new IllegalStateException("no action " + id + " for " + action);
    }
  }

  /**
   * Asks with the engine's preview (fetched off the JavaFX thread), then sends the command; a
   * refused preview is shown and nothing is sent.
   */
  private void ask(
      String words,
      Supplier<CompletableFuture<Preview>> preview,
      Supplier<CompletableFuture<CommandResult>> command,
      String doing,
      Runnable cancelled,
      Runnable sent) {
    say("Asking the engine what this would do…", "status-muted");
    preview
        .get()
        .whenComplete(
            (p, failure) ->
                Platform.runLater(
                    () -> {
                      if (failure != null) {
                        say("✖ " + failure.getMessage(), "status-failed");
                        cancelled.run();
                        return;
                      }
                      say("", "status-muted");
                      sheet.ask(
                          p,
                          words,
                          () -> run(command, doing, sent),
                          () -> {
                            cancelled.run();
                            say(
                                p.ok()
                                    ? "Cancelled: nothing was sent."
                                    : "✖ " + (p.lines().isEmpty() ? p.title() : p.lines().getFirst()),
                                p.ok() ? "status-muted" : "status-failed");
                          });
                    }));
  }

  private void run(Supplier<CompletableFuture<CommandResult>> command, String doing, Runnable after) {
    say(capital(doing) + "…", "status-muted");
    command
        .get()
        .whenComplete(
            (result, failure) ->
                Platform.runLater(
                    () -> {
                      if (failure != null) {
                        say("✖ " + failure.getMessage(), "status-failed");
                      } else if (result.ok()) {
                        say("✔ " + result.message(), "status-ok");
                      } else {
                        say("✖ " + result.message(), "status-failed");
                      }
                      after.run();
                    }));
  }

  private void shortcut(KeyEvent e) {
    if (sheet.showing() || panel == null) {
      return;
    }
    for (ConsoleAction action : ConsoleView.ROLLOUT.actions()) {
      if (action == ConsoleAction.BACK || action == ConsoleAction.HELP) {
        continue;
      }
      if (KeyCombination.keyCombination(action.shortcut()).match(e)) {
        e.consume();
        perform(action);
        return;
      }
    }
  }

  private void say(String text, String style) {
    status.setText(text);
    status.setVisible(!text.isEmpty());
    status.setManaged(!text.isEmpty());
    status.getStyleClass().removeAll("status-ok", "status-failed", "status-muted");
    status.getStyleClass().add(style);
  }

  // ------------------------------------------------------------------------------------------
  // bits

  private static String id(ConsoleAction action) {
    return action.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String capital(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String phaseClass(String phase) {
    return switch (phase) {
      case "Healthy" -> "phase-ok";
      case "Paused" -> "phase-paused";
      case "Degraded", "Aborted" -> "phase-bad";
      default -> "phase-running";
    };
  }

  private static String verdictMark(String verdict) {
    return switch (verdict) {
      case "Successful" -> "✔ ";
      case "Running" -> "… ";
      default -> "";
    };
  }

  private static String verdictClass(String verdict) {
    return switch (verdict) {
      case "Successful" -> "verdict-ok";
      case "Inconclusive" -> "verdict-warning";
      default -> "verdict-running";
    };
  }

  private static HBox weightRow(ProgressBar bar, Label label, String kind) {
    bar.getStyleClass().add(kind + "-bar");
    bar.setId(kind + "-bar");
    bar.setMaxWidth(Double.MAX_VALUE);
    bar.setPrefWidth(240);
    label.setId(kind + "-weight");
    label.getStyleClass().add(kind + "-label");
    label.setMinWidth(170);
    HBox.setHgrow(bar, Priority.ALWAYS);
    HBox row = new HBox(10, label, bar);
    row.setAlignment(Pos.CENTER_LEFT);
    return row;
  }

  private static Label section(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("section");
    return l;
  }

  private static Region spring() {
    Region r = new Region();
    HBox.setHgrow(r, Priority.ALWAYS);
    return r;
  }

  private static VBox grow(VBox box) {
    HBox.setHgrow(box, Priority.ALWAYS);
    box.setMaxWidth(Double.MAX_VALUE);
    return box;
  }
}
