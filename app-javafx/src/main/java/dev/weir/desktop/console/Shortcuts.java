package dev.weir.desktop.console;

import dev.weir.engine.console.ConsoleAction;
import java.util.Optional;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;

/**
 * The desktop shortcut of each {@link ConsoleAction}, read from the engine's action table
 * ({@link ConsoleAction#shortcut()}, e.g. {@code Ctrl+Shift+S}), as JavaFX key combinations and
 * tooltips. Stateless.
 */
final class Shortcuts {
  private Shortcuts() {}

  /**
   * The key combination of {@code action}; empty for Enter and Escape, which the focused list or
   * the open overlay handles.
   */
  static Optional<KeyCombination> of(ConsoleAction action) {
    String shortcut = action.shortcut();
    if (shortcut.equals("Enter") || shortcut.equals("Escape")) {
      return Optional.empty();
    }
    return Optional.of(KeyCombination.keyCombination(shortcut.replace("Escape", "Esc")));
  }

  /** {@code sync (Ctrl+S)}: what a button's tooltip says. */
  static String tip(ConsoleAction action) {
    return action.words() + " (" + action.shortcut() + ")";
  }

  static Tooltip tooltip(ConsoleAction action) {
    return new Tooltip(tip(action));
  }
}
