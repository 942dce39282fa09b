package dev.weir.desktop.rollout;

import dev.weir.engine.console.Preview;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The confirmation over the rollout panel: the engine's {@link Preview} of a command — its title
 * and what it would do, line by line — with the command's button and Cancel. Enter confirms, Esc
 * cancels; a refused preview says why and offers only Close. It lies over the panel inside the
 * window (a modal sheet), so the JavaFX thread never waits in a nested dialog loop.
 */
final class ConfirmSheet extends StackPane {
  private final Label title = new Label();
  private final VBox lines = new VBox(4);
  private final Button ok = new Button();
  private final Button cancel = new Button("Cancel");
  private Runnable onOk = () -> {};
  private Runnable onCancel = () -> {};

  ConfirmSheet() {
    getStyleClass().add("confirm-scrim");
    setId("confirm");
    title.setId("confirm-title");
    title.getStyleClass().add("confirm-title");
    title.setWrapText(true);
    lines.setId("confirm-lines");
    ok.setId("confirm-ok");
    ok.getStyleClass().add("accent");
    cancel.setId("confirm-cancel");
    Region spring = new Region();
    HBox.setHgrow(spring, Priority.ALWAYS);
    HBox buttons = new HBox(8, spring, cancel, ok);
    buttons.setAlignment(Pos.CENTER_RIGHT);
    VBox card = new VBox(10, title, lines, buttons);
    card.getStyleClass().add("confirm-card");
    card.setMaxWidth(560);
    card.setMaxHeight(Region.USE_PREF_SIZE);
    getChildren().add(card);
    setAlignment(Pos.CENTER);
    setVisible(false);
    ok.setOnAction(e -> finish(onOk));
    cancel.setOnAction(e -> finish(onCancel));
    addEventFilter(
        KeyEvent.KEY_PRESSED,
        e -> {
          if (e.getCode() == KeyCode.ESCAPE) {
            e.consume();
            finish(onCancel);
          } else if (e.getCode() == KeyCode.ENTER) {
            e.consume();
            finish(ok.isVisible() ? onOk : onCancel);
          }
        });
  }

  /**
   * Shows {@code preview}; {@code confirmWords} on the button ({@code Abort}). {@code onOk} runs when
   * confirmed (only for a preview that may go ahead), {@code onCancel} otherwise.
   */
  void ask(Preview preview, String confirmWords, Runnable onOk, Runnable onCancel) {
    this.onOk = onOk;
    this.onCancel = onCancel;
    title.setText(preview.title());
    lines.getChildren().clear();
    for (String line : preview.lines()) {
      Label l = new Label(line);
      l.setWrapText(true);
      l.getStyleClass().add(preview.ok() ? "confirm-line" : "confirm-refused");
      lines.getChildren().add(l);
    }
    ok.setText(confirmWords);
    ok.setVisible(preview.ok());
    ok.setManaged(preview.ok());
    cancel.setText(preview.ok() ? "Cancel" : "Close");
    setVisible(true);
    (preview.ok() ? ok : cancel).requestFocus();
  }

  /** Whether it is showing. */
  boolean showing() {
    return isVisible();
  }

  private void finish(Runnable then) {
    setVisible(false);
    onOk = () -> {};
    onCancel = () -> {};
    then.run();
  }
}
