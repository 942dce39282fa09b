package dev.weir.tui.cli;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weir sync}: makes the cluster match Git, one application or all. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Makes the cluster match Git by server-side apply (field manager weir): Namespaces and CRDs"
            + " first, then by weir.dev/sync-wave, then by kind. Prints one line per object. A"
            + " failed or empty render never syncs; objects Weir did not create are never pruned. A"
            + " pinned application syncs to its pin.")
final class SyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Option(
      names = "--app",
      paramLabel = "NAME",
      description = "Only this application (default: every application).")
  String app;

  @Option(
      names = "--dry-run",
      description = "Show the plan, checked by the API server (dryRun=All); change nothing.")
  boolean dryRun;

  @Option(
      names = "--prune",
      description = "Delete objects Weir applied for the application that are no longer in Git.")
  boolean prune;

  @Option(
      names = "--confirm-prune",
      description = "Confirm a prune that deletes more than half of an application's objects.")
  boolean confirmPrune;

  @Option(
      names = "--force-conflicts",
      description =
          "Take fields that other field managers own (as kubectl apply --force-conflicts).")
  boolean force;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (ConsoleSession session = ConsoleSession.open(repo, cluster, environment(), "sync")) {
      CommandResult refreshed = ConsoleSession.await(session.console.refresh());
      if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
        err.println("weir: " + refreshed.message());
        return ExitCodes.UNREACHABLE;
      }
      ConsoleSnapshot snapshot = session.console.snapshot();
      List<ApplicationView> views =
          new ArrayList<>(
              app == null ? snapshot.applications() : List.of(StatusCommand.view(snapshot, app)));
      // applications that create Namespaces go first, so that the others find them
      views.sort(
          Comparator.comparing(
                  (ApplicationView v) ->
                      v.resources().stream()
                          .noneMatch(
                              r -> r.key().group().isEmpty() && r.key().kind().equals("Namespace")))
              .thenComparing(ApplicationView::name));
      int exit = ExitCodes.OK;
      Console.SyncOptions options = new Console.SyncOptions(dryRun, prune, force, confirmPrune);
      for (ApplicationView view : views) {
        CommandResult result = ConsoleSession.await(session.console.sync(view.name(), options));
        result.details().stream()
            .filter(line -> !line.startsWith("skipped ") || !line.endsWith(": in sync"))
            .forEach(line -> out.println("  " + line));
        (result.ok() ? out : err).println((result.ok() ? "" : "weir: ") + result.message());
        exit = Math.max(exit, ConsoleSession.exitCode(result));
      }
      out.flush();
      return exit;
    }
  }

  private CliEnvironment environment() {
    return ((WeirCommand) spec.root().userObject()).environment();
  }
}
