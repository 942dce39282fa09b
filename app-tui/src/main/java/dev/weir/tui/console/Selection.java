package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import java.util.List;
import java.util.Optional;

/**
 * A list page's cursor: which row is selected and which is at the top, kept by key (an application
 * name) so that the selection stays on the same item when snapshots reorder the list.
 */
final class Selection {
  private String key = "";
  private int top;

  /** The index of the selected key in {@code keys}, or the nearest valid row. */
  int index(List<String> keys) {
    int found = keys.indexOf(key);
    if (found >= 0) {
      return found;
    }
    return keys.isEmpty() ? -1 : 0;
  }

  Optional<String> selected(List<String> keys) {
    int index = index(keys);
    return index < 0 ? Optional.empty() : Optional.of(keys.get(index));
  }

  void select(String value) {
    key = value;
  }

  /** Moves on j/k/↑/↓/Home/End/PgUp/PgDn; true when the key was one of those. */
  boolean move(KeyStroke stroke, List<String> keys, int visibleRows) {
    if (keys.isEmpty()) {
      return Keys.up(stroke) || Keys.down(stroke);
    }
    int index = Math.max(0, index(keys));
    String name = Keys.name(stroke);
    int next;
    if (Keys.up(stroke)) {
      next = index - 1;
    } else if (Keys.down(stroke)) {
      next = index + 1;
    } else if (name.equals("home") || name.equals("g")) {
      next = 0;
    } else if (name.equals("end") || name.equals("G")) {
      next = keys.size() - 1;
    } else if (name.equals("pgup")) {
      next = index - Math.max(1, visibleRows);
    } else if (name.equals("pgdn")) {
      next = index + Math.max(1, visibleRows);
    } else {
      return false;
    }
    key = keys.get(Math.max(0, Math.min(keys.size() - 1, next)));
    return true;
  }

  /** The first row to draw so that the selected one is visible in {@code rows} rows. */
  int top(List<String> keys, int rows) {
    int index = Math.max(0, index(keys));
    if (index < top) {
      top = index;
    } else if (index >= top + rows) {
      top = index - rows + 1;
    }
    top = Math.max(0, Math.min(top, Math.max(0, keys.size() - rows)));
    return top;
  }
}
