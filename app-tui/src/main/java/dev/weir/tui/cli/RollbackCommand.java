package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Preview;
import dev.weir.engine.console.RepositoryConsole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir rollback APP --to REV}: restores the application's path to a revision as a new commit
 * on top of the branch (history is never rewritten), authored by the user, and pushes it. Prints
 * the engine's preview first: the exact commit message, the branch, the push and the sync.
 */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Restores an application's path to revision REV as a new commit on top of the branch, authored with your"
            + " git identity and naming the reason, then pushes it. A revision at which the application does not"
            + " render is refused. When the push is impossible the commit stays in the local clone and this says so."
            + " With --sandbox or --kubeconfig the cluster is synced too, and it stays rolled back: when the commit"
            + " cannot be pushed, the cluster is synced to REV and the application pinned there (automated sync and"
            + " self-heal hold to the pin) until Git catches up. Prints what it will do first (the commit message,"
            + " the branch, the push and the sync); --preview prints only that.")
final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "APP", description = "The application.")
  String app;

  @Option(names = "--to", required = true, paramLabel = "REV", description = "The revision to restore (sha, tag, branch).")
  String to;

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "rolled back with weir rollback",
      description = "Why; goes into the commit message (default: ${DEFAULT-VALUE}).")
  String reason;

  @Option(names = "--no-push", description = "Commit in the local clone only.")
  boolean noPush;

  @Option(names = "--preview", description = "Print what the rollback would do and change nothing.")
  boolean previewOnly;

  @Override
  public Integer call() {
    if (cluster.target != null) {
      return ConsoleSession.run(
          spec,
          repo,
          cluster,
          session -> session.console.previewRollback(app, to, reason, !noPush),
          session ->
              session
                  .console
                  .rollback(app, to, reason, !noPush)
                  .thenApply(
                      result ->
                          new CommandResult(
                              result.status(),
                              result.message(),
                              result.details().stream()
                                  .filter(line -> !line.endsWith(": in sync"))
                                  .toList())),
          previewOnly);
    }
    try (RepositoryConsole console = RepositoryConsole.open(repo.open())) {
      Preview preview = console.previewRollback(app, to, reason, !noPush).join();
      CommandResult refused = ConsoleSession.print(spec, preview);
      CommandResult result =
          refused != null
              ? refused
              : previewOnly
                  ? CommandResult.ok("nothing changed: a preview only")
                  : console.rollback(app, to, reason, !noPush).join();
      ConsoleSession.print(spec, result);
      return ConsoleSession.exitCode(result);
    }
  }
}
