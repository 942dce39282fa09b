package dev.weir.tui.cli;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.rollout.CommandOutcome;
import dev.weir.engine.rollout.ManualCommand;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.rollout.RolloutSpec;
import dev.weir.engine.rollout.RolloutSpecError;
import dev.weir.engine.rollout.RolloutSpecParser;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.time.EngineClock;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir rollout status|promote|abort|pause|resume|retry|set-weight N APP}: where an
 * application's rollout stands, and the manual controls the consoles offer, recorded in the cluster
 * (with who and why) exactly as a console records them.
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

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (GitSource git = repo.open()) {
        DesiredState state = render(git, err);
        if (state == null) {
          return ExitCodes.BAD_INPUT;
        }
        try (ClusterOptions.ClusterConnection connection = cluster.connect();
            KubeClusterGateway gateway = gateway(connection)) {
          return act(state, gateway, out, err);
        } catch (ClusterException e) {
          err.println("weir: " + e.getMessage());
          return e.error().unreachable() ? ExitCodes.UNREACHABLE : ExitCodes.FAILED;
        }
      }
    }

    abstract int act(
        DesiredState state, KubeClusterGateway gateway, PrintWriter out, PrintWriter err);

    private DesiredState render(GitSource git, PrintWriter err) {
      RenderedApplication application = RepoOptions.application(RepoOptions.renderHead(git), app);
      return switch (application.latest()) {
        case RenderResult.Failed failed -> {
          failed.problems().forEach(err::println);
          yield null;
        }
        case RenderResult.Rendered rendered -> rendered.state();
      };
    }

    private static KubeClusterGateway gateway(ClusterOptions.ClusterConnection connection) {
      try {
        return KubeClusterGateway.connect(
            Kubeconfig.fromFiles(connection.kubeconfigs()),
            connection.context().orElse(null),
            EngineClock.system());
      } catch (ClusterException e) {
        throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage());
      }
    }

    /** The application's rollout: its only one, or the one named by {@code --rollout}. */
    RolloutSpec rolloutOf(DesiredState state, PrintWriter err) {
      RolloutSpecParser.ApplicationRollouts all = RolloutSpecParser.parseAll(state);
      if (!all.errors().isEmpty()) {
        all.errors().stream().map(RolloutSpecError::toString).forEach(err::println);
        throw new CommandException(ExitCodes.BAD_INPUT, app + " has invalid rollout configuration");
      }
      List<RolloutSpec> matching =
          all.rollouts().stream().filter(r -> rollout == null || r.name().equals(rollout)).toList();
      if (matching.size() != 1) {
        throw new CommandException(
            ExitCodes.BAD_INPUT,
            (matching.isEmpty() ? "no rollout" : "several rollouts")
                + " in application "
                + app
                + (rollout == null ? "" : " named " + rollout)
                + (matching.size() > 1 ? "; give --rollout NAME" : ""));
      }
      return matching.getFirst();
    }

    String who() {
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      return environment
          .variables()
          .getOrDefault("USER", System.getProperty("user.name", "someone"));
    }
  }

  /** A subcommand that hands the rollout a command. */
  abstract static class Control extends Action {
    abstract ManualCommand command();

    @Override
    int act(DesiredState state, KubeClusterGateway gateway, PrintWriter out, PrintWriter err) {
      RolloutSpec spec = rolloutOf(state, err);
      try (RolloutExecutor executor = RolloutExecutor.forCommands(gateway, EngineClock.system())) {
        List<RolloutSpecError> errors = executor.track(state);
        if (!errors.isEmpty()) {
          errors.forEach(err::println);
          return ExitCodes.BAD_INPUT;
        }
        CommandOutcome outcome = executor.command(app, Optional.of(spec.name()), command());
        switch (outcome.kind()) {
          case APPLIED -> {
            out.println(outcome.message());
            executor.status(app, Optional.of(spec.name())).ifPresent(s -> out.println(s.line()));
            return ExitCodes.OK;
          }
          case FAILED -> {
            err.println("weir: " + outcome.message());
            return gateway.status().isReachable() ? ExitCodes.FAILED : ExitCodes.UNREACHABLE;
          }
          default -> {
            err.println("weir: " + outcome.message());
            return ExitCodes.FAILED;
          }
        }
      }
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
          "Where the rollout stands, as recorded in the cluster: phase, step, weight, analysis and"
              + " why.")
  static final class Status extends Action {
    @Parameters(index = "0", paramLabel = "APP", description = "The application.")
    String application;

    @Override
    public Integer call() {
      app = application;
      return super.call();
    }

    @Override
    int act(DesiredState state, KubeClusterGateway gateway, PrintWriter out, PrintWriter err) {
      RolloutSpec spec = rolloutOf(state, err);
      dev.weir.engine.model.Manifest target = state.resources().get(spec.targetKey());
      Optional<RolloutStatus> status =
          RolloutExecutor.observed(
              gateway,
              spec,
              target == null ? null : target.object(),
              EngineClock.system().instant());
      if (status.isEmpty()) {
        out.println(
            spec.name() + "  no rollout recorded yet: no console has driven it on this cluster");
        return ExitCodes.OK;
      }
      RolloutStatus s = status.get();
      out.println(s.line());
      if (s.steps() > 0) {
        out.println("  step " + s.step() + "/" + s.steps() + ", canary weight " + s.weight() + "%");
      }
      out.println(
          "  stable " + s.stableVersion() + s.newVersion().map(v -> ", new " + v).orElse(""));
      s.analysis()
          .ifPresent(a -> out.println("  analysis " + a.phase().word() + ": " + a.describe()));
      s.background()
          .ifPresent(
              a -> out.println("  background analysis " + a.phase().word() + ": " + a.describe()));
      s.revertTo()
          .ifPresent(
              r ->
                  out.println(
                      "  to make Git agree: weir rollback "
                          + app
                          + " --to "
                          + r.substring(0, Math.min(7, r.length()))));
      return ExitCodes.OK;
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
    ManualCommand command() {
      return full
          ? new ManualCommand.PromoteFull(who(), reason)
          : new ManualCommand.Promote(who(), reason);
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "All traffic back to the stable version at once; the new one scaled down.")
  static final class Abort extends OnApplication {
    @Override
    ManualCommand command() {
      return new ManualCommand.Abort(who(), reason);
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Hold the rollout where it is; analysis keeps running and can still roll back.")
  static final class Pause extends OnApplication {
    @Override
    ManualCommand command() {
      return new ManualCommand.Pause(who(), reason);
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Continue a paused rollout; a held weight returns to the steps' weight.")
  static final class Resume extends OnApplication {
    @Override
    ManualCommand command() {
      return new ManualCommand.Resume(who(), reason);
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Start an aborted rollout again from step 1.")
  static final class Retry extends OnApplication {
    @Override
    ManualCommand command() {
      return new ManualCommand.Retry(who(), reason);
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
    ManualCommand command() {
      return new ManualCommand.SetWeight(weight, who(), reason);
    }
  }
}
