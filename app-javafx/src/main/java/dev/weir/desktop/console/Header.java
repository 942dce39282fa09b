package dev.weir.desktop.console;

import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.HeaderView;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The header: the context switcher, the repository at its branch and revision with the age of the
 * last fetch, stale markers when Git cannot be fetched or the cluster does not answer, the freeze
 * of every application (a button that freezes with a reason and a duration, or unfreezes), and the
 * command palette's button. Everything from {@link HeaderView}. Only used on the JavaFX thread.
 */
final class Header {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final HBox root = new HBox();
  private final ComboBox<String> contexts = new ComboBox<>();
  private final Label repository = new Label();
  private final Label stale = new Label();
  private final Button freeze = new Button("Freeze…");
  private final Label freezeLine = new Label();
  private final ZoneId zone;
  private boolean updating;
  private boolean frozen;

  Header(ZoneId zone, Consumer<String> switchTo, Runnable freezeAll, Runnable unfreezeAll, Runnable palette) {
    this.zone = zone;
    root.getStyleClass().add("header");
    Label brand = new Label("Weir");
    brand.getStyleClass().add("brand");
    contexts.setId("contexts");
    contexts.setTooltip(new Tooltip("the kubeconfig context: choose another to switch (after a preview)"));
    contexts.valueProperty().addListener((o, was, now) -> {
      if (!updating && now != null && was != null && !now.equals(was)) {
        switchTo.accept(now);
      }
    });
    repository.setId("repository");
    repository.getStyleClass().add("muted");
    stale.setId("stale");
    stale.getStyleClass().add("stale");
    stale.setManaged(false);
    freeze.setId("freeze");
    freeze.setOnAction(e -> (frozen ? unfreezeAll : freezeAll).run());
    freezeLine.getStyleClass().add("freeze-on");
    freezeLine.setId("freeze-line");
    Button command = new Button("Ctrl+K");
    command.setId("palette");
    command.setTooltip(Shortcuts.tooltip(ConsoleAction.COMMAND));
    command.setOnAction(e -> palette.run());
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    repository.setMinWidth(0);
    stale.setMinWidth(0);
    freezeLine.setMinWidth(0);
    root.getChildren().addAll(brand, contexts, repository, stale, gap, freezeLine, freeze, command);
  }

  Node node() {
    return root;
  }

  ComboBox<String> contexts() {
    return contexts;
  }

  void update(ConsoleSnapshot snapshot) {
    HeaderView h = snapshot.header();
    updating = true;
    try {
      contexts.getItems().setAll(h.contexts().isEmpty() ? java.util.List.of(h.context()) : h.contexts());
      contexts.setValue(h.context());
    } finally {
      updating = false;
    }
    String where = h.repositoryName().isEmpty() ? "…" : h.repositoryName();
    String branch = h.branch().isEmpty() ? "" : " @ " + h.branch();
    String revision = h.revision().isEmpty() ? "" : " " + h.revision();
    String fetched = h.fetchedAt().map(at -> " · fetched " + ago(at, snapshot.at())).orElse(snapshot.isLoading() ? " · not fetched yet" : "");
    repository.setText(where + branch + revision + fetched);
    repository.setTooltip(new Tooltip(h.repository() + (h.server().isEmpty() ? "" : "\n" + h.server())));
    StringBuilder marks = new StringBuilder();
    h.gitStaleSince().ifPresent(at -> marks.append("⚠ Git stale since ").append(TIME.format(at.atZone(zone))).append(h.gitProblem().isEmpty() ? "" : ": " + h.gitProblem()));
    h.clusterUnreachableSince().ifPresent(at -> marks.append(marks.isEmpty() ? "" : "  ").append("⚠ cluster unreachable since ").append(TIME.format(at.atZone(zone))).append(h.clusterProblem().isEmpty() ? "" : ": " + h.clusterProblem()));
    stale.setText(marks.toString());
    stale.setManaged(!marks.isEmpty());
    stale.setVisible(!marks.isEmpty());
    frozen = h.freeze().isPresent();
    freeze.setText(frozen ? "Unfreeze" : "Freeze…");
    freeze.setTooltip(new Tooltip(frozen ? "end the freeze of every application (after a preview)" : "freeze every application: automated sync and self-heal stop, with a reason and a duration"));
    freezeLine.setText(h.freeze().map(f -> "❄ " + f).orElse(""));
  }

  /** {@code 12 s ago}, {@code 3 min ago}, {@code 2 h ago}. */
  static String ago(Instant at, Instant now) {
    Duration age = Duration.between(at, now);
    if (age.isNegative() || age.toSeconds() < 60) {
      return Math.max(0, age.toSeconds()) + " s ago";
    }
    if (age.toMinutes() < 60) {
      return age.toMinutes() + " min ago";
    }
    return age.toHours() + " h ago";
  }
}
