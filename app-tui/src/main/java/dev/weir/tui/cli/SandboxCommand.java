package dev.weir.tui.cli;

import dev.weir.engine.sandbox.SampleRepository;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import dev.weir.engine.sandbox.LocalSandbox;
import dev.weir.engine.sandbox.api.SandboxStateLocation;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weir sandbox …}: the simulated cluster and its sample GitOps repository. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "The sandbox: a simulated Kubernetes cluster and a sample GitOps repository to try Weir on.",
    subcommands = {SandboxCommand.Init.class, SandboxCommand.Serve.class})
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
              + " and a commit that does not render. Does nothing when DIR already holds it.")
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
        return ExitCodes.OK;
      }
      try {
        var written = SampleRepository.write(directory, EngineClock.system().instant());
        out.printf("wrote the sample repository to %s (bare, %d commits, newest %s)%n",
            written.directory().toAbsolutePath(), written.commits().size(),
            written.commits().getLast().substring(0, 7));
        out.printf("change it the GitOps way: git clone %s, commit, git push%n", written.directory().toAbsolutePath());
        return ExitCodes.OK;
      } catch (IllegalStateException e) {
        err.println("weir: " + e.getMessage() + "; choose an empty or new folder");
        return ExitCodes.BAD_INPUT;
      }
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
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        try {
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
  }
}
