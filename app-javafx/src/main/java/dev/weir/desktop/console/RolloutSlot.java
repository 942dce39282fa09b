package dev.weir.desktop.console;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleSnapshot;
import java.util.function.Function;
import javafx.scene.Node;

/**
 * The place in the application pane where the rollout panel goes: the window asks it for its node
 * once and hands it the selected application with every snapshot (on the JavaFX thread). The
 * rollout panel (package {@code dev.weir.desktop.rollout}, built beside this window) plugs in
 * through a {@link Function}{@code <ConsoleApi, RolloutSlot>} given to {@link DesktopConsole};
 * until then {@link RolloutSummary} shows the rollouts read-only.
 */
public interface RolloutSlot {

  /** The node shown under the application's resources and drift; asked for once. */
  Node node();

  /**
   * Shows {@code application}'s rollouts as of {@code snapshot}; called with every snapshot while
   * the application is selected, and when another one is selected.
   */
  void show(ApplicationView application, ConsoleSnapshot snapshot);

  /** The read-only summary, for a window without the rollout panel. */
  static Function<ConsoleApi, RolloutSlot> summary() {
    return console -> new RolloutSummary();
  }
}
