package dev.weir.tui.cli;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleJson;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleText;
import dev.weir.engine.model.SyncStatus;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir diff}: what differs between Git and the cluster, as {@code kubectl diff} shows it.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description =
        "Shows what differs between Git and the cluster: per object the drifted fields (with who"
            + " changed them) and a unified diff (cluster ---, Git +++). Secret values are"
            + " redacted. Exit 0 when in sync, 1 when something differs (as kubectl diff), 3 when"
            + " the cluster cannot be reached.")
final class DiffCommand implements Callable<Integer> {
  enum Format {
    TEXT,
    JSON
  }

  enum Colour {
    AUTO,
    ALWAYS,
    NEVER
  }

  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Option(names = "--app", paramLabel = "NAME", description = "Only this application.")
  String app;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json.")
  Format format;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "auto (default: on a terminal), always or never.")
  Colour colour;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (ConsoleSession session =
        ConsoleSession.open(repo, cluster, "diff", java.util.function.UnaryOperator.identity())) {
      CommandResult refreshed = ConsoleSession.await(session.console.refresh());
      if (refreshed.status() != CommandResult.Status.OK) {
        err.println("weir: " + refreshed.message());
        return ConsoleSession.exitCode(refreshed);
      }
      ConsoleSnapshot snapshot = session.console.snapshot();
      List<ApplicationView> views =
          app == null ? snapshot.applications() : List.of(StatusCommand.view(snapshot, app));
      if (format == Format.JSON) {
        out.print(ConsoleJson.diff(views));
      } else {
        boolean colourOn =
            colour == Colour.ALWAYS || (colour == Colour.AUTO && System.console() != null);
        out.print(ConsoleText.diff(views, ZoneId.systemDefault(), colourOn));
        for (ApplicationView view : views) {
          view.problems().forEach(p -> err.println("weir: " + view.name() + ": " + p));
        }
      }
      out.flush();
      if (views.stream()
          .anyMatch(
              v ->
                  v.sync() == SyncStatus.Unknown && !ConsoleText.clusterReachable(snapshot))) {
        return ExitCodes.UNREACHABLE;
      }
      return ConsoleText.drifted(views) ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }
}
