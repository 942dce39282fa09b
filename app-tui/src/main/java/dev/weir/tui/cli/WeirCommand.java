package dev.weir.tui.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Properties;
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

  /** Reads the version that the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = WeirCommand.class.getResourceAsStream("/dev/weir/tui/version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "weir " + properties.getProperty("version", "unknown") + " (" + provenance(properties) + ")",
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }

    /**
     * Which commit the build was made from and when: {@code commit 3f2a1c9d, built 2026-12-02 08:45
     * UTC}; {@code commit unknown} for a build made outside a Git checkout, {@code -dirty} for one
     * made with uncommitted changes.
     */
    static String provenance(Properties properties) {
      String commit = properties.getProperty("commit", "");
      String words =
          commit.isBlank() || commit.startsWith("${")
              ? "commit unknown"
              : "commit " + commit + ("true".equals(properties.getProperty("dirty")) ? "-dirty" : "");
      String build = properties.getProperty("build", "");
      try {
        LocalDateTime built =
            LocalDateTime.parse(build, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
        return words + ", built " + built.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC";
      } catch (DateTimeParseException unreadable) {
        return words;
      }
    }
  }
}
