package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleApi;
import dev.weir.themes.Theme;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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
   * Shows {@code console} in a window at once (it may still be opening: the window shows its
   * loading snapshots) and returns when the window is closed. Does not close the console.
   *
   * @return the exit status: 0 when the person closed the window
   */
  int show(ConsoleApi console, Launch launch);
}
