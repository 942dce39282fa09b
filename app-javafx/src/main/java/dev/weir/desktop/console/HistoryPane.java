package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationHistory;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleView;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The commits that touched the application, newest first, read through the façade off the JavaFX
 * thread; the selected one can be rolled back to in one click (after the engine's preview: the
 * exact commit, the branch, the push, the sync and, for a rollout, traffic to stable at once) or
 * compared with the current revision. Only used on the JavaFX thread.
 */
final class HistoryPane {
  /** How many commits are read. */
  static final int MAX = 50;

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final VBox root = new VBox(8);
  private final Label title = new Label("History");
  private final Label status = new Label();
  private final ListView<ApplicationHistory.Commit> commits = new ListView<>();
  private final ConsoleApi console;
  private final ZoneId zone;
  private String application;
  private long asked;

  HistoryPane(ConsoleApi console, ZoneId zone, Consumer<ConsoleAction> act) {
    this.console = console;
    this.zone = zone;
    root.getStyleClass().add("pane-body");
    title.getStyleClass().add("title");
    status.getStyleClass().add("muted");
    status.setId("history-status");
    commits.setId("commits");
    commits.setCellFactory(l -> new CommitCell());
    commits.setFixedCellSize(44);
    commits.setOnMouseClicked(e -> {
      if (e.getClickCount() == 2) {
        act.accept(ConsoleAction.DIFF);
      }
    });
    HBox bar = new HBox(6);
    bar.getStyleClass().add("action-bar");
    for (ConsoleAction action : ConsoleView.HISTORY.actions()) {
      if (action == ConsoleAction.BACK || action == ConsoleAction.HELP) {
        continue;
      }
      String words = action == ConsoleAction.ROLLBACK ? "Roll back to this commit" : action == ConsoleAction.DIFF ? "Diff with the current revision" : action.words();
      Button button = new Button(words);
      button.setId("history-" + action.name().toLowerCase(Locale.ROOT));
      button.setTooltip(Shortcuts.tooltip(action));
      button.setOnAction(e -> act.accept(action));
      if (action == ConsoleAction.ROLLBACK) {
        button.getStyleClass().add("danger-action");
      }
      bar.getChildren().add(button);
    }
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox head = new HBox(8, title, gap, status);
    head.setAlignment(Pos.CENTER_LEFT);
    VBox.setVgrow(commits, Priority.ALWAYS);
    root.getChildren().addAll(head, bar, commits);
  }

  Node node() {
    return root;
  }

  ListView<ApplicationHistory.Commit> commits() {
    return commits;
  }

  Optional<ApplicationHistory.Commit> selected() {
    return Optional.ofNullable(commits.getSelectionModel().getSelectedItem());
  }

  String application() {
    return application;
  }

  /** Reads {@code application}'s history (again); the answer arrives later, on the JavaFX thread. */
  void load(String application) {
    this.application = application;
    title.setText("History of " + application);
    status.setText("reading the commits…");
    long ask = ++asked;
    console
        .history(application, MAX)
        .whenComplete(
            (history, failure) ->
                Platform.runLater(
                    () -> {
                      if (ask != asked) {
                        return; // another application was chosen meanwhile
                      }
                      if (failure != null || !history.ok()) {
                        commits.getItems().clear();
                        status.setText(failure != null ? "could not read the history: " + failure.getMessage() : history.message());
                        return;
                      }
                      String kept = selected().map(ApplicationHistory.Commit::sha).orElse(null);
                      commits.getItems().setAll(history.commits());
                      history.commits().stream().filter(c -> c.sha().equals(kept)).findFirst()
                          .ifPresentOrElse(commits.getSelectionModel()::select, () -> {
                            if (history.commits().size() > 1) {
                              commits.getSelectionModel().select(1); // the revision before the current one
                            }
                          });
                      status.setText(history.message());
                    }));
  }

  /** A commit: short sha and subject, then author and date. */
  private final class CommitCell extends ListCell<ApplicationHistory.Commit> {
    private final Label sha = new Label();
    private final Label subject = new Label();
    private final Label who = new Label();
    private final VBox box = new VBox(2, new HBox(8, sha, subject), who);

    CommitCell() {
      sha.getStyleClass().add("key");
      subject.getStyleClass().add("app-name");
      who.getStyleClass().add("muted");
    }

    @Override
    protected void updateItem(ApplicationHistory.Commit c, boolean empty) {
      super.updateItem(c, empty);
      if (empty || c == null) {
        setGraphic(null);
        return;
      }
      sha.setText(c.shortSha());
      subject.setText(c.subject());
      who.setText(c.author() + " <" + c.email() + "> · " + WHEN.format(c.date().atZone(zone)));
      setGraphic(box);
    }
  }
}
