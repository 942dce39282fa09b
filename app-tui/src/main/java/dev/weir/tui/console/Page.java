package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.tui.screen.Painter;
import java.util.Optional;

/**
 * One screen of the terminal console: a function of the latest snapshot and its own state
 * (selection, scroll, filter). It keeps no copy of engine state. The {@link Shell} draws the
 * header, footer and status line around it and routes keys: first to the page, then its own.
 *
 * <p>Called on the UI thread only.
 */
public interface Page {

  /** Which view this is: its title, its {@code :} command and its actions. */
  ConsoleView view();

  /** What the header's breadcrumb shows after {@code weir ›} ({@code checkout › rollout}). */
  String breadcrumb();

  /** Draws the page's body into {@code painter}'s region. */
  void draw(Painter painter, ConsoleSnapshot snapshot);

  /**
   * Answers a key the shell does not take first (everything but {@code :}, {@code ?}, Ctrl+C and
   * the prompts). Returns whether the page used it.
   */
  boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell);

  /**
   * Runs one of the view's actions on the current selection; false when it does not apply here
   * (nothing selected, not a rollout). Dangerous actions go through {@link Shell#confirm}.
   */
  boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell);

  /** The application this page is about or has selected, for {@code :history} and friends. */
  default Optional<String> application(ConsoleSnapshot snapshot) {
    return Optional.empty();
  }

  /**
   * A newer snapshot arrived while this page is on top, or the page came back on top ({@code
   * esc}): a page whose content is not in the snapshot (the timeline) fetches it again here, off
   * the UI thread ({@link Shell#background}).
   */
  default void shown(ConsoleSnapshot snapshot, Shell shell) {}

  /** Applies a {@code /} filter (empty: none). */
  default void filter(String text) {}

  /** The filter in force, shown in the header of the page. */
  default String filter() {
    return "";
  }
}
