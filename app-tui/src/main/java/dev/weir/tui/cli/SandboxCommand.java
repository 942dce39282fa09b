package dev.weir.tui.cli;

import dev.weir.drills.LocalSandbox;
import dev.weir.drills.SampleCluster;
import dev.weir.engine.console.CommandsProcess;
import dev.weir.drills.SampleRepository;
import dev.weir.drills.ScratchSandbox;
import dev.weir.drills.scenario.ConsoleScenarioEngine;
import dev.weir.drills.scenario.Scenario;
import dev.weir.drills.scenario.ScenarioResult;
import dev.weir.drills.scenario.ScenarioRun;
import dev.weir.drills.scenario.Scenarios;
import dev.weir.engine.time.EngineClock;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxStateLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir sandbox …}: the simulated cluster and its sample GitOps repository. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "The sandbox: a simulated Kubernetes cluster and a sample GitOps repository to try Weir on.",
    subcommands = {SandboxCommand.Init.class, SandboxCommand.Serve.class, SandboxCommand.Run.class,
        SandboxCommand.Reset.class})
final class SandboxCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Writes the sample GitOps repository (shop/deploy) into DIR: a real, bare Git repository with a short history"
              + " whose applications show a bad canary, a good canary, blue/green, drift, kustomize, feature flags"
              + " and a commit that does not render (left as it is when DIR already holds it). Then seeds the sandbox"
              + " kept under your data directory: the applications as Git stood one commit before the newest (so the"
              + " newest waits to roll out), and a drift made by hand (inventory scaled from 3 to 5 by kubectl-edit).")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Where to write the repository (must not exist, or be empty).")
    Path directory;

    @Override
    public Integer call() throws IOException {
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      if (SampleRepository.isSample(directory)) {
        out.println("sample repository already at " + directory.toAbsolutePath() + "; left as it is");
      } else {
        try {
          var written = SampleRepository.write(directory, EngineClock.system().instant());
          out.printf("wrote the sample repository to %s (bare, %d commits, newest %s)%n",
              written.directory().toAbsolutePath(), written.commits().size(),
              written.commits().getLast().substring(0, 7));
          out.printf("change it the GitOps way: git clone %s, commit, git push%n", written.directory().toAbsolutePath());
        } catch (IllegalStateException e) {
          err.println("weir: " + e.getMessage() + "; choose an empty or new folder");
          return ExitCodes.BAD_INPUT;
        }
      }
      return seed(spec, directory.toAbsolutePath());
    }

    private static int seed(CommandSpec spec, Path repository) throws IOException {
      var out = spec.commandLine().getOut();
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      SandboxStateLocation location = SandboxStateLocation.resolve(environment.variables(), environment.home());
      LocalSandbox sandbox;
      try {
        sandbox = LocalSandbox.attach(location, EngineClock.system());
      } catch (IllegalStateException e) {
        throw new CommandException(ExitCodes.UNREACHABLE, e.getMessage() + "; the sandbox was not seeded");
      }
      try (sandbox) {
        if (sandbox.server().isEmpty()) {
          throw new CommandException(ExitCodes.UNREACHABLE, "the sandbox is served by 'weir sandbox serve' at "
              + sandbox.url() + "; stop it and run init again to seed it");
        }
        SandboxApiServer server = sandbox.server().get();
        if (SampleCluster.holdsApplications(server)) {
          out.println("the sandbox (" + location.stateFile() + ") already holds applications"
              + SampleCluster.seeded(server).map(s -> " seeded from " + s.repository()).orElse("")
              + "; left as it is ('weir sandbox reset' starts it afresh)");
          return ExitCodes.OK;
        }
        SampleCluster.Seeded seeded;
        try {
          seeded = SampleCluster.seed(server, repository, "HEAD~1", environment.variables(), environment.home());
        } catch (IOException e) {
          throw new CommandException(ExitCodes.UNREACHABLE, e.getMessage());
        }
        out.printf("seeded the sandbox (%s): %d applications, %d objects, as Git stood at %s (HEAD~1);"
                + " the newest commit waits to roll out%n",
            location.stateFile(), seeded.applications().size(), seeded.objects(), seeded.revision().substring(0, 7));
        out.println("drift made by hand: inventory scaled from 3 to 5 replicas by kubectl-edit");
        for (String problem : seeded.problems()) {
          spec.commandLine().getErr().println("weir: not seeded: " + problem);
        }
        out.printf("try: weir status --repo %s --sandbox%n", repository);
        return seeded.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
      }
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description = "Starts the sandbox afresh: deletes its saved cluster state, metrics and kubeconfig. The sample"
          + " repository is left as it is; 'weir sandbox init DIR' seeds the sandbox again.")
  static final class Reset implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      SandboxStateLocation location = SandboxStateLocation.resolve(environment.variables(), environment.home());
      try {
        boolean existed = LocalSandbox.reset(location);
        spec.commandLine().getOut().println(existed
            ? "reset the sandbox: deleted " + location.stateFile() + "; 'weir sandbox init DIR' seeds it again"
            : "the sandbox holds nothing yet; nothing to reset");
        return ExitCodes.OK;
      } catch (IllegalStateException e) {
        throw new CommandException(ExitCodes.FAILED, e.getMessage());
      }
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Plays an incident scenario (a drill) on a scratch copy of the sandbox seeded by 'weir sandbox init',"
          + " printing each event as one line (time since the start, application, what happened, why); exits 0 when it"
          + " has played out, 1 when it stopped. Sandbox time is virtual: it jumps to the next thing due whenever the"
          + " engine and the simulated cluster are idle, so the same seed prints the same lines on any machine. Your"
          + " sandbox is not changed. --list names the scenarios.")
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", description = "The scenario to play (see --list).")
    String scenario;

    @Option(names = "--list", description = "Names and describes the scenarios.")
    boolean list;

    @Option(names = "--speed", paramLabel = "N|max", defaultValue = "60",
        description = "Plays at most N minutes of sandbox time per wall-clock minute, to be watched (default 60);"
            + " max plays as fast as the machine allows. The story is the same at any speed.")
    String speed;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of the world's draws (default: the sandbox's).")
    Long seed;

    @Override
    public Integer call() throws Exception {
      var out = spec.commandLine().getOut();
      if (list) {
        int width = Scenarios.all().stream().mapToInt(s -> s.name().length()).max().orElse(4);
        for (Scenario s : Scenarios.all()) {
          out.printf("%-" + width + "s  %s%n", s.name(), s.description());
        }
        return ExitCodes.OK;
      }
      if (scenario == null) {
        throw new CommandException(ExitCodes.BAD_INPUT, "give --scenario NAME, or --list to see them");
      }
      Scenario chosen = Scenarios.named(scenario).orElseThrow(() -> new CommandException(ExitCodes.BAD_INPUT,
          "no scenario named '" + scenario + "'; 'weir sandbox run --list' names them"));
      OptionalDouble pace = pace(speed);
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      SandboxStateLocation location = SandboxStateLocation.resolve(environment.variables(), environment.home());
      ScratchSandbox sandbox;
      try {
        sandbox = ScratchSandbox.copyOf(location, pace, seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
      } catch (IOException e) {
        throw new CommandException(ExitCodes.FAILED, "could not copy the sandbox: " + e.getMessage());
      }
      ConsoleScenarioEngine engine = null;
      try (sandbox) {
        ConsoleScenarioEngine.Drill drill = ConsoleScenarioEngine.prepare(sandbox, chosen,
            environment.variables(), environment.home(), line -> spec.commandLine().getErr().println("weir: " + line));
        engine = drill.engine().orElse(null);
        out.printf("scenario %s on a scratch copy of the sandbox, seed %d, %s%n", chosen.name(),
            sandbox.world().settings().seed(), pace.isEmpty() ? "as fast as possible" : "at " + times(pace) + "×");
        out.flush();
        ScenarioRun run = ScenarioRun.start(chosen, drill.context(), line -> {
          out.println(line);
          out.flush();
        });
        if (!sandbox.clock().runUntil(run.done()::isDone)) {
          run.cancel(); // interrupted
        }
        ScenarioResult result = run.done().join();
        // before the sandbox stops: a console still driving rollouts would only find it gone
        if (engine != null) {
          engine.close();
          engine = null;
        }
        out.println(result.message());
        out.flush();
        return result.playedOut() ? ExitCodes.OK : ExitCodes.FAILED;
      } finally {
        if (engine != null) {
          engine.close();
        }
      }
    }

    /** {@code max}: empty; a number of virtual seconds per wall second. */
    static OptionalDouble pace(String speed) {
      if (speed.equals("max")) {
        return OptionalDouble.empty();
      }
      double value;
      try {
        value = Double.parseDouble(speed);
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
      if (!(value >= 0.001 && value <= 100_000)) {
        throw new CommandException(ExitCodes.BAD_INPUT,
            "--speed must be a number between 0.001 and 100000, or max; was '" + speed + "'");
      }
      return OptionalDouble.of(value);
    }

    private static String times(OptionalDouble pace) {
      double value = pace.getAsDouble();
      return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description =
          "Serves the sandbox's Kubernetes API on a loopback port, in the foreground until interrupted, so that"
              + " commands given --sandbox, the consoles and kubectl share one running sandbox. Writes an admin"
              + " kubeconfig and prints its path.")
  static final class Serve implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "0", paramLabel = "P", description = "The port (default: any free one).")
    int port;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
        description = "Where to write the kubeconfig (default: kubeconfig in the sandbox's data directory).")
    Path kubeconfig;

    @Override
    public Integer call() throws Exception {
      CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
      SandboxStateLocation location = SandboxStateLocation.resolve(environment.variables(), environment.home());
      Path file = kubeconfig != null ? kubeconfig : location.directory().resolve("kubeconfig");
      LocalSandbox sandbox;
      try {
        sandbox = LocalSandbox.serve(location, EngineClock.system(), port, file);
      } catch (IllegalStateException e) {
        throw new CommandException(ExitCodes.FAILED, e.getMessage());
      }
      CommandServer commands = serveCommands(location);
      if (commands != null) {
        CommandsProcess.shareBetweenCommands();
        sandbox.server().flatMap(SampleCluster::seeded).map(SampleCluster.Seeded::repository)
            .filter(Files::isDirectory).ifPresent(repository -> commands.warmUp(repository, environment));
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        try {
          if (commands != null) {
            commands.close();
          }
          sandbox.close();
        } catch (Exception e) {
          spec.commandLine().getErr().println("weir: saving the sandbox failed: " + e.getMessage());
        } finally {
          stopped.countDown();
        }
      }, "weir-sandbox-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      var out = spec.commandLine().getOut();
      out.println("sandbox Kubernetes API at " + sandbox.url() + " (state in " + location.stateFile() + ")");
      out.println("kubeconfig: " + sandbox.kubeconfig());
      out.println("try: kubectl --kubeconfig " + sandbox.kubeconfig() + " get deploy,svc -A");
      out.println("Ctrl+C stops it and saves the state.");
      out.flush();
      stopped.await();
      return ExitCodes.OK;
    }

    /** Answers other processes' {@code weir status --sandbox} (decision 0014); null when it cannot. */
    private CommandServer serveCommands(SandboxStateLocation location) {
      try {
        return CommandServer.start(location);
      } catch (IOException | RuntimeException e) {
        spec.commandLine().getErr().println("weir: commands given --sandbox will start their own engine: "
            + e.getMessage());
        return null;
      }
    }
  }
}
