package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.weir.engine.console.ConsoleAction;
import java.util.Optional;

/** Key strokes written as {@link ConsoleAction#key()} writes them. */
public final class Keys {
  private Keys() {}

  /** {@code a}, {@code P}, {@code enter}, {@code esc}, {@code space}, {@code ctrl+r}, {@code up}… */
  public static String name(KeyStroke key) {
    KeyType type = key.getKeyType();
    if (type == KeyType.Character) {
      char c = key.getCharacter();
      if (c == ' ') {
        return "space";
      }
      String name = String.valueOf(c);
      if (key.isCtrlDown()) {
        return "ctrl+" + name.toLowerCase(java.util.Locale.ROOT);
      }
      if (key.isAltDown()) {
        return "alt+" + name;
      }
      return name;
    }
    String name =
        switch (type) {
          case Enter -> "enter";
          case Escape -> "esc";
          case Tab -> "tab";
          case ReverseTab -> "shift+tab";
          case Backspace -> "backspace";
          case ArrowUp -> "up";
          case ArrowDown -> "down";
          case ArrowLeft -> "left";
          case ArrowRight -> "right";
          case PageUp -> "pgup";
          case PageDown -> "pgdn";
          case Home -> "home";
          case End -> "end";
          case Delete -> "delete";
          default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    if (key.isShiftDown()) {
      return "shift+" + name;
    }
    return key.isCtrlDown() ? "ctrl+" + name : name;
  }

  /** The action of {@code view}'s table that {@code key} stands for, if any. */
  public static Optional<ConsoleAction> action(KeyStroke key, Iterable<ConsoleAction> actions) {
    String name = name(key);
    for (ConsoleAction action : actions) {
      if (action.key().equals(name)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code key} moves a selection up: {@code k} or ↑. */
  public static boolean up(KeyStroke key) {
    String name = name(key);
    return name.equals("k") || name.equals("up");
  }

  /** Whether {@code key} moves a selection down: {@code j} or ↓. */
  public static boolean down(KeyStroke key) {
    String name = name(key);
    return name.equals("j") || name.equals("down");
  }
}
