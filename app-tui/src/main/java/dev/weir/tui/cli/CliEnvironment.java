package dev.weir.tui.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the command line reads from the process around it: environment variables and the home
 * folder. Injected so that tests run commands against their own cache and data folders.
 */
record CliEnvironment(Map<String, String> variables, Path home) {

  CliEnvironment {
    variables = Map.copyOf(variables);
  }

  static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }
}
