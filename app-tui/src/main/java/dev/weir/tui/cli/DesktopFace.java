package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleApi;
import dev.weir.themes.Theme;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The desktop console as {@code weir desktop} reaches it: found with {@link java.util.ServiceLoader}
 * on the class path, so that the command line (this module) does not depend on JavaFX, and a
 * {@code weir} built without the desktop says so instead of failing to link
 * (docs/decisions/0021-desktop-console.md). The desktop module ({@code app-javafx}) provides it.
 */
public interface DesktopFace {

  /**
   * What the window is opened with.
   *
   * @param theme the theme {@code --theme} asked for; empty: the remembered one, else the default
   * @param variables the process environment ({@code XDG_CONFIG_HOME} for the remembered window)
   * @param home the user's home folder
   */
  record Launch(Optional<Theme> theme, Map<String, String> variables, Path home) {
    public Launch {
      variables = Map.copyOf(variables);
    }
  }

  /**
   * Shows a window at once, marked loading, then calls {@code open} (once, when the window is on
   * screen; it returns at once with a console that is still opening, whose loading snapshots the
   * window shows) and returns when the window is closed. Opening after the window shows keeps the
   * sandbox's start (and the class loading it does) from delaying the first window. Does not close
   * the console.
   *
   * @return the exit status: 0 when the person closed the window
   */
  int show(Supplier<ConsoleApi> open, Launch launch);

  /**
   * Starts what {@link #show} needs before it can open any window (JavaFX's toolkit: a second of
   * CPU) on the calling thread, so that the entry point can start it on a thread of its own while
   * the command line is still being read; {@code show} then finds it started, or waits for it, or
   * reports why it could not start. Does nothing by default.
   */
  default void prepare() {}
}
