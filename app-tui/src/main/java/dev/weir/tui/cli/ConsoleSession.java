package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleException;
import dev.weir.engine.console.ConsoleLauncher;
import dev.weir.engine.console.ConsoleSettings;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The engine for one command: the {@link Console} that the engine's {@link ConsoleLauncher} opens
 * over the workspace and the chosen cluster, from the command's options as plain values. The CLI's
 * cluster commands all go through the console, as the UIs do.
 */
final class ConsoleSession implements AutoCloseable {
  final ClusterOptions.ClusterConnection connection;
  final ConsoleLauncher.LaunchedConsole launched;
  final Console console;

  private ConsoleSession(
      ClusterOptions.ClusterConnection connection, ConsoleLauncher.LaunchedConsole launched) {
    this.connection = connection;
    this.launched = launched;
    this.console = launched.console();
  }

  static ConsoleSession open(
      RepoOptions repo, ClusterOptions cluster, CliEnvironment environment, String role) {
    return open(repo, cluster, role, UnaryOperator.identity());
  }

  /**
   * Opens a console for the command {@code role} on the workspace of {@code repo} and the cluster
   * of {@code cluster}, with the settings {@code more} adds (metrics, driving rollouts, a
   * Pushgateway).
   *
   * @throws CommandException with the exit code DESIGN.md gives the failure (2 bad input, 3
   *     unreachable)
   */
  static ConsoleSession open(
      RepoOptions repo, ClusterOptions cluster, String role, UnaryOperator<ConsoleSettings> more) {
    var repository = repo.settings();
    ClusterOptions.ClusterConnection connection = cluster.connect();
    try {
      ConsoleSettings settings =
          more.apply(
              ConsoleSettings.of(repository, connection.kubeconfigs(), connection.context(), role));
      return new ConsoleSession(connection, ConsoleLauncher.open(settings));
    } catch (ConsoleException e) {
      connection.close();
      throw new CommandException(ExitCodes.of(e.kind()), e.getMessage());
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
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
    var err = spec.commandLine().getErr();
    try (ConsoleSession session = open(repo, cluster, spec.name(), UnaryOperator.identity())) {
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
    try {
      launched.close();
    } finally {
      connection.close();
    }
  }
}
