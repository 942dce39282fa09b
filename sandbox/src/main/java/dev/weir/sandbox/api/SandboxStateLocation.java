package dev.weir.sandbox.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the sandbox keeps its state: {@code $XDG_DATA_HOME/weir/sandbox/} when {@code
 * XDG_DATA_HOME} is set to an absolute path, else {@code ~/.local/share/weir/sandbox/}, with the
 * objects in {@code state.json}. The environment and home directory are injectable for tests.
 *
 * @param directory the sandbox's data directory
 */
public record SandboxStateLocation(Path directory) {

  /** The location for the current user's environment. */
  public static SandboxStateLocation forCurrentUser() {
    return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The location for {@code environment} and {@code userHome}. */
  public static SandboxStateLocation resolve(Map<String, String> environment, Path userHome) {
    String xdg = environment.get("XDG_DATA_HOME");
    Path base;
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      base = Path.of(xdg);
    } else {
      base = userHome.resolve(".local").resolve("share");
    }
    return new SandboxStateLocation(base.resolve("weir").resolve("sandbox"));
  }

  /** {@code state.json} in the directory. */
  public Path stateFile() {
    return directory.resolve("state.json");
  }
}
