package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleJson;
import dev.weir.engine.console.ExperimentConclusion;
import dev.weir.engine.console.ExperimentView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir experiment status|conclude APP}: an application's A/B experiments (its rollouts at an
 * {@code experiment} step) through the console façade, as the consoles show them: variants, traffic
 * share, conversions, the uplift with its always-valid interval, and the decision; {@code conclude}
 * ends one in one action, a commit recording the decision, then promotion or abort.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = "Shows and concludes an application's A/B experiments.",
    subcommands = {ExperimentCommand.Status.class, ExperimentCommand.Conclude.class})
final class ExperimentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Each running experiment: variants, traffic share, conversions, the uplift of B over A"
              + " with its always-valid confidence interval, and what to do (wait, promote, keep).")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RepoOptions repo;
    @Mixin ClusterOptions cluster;
    @Mixin MetricsOptions metrics;

    @Parameters(index = "0", paramLabel = "APP", description = "The application.")
    String application;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text (80 columns) or json.")
    String output;

    @Override
    public Integer call() {
      if (!output.equals("text") && !output.equals("json")) {
        throw new CommandException(
            ExitCodes.BAD_INPUT, "-o: expected text or json, got '" + output + "'");
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      try (ConsoleSession session =
          ConsoleSession.openReading(repo, cluster, environment, "experiment status", metrics)) {
        CommandResult refreshed = ConsoleSession.await(session.console.refresh());
        if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
          err.println("weir: " + refreshed.message());
          return ExitCodes.UNREACHABLE;
        }
        var snapshot = session.console.snapshot();
        if (snapshot.application(application).isEmpty()) {
          err.println(
              "weir: no application named '"
                  + application
                  + "'; known: "
                  + String.join(
                      ", ",
                      snapshot.applications().stream().map(a -> a.name()).sorted().toList()));
          return ExitCodes.BAD_INPUT;
        }
        List<ExperimentView> experiments = snapshot.experiments(application);
        if (output.equals("json")) {
          out.print(ConsoleJson.experiments(application, experiments));
        } else if (experiments.isEmpty()) {
          out.println(application + ": no experiment is running");
        } else {
          experiments.forEach(e -> e.lines().forEach(out::println));
        }
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "conclude",
      mixinStandardHelpOptions = true,
      description =
          "Ends the running experiment in one action: a commit recording the decision, your name"
              + " and the reason (the application's EXPERIMENTS.md), pushed; then --promote makes B"
              + " stable for everyone, --keep aborts the rollout (all traffic back on A). Prints"
              + " what it will do first; --preview prints only that.")
  static final class Conclude implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RepoOptions repo;
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "APP", description = "The application.")
    String application;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
      @Option(names = "--promote", required = true, description = "B wins: promote it.")
      boolean promote;

      @Option(names = "--keep", required = true, description = "Keep A: abort the rollout.")
      boolean keep;
    }

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why; goes into the commit message and the record.")
    String reason;

    @Option(names = "--preview", description = "Print what concluding would do and change nothing.")
    boolean previewOnly;

    @Mixin MetricsOptions metrics;

    @Override
    public Integer call() {
      ExperimentConclusion conclusion =
          choice.promote ? ExperimentConclusion.PROMOTE : ExperimentConclusion.KEEP;
      PrintWriter err = spec.commandLine().getErr();
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      // with the metrics source, so the record carries the numbers the decision rests on
      try (ConsoleSession session =
          ConsoleSession.openReading(repo, cluster, environment, "experiment conclude", metrics)) {
        CommandResult refreshed = ConsoleSession.await(session.console.refresh());
        if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
          err.println("weir: " + refreshed.message());
          return ExitCodes.UNREACHABLE;
        }
        CommandResult refused =
            ConsoleSession.print(
                spec,
                session.console.previewConclude(application, conclusion, reason).join());
        CommandResult result =
            refused != null
                ? refused
                : previewOnly
                    ? CommandResult.ok("nothing changed: a preview only")
                    : ConsoleSession.await(
                        session.console.conclude(application, conclusion, reason));
        ConsoleSession.print(spec, result);
        return ConsoleSession.exitCode(result);
      }
    }
  }
}
