package dev.weir.tui.cli;

import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.telemetry.Telemetry;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The engine for one command: the workspace's Git source, a gateway to the chosen cluster, and the
 * {@link Console} over them. The CLI's cluster commands all go through the console, as the UIs do.
 */
final class ConsoleSession implements AutoCloseable {
  final GitSource git;
  final ClusterOptions.ClusterConnection connection;
  final KubeClusterGateway gateway;
  final Console console;
  /** The Prometheus analyses query; null for a session opened without metrics options. */
  final PrometheusSelection metrics;

  private ConsoleSession(
      GitSource git,
      ClusterOptions.ClusterConnection connection,
      KubeClusterGateway gateway,
      Console console,
      PrometheusSelection metrics) {
    this.git = git;
    this.connection = connection;
    this.gateway = gateway;
    this.console = console;
    this.metrics = metrics;
  }

  static ConsoleSession open(
      RepoOptions repo, ClusterOptions cluster, CliEnvironment environment, String role) {
    return open(repo, cluster, environment, role, Telemetry.noop(), null, false);
  }

  /**
   * As {@link #open(RepoOptions, ClusterOptions, CliEnvironment, String)}, reading rollouts' metric
   * series from the Prometheus {@code metrics} chooses (or discovery); drives no rollout.
   */
  static ConsoleSession openReading(
      RepoOptions repo,
      ClusterOptions cluster,
      CliEnvironment environment,
      String role,
      MetricsOptions metrics) {
    return open(repo, cluster, environment, role, Telemetry.noop(), metrics, false);
  }

  /** As {@link #open(RepoOptions, ClusterOptions, CliEnvironment, String)}, recording the console's own metrics. */
  static ConsoleSession open(
      RepoOptions repo, ClusterOptions cluster, CliEnvironment environment, String role, Telemetry telemetry) {
    return open(repo, cluster, environment, role, telemetry, null, false);
  }

  /**
   * As {@link #open(RepoOptions, ClusterOptions, CliEnvironment, String, Telemetry)}, with the
   * Prometheus chosen by {@code metrics} (or, when null, by discovery) in {@link #metrics}; with
   * {@code drive} the console drives rollouts and their analyses query it.
   */
  static ConsoleSession open(
      RepoOptions repo,
      ClusterOptions cluster,
      CliEnvironment environment,
      String role,
      Telemetry telemetry,
      MetricsOptions metrics,
      boolean drive) {
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
    PrometheusSelection selection = null;
    if (metrics != null || drive) {
      try {
        selection = MetricsOptions.selection(metrics, gateway, environment, EngineClock.system());
      } catch (CommandException e) {
        gateway.close();
        git.close();
        connection.close();
        throw e;
      }
    }
    Console.Options options =
        Console.Options.defaults(user, LeaseHolder.forThisProcess(user, "weir " + role))
            .withTelemetry(telemetry);
    Console console =
        drive
            ? Console.open(git, gateway, EngineClock.system(), options, selection, null)
            : selection != null
                ? Console.openReading(git, gateway, EngineClock.system(), options, selection)
                : Console.open(git, gateway, EngineClock.system(), options);
    return new ConsoleSession(git, connection, gateway, console, selection);
  }

  /**
   * Runs one console command as a CLI subcommand: opens a session on the root command's
   * environment, refreshes (an unreachable cluster is exit 3), runs {@code command}, prints its
   * detail lines indented and its one-line outcome (on stderr, prefixed {@code weir: }, when it did
   * not succeed), and returns the exit code DESIGN.md gives the result.
   */
  static int run(
      CommandSpec spec,
      RepoOptions repo,
      ClusterOptions cluster,
      Function<ConsoleSession, CompletableFuture<CommandResult>> command) {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
    try (ConsoleSession session = open(repo, cluster, environment, spec.name())) {
      CommandResult refreshed = await(session.console.refresh());
      if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
        err.println("weir: " + refreshed.message());
        return ExitCodes.UNREACHABLE;
      }
      CommandResult result = await(command.apply(session));
      print(spec, result);
      return exitCode(result);
    }
  }

  /** Prints a result's detail lines indented and its one-line outcome, as every console command. */
  static void print(CommandSpec spec, CommandResult result) {
    var out = spec.commandLine().getOut();
    result.details().forEach(line -> out.println("  " + line));
    out.flush();
    var end = result.ok() ? out : spec.commandLine().getErr();
    end.println((result.ok() ? "" : "weir: ") + result.message());
    end.flush();
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
