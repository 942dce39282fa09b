package dev.weir.tui.cli;

import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir rollback APP --to REV}: restores the application's path to a revision as a new commit
 * on top of the branch (history is never rewritten), authored by the user, and pushes it.
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
            + " self-heal hold to the pin) until Git catches up.")
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

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    if (cluster.target != null) {
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      try (ConsoleSession session = ConsoleSession.open(repo, cluster, environment, "rollback")) {
        var result = ConsoleSession.await(session.console.rollback(app, to, reason, !noPush));
        result.details().stream().filter(line -> !line.endsWith(": in sync")).forEach(line -> out.println("  " + line));
        (result.ok() ? out : spec.commandLine().getErr()).println((result.ok() ? "" : "weir: ") + result.message());
        out.flush();
        return ConsoleSession.exitCode(result);
      }
    }
    try (GitSource source = repo.open()) {
      RenderedApplication current = RepoOptions.application(RepoOptions.renderHead(source), app);
      RepositoryRender target = new Renderer().render(source.tree(to));
      RenderedApplication then = target.application(app).orElseThrow(() -> new CommandException(ExitCodes.BAD_INPUT,
          "application '" + app + "' does not exist at " + to + "; nothing to restore"));
      if (then.latest() instanceof RenderResult.Failed failed) {
        throw new CommandException(ExitCodes.BAD_INPUT, app + " does not render at " + to + " ("
            + failed.problems().getFirst() + "); refusing to roll back to it");
      }
      WriteResult result =
          source.writer().restorePath(app, current.application().path(), to, reason, !noPush);
      out.println(result.message());
      return switch (result.outcome()) {
        case PUSHED, NO_CHANGE -> ExitCodes.OK;
        case COMMITTED_LOCALLY ->
            noPush ? ExitCodes.OK : result.pushError().map(RepoOptions::exitCode).orElse(ExitCodes.FAILED);
      };
    }
  }
}
