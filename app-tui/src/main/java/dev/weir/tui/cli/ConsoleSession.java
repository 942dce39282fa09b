package dev.weir.tui.cli;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.time.EngineClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;

/**
 * The engine for one command: the workspace's Git source, a gateway to the chosen cluster, and the
 * {@link Console} over them. The CLI's cluster commands all go through the console, as the UIs do.
 */
final class ConsoleSession implements AutoCloseable {
  final GitSource git;
  final ClusterOptions.ClusterConnection connection;
  final KubeClusterGateway gateway;
  final Console console;

  private ConsoleSession(
      GitSource git,
      ClusterOptions.ClusterConnection connection,
      KubeClusterGateway gateway,
      Console console) {
    this.git = git;
    this.connection = connection;
    this.gateway = gateway;
    this.console = console;
  }

  static ConsoleSession open(
      RepoOptions repo, ClusterOptions cluster, CliEnvironment environment, String role) {
    GitSource git = repo.open();
    ClusterOptions.ClusterConnection connection;
    try {
      connection = cluster.connect();
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
    KubeClusterGateway gateway;
    try {
      gateway =
          KubeClusterGateway.connect(
              Kubeconfig.fromFiles(connection.kubeconfigs()),
              connection.context().orElse(null),
              EngineClock.system());
    } catch (ClusterException e) {
      git.close();
      connection.close();
      throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    String user =
        environment.variables().getOrDefault("USER", System.getProperty("user.name", "someone"));
    Console console =
        Console.open(
            git,
            gateway,
            EngineClock.system(),
            Console.Options.defaults(user, user + "@" + host() + " (" + role + ")"));
    return new ConsoleSession(git, connection, gateway, console);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** The command's result, waiting for it. */
  static CommandResult await(CompletableFuture<CommandResult> future) {
    return future.join();
  }

  /** The exit code DESIGN.md gives a command result. */
  static int exitCode(CommandResult result) {
    return switch (result.status()) {
      case OK -> ExitCodes.OK;
      case FAILED, REFUSED -> ExitCodes.FAILED;
      case UNREACHABLE -> ExitCodes.UNREACHABLE;
      case BAD_INPUT -> ExitCodes.BAD_INPUT;
    };
  }

  @Override
  public void close() {
    console.close();
    gateway.close();
    git.close();
    connection.close();
  }
}
