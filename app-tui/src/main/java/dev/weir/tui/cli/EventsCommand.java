package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.IncidentTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weir events}: the incident timeline, for a person or a postmortem. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "The incident timeline of the last --since (default 1h), oldest first: commits that touched"
          + " each application in Git, syncs and who started them, drift detected, rollout"
          + " transitions and analysis measurements with their values, commands (freeze, hotfix,"
          + " rollback, promote, abort …). Read back from the cluster (the Kubernetes Events of"
          + " rollouts and the record Weir keeps per application), so it shows what other"
          + " consoles saw too.",
      "",
      "-o markdown is ready to paste into a postmortem: a title, a table of time, application,"
          + " what and who, then the commits and the rollback.",
      "",
      "Exit codes: 0 shown, 2 bad input, 3 cluster unreachable."
    })
final class EventsCommand implements Callable<Integer> {
  enum Format {
    TEXT,
    MARKDOWN,
    JSON
  }

  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Option(names = "--app", paramLabel = "NAME", description = "Only this application's events.")
  String app;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description = "How far back, e.g. 30m, 2h, 1d (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default), markdown or json.")
  Format format;

  @Override
  public Integer call() {
    Duration window = IncidentArguments.duration("--since", since);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
    try (ConsoleSession session = ConsoleSession.open(repo, cluster, environment, "events")) {
      CommandResult refreshed = ConsoleSession.await(session.console.refresh());
      if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
        err.println("weir: " + refreshed.message());
        return ExitCodes.UNREACHABLE;
      }
      Instant now = session.console.snapshot().at();
      if (app != null && session.console.snapshot().application(app).isEmpty()) {
        StatusCommand.view(session.console.snapshot(), app);
      }
      Instant from = now.minus(window);
      IncidentTimeline timeline =
          new IncidentTimeline(
              Optional.ofNullable(app),
              from,
              now,
              session.console.timeline(Optional.ofNullable(app), from));
      out.print(
          switch (format) {
            case TEXT -> timeline.text();
            case MARKDOWN -> timeline.markdown();
            case JSON -> timeline.json();
          });
      out.flush();
      return ExitCodes.OK;
    }
  }
}
