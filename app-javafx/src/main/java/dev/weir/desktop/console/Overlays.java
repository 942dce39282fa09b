package dev.weir.desktop.console;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Preview;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * What the console draws above its views, inside the window: one modal card at a time (a
 * confirmation with the engine's preview, a form, the command palette, help) over a scrim, and the
 * notification toasts in the bottom right corner. In-window rather than separate stages, so that a
 * confirmation never hides behind the window and tests and screenshots see it in the scene. Only
 * used on the JavaFX thread.
 */
final class Overlays {
  /** How long a toast stays. */
  static final Duration TOAST_FOR = Duration.ofSeconds(8);

  private final StackPane layer = new StackPane();
  private final StackPane modal = new StackPane();
  private final VBox toasts = new VBox(8);
  private Runnable onClose = () -> {};

  Overlays() {
    layer.setPickOnBounds(false);
    modal.getStyleClass().add("scrim");
    modal.setVisible(false);
    modal.setOnMouseClicked(e -> {
      if (e.getTarget() == modal) {
        close();
      }
    });
    modal.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ESCAPE) {
        close();
        e.consume();
      }
    });
    toasts.setAlignment(Pos.BOTTOM_RIGHT);
    toasts.setPickOnBounds(false);
    toasts.setMaxWidth(420);
    toasts.setPadding(new Insets(12));
    StackPane.setAlignment(toasts, Pos.BOTTOM_RIGHT);
    layer.getChildren().addAll(modal, toasts);
  }

  Node node() {
    return layer;
  }

  boolean open() {
    return modal.isVisible();
  }

  /** Shows {@code card} centred over a scrim; {@code onClose} runs when it closes. */
  void show(Region card, Node focus, Runnable onClose) {
    close();
    this.onClose = onClose;
    card.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    StackPane.setAlignment(card, Pos.CENTER);
    modal.getChildren().setAll(card);
    modal.setVisible(true);
    if (focus != null) {
      Platform.runLater(focus::requestFocus);
    }
  }

  void close() {
    if (modal.isVisible()) {
      modal.setVisible(false);
      modal.getChildren().clear();
      Runnable then = onClose;
      onClose = () -> {};
      then.run();
    }
  }

  /**
   * Asks before a command that changes something: the card shows "asking the engine…", then the
   * engine's preview (its title and lines, or why it would be refused); Enter or the button runs
   * {@code command}, Escape cancels. The preview is computed off the JavaFX thread (a future);
   * nothing is sent until the person confirms. The result ends in a toast.
   */
  void confirm(
      String title,
      Supplier<CompletableFuture<Preview>> preview,
      Supplier<CompletableFuture<CommandResult>> command,
      String doing,
      Consumer<CommandResult> done) {
    VBox card = new VBox();
    card.getStyleClass().add("dialog-card");
    card.setPrefWidth(620);
    Label heading = new Label(title);
    heading.getStyleClass().add("dialog-title");
    heading.setWrapText(true);
    VBox lines = new VBox(4);
    Label asking = new Label("asking the engine what this would do…");
    asking.getStyleClass().add("muted");
    lines.getChildren().add(asking);
    Button cancel = new Button("Cancel (Esc)");
    cancel.setCancelButton(true);
    cancel.setOnAction(e -> close());
    Button go = new Button("Confirm (Enter)");
    go.setId("confirm");
    go.setDefaultButton(true);
    go.setDisable(true);
    go.getStyleClass().add("accent");
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    HBox buttons = new HBox(8, gap, cancel, go);
    card.getChildren().addAll(heading, lines, buttons);
    card.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ENTER && !go.isDisabled()) {
        go.fire();
        e.consume();
      }
    });
    show(card, cancel, () -> {});
    preview
        .get()
        .whenComplete(
            (p, failure) ->
                Platform.runLater(
                    () -> {
                      if (!modal.getChildren().contains(card)) {
                        return; // cancelled meanwhile
                      }
                      lines.getChildren().clear();
                      if (failure != null) {
                        lines.getChildren().add(line("the preview failed: " + failure.getMessage(), true));
                        return;
                      }
                      heading.setText(p.title());
                      p.lines().forEach(l -> lines.getChildren().add(line(l, !p.ok())));
                      if (p.ok()) {
                        go.setDisable(false);
                        go.requestFocus();
                      }
                    }));
    go.setOnAction(
        e -> {
          close();
          toast(doing + "…", "info");
          command
              .get()
              .whenComplete(
                  (result, failure) ->
                      Platform.runLater(
                          () -> {
                            CommandResult shown =
                                failure != null
                                    ? CommandResult.of(CommandResult.Status.FAILED, String.valueOf(failure.getMessage()))
                                    : result;
                            toast(shown);
                            done.accept(shown);
                          }));
        });
  }

  private static Label line(String text, boolean refused) {
    Label label = new Label(text);
    label.getStyleClass().add(refused ? "preview-refused" : "preview-line");
    label.setMaxWidth(588);
    return label;
  }

  /** A toast with the command's result: ✔ and its message, or ✖ and why. */
  void toast(CommandResult result) {
    StringBuilder text = new StringBuilder((result.ok() ? "✔ " : "✖ ") + result.message());
    List<String> details = result.details();
    details.stream().limit(4).forEach(d -> text.append('\n').append("  ").append(d));
    if (details.size() > 4) {
      text.append("\n  … ").append(details.size() - 4).append(" more");
    }
    toast(text.toString(), result.ok() ? "success" : "danger");
  }

  /** A notification in the window's corner, gone after {@link #TOAST_FOR} or a click. */
  void toast(String text, String style) {
    Label label = new Label(text);
    label.setWrapText(true);
    label.setMaxWidth(380);
    StackPane toast = new StackPane(label);
    toast.getStyleClass().addAll("toast", style);
    toast.setMaxWidth(400);
    toast.setOnMouseClicked(e -> toasts.getChildren().remove(toast));
    toasts.getChildren().add(toast);
    if (toasts.getChildren().size() > 4) {
      toasts.getChildren().removeFirst();
    }
    PauseTransition later = new PauseTransition(javafx.util.Duration.millis(TOAST_FOR.toMillis()));
    later.setOnFinished(e -> toasts.getChildren().remove(toast));
    later.play();
  }

  /** The toasts shown now, their text. */
  List<String> toastTexts() {
    return toasts.getChildren().stream()
        .map(n -> ((Label) ((StackPane) n).getChildren().getFirst()).getText())
        .toList();
  }
}
