package dev.weir.tui.cli;

import dev.weir.tui.launch.VersionText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weir} command: the root of every subcommand. Exit codes follow DESIGN.md: 0 success,
 * 1 the operation failed (or, for diff, differences were found), 2 bad usage or bad input, 3 a
 * cluster, Git remote or metrics source could not be reached.
 */
@Command(
    name = "weir",
    mixinStandardHelpOptions = true,
    versionProvider = WeirCommand.Version.class,
    description = "Operations console for GitOps and progressive delivery.",
    subcommands = {
      CommandLine.HelpCommand.class,
      RenderCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      ExperimentCommand.class,
      SandboxCommand.class,
      AnalyzeCommand.class,
      DiffCommand.class,
      SyncCommand.class,
      StatusCommand.class,
      AttentionCommand.class,
      EventsCommand.class,
      ReconcileCommand.class,
      RolloutCommand.class,
      FreezeCommand.class,
      UnfreezeCommand.class,
      HotfixCommand.class,
      BackportCommand.class,
      UnpinCommand.class,
      FlagsCommand.class,
      TuiCommand.class,
      DesktopCommand.class,
      InstallCommand.class
    },
    sortOptions = false)
public final class WeirCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final CliEnvironment environment;

  WeirCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  CliEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with every subcommand and Weir's exit-code mapping. */
  public static CommandLine commandLine() {
    return commandLine(CliEnvironment.system());
  }

  static CommandLine commandLine(CliEnvironment environment) {
    return new CommandLine(new WeirCommand(environment))
        .setUsageHelpAutoWidth(true)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ExitCodes());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The version lines, as {@code weir --version} prints them on the fast path too. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return VersionText.lines();
    }
  }
}
