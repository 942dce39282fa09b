package dev.weir.tui.cli;

import dev.weir.engine.sandbox.SampleRepository;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weir sandbox …}: the simulated cluster and its sample GitOps repository. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "The sandbox: a sample GitOps repository (and, later, a simulated cluster) to try Weir on.",
    subcommands = {SandboxCommand.Init.class})
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
}
