package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.Preview;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir sync}: makes the cluster match Git, one application or all (in the engine's order).
 * Prints the engine's preview (the plan) first, then what was done.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Makes the cluster match Git by server-side apply (field manager weir): Namespaces and CRDs"
            + " first, then by weir.dev/sync-wave, then by kind. Prints the plan, then one line per"
            + " object. A failed or empty render never syncs; objects Weir did not create are never"
            + " pruned. A pinned application syncs to its pin. Every application (--all, the"
            + " default) syncs in order: those that create Namespaces first.")
final class SyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Option(
      names = "--app",
      paramLabel = "NAME",
      description = "Only this application (default: every application).")
  String app;

  @Option(names = "--all", description = "Every application, in order (the default).")
  boolean all;

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
    if (all && app != null) {
      throw new CommandException(
          ExitCodes.BAD_INPUT, "name one application with --app, or --all for every application");
    }
    Console.SyncOptions options = new Console.SyncOptions(dryRun, prune, force, confirmPrune);
    return ConsoleSession.run(
        spec,
        repo,
        cluster,
        session -> {
          // a dry run's output is the plan itself, checked by the API server
          if (!dryRun) {
            Preview preview =
                (app == null
                        ? session.console.previewSyncAll(options)
                        : session.console.previewSync(app, options))
                    .join();
            if (preview.status() == CommandResult.Status.BAD_INPUT) {
              return java.util.concurrent.CompletableFuture.completedFuture(
                  CommandResult.of(preview.status(), preview.lines().getFirst()));
            }
            preview.describe().forEach(spec.commandLine().getOut()::println);
          }
          if (app != null) {
            return session.console.sync(app, options).thenApply(this::withoutInSync);
          }
          // each application's lines as it ends; then the one-line outcome of all
          return session
              .console
              .syncAll(options, result -> ConsoleSession.print(spec, withoutInSync(result)))
              .thenApply(result -> CommandResult.of(result.status(), result.message()));
        });
  }

  /** The result without the lines of objects already in sync. */
  private CommandResult withoutInSync(CommandResult result) {
    return new CommandResult(
        result.status(),
        result.message(),
        result.details().stream()
            .filter(line -> !line.startsWith("skipped ") || !line.endsWith(": in sync"))
            .toList());
  }
}
