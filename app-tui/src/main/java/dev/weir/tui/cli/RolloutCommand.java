package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.RolloutReport;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir rollout status|promote|abort|pause|resume|retry|set-weight N APP}: where an
 * application's rollout stands, and the manual controls the consoles offer, recorded in the cluster
 * (with who and why) exactly as a console records them — through the {@link Console} façade, as the
 * consoles do: {@code status} prints the engine's {@code RolloutView} (text within 80 columns, or
 * {@code -o json} with steps, metric rows and series), the controls are the console's commands.
 */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Shows and controls an application's rollout (canary or blue/green).",
    subcommands = {
      RolloutCommand.Status.class,
      RolloutCommand.Promote.class,
      RolloutCommand.Abort.class,
      RolloutCommand.Pause.class,
      RolloutCommand.Resume.class,
      RolloutCommand.Retry.class,
      RolloutCommand.SetWeight.class
    })
final class RolloutCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every rollout subcommand shares: the workspace, the cluster, the application. */
  abstract static class Action implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RepoOptions repo;
    @Mixin ClusterOptions cluster;

    /** The application, set by each subcommand from its parameters. */
    String app;

    @Option(
        names = "--rollout",
        paramLabel = "NAME",
        description = "The rollout, when the application has several.")
    String rollout;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        defaultValue = "",
        description = "Why; recorded with the event in the cluster's audit trail.")
    String reason;

    Optional<String> rollout() {
      return Optional.ofNullable(rollout);
    }
  }

  /** A subcommand that hands the rollout a command through the console. */
  abstract static class Control extends Action {
    abstract CompletableFuture<CommandResult> command(ConsoleApi console);

    @Override
    public Integer call() {
      return ConsoleSession.run(
          spec,
          repo,
          cluster,
          session ->
              command(session.console)
                  .thenApply(
                      result -> {
                        if (!result.ok()) {
                          return result;
                        }
                        // the outcome, then where the rollout stands now, within 80 columns
                        java.util.List<String> lines =
                            new java.util.ArrayList<>(RolloutReport.wrapped(result.message()));
                        lines.addAll(session.console.rolloutReport(app, rollout()).headlines());
                        return new CommandResult(
                            result.status(), String.join("\n", lines), result.details());
                      }));
    }
  }

  /** A control whose only parameter is the application. */
  abstract static class OnApplication extends Control {
    @Parameters(index = "0", paramLabel = "APP", description = "The application.")
    String application;

    @Override
    public Integer call() {
      app = application;
      return super.call();
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Where the rollout stands, as recorded in the cluster: phase, steps, weights, analyses"
              + " with one row per metric, and why.")
  static final class Status extends Action {
    @Parameters(index = "0", paramLabel = "APP", description = "The application.")
    String application;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text (80 columns) or json (the RolloutView: steps, metric rows, series).")
    String output;

    @Mixin MetricsOptions metrics;

    @Override
    public Integer call() {
      app = application;
      if (!output.equals("text") && !output.equals("json")) {
        throw new CommandException(
            ExitCodes.BAD_INPUT, "-o: expected text or json, got '" + output + "'");
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      try (ConsoleSession session =
          ConsoleSession.openReading(repo, cluster, environment, "rollout status", metrics)) {
        CommandResult refreshed = ConsoleSession.await(session.console.refresh());
        if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
          err.println("weir: " + refreshed.message());
          return ExitCodes.UNREACHABLE;
        }
        RolloutReport report = session.console.rolloutReport(app, rollout());
        if (report.problem().isPresent()) {
          err.println("weir: " + report.problem().get().message());
          return ConsoleSession.exitCode(report.problem().get());
        }
        if (output.equals("json")) {
          out.print(report.json());
        } else {
          report.text().forEach(out::println);
        }
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description =
          "Go past the current step (canary) or switch to the preview (blue/green); --full skips"
              + " every remaining step and analysis.")
  static final class Promote extends OnApplication {
    @Option(names = "--full", description = "Make the new version stable now.")
    boolean full;

    @Override
    CompletableFuture<CommandResult> command(ConsoleApi console) {
      return full
          ? console.promoteFull(app, rollout(), reason)
          : console.promote(app, rollout(), reason);
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "All traffic back to the stable version at once; the new one scaled down.")
  static final class Abort extends OnApplication {
    @Override
    CompletableFuture<CommandResult> command(ConsoleApi console) {
      return console.abort(app, rollout(), reason);
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Hold the rollout where it is; analysis keeps running and can still roll back.")
  static final class Pause extends OnApplication {
    @Override
    CompletableFuture<CommandResult> command(ConsoleApi console) {
      return console.pause(app, rollout(), reason);
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Continue a paused rollout; a held weight returns to the steps' weight.")
  static final class Resume extends OnApplication {
    @Override
    CompletableFuture<CommandResult> command(ConsoleApi console) {
      return console.resume(app, rollout(), reason);
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Start an aborted rollout again from step 1.")
  static final class Retry extends OnApplication {
    @Override
    CompletableFuture<CommandResult> command(ConsoleApi console) {
      return console.retry(app, rollout(), reason);
    }
  }

  @Command(
      name = "set-weight",
      mixinStandardHelpOptions = true,
      description =
          "Send N percent of the traffic to the canary and hold it there until resume (recorded"
              + " with who and --reason).")
  static final class SetWeight extends Control {
    @Parameters(index = "0", paramLabel = "N", description = "The canary's weight, 0 to 100.")
    int weight;

    @Parameters(index = "1", paramLabel = "APP", description = "The application.")
    String application;

    @Override
    public Integer call() {
      if (weight < 0 || weight > 100) {
        throw new CommandException(
            ExitCodes.BAD_INPUT, "set-weight: N must be within 0..100, got " + weight);
      }
      app = application;
      return super.call();
    }

    @Override
    CompletableFuture<CommandResult> command(ConsoleApi console) {
      return console.setWeight(app, rollout(), weight, reason);
    }
  }
}
