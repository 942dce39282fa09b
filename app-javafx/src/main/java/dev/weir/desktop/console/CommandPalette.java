package dev.weir.desktop.console;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Ctrl+K: every action of the engine's action table (with its shortcut), the views, the
 * applications, the contexts and the themes, found by fuzzy search; Enter runs the first (or the
 * selected) entry, Escape closes. Only used on the JavaFX thread.
 */
final class CommandPalette {
  /**
   * One entry.
   *
   * @param label what it does ({@code Sync}, {@code Open payments})
   * @param shortcut its shortcut, "" when none
   * @param run what it does
   */
  record Entry(String label, String shortcut, Runnable run) {}

  private final Overlays overlays;
  private final Supplier<List<Entry>> entries;
  private final TextField query = new TextField();
  private final ListView<Entry> list = new ListView<>();
  private final VBox card = new VBox(8, query, list);
  private List<Entry> all = List.of();

  CommandPalette(Overlays overlays, Supplier<List<Entry>> entries) {
    this.overlays = overlays;
    this.entries = entries;
    card.getStyleClass().add("palette-card");
    card.setPrefWidth(560);
    query.setId("palette-query");
    query.setPromptText("Type a command, an application, a view…");
    list.setId("palette-list");
    list.setPrefHeight(340);
    list.setFixedCellSize(28);
    list.setCellFactory(l -> new EntryCell());
    query.textProperty().addListener((o, was, now) -> filter(now));
    query.setOnKeyPressed(e -> {
      switch (e.getCode()) {
        case DOWN -> {
          list.getSelectionModel().selectNext();
          e.consume();
        }
        case UP -> {
          list.getSelectionModel().selectPrevious();
          e.consume();
        }
        case ENTER -> {
          runSelected();
          e.consume();
        }
        default -> {}
      }
    });
    list.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ENTER) {
        runSelected();
        e.consume();
      }
    });
    list.setOnMouseClicked(e -> {
      if (e.getClickCount() == 2) {
        runSelected();
      }
    });
  }

  void open() {
    all = entries.get();
    query.clear();
    filter("");
    overlays.show(card, query, () -> {});
  }

  ListView<Entry> list() {
    return list;
  }

  private void filter(String text) {
    record Scored(Entry entry, int score) {}
    list.getItems().setAll(
        all.stream()
            .map(e -> {
              OptionalInt s = Fuzzy.score(text, e.label());
              return s.isPresent() ? new Scored(e, s.getAsInt()) : null;
            })
            .filter(s -> s != null)
            .sorted(Comparator.comparingInt(Scored::score).reversed())
            .map(Scored::entry)
            .toList());
    list.getSelectionModel().selectFirst();
  }

  private void runSelected() {
    Entry entry = list.getSelectionModel().getSelectedItem();
    if (entry != null) {
      overlays.close();
      entry.run().run();
    }
  }

  private static final class EntryCell extends ListCell<Entry> {
    private final Label label = new Label();
    private final Label shortcut = new Label();
    private final Region gap = new Region();
    private final HBox box = new HBox(8, label, gap, shortcut);

    EntryCell() {
      HBox.setHgrow(gap, Priority.ALWAYS);
      shortcut.getStyleClass().add("palette-shortcut");
      box.setAlignment(Pos.CENTER_LEFT);
    }

    @Override
    protected void updateItem(Entry entry, boolean empty) {
      super.updateItem(entry, empty);
      if (empty || entry == null) {
        setGraphic(null);
        return;
      }
      label.setText(entry.label());
      shortcut.setText(entry.shortcut());
      setGraphic(box);
    }
  }
}
