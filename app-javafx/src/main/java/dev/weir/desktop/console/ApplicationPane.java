package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationDriver;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.DriftField;
import dev.weir.engine.console.DriftObject;
import dev.weir.engine.console.ResourceNode;
import dev.weir.engine.model.HealthStatus;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * One application: its name, sync and health, what stands out (health message, problems, freeze,
 * pin, hotfixes), the buttons of its actions (drawn from {@link ConsoleView#APPLICATION}), the
 * resource tree with each object's sync and health, the drift list (one row per drifted field,
 * naming who changed it and when, as {@code weir diff} does), and the rollout slot. Only used on the
 * JavaFX thread.
 */
final class ApplicationPane {
  /** A row of the drift list: a drifted field, or an object missing or left to prune. */
  record DriftRow(DriftObject object, Optional<DriftField> field) {
    String key() {
      return object.resource() + field.map(f -> " " + f.path()).orElse("");
    }

    String text() {
      return object.key().kind() + " " + object.key().name() + "   " + field.map(DriftField::line).orElse(object.status())
          + (object.hotfixed() ? "  (hotfix)" : "");
    }
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final VBox root = new VBox();
  private final Label name = new Label();
  private final Label sync = Badges.badge("", "muted");
  private final Label health = Badges.badge("", "muted");
  private final Label facts = new Label();
  /** Who drives it: the replica holding its Lease, this console, or nobody. */
  private final Label driver = new Label();
  private final VBox notes = new VBox(2);
  private final TreeView<ResourceNode> tree = new TreeView<>();
  private final Label treeTitle = new Label("RESOURCES");
  private final ListView<DriftRow> drift = new ListView<>();
  private final Label driftTitle = new Label("DRIFT");
  private final SplitPane split = new SplitPane();
  private final RolloutSlot rollout;
  private final ZoneId zone;
  private final Label empty = new Label("Select an application on the left (or Ctrl+K).");
  private final VBox body = new VBox();

  ApplicationPane(RolloutSlot rollout, ZoneId zone, Consumer<ConsoleAction> act) {
    this.rollout = rollout;
    this.zone = zone;
    name.getStyleClass().add("title");
    name.setId("app-title");
    facts.getStyleClass().add("muted");
    driver.setId("app-driver");
    driver.getStyleClass().add("muted");
    HBox title = new HBox(8, name, sync, health, facts);
    title.setAlignment(Pos.CENTER_LEFT);
    HBox actions = new HBox();
    actions.getStyleClass().add("action-bar");
    for (ConsoleAction action : ConsoleView.APPLICATION.actions()) {
      if (action == ConsoleAction.BACK || action == ConsoleAction.HELP) {
        continue;
      }
      Button button = new Button(capital(action.words()));
      button.setId("action-" + action.name().toLowerCase(java.util.Locale.ROOT));
      button.setTooltip(Shortcuts.tooltip(action));
      button.setOnAction(e -> act.accept(action));
      if (action == ConsoleAction.HOTFIX || action == ConsoleAction.FREEZE) {
        button.getStyleClass().add("danger-action");
      }
      actions.getChildren().add(button);
    }
    treeTitle.getStyleClass().add("section-title");
    driftTitle.getStyleClass().add("section-title");
    tree.setId("resources");
    tree.setShowRoot(false);
    tree.setCellFactory(t -> new NodeCell());
    tree.setFixedCellSize(26);
    drift.setId("drift");
    drift.setCellFactory(l -> new DriftCell());
    drift.setFixedCellSize(26);
    drift.setOnMouseClicked(e -> {
      if (e.getClickCount() == 2) {
        act.accept(ConsoleAction.DIFF);
      }
    });
    VBox treeBox = new VBox(2, treeTitle, tree);
    treeBox.getStyleClass().add("box");
    VBox.setVgrow(tree, Priority.ALWAYS);
    VBox driftBox = new VBox(2, driftTitle, drift);
    driftBox.getStyleClass().add("box");
    VBox.setVgrow(drift, Priority.ALWAYS);
    split.setOrientation(Orientation.VERTICAL);
    split.getItems().addAll(treeBox, driftBox);
    split.setDividerPositions(0.55);
    split.setId("app-split");
    VBox.setVgrow(split, Priority.ALWAYS);
    Node slot = rollout.node();
    body.getChildren().addAll(title, driver, notes, actions, split, slot);
    body.getStyleClass().add("pane-body");
    VBox.setVgrow(body, Priority.ALWAYS);
    empty.getStyleClass().add("muted");
    empty.setPadding(new javafx.geometry.Insets(24));
    root.getChildren().setAll(empty);
  }

  private static String capital(String words) {
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  Node node() {
    return root;
  }

  SplitPane split() {
    return split;
  }

  TreeView<ResourceNode> tree() {
    return tree;
  }

  ListView<DriftRow> drift() {
    return drift;
  }

  /** The drift row selected, or the first when none is. */
  Optional<DriftRow> selectedDrift() {
    DriftRow row = drift.getSelectionModel().getSelectedItem();
    if (row == null && !drift.getItems().isEmpty()) {
      row = drift.getItems().getFirst();
    }
    return Optional.ofNullable(row);
  }

  static List<DriftRow> driftRows(ApplicationView app, ZoneId zone) {
    List<DriftRow> rows = new ArrayList<>();
    for (DriftObject object : app.drift(zone)) {
      if (object.fields().isEmpty()) {
        rows.add(new DriftRow(object, Optional.empty()));
      }
      object.fields().forEach(f -> rows.add(new DriftRow(object, Optional.of(f))));
    }
    return rows;
  }

  void clear(String why) {
    empty.setText(why);
    root.getChildren().setAll(empty);
  }

  void show(ApplicationView app, ConsoleSnapshot snapshot) {
    if (!root.getChildren().contains(body)) {
      root.getChildren().setAll(body);
    }
    name.setText(app.name());
    Badges.set(sync, app.sync().name(), Badges.style(app.sync()));
    Badges.set(health, app.health().status().name(), Badges.style(app.health().status()));
    String last =
        app.lastSyncAt().map(at -> "last sync " + TIME.format(at.atZone(zone)) + " by " + app.lastSyncBy()).orElse("never synced");
    facts.setText("rev " + ApplicationList.shortRev(app.revision()) + " · " + last + " · " + (app.automated() ? "automated" : "manual sync")
        + (app.namespace().isEmpty() ? "" : " · ns " + app.namespace()));
    driver.setText("⚙ " + app.driver().line());
    driver.getStyleClass().removeAll("muted", "note", "warning");
    if (app.driver().kind() == ApplicationDriver.Kind.NOBODY) {
      driver.getStyleClass().addAll("note", "warning");
    } else {
      driver.getStyleClass().add("muted");
    }
    notes.getChildren().clear();
    HealthStatus status = app.health().status();
    if (status != HealthStatus.Healthy && !app.health().message().isEmpty()) {
      note((status == HealthStatus.Degraded || status == HealthStatus.Missing ? "✖ " : "• ") + app.health().message(),
          status == HealthStatus.Degraded || status == HealthStatus.Missing ? "danger" : "info");
    }
    snapshot.definitionFailures().stream()
        .filter(f -> f.application().filter(app.name()::equals).isPresent())
        .forEach(f -> note("✖ definition does not load: " + f.describe(), "danger"));
    app.failedSyncLine().ifPresent(f -> note("✖ " + f, "danger"));
    app.problems().forEach(p -> note("⚠ " + p, "warning"));
    app.diffProblems().forEach(p -> note("⚠ " + p, "warning"));
    app.freezeLine().ifPresent(f -> note("❄ " + f, "warning"));
    app.pinLine().ifPresent(p -> note("⚑ " + p, "warning"));
    app.hotfixLines().forEach(h -> note("✎ " + h, "info"));

    TreeItem<ResourceNode> top = new TreeItem<>();
    int count = 0;
    for (ResourceNode node : app.tree().roots()) {
      top.getChildren().add(item(node));
      count += (int) node.flatten().count();
    }
    tree.setRoot(top);
    treeTitle.setText("RESOURCES (" + count + ")");

    List<DriftRow> rows = driftRows(app, zone);
    String kept = Optional.ofNullable(drift.getSelectionModel().getSelectedItem()).map(DriftRow::key).orElse(null);
    drift.getItems().setAll(rows);
    if (kept != null) {
      rows.stream().filter(r -> r.key().equals(kept)).findFirst().ifPresent(drift.getSelectionModel()::select);
    }
    long objects = rows.stream().map(r -> r.object().resource()).distinct().count();
    driftTitle.setText(rows.isEmpty() ? "DRIFT: none, Git and the cluster agree" : "DRIFT (" + rows.size() + " in " + objects + " object" + (objects == 1 ? "" : "s") + ")  ·  double-click or Ctrl+D: diff");
    rollout.show(app, snapshot);
  }

  private void note(String text, String style) {
    Label label = new Label(text);
    label.getStyleClass().addAll("note", style);
    notes.getChildren().add(label);
  }

  private static TreeItem<ResourceNode> item(ResourceNode node) {
    TreeItem<ResourceNode> item = new TreeItem<>(node);
    item.setExpanded(true);
    node.children().forEach(c -> item.getChildren().add(item(c)));
    return item;
  }

  /** An object: kind and name, then its sync (none for a controller's object) and health. */
  private static final class NodeCell extends TreeCell<ResourceNode> {
    private final Label what = new Label();
    private final Label sync = Badges.badge("", "muted");
    private final Label health = Badges.badge("", "muted");
    private final Region gap = new Region();
    private final HBox box = new HBox(6, what, gap, sync, health);

    NodeCell() {
      HBox.setHgrow(gap, Priority.ALWAYS);
      box.setAlignment(Pos.CENTER_LEFT);
    }

    @Override
    protected void updateItem(ResourceNode node, boolean empty) {
      super.updateItem(node, empty);
      if (empty || node == null) {
        setGraphic(null);
        setText(null);
        return;
      }
      what.setText(node.key().kind() + " " + (node.key().namespace().isEmpty() ? "" : node.key().namespace() + "/") + node.key().name());
      Badges.set(sync, node.sync().map(Enum::name).orElse("—"), node.sync().map(Badges::style).orElse("muted"));
      Badges.set(health, node.health().status().name(), Badges.style(node.health().status()));
      setGraphic(box);
      setText(null);
    }
  }

  /** A drifted field: the object, then {@code kubectl-edit changed spec.replicas 3→5 at 10:42}. */
  private static final class DriftCell extends ListCell<DriftRow> {
    @Override
    protected void updateItem(DriftRow row, boolean empty) {
      super.updateItem(row, empty);
      getStyleClass().removeAll("text-warning", "text-danger");
      if (empty || row == null) {
        setText(null);
        return;
      }
      setText((row.field().isPresent() ? "Δ " : "✖ ") + row.text());
      getStyleClass().add(row.field().isPresent() ? "text-warning" : "text-danger");
    }
  }
}
