package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleException;
import dev.weir.engine.console.ConsoleLauncher;
import dev.weir.engine.console.ConsoleSettings;
import dev.weir.engine.console.Preview;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The engine for one command: the {@link Console} that the engine's {@link ConsoleLauncher} opens
 * over the workspace and the chosen cluster, from the command's options as plain values, held as
 * the {@link ConsoleApi} the faces use. The CLI's cluster commands all go through the console, as
 * the UIs do.
 */
final class ConsoleSession implements AutoCloseable {
  final ClusterOptions.ClusterConnection connection;
  final ConsoleLauncher.LaunchedConsole launched;
  final ConsoleApi console;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

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
   * As {@link #open(RepoOptions, ClusterOptions, CliEnvironment, String)}, reading rollouts' metric
   * series from the Prometheus {@code metrics} chooses (or discovery); drives no rollout.
   */
  static ConsoleSession openReading(
      RepoOptions repo,
      ClusterOptions cluster,
      CliEnvironment environment,
      String role,
      MetricsOptions metrics) {
    return open(repo, cluster, role, settings -> metrics.applyTo(settings).withSeries());
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
    return open(repo, cluster, role, more, false);
  }

  /**
   * As {@link #open(RepoOptions, ClusterOptions, String, UnaryOperator)}; with {@code inCluster}
   * the cluster is reached as a pod reaches its own (service account token and CA, {@code
   * KUBERNETES_SERVICE_HOST}), not through {@code cluster}'s kubeconfig.
   */
  static ConsoleSession open(
      RepoOptions repo,
      ClusterOptions cluster,
      String role,
      UnaryOperator<ConsoleSettings> more,
      boolean inCluster) {
    var repository = repo.settings();
    ClusterOptions.ClusterConnection connection =
        inCluster
            ? new ClusterOptions.ClusterConnection(
                java.util.List.of(), java.util.Optional.empty(), java.util.Optional.empty())
            : cluster.connect();
    try {
      ConsoleSettings base =
          ConsoleSettings.of(repository, connection.kubeconfigs(), connection.context(), role);
      ConsoleSettings settings = more.apply(inCluster ? base.withInCluster() : base);
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

  /**
   * As {@link #run(CommandSpec, RepoOptions, ClusterOptions, Function)}, printing the engine's
   * preview of the command first (what a face's confirmation shows); a preview that says the
   * command cannot go ahead ends here with its first line as the outcome, nothing changed. With
   * {@code previewOnly} nothing runs: the preview is the output.
   */
  static int run(
      CommandSpec spec,
      RepoOptions repo,
      ClusterOptions cluster,
      Function<ConsoleSession, CompletableFuture<Preview>> preview,
      Function<ConsoleSession, CompletableFuture<CommandResult>> command,
      boolean previewOnly) {
    return run(
        spec,
        repo,
        cluster,
        session -> {
          Preview shown = preview.apply(session).join();
          CommandResult refused = print(spec, shown);
          if (refused != null || previewOnly) {
            return CompletableFuture.completedFuture(
                refused != null ? refused : CommandResult.ok("nothing changed: a preview only"));
          }
          return command.apply(session);
        });
  }

  /**
   * Prints a preview: its title, then its lines indented. Answers, when the command cannot go
   * ahead, the result that says why (not printed), else {@code null}.
   */
  static CommandResult print(CommandSpec spec, Preview preview) {
    var out = spec.commandLine().getOut();
    if (!preview.ok()) {
      // the first line is the reason, printed once as the outcome
      return new CommandResult(
          preview.status(),
          preview.lines().isEmpty() ? preview.title() : preview.lines().getFirst(),
          preview.lines().isEmpty() ? java.util.List.of() : preview.lines().subList(1, preview.lines().size()));
    }
    preview.describe().forEach(out::println);
    out.flush();
    return null;
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
    if (!closed.compareAndSet(false, true)) {
      return; // closed already (weir reconcile closes before its shutdown hook returns)
    }
    try {
      launched.close();
    } finally {
      connection.close();
    }
  }
}
