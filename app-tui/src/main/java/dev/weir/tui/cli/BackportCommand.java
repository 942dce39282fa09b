package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir backport APP [--resource KIND/NAME] [--no-push]}, or {@code --all}: writes hotfixes to Git. */
@Command(
    name = "backport",
    mixinStandardHelpOptions = true,
    description =
        "Writes the Git change that makes Git match a hotfix: each hotfixed field is set, in the"
            + " file its object comes from, to its value in the cluster, as one commit per object"
            + " naming the hotfix's reason, then pushed. Once pushed the hotfix ends. Without"
            + " --resource, every object of the application with a hotfixed field; with --all,"
            + " of every application. Stops at the first that fails. Prints what it will commit"
            + " first: each field, the file and the exact commit message.")
final class BackportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "APP", arity = "0..1", description = "The application.")
  String app;

  @Option(names = "--all", description = "Every application's hotfixes.")
  boolean all;

  @Option(
      names = "--resource",
      paramLabel = "KIND/NAME",
      description =
          "Only this object: KIND/NAME, KIND/NAMESPACE/NAME, or as the diff shows it"
              + " ('apps/Deployment shop/storefront').")
  String resource;

  @Option(names = "--no-push", description = "Commit in the local clone only.")
  boolean noPush;

  @Override
  public Integer call() {
    String application = IncidentArguments.applicationOrAll(app, all);
    if (resource != null) {
      if (application == null) {
        throw new CommandException(ExitCodes.BAD_INPUT, "--resource needs an application, not --all");
      }
      return ConsoleSession.run(
          spec,
          repo,
          cluster,
          session -> session.console.previewBackport(application, resource, !noPush),
          session -> session.console.backportResource(application, resource, !noPush),
          false);
    }
    return ConsoleSession.run(
        spec,
        repo,
        cluster,
        session -> session.console.previewBackportAll(application, !noPush),
        session ->
            session
                .console
                .backportAll(application, !noPush, result -> ConsoleSession.print(spec, result))
                // each object's lines were printed as it ended; then the one-line outcome
                .thenApply(result -> CommandResult.of(result.status(), result.message())),
        false);
  }
}
