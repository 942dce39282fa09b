package dev.weir.tui.cli;

import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.reconcile.Hotfix;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir backport APP [--resource KIND/NAME] [--no-push]}: writes a hotfix to Git. */
@Command(
    name = "backport",
    mixinStandardHelpOptions = true,
    description =
        "Writes the Git change that makes Git match a hotfix: each hotfixed field is set, in the"
            + " file its object comes from, to its value in the cluster, as one commit per object"
            + " naming the hotfix's reason, then pushed. Once pushed the hotfix ends. Without"
            + " --resource, every object of the application with a hotfixed field.")
final class BackportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "APP", description = "The application.")
  String app;

  @Option(
      names = "--resource",
      paramLabel = "KIND/NAME",
      description = "Only this object: KIND/NAME or KIND/NAMESPACE/NAME.")
  String resource;

  @Option(names = "--no-push", description = "Commit in the local clone only.")
  boolean noPush;

  @Override
  public Integer call() {
    return ConsoleSession.run(spec, repo, cluster, this::backport);
  }

  private CompletableFuture<CommandResult> backport(ConsoleSession session) {
    if (resource != null) {
      ResourceKey key = IncidentArguments.resource(session.console.snapshot(), app, resource);
      return session.console.backport(app, key, !noPush);
    }
    ApplicationView view = StatusCommand.view(session.console.snapshot(), app);
    List<ResourceKey> keys =
        view.hotfixes().stream().filter(h -> !h.wholeObject()).map(Hotfix::key).distinct().toList();
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(
          CommandResult.of(
              CommandResult.Status.BAD_INPUT, app + " has no hotfixed field to backport"));
    }
    for (ResourceKey key : keys.subList(0, keys.size() - 1)) {
      CommandResult result = ConsoleSession.await(session.console.backport(app, key, !noPush));
      ConsoleSession.print(spec, result);
      if (!result.ok()) {
        return CompletableFuture.completedFuture(result);
      }
    }
    return session.console.backport(app, keys.getLast(), !noPush);
  }
}
