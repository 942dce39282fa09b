package dev.weir.tui.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir hotfix APP --resource KIND/NAME [--field PATH] --reason TEXT [--for DURATION]}, and
 * {@code --end} to end the hotfixes of an object.
 */
@Command(
    name = "hotfix",
    mixinStandardHelpOptions = true,
    description =
        "Marks a live object (or, with --field, one of its fields) as deliberately drifted from Git"
            + " for a while: sync and self-heal leave it as it is and status shows it as backport"
            + " pending until weir backport writes it to Git or the time is up. --end ends every"
            + " hotfix of the object now.")
final class HotfixCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "APP", description = "The application.")
  String app;

  @Option(
      names = "--resource",
      required = true,
      paramLabel = "KIND/NAME",
      description =
          "The object: KIND/NAME or KIND/NAMESPACE/NAME, e.g. Deployment/storefront, or as the diff"
              + " shows it, e.g. 'apps/Deployment shop/storefront'.")
  String resource;

  @Option(
      names = "--field",
      paramLabel = "PATH",
      description =
          "Only this field, as the diff shows it (spec.replicas,"
              + " spec.template.spec.containers[name=app].image) or a JSON pointer (/spec/replicas).")
  String field;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required unless --end).")
  String reason;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      defaultValue = "24h",
      description = "How long, e.g. 30m, 2h, 1h30m, 1d (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--end", description = "End every hotfix of the object now.")
  boolean end;

  @Override
  public Integer call() {
    if (end) {
      return ConsoleSession.run(
          spec, repo, cluster, session -> session.console.endHotfixes(app, resource));
    }
    if (reason == null || reason.isBlank()) {
      throw new CommandException(ExitCodes.BAD_INPUT, "a hotfix needs --reason TEXT");
    }
    Duration length = IncidentArguments.duration("--for", duration);
    return ConsoleSession.run(
        spec,
        repo,
        cluster,
        session -> session.console.hotfixField(app, resource, field, reason, length));
  }
}
