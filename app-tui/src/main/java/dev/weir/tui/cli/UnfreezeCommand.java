package dev.weir.tui.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir unfreeze [APP | --all]}: ends a freeze now. */
@Command(
    name = "unfreeze",
    mixinStandardHelpOptions = true,
    description =
        "Ends the freeze of one application (or, with --all, the freeze of every application) now;"
            + " automated sync and self-heal resume as its policy says.")
final class UnfreezeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Parameters(arity = "0..1", paramLabel = "APP", description = "The application.")
  String app;

  @Option(names = "--all", description = "End the freeze of every application.")
  boolean all;

  @Override
  public Integer call() {
    String application = IncidentArguments.applicationOrAll(app, all);
    return ConsoleSession.run(
        spec, repo, cluster, session -> session.console.unfreeze(application));
  }
}
