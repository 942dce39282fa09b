package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.AttentionItem;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.DefinitionFailure;
import dev.weir.engine.console.RolloutLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

/**
 * The left side: the filter box, NEEDS ATTENTION (the engine's queue, most urgent first) and
 * APPLICATIONS, each row with its sync, health and drift badges and, while a rollout runs, a bar
 * of the canary's share; an application whose definition does not load shows the file, line and
 * field at fault. Rows are virtualised ({@link ListView}), so 500 applications cost a screenful of
 * cells. Only used on the JavaFX thread.
 */
final class ApplicationList {
  /** One row of the applications list: an application, or a definition that names none. */
  record Row(String name, Optional<ApplicationView> view, List<DefinitionFailure> failures) {
    String searchable() {
      return name.toLowerCase(Locale.ROOT);
    }
  }

  private final VBox root = new VBox(4);
  private final TextField filter = new TextField();
  private final Label attentionTitle = new Label("NEEDS ATTENTION");
  private final ListView<AttentionItem> attention = new ListView<>();
  private final Label applicationsTitle = new Label("APPLICATIONS");
  private final ObservableList<Row> rows = FXCollections.observableArrayList();
  private final FilteredList<Row> filtered = new FilteredList<>(rows, r -> true);
  private final ListView<Row> applications = new ListView<>(filtered);
  private final Consumer<String> select;
  private String selected;
  private boolean updating;

