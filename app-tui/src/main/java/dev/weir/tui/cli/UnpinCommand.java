package dev.weir.tui.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir unpin APP}: the application follows Git's head again. */
@Command(
    name = "unpin",
    mixinStandardHelpOptions = true,
    description =
        "Ends the pin that a rollback which could not be pushed left: the application follows Git's"
            + " head again (automated sync and self-heal resume towards it).")
final class UnpinCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "APP", description = "The application.")
  String app;

  @Override
  public Integer call() {
    return ConsoleSession.run(spec, repo, cluster, session -> session.console.unpin(app));
  }
}
