package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.DriftField;
import dev.weir.engine.console.DriftObject;
import dev.weir.engine.console.RevisionDiff;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The diff of one application: its drifted objects to choose from, each shown side by side (the
 * cluster on the left, Git on the right: what a sync would apply) or per field (Ctrl+Shift+V), and
 * the actions of {@link ConsoleView#DIFF}. A history's diff between two revisions shows here too.
 * Only used on the JavaFX thread.
 */
final class DiffPane {
  private final VBox root = new VBox(8);
  private final Label title = new Label("Diff");
  private final javafx.scene.control.ComboBox<DriftObject> objects = new javafx.scene.control.ComboBox<>();
  private final DiffViewer viewer = new DiffViewer();
  private final ListView<String> fields = new ListView<>();
  private final StackPane content = new StackPane();
  private final Label note = new Label();
  private final ZoneId zone;
  private boolean perField;
  private Optional<RevisionDiff> revisions = Optional.empty();

  DiffPane(ZoneId zone, Consumer<ConsoleAction> act) {
    this.zone = zone;
    root.getStyleClass().add("pane-body");
    title.getStyleClass().add("title");
    title.setId("diff-title");
    objects.setId("diff-objects");
    objects.setConverter(new StringConverter<>() {
      @Override
      public String toString(DriftObject o) {
        return o == null ? "" : o.resource() + "  (" + o.status() + ")";
      }

      @Override
      public DriftObject fromString(String s) {
        return null;
      }
    });
    objects.valueProperty().addListener((o, was, now) -> draw());
    HBox bar = new HBox(6);
    bar.getStyleClass().add("action-bar");
    for (ConsoleAction action : ConsoleView.DIFF.actions()) {
      if (action == ConsoleAction.BACK || action == ConsoleAction.HELP) {
        continue;
      }
      Button button = new Button(Character.toUpperCase(action.words().charAt(0)) + action.words().substring(1));
      button.setId("diff-action-" + action.name().toLowerCase(Locale.ROOT));
      button.setTooltip(Shortcuts.tooltip(action));
      button.setOnAction(e -> act.accept(action));
      bar.getChildren().add(button);
    }
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox head = new HBox(8, title, gap, objects);
    head.setAlignment(Pos.CENTER_LEFT);
    note.getStyleClass().add("muted");
    note.setWrapText(true);
    fields.setId("diff-fields");
    content.getChildren().addAll(viewer.node());
    VBox.setVgrow(content, Priority.ALWAYS);
    root.getChildren().addAll(head, note, bar, content);
  }

  Node node() {
    return root;
  }

  DiffViewer viewer() {
    return viewer;
  }

  boolean perField() {
    return perField;
  }

  /** Switches between side by side and one row per drifted field. */
  void toggleMode() {
    perField = !perField;
    draw();
  }

  /** The object shown, to hotfix or backport. */
  Optional<DriftObject> selected() {
    return Optional.ofNullable(objects.getValue());
  }

  void select(String resource) {
    objects.getItems().stream().filter(o -> o.resource().equals(resource)).findFirst().ifPresent(objects::setValue);
  }

  void show(ApplicationView app) {
    revisions = Optional.empty();
    List<DriftObject> drift = app.drift(zone);
    String kept = Optional.ofNullable(objects.getValue()).map(DriftObject::resource).orElse(null);
    objects.getItems().setAll(drift);
    objects.setVisible(!drift.isEmpty());
    drift.stream().filter(o -> o.resource().equals(kept)).findFirst()
        .or(() -> drift.stream().findFirst())
        .ifPresentOrElse(objects::setValue, () -> objects.setValue(null));
    title.setText("Drift of " + app.name());
    draw();
  }

  /** Shows how {@code diff}'s revisions differ (from the history). */
  void show(RevisionDiff diff) {
    revisions = Optional.of(diff);
    objects.setVisible(false);
    title.setText(diff.application() + ": " + diff.from() + " → " + diff.to());
    note.setText(diff.message());
    viewer.show("Git at " + diff.from() + " (the rollback's target)", "Git at " + diff.to() + " (now)", diff.lines());
    content.getChildren().setAll(viewer.node());
  }

  private void draw() {
    if (revisions.isPresent()) {
      return;
    }
    DriftObject object = objects.getValue();
    if (object == null) {
      note.setText("Git and the cluster agree: nothing to show.");
      viewer.show("Cluster (live)", "Git (what a sync applies)", List.of());
      content.getChildren().setAll(viewer.node());
      return;
    }
    note.setText(object.resource() + ": " + object.status()
        + object.lastChange().map(f -> " · last changed by " + f.who()).orElse("")
        + (object.note().isEmpty() ? "" : " · " + object.note())
        + (object.hotfixed() ? " · hotfix: backport pending" : ""));
    if (perField) {
      fields.getItems().setAll(object.fields().stream().map(DiffPane::fieldLine).toList());
      if (object.fields().isEmpty()) {
        fields.getItems().setAll(object.status());
      }
      content.getChildren().setAll(fields);
    } else {
      viewer.show("Cluster (live)", "Git (what a sync applies)", object.lines());
      content.getChildren().setAll(viewer.node());
    }
  }

  private static String fieldLine(DriftField f) {
    return f.path() + "   cluster: " + (f.live().isEmpty() ? "absent" : f.live()) + "   Git: " + (f.git().isEmpty() ? "absent" : f.git())
        + (f.who().isEmpty() ? "" : "   set by " + f.who()) + (f.redacted() ? "   (sensitive, redacted)" : "");
  }
}