  ApplicationList(Consumer<String> select) {
    this.select = select;
    root.getStyleClass().add("side");
    filter.setPromptText("Filter applications (Ctrl+F)");
    filter.setId("filter");
    filter.textProperty().addListener((o, was, now) -> applyFilter(now));
    filter.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.ENTER) {
        applications.requestFocus();
        if (applications.getSelectionModel().isEmpty() && !filtered.isEmpty()) {
          applications.getSelectionModel().selectFirst();
        }
        e.consume();
      } else if (e.getCode() == KeyCode.ESCAPE && !filter.getText().isEmpty()) {
        filter.clear();
        e.consume();
      }
    });
    attentionTitle.getStyleClass().add("section-title");
    applicationsTitle.getStyleClass().add("section-title");
    attention.setId("attention");
    attention.setCellFactory(l -> new AttentionCell());
    attention.setPrefHeight(150);
    attention.setMinHeight(60);
    attention.setFixedCellSize(28);
    attention.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
      if (!updating && now != null && !now.application().isEmpty()) {
        choose(now.application());
      }
    });
    applications.setId("applications");
    applications.setCellFactory(l -> new ApplicationCell());
    applications.setFixedCellSize(46);
    applications.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
      if (!updating && now != null && now.view().isPresent()) {
        choose(now.name());
      }
    });
    VBox.setVgrow(applications, Priority.ALWAYS);
    root.getChildren().addAll(filter, attentionTitle, attention, applicationsTitle, applications);
    root.setMinWidth(240);
  }

  Node node() {
    return root;
  }

  TextField filter() {
    return filter;
  }

  ListView<Row> applications() {
    return applications;
  }

  ListView<AttentionItem> attention() {
    return attention;
  }

  private void choose(String name) {
    if (!name.equals(selected)) {
      selected = name;
      select.accept(name);
    }
  }

  /** Shows the application {@code name} as selected (from the palette or a test). */
  void select(String name) {
    selected = name;
    updating = true;
    try {
      filtered.stream().filter(r -> r.name().equals(name)).findFirst()
          .ifPresent(r -> {
            applications.getSelectionModel().select(r);
            applications.scrollTo(r);
          });
    } finally {
      updating = false;
    }
  }

  private void applyFilter(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    updating = true;
    try {
      filtered.setPredicate(wanted.isEmpty() ? r -> true : r -> r.searchable().contains(wanted));
      reselect();
    } finally {
      updating = false;
    }
  }

  void update(ConsoleSnapshot snapshot) {
    updating = true;
    try {
      attention.getItems().setAll(snapshot.attention());
      attentionTitle.setText("NEEDS ATTENTION (" + snapshot.attention().size() + ")");
      attention.setPrefHeight(Math.min(6, Math.max(1, snapshot.attention().size())) * 28 + 4);
      Map<String, List<DefinitionFailure>> failures = new HashMap<>();
      List<Row> unnamed = new ArrayList<>();
      for (DefinitionFailure f : snapshot.definitionFailures()) {
        if (f.application().isPresent()) {
          failures.computeIfAbsent(f.application().get(), k -> new ArrayList<>()).add(f);
        } else {
          unnamed.add(new Row("? " + f.location().file(), Optional.empty(), List.of(f)));
        }
      }
      List<Row> next = new ArrayList<>(snapshot.applications().size() + unnamed.size());
      for (ApplicationView app : snapshot.applications()) {
        next.add(new Row(app.name(), Optional.of(app), failures.getOrDefault(app.name(), List.of())));
      }
      next.addAll(unnamed);
      rows.setAll(next);
      applicationsTitle.setText("APPLICATIONS (" + snapshot.applications().size() + ")");
      reselect();
    } finally {
      updating = false;
    }
  }

  private void reselect() {
    if (selected == null) {
      return;
    }
    for (Row r : filtered) {
      if (r.name().equals(selected)) {
        applications.getSelectionModel().select(r);
        return;
      }
    }
    applications.getSelectionModel().clearSelection();
  }

  /** An attention row: a severity dot, the application, the message and the suggested action. */
  private static final class AttentionCell extends ListCell<AttentionItem> {
    private final Circle dot = new Circle(4);
    private final Label name = new Label();
    private final Label message = new Label();
    private final HBox box = new HBox(6, dot, name, message);

    AttentionCell() {
      setPrefWidth(0); // as wide as the list: no horizontal scrolling, long messages end in …
      message.setMinWidth(0);
      name.setMinWidth(Region.USE_PREF_SIZE);
      name.getStyleClass().add("app-name");
      message.getStyleClass().add("muted");
      box.setAlignment(Pos.CENTER_LEFT);
      dot.getStyleClass().add("dot");
    }

    @Override
    protected void updateItem(AttentionItem item, boolean empty) {
      super.updateItem(item, empty);
      if (empty || item == null) {
        setGraphic(null);
        setText(null);
        return;
      }
      dot.getStyleClass().setAll("dot", Badges.style(item.severity()));
      name.setText(item.application().isEmpty() ? "—" : item.application());
      message.setText(item.message() + "  → " + item.action().word());
      setGraphic(box);
      setText(null);
    }
  }

  /** An application row: name and badges on one line, the message or definition error and the bar below. */
  private static final class ApplicationCell extends ListCell<Row> {
    private final Circle dot = new Circle(4);
    private final Label name = new Label();
    private final Label sync = Badges.badge("", "muted");
    private final Label health = Badges.badge("", "muted");
    private final Label drift = Badges.badge("", "warning");
    private final Label detail = new Label();
    private final ProgressBar rollout = new ProgressBar(0);
    private final Label rolloutText = new Label();
    private final HBox line = new HBox(6);
    private final HBox under = new HBox(6);
    private final VBox box = new VBox(3, line, under);

    ApplicationCell() {
      setPrefWidth(0); // as wide as the list: no horizontal scrolling, long messages end in …
      detail.setMinWidth(0);
      name.setMinWidth(0);
      sync.setMinWidth(Region.USE_PREF_SIZE);
      health.setMinWidth(Region.USE_PREF_SIZE);
      drift.setMinWidth(Region.USE_PREF_SIZE);
      rolloutText.setMinWidth(Region.USE_PREF_SIZE);
      rollout.setMinWidth(50);
      name.getStyleClass().add("app-name");
      dot.getStyleClass().add("dot");
      detail.getStyleClass().add("muted");
      detail.setMaxWidth(Double.MAX_VALUE);
      HBox.setHgrow(detail, Priority.ALWAYS);
      rollout.getStyleClass().add("rollout-bar");
      rollout.setPrefWidth(70);
      rolloutText.getStyleClass().add("muted");
      Region gap = new Region();
      HBox.setHgrow(gap, Priority.ALWAYS);
      line.getChildren().addAll(dot, name, gap, drift, sync, health);
      line.setAlignment(Pos.CENTER_LEFT);
      under.setAlignment(Pos.CENTER_LEFT);
      box.getStyleClass().add("app-cell");
    }

    @Override
    protected void updateItem(Row row, boolean empty) {
      super.updateItem(row, empty);
      if (empty || row == null) {
        setGraphic(null);
        setText(null);
        return;
      }
      name.setText(row.name());
      under.getChildren().clear();
      if (row.view().isEmpty()) {
        line.getChildren().removeAll(drift);
        sync.setVisible(false);
        health.setVisible(false);
        dot.getStyleClass().setAll("dot", "danger");
        setDetail(row.failures().getFirst().brief(), "definition-error");
        under.getChildren().add(detail);
      } else {
        ApplicationView app = row.view().get();
        sync.setVisible(true);
        health.setVisible(true);
        Badges.set(sync, app.sync().name(), Badges.style(app.sync()));
        Badges.set(health, app.health().status().name(), Badges.style(app.health().status()));
        int drifted = app.driftCount();
        if (drifted > 0) {
          if (!line.getChildren().contains(drift)) {
            line.getChildren().add(line.getChildren().size() - 2, drift);
          }
          drift.setText("Δ " + drifted);
        } else {
          line.getChildren().remove(drift);
        }
        String worst = Badges.style(app.health().status());
        dot.getStyleClass().setAll("dot", row.failures().isEmpty() ? (worst.equals("success") && drifted > 0 ? "warning" : worst) : "danger");
        if (!row.failures().isEmpty()) {
          setDetail(row.failures().getFirst().brief(), "definition-error");
        } else {
          setDetail(app.message().isEmpty() ? "rev " + shortRev(app.revision()) : app.message(), "muted");
        }
        Optional<RolloutLine> running = app.rolloutLines().stream().filter(r -> !r.phase().equals("Healthy")).findFirst();
        if (running.isPresent()) {
          rollout.setProgress(running.get().weight() / 100.0);
          rolloutText.setText(running.get().weight() + "% · " + running.get().phase());
          under.getChildren().addAll(rollout, rolloutText, detail);
        } else {
          under.getChildren().add(detail);
        }
      }
      setGraphic(box);
      setText(null);
    }

    private void setDetail(String text, String style) {
      detail.setText(text);
      detail.getStyleClass().setAll("label", style);
    }
  }

  static String shortRev(String revision) {
    return revision.length() > 7 ? revision.substring(0, 7) : revision;
  }
}
