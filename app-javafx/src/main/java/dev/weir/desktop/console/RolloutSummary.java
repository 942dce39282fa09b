package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.RolloutLine;
import dev.weir.engine.console.RolloutPanel;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The rollouts of an application, read-only: per rollout its phase, step, the canary's share as a
 * bar, and its message; the current step's description when the engine's panel has it. What the
 * window shows in its {@link RolloutSlot} until the rollout panel is plugged in; the rollout
 * actions stay in the command palette and their shortcuts. Only used on the JavaFX thread.
 */
final class RolloutSummary implements RolloutSlot {
  private final VBox root = new VBox(6);

  RolloutSummary() {
    root.getStyleClass().addAll("box", "rollout-summary");
    root.setId("rollout-summary");
  }

  @Override
  public Node node() {
    return root;
  }

  @Override
  public void show(ApplicationView application, ConsoleSnapshot snapshot) {
    root.getChildren().clear();
    Label title = new Label("Rollouts (" + application.rolloutLines().size() + ")");
    title.getStyleClass().add("section-title");
    root.getChildren().add(title);
    if (application.rolloutLines().isEmpty()) {
      Label none = new Label("no rollouts: this application's workloads are plain Deployments");
      none.getStyleClass().add("muted");
      root.getChildren().add(none);
      root.setVisible(false);
      root.setManaged(false);
      return;
    }
    root.setVisible(true);
    root.setManaged(true);
    for (RolloutLine r : application.rolloutLines()) {
      Label name = new Label(r.rollout());
      name.getStyleClass().add("app-name");
      Label phase = Badges.badge(r.phase(), Badges.rolloutStyle(r.phase()));
      ProgressBar bar = new ProgressBar(r.weight() / 100.0);
      bar.getStyleClass().add("rollout-bar");
      bar.setPrefWidth(160);
      Label split = new Label("canary " + r.weight() + "% · stable " + (100 - r.weight()) + "% · step " + r.step() + " of " + r.steps());
      split.getStyleClass().add("muted");
      HBox line = new HBox(8, name, phase, bar, split);
      line.setAlignment(Pos.CENTER_LEFT);
      root.getChildren().add(line);
      application.rolloutPanel(r.rollout()).ifPresent(p -> current(p).ifPresent(root.getChildren()::add));
      if (!r.message().isEmpty()) {
        Label message = new Label(r.message());
        message.getStyleClass().add("note");
        root.getChildren().add(message);
      }
    }
  }

  private static java.util.Optional<Label> current(RolloutPanel panel) {
    return panel.steps().stream()
        .filter(s -> s.state() == RolloutPanel.StepState.CURRENT)
        .findFirst()
        .map(s -> {
          Label l = new Label("▶ step " + s.number() + ": " + s.description());
          l.getStyleClass().add("muted");
          return l;
        });
  }
}
