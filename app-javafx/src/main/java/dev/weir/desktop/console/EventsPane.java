package dev.weir.desktop.console;

import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.IncidentTimeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The incident timeline of the last hour (of the selected application, or of all), oldest first,
 * read through the façade off the JavaFX thread ({@link ConsoleApi#timeline} may read the
 * cluster); the filter narrows it, and its Markdown, the same text as {@code weir events -o
 * markdown} ({@link IncidentTimeline#markdown()}), is copied to the clipboard or saved to a file.
 * Only used on the JavaFX thread.
 */
final class EventsPane {
  /** The window, as {@code weir events}' default {@code --since}. */
  static final Duration WINDOW = Duration.ofHours(1);

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final Executor READS = Executors.newVirtualThreadPerTaskExecutor();

  private final VBox root = new VBox(8);
  private final Label title = new Label("Events");
  private final Label status = new Label();
  private final TextField filter = new TextField();
  private final ListView<ConsoleEvent> events = new ListView<>();
  private final ConsoleApi console;
  private final ZoneId zone;
  private final Overlays overlays;
  private Optional<String> application = Optional.empty();
  private Instant from = Instant.EPOCH;
  private Instant to = Instant.EPOCH;
  private List<ConsoleEvent> read = List.of();
  private long asked;

  EventsPane(ConsoleApi console, ZoneId zone, Overlays overlays, Runnable save) {
    this.console = console;
    this.zone = zone;
    this.overlays = overlays;
    root.getStyleClass().add("pane-body");
    title.getStyleClass().add("title");
    status.getStyleClass().add("muted");
    filter.setPromptText("Filter events (Ctrl+F)");
    filter.setId("events-filter");
    filter.textProperty().addListener((o, was, now) -> draw());
    events.setId("events");
    events.setCellFactory(l -> new EventCell());
    events.setFixedCellSize(26);
    Button copy = new Button("Copy Markdown");
    copy.setId("events-copy");
    copy.setTooltip(Shortcuts.tooltip(ConsoleAction.EXPORT));
    copy.setOnAction(e -> copy());
    Button saveButton = new Button("Save Markdown…");
    saveButton.setId("events-save");
    saveButton.setTooltip(new javafx.scene.control.Tooltip("save the weir events -o markdown text to a file"));
    saveButton.setOnAction(e -> save.run());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox head = new HBox(8, title, gap, status);
    head.setAlignment(Pos.CENTER_LEFT);
    HBox bar = new HBox(6, filter, copy, saveButton);
    bar.getStyleClass().add("action-bar");
    HBox.setHgrow(filter, Priority.ALWAYS);
    VBox.setVgrow(events, Priority.ALWAYS);
    root.getChildren().addAll(head, bar, events);
  }

  Node node() {
    return root;
  }

  TextField filter() {
    return filter;
  }

  ListView<ConsoleEvent> events() {
    return events;
  }

  /** Reads the timeline of the hour before {@code now} of {@code application} (empty: all). */
  void load(Optional<String> application, Instant now) {
    this.application = application;
    title.setText("Events of " + application.orElse("every application"));
    status.setText("reading the timeline…");
    long ask = ++asked;
    Instant since = now.minus(WINDOW);
    CompletableFuture.supplyAsync(() -> console.timeline(application, since), READS)
        .whenComplete(
            (list, failure) ->
                Platform.runLater(
                    () -> {
                      if (ask != asked) {
                        return;
                      }
                      if (failure != null) {
                        status.setText("could not read the timeline: " + failure.getMessage());
                        return;
                      }
                      from = since;
                      to = now;
                      read = list;
                      status.setText(list.size() + " event" + (list.size() == 1 ? "" : "s") + " in the last " + WINDOW.toHours() + "h (UTC in the export)");
                      draw();
                    }));
  }

  private List<ConsoleEvent> shown() {
    String wanted = filter.getText() == null ? "" : filter.getText().strip().toLowerCase(Locale.ROOT);
    return read.stream()
        .filter(e -> wanted.isEmpty()
            || (e.application() + " " + e.message() + " " + e.who() + " " + e.kind()).toLowerCase(Locale.ROOT).contains(wanted))
        .toList();
  }

  private void draw() {
    events.getItems().setAll(shown());
  }

  /** The timeline shown (filtered), as {@code weir events} builds it. */
  IncidentTimeline timeline() {
    return new IncidentTimeline(application, from, to, shown());
  }

  /** Copies the Markdown to the clipboard. */
  void copy() {
    ClipboardContent content = new ClipboardContent();
    content.putString(timeline().markdown());
    Clipboard.getSystemClipboard().setContent(content);
    overlays.toast("✔ the timeline's Markdown is on the clipboard (" + timeline().events().size() + " events)", "success");
  }

  /** Writes the Markdown to {@code file}. */
  void save(Path file) {
    try {
      Files.writeString(file, timeline().markdown(), StandardCharsets.UTF_8);
      overlays.toast("✔ saved the timeline to " + file, "success");
    } catch (IOException e) {
      overlays.toast("✖ could not save the timeline to " + file + ": " + e.getMessage(), "danger");
    }
  }

  /** An event: time, severity, application, who and what. */
  private final class EventCell extends ListCell<ConsoleEvent> {
    @Override
    protected void updateItem(ConsoleEvent e, boolean empty) {
      super.updateItem(e, empty);
      getStyleClass().removeAll("text-danger", "text-warning", "text-info");
      if (empty || e == null) {
        setText(null);
        return;
      }
      setText(TIME.format(e.at().atZone(zone)) + "  " + Badges.icon(e.severity()) + "  "
          + (e.application().isEmpty() ? "—" : e.application()) + "  " + e.message()
          + (e.who().isEmpty() ? "" : "  (" + e.who() + ")"));
      if (e.severity() != dev.weir.engine.console.Severity.INFO) {
        getStyleClass().add("text-" + Badges.style(e.severity()));
      }
    }
  }
}
