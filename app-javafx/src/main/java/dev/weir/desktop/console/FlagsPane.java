package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.FlagView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The feature flags of the selected application (of every application when none is selected), as
 * the engine reads them from the flagd files at the rendered revision: key, state, default variant,
 * variants, fractional split, targeting and the last commit that touched them. The buttons are the
 * engine's Flags actions; each change is previewed and confirmed by the console before it is sent.
 * Only used on the JavaFX thread.
 */
final class FlagsPane {
  /** One flag of one application, as a row shows it. */
  record Row(String application, FlagView flag) {}

  private final VBox root = new VBox(8);
  private final Label title = new Label("Flags");
  private final Label status = new Label();
  private final TableView<Row> table = new TableView<>();
  private String keptApplication;
  private String keptFlag;

  FlagsPane(Consumer<ConsoleAction> act) {
    root.getStyleClass().add("pane-body");
    title.getStyleClass().add("title");
    status.getStyleClass().add("muted");
    status.setId("flags-status");
    table.setId("flags");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("No feature flags: the application has no flagd files."));
    table.getColumns().setAll(List.of(
        column("Application", 110, Row::application),
        // wide enough for flag keys as teams write them (new-checkout-button) and the state word
        column("Flag", 190, r -> r.flag().key()),
        column("State", 78, r -> (r.flag().enabled() ? "● " : "○ ") + r.flag().state()),
        column("Default", 84, r -> r.flag().defaultVariant()),
        column("Variants", 170, r -> variants(r.flag())),
        column("Split", 150, r -> r.flag().splitText().isEmpty() ? "–" : r.flag().splitText()),
        column("Targeting", 190, r -> r.flag().targeting()),
        column("Last change", 180, r -> r.flag().lastChange().orElse("unknown"))));
    table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
      @Override
      protected void updateItem(Row row, boolean empty) {
        super.updateItem(row, empty);
        setTooltip(empty || row == null ? null : new javafx.scene.control.Tooltip(
            row.flag().key() + " (" + row.flag().file() + ")\nvariants: " + variants(row.flag()) + "\ntargeting: "
                + row.flag().targeting() + "\nlast change: " + row.flag().lastChange().orElse("unknown")));
      }
    });
    table.setOnMouseClicked(e -> {
      if (e.getClickCount() == 2) {
        act.accept(ConsoleAction.FLAG_TOGGLE);
      }
    });
    HBox bar = new HBox(6);
    bar.getStyleClass().add("action-bar");
    for (ConsoleAction action : ConsoleView.FLAGS.actions()) {
      if (action == ConsoleAction.FILTER || action == ConsoleAction.BACK || action == ConsoleAction.HELP) {
        continue;
      }
      String words = switch (action) {
        case FLAG_TOGGLE -> "Turn on/off";
        case FLAG_DEFAULT -> "Default variant…";
        case FLAG_SPLIT -> "Fractional split…";
        default -> action.words();
      };
      Button button = new Button(words);
      button.setId("flags-" + action.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      button.setTooltip(Shortcuts.tooltip(action));
      button.setOnAction(e -> act.accept(action));
      bar.getChildren().add(button);
    }
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox head = new HBox(8, title, gap, status);
    head.setAlignment(Pos.CENTER_LEFT);
    VBox.setVgrow(table, Priority.ALWAYS);
    root.getChildren().addAll(head, bar, table);
  }

  private static TableColumn<Row, String> column(String name, double width, Function<Row, String> text) {
    TableColumn<Row, String> column = new TableColumn<>(name);
    column.setPrefWidth(width);
    column.setCellValueFactory(c -> new ReadOnlyStringWrapper(text.apply(c.getValue())));
    return column;
  }

  /** {@code on, off} with each variant's value when it is not the name itself. */
  static String variants(FlagView flag) {
    List<String> out = new ArrayList<>();
    flag.variants().forEach((name, value) -> out.add(value.equals(name) || value.equals("\"" + name + "\"") ? name : name + "=" + value));
    return String.join(", ", out);
  }

  Node node() {
    return root;
  }

  TableView<Row> table() {
    return table;
  }

  Optional<Row> selected() {
    return Optional.ofNullable(table.getSelectionModel().getSelectedItem());
  }

  /** Shows the flags of {@code application} (every application's when null), keeping the selected row. */
  void show(ConsoleSnapshot snapshot, String application) {
    selected().ifPresent(r -> {
      keptApplication = r.application();
      keptFlag = r.flag().key();
    });
    List<Row> rows = new ArrayList<>();
    for (ApplicationView app : snapshot.applications()) {
      if (application == null || app.name().equals(application)) {
        app.flags().forEach(f -> rows.add(new Row(app.name(), f)));
      }
    }
    table.getColumns().getFirst().setVisible(application == null);
    table.getItems().setAll(rows);
    title.setText(application == null ? "Flags of every application" : "Flags of " + application);
    status.setText(rows.size() + (rows.size() == 1 ? " flag" : " flags") + " at the rendered revision");
    for (Row row : rows) {
      if (row.application().equals(keptApplication) && row.flag().key().equals(keptFlag)) {
        table.getSelectionModel().select(row);
        return;
      }
    }
    if (!rows.isEmpty()) {
      table.getSelectionModel().select(0);
    }
  }
}
