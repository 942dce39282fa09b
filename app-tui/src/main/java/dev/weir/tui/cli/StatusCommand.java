package dev.weir.tui.cli;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleJson;
import dev.weir.engine.console.ConsoleSnapshot;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weir status}: every application's sync and health, with freezes, pins and hotfixes. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows every application's sync (Synced, OutOfSync, Unknown) and health (Healthy,"
            + " Progressing, Degraded, Suspended, Missing, Unknown), its revision and one line on"
            + " what stands out: drift, freezes, pins, hotfixes, who holds its Lease.")
final class StatusCommand implements Callable<Integer> {
  enum Format {
    TABLE,
    JSON
  }

  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default) or json.")
  Format format;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (ConsoleSession session = ConsoleSession.open(repo, cluster, environment(), "status")) {
      CommandResult refreshed = ConsoleSession.await(session.console.refresh());
      ConsoleSnapshot snapshot = session.console.snapshot();
      if (format == Format.JSON) {
        out.print(ConsoleJson.status(snapshot));
      } else {
        out.print(table(snapshot));
      }
      out.flush();
      if (refreshed.status() != CommandResult.Status.OK) {
        err.println("weir: " + refreshed.message());
        return ConsoleSession.exitCode(refreshed);
      }
      return ExitCodes.OK;
    }
  }

  static String table(ConsoleSnapshot snapshot) {
    int nameWidth =
        Math.max(
            4, snapshot.applications().stream().mapToInt(a -> a.name().length()).max().orElse(4));
    String row = "%-" + nameWidth + "s  %-9s  %-11s  %-7s  %s%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(row, "NAME", "SYNC", "HEALTH", "REV", "MESSAGE"));
    for (ApplicationView view : snapshot.applications()) {
      String summary = view.summary();
      int colon = summary.indexOf(": ");
      String message = colon < 0 ? "" : summary.substring(colon + 2);
      out.append(
          String.format(
              row,
              view.name(),
              view.sync(),
              view.health().status(),
              view.revision().substring(0, Math.min(7, view.revision().length())),
              message));
    }
    if (!snapshot.cluster().isReachable()) {
      out.append(snapshot.cluster().describe(snapshot.at())).append('\n');
    }
    return out.toString();
  }

  static ApplicationView view(ConsoleSnapshot snapshot, String name) {
    return snapshot
        .application(name)
        .orElseThrow(
            () ->
                new CommandException(
                    ExitCodes.BAD_INPUT,
                    "no application named '"
                        + name
                        + "'; known: "
                        + String.join(
                            ", ",
                            snapshot.applications().stream().map(ApplicationView::name).toList())));
  }

  private CliEnvironment environment() {
    return ((WeirCommand) spec.root().userObject()).environment();
  }
}
