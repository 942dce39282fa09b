package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleException;
import dev.weir.engine.console.ReconcilerInstall;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir install}: bootstraps the in-cluster reconciler from the manifests Weir carries
 * ({@code deploy/kustomize/base}), with the repository and namespace filled in. A server-side dry
 * run unless {@code --apply}; {@code -o yaml} prints the manifests without a cluster, to commit
 * them to the GitOps repository so that the install is then managed from Git like any other
 * application.
 */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description =
        "Installs Weir's reconciler in the cluster: Namespace, ServiceAccount, RBAC, a Deployment"
            + " of 2 replicas pulling --repo, its Service and PodDisruptionBudget (docs/deploy.md)."
            + " Without --apply it is a server-side dry run: what would be applied, checked by the"
            + " API server, nothing changed. The repository Secret (weir-repo) is never written:"
            + " create it yourself. -o yaml prints the manifests and touches no cluster.")
final class InstallCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Option(
      names = "--repo",
      required = true,
      paramLabel = "URL",
      description = "The GitOps repository the reconciler pulls from (ssh:// or https://).")
  String repo;

  @Option(
      names = "--branch",
      paramLabel = "B",
      description = "Its branch (default: the repository's default branch).")
  String branch;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      defaultValue = ReconcilerInstall.Request.DEFAULT_NAMESPACE,
      description = "The namespace the reconciler runs in (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--apply", description = "Apply for real (default: a server-side dry run).")
  boolean apply;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "yaml",
      description = "Print the manifests as YAML instead; no cluster is contacted.")
  String output;

  @Override
  public Integer call() {
    var request = new ReconcilerInstall.Request(repo, Optional.ofNullable(branch), namespace);
    if (output != null) {
      if (!output.equals("yaml")) {
        throw new CommandException(ExitCodes.BAD_INPUT, "-o: '" + output + "' is not yaml");
      }
      if (apply) {
        throw new CommandException(ExitCodes.BAD_INPUT, "-o yaml prints only; leave out --apply");
      }
      try {
        spec.commandLine().getOut().print(ReconcilerInstall.yaml(request));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
      } catch (ConsoleException e) {
        throw new CommandException(ExitCodes.of(e.kind()), e.getMessage());
      }
    }
    try (ClusterOptions.ClusterConnection connection = cluster.connect()) {
      CommandResult result =
          ReconcilerInstall.install(
              request, connection.kubeconfigs(), connection.context(), apply);
      ConsoleSession.print(spec, result);
      return ConsoleSession.exitCode(result);
    } catch (ConsoleException e) {
      throw new CommandException(ExitCodes.of(e.kind()), e.getMessage());
    }
  }
}
