package dev.weir.desktop.console;

import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.ExperimentView;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;

/**
 * The A/B experiments of the selected application (of every application when none is selected),
 * as the engine computes them: each variant's traffic share and conversions, B's uplift over A
 * with its always-valid interval (drawn as a bar around zero), the p-value and what to do. The
 * buttons conclude the selected experiment (promote B or keep A) after the engine's preview.
 * Only used on the JavaFX thread.
 */
final class ExperimentsPane {
  private static final double BAR = 260;

  private final VBox root = new VBox(8);
  private final Label title = new Label("Experiments");
  private final Label status = new Label();
  private final ListView<ExperimentView> experiments = new ListView<>();

  ExperimentsPane(Consumer<ConsoleAction> act) {
    root.getStyleClass().add("pane-body");
    title.getStyleClass().add("title");
    status.getStyleClass().add("muted");
    status.setId("experiments-status");
    experiments.setId("experiments");
    experiments.setCellFactory(l -> new ExperimentCell());
    experiments.setPlaceholder(new Label("No A/B experiment: no rollout has an experiment step."));
    HBox bar = new HBox(6);
    bar.getStyleClass().add("action-bar");
    for (ConsoleAction action : ConsoleView.EXPERIMENTS.actions()) {
      if (action == ConsoleAction.BACK || action == ConsoleAction.HELP) {
        continue;
      }
      Button button = new Button(action == ConsoleAction.EXPERIMENT_PROMOTE ? "Conclude: promote B" : "Conclude: keep A");
      button.setId(action == ConsoleAction.EXPERIMENT_PROMOTE ? "experiment-promote" : "experiment-keep");
      button.setTooltip(Shortcuts.tooltip(action));
      button.setOnAction(e -> act.accept(action));
      if (action == ConsoleAction.EXPERIMENT_KEEP) {
        button.getStyleClass().add("danger-action");
      }
      bar.getChildren().add(button);
    }
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox head = new HBox(8, title, gap, status);
    head.setAlignment(Pos.CENTER_LEFT);
    VBox.setVgrow(experiments, Priority.ALWAYS);
    root.getChildren().addAll(head, bar, experiments);
  }

  Node node() {
    return root;
  }

  ListView<ExperimentView> experiments() {
    return experiments;
  }

  Optional<ExperimentView> selected() {
    return Optional.ofNullable(experiments.getSelectionModel().getSelectedItem());
  }

  /** Shows the experiments of {@code application} (every application's when null), keeping the selection. */
  void show(ConsoleSnapshot snapshot, String application) {
    Optional<String> kept = selected().map(e -> e.application() + "/" + e.rollout());
    List<ExperimentView> shown = application == null ? snapshot.experiments() : snapshot.experiments(application);
    experiments.getItems().setAll(shown);
    title.setText(application == null ? "Experiments of every application" : "Experiments of " + application);
    status.setText(shown.size() + (shown.size() == 1 ? " experiment" : " experiments"));
    int index = kept.map(k -> {
      for (int i = 0; i < shown.size(); i++) {
        if ((shown.get(i).application() + "/" + shown.get(i).rollout()).equals(k)) {
          return i;
        }
      }
      return 0;
    }).orElse(0);
    if (!shown.isEmpty()) {
      experiments.getSelectionModel().select(index);
    }
  }

  static String percent(double share) {
    return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  static String points(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+∞" : "−∞";
    }
    return String.format(Locale.ROOT, "%+.1f", 100 * value);
  }

  /** The uplift's interval as a bar around zero (the dot is the uplift), or nothing before it is known. */
  static Node upliftBar(ExperimentView e) {
    Pane pane = new Pane();
    pane.setMinSize(BAR, 14);
    pane.setPrefSize(BAR, 14);
    pane.setMaxSize(BAR, 14);
    pane.getStyleClass().add("uplift-bar");
    if (Double.isNaN(e.uplift()) || Double.isInfinite(e.lower()) || Double.isInfinite(e.upper())) {
      return pane;
    }
    double span = Math.max(Math.max(Math.abs(e.lower()), Math.abs(e.upper())), 1e-9) * 1.1;
    double mid = BAR / 2;
    double lo = mid + e.lower() / span * mid;
    double hi = mid + e.upper() / span * mid;
    Rectangle interval = new Rectangle(lo, 4, Math.max(2, hi - lo), 6);
    interval.getStyleClass().add(e.lower() > 0 ? "uplift-better" : e.upper() < 0 ? "uplift-worse" : "uplift-unsure");
    Line zero = new Line(mid, 0, mid, 14);
    zero.getStyleClass().add("uplift-zero");
    Circle dot = new Circle(mid + e.uplift() / span * mid, 7, 4);
    dot.getStyleClass().add("uplift-dot");
    pane.getChildren().addAll(interval, zero, dot);
    return pane;
  }

  private static final class ExperimentCell extends ListCell<ExperimentView> {
    @Override
    protected void updateItem(ExperimentView e, boolean empty) {
      super.updateItem(e, empty);
      setText(null);
      if (empty || e == null) {
        setGraphic(null);
        return;
      }
      Label head = new Label(e.name() + " · " + e.application() + " (rollout " + e.rollout() + ")");
      head.getStyleClass().add("experiment-name");
      Label outcome = new Label(e.outcome() + e.concluded().map(c -> " · " + c).orElse(" → " + e.decision()));
      outcome.getStyleClass().add(e.outcome().equals("B wins") ? "text-success" : e.outcome().equals("B harms") ? "text-danger" : "muted");
      outcome.setId("experiment-outcome");
      Label segment = new Label("segment " + e.segment() + " → B");
      segment.getStyleClass().add("muted");
      GridPane grid = new GridPane();
      grid.setHgap(16);
      grid.setVgap(2);
      List<String> heads = List.of("", "version", "audience", "traffic", "conversion", "conversions");
      for (int c = 0; c < heads.size(); c++) {
        Label h = new Label(heads.get(c));
        h.getStyleClass().add("muted");
        grid.add(h, c, 0);
      }
      int row = 1;
      for (ExperimentView.Variant v : e.variants()) {
        grid.add(new Label(v.name()), 0, row);
        grid.add(new Label(v.version()), 1, row);
        grid.add(new Label(v.audience()), 2, row);
        grid.add(new Label(percent(v.trafficShare())), 3, row);
        grid.add(new Label(percent(v.rate())), 4, row);
        grid.add(new Label(v.successes() + " / " + v.trials()), 5, row);
        row++;
      }
      Label uplift = new Label(Double.isNaN(e.uplift())
          ? "uplift not measured yet"
          : String.format(Locale.ROOT, "uplift %s points [%s, %s], p = %s", points(e.uplift()), points(e.lower()), points(e.upper()),
              e.pValue() < 1e-4 ? String.format(Locale.ROOT, "%.1e", e.pValue()) : String.format(Locale.ROOT, "%.4f", e.pValue())));
      HBox upliftRow = new HBox(10, uplift, upliftBar(e));
      upliftRow.setAlignment(Pos.CENTER_LEFT);
      Label message = new Label(e.message());
      message.getStyleClass().add("muted");
      message.setWrapText(true);
      message.setMaxWidth(760);
      Region gap = new Region();
      HBox.setHgrow(gap, Priority.ALWAYS);
      HBox top = new HBox(8, head, gap, outcome);
      top.setAlignment(Pos.CENTER_LEFT);
      VBox card = new VBox(4, top, segment, grid, upliftRow, message);
      card.setPadding(new javafx.geometry.Insets(6, 8, 8, 8));
      setGraphic(card);
    }
  }
}
