package dev.weir.tui.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir freeze [APP | --all] --reason TEXT [--for DURATION]}: an incident freeze. */
@Command(
    name = "freeze",
    mixinStandardHelpOptions = true,
    description =
        "Stops automated sync and self-heal of one application (or of every one with --all) for a"
            + " while, recorded in the cluster with the reason and who froze it. A person's weir"
            + " sync still works. The freeze ends by itself after --for, or with weir unfreeze.")
final class FreezeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Parameters(arity = "0..1", paramLabel = "APP", description = "The application.")
  String app;

  @Option(names = "--all", description = "Freeze every application.")
  boolean all;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
  String reason;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      defaultValue = "24h",
      description = "How long, e.g. 30m, 2h, 1h30m, 1d (default: ${DEFAULT-VALUE}).")
  String duration;

  @Override
  public Integer call() {
    String application = IncidentArguments.applicationOrAll(app, all);
    Duration length = IncidentArguments.duration("--for", duration);
    return ConsoleSession.run(
        spec, repo, cluster, session -> session.console.freeze(application, reason, length));
  }
}
