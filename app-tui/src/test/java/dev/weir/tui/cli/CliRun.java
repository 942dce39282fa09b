package dev.weir.tui.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the weir command line in-process and keeps what it printed, as a user would see it. */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code weir args…} with {@code home} as the home folder and XDG cache and data under it. */
  static CliRun weir(Path home, String... args) {
    return weir(home, Map.of(), args);
  }

  /** Runs {@code weir args…} as {@link #weir(Path, String...)} with more environment variables. */
  static CliRun weir(Path home, Map<String, String> variables, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> all = new HashMap<>(variables);
    all.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    all.put("XDG_DATA_HOME", home.resolve("data").toString());
    var environment = new CliEnvironment(Map.copyOf(all), home);
    // the command line `weir` itself runs: the named subcommand alone, or the whole tree
    var commandLine = WeirCommand.commandLine(environment, args);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
