package dev.weir.tui.cli;

import dev.weir.tui.launch.VersionText;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Every subcommand by its name, in the order {@code weir --help} lists them. Not in the
   * annotation: picocli builds the model of each annotated subcommand by reflection when the root
   * is made (over 2,000 classes, most of a second of CPU), so a command line for one command
   * {@linkplain #commandLine(CliEnvironment, String[]) holds that command alone}.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> all = new LinkedHashMap<>();
    all.put("help", CommandLine.HelpCommand.class);
    all.put("render", RenderCommand.class);
    all.put("history", HistoryCommand.class);
    all.put("rollback", RollbackCommand.class);
    all.put("experiment", ExperimentCommand.class);
    all.put("sandbox", SandboxCommand.class);
    all.put("analyze", AnalyzeCommand.class);
    all.put("diff", DiffCommand.class);
    all.put("sync", SyncCommand.class);
    all.put("status", StatusCommand.class);
    all.put("attention", AttentionCommand.class);
    all.put("events", EventsCommand.class);
    all.put("reconcile", ReconcileCommand.class);
    all.put("rollout", RolloutCommand.class);
    all.put("freeze", FreezeCommand.class);
    all.put("unfreeze", UnfreezeCommand.class);
    all.put("hotfix", HotfixCommand.class);
    all.put("backport", BackportCommand.class);
    all.put("unpin", UnpinCommand.class);
    all.put("flags", FlagsCommand.class);
    all.put("tui", TuiCommand.class);
    all.put("desktop", DesktopCommand.class);
    all.put("install", InstallCommand.class);
    return Collections.unmodifiableMap(all);
  }

  /** The command line with every subcommand and Weir's exit-code mapping. */
  public static CommandLine commandLine() {
    return commandLine(CliEnvironment.system());
  }

  /** The command line with every subcommand (for help, completion and tests of the whole tree). */
  static CommandLine commandLine(CliEnvironment environment) {
    return configured(new CommandLine(new WeirCommand(environment)), SUBCOMMANDS.keySet());
  }

  /**
   * The command line that runs {@code args}: when they start with a subcommand's name, that
   * subcommand alone, so its options, help and errors are exactly the whole tree's; otherwise
   * ({@code weir}, {@code weir --help}, {@code weir help status}, a mistyped name that picocli
   * answers with suggestions) every subcommand.
   */
  static CommandLine commandLine(CliEnvironment environment, String[] args) {
    if (args.length > 0 && !args[0].equals("help") && SUBCOMMANDS.containsKey(args[0])) {
      return configured(new CommandLine(new WeirCommand(environment)), List.of(args[0]));
    }
    return commandLine(environment);
  }

  /** Adds the named subcommands, then the settings (picocli applies them to those present). */
  private static CommandLine configured(CommandLine root, Iterable<String> names) {
    for (String name : names) {
      root.addSubcommand(name, SUBCOMMANDS.get(name));
    }
    return root.setUsageHelpAutoWidth(true)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ExitCodes());
  }

  public static void main(String[] args) {
    System.exit(commandLine(CliEnvironment.system(), args).execute(args));
  }

  /** The version lines, as {@code weir --version} prints them on the fast path too. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return VersionText.lines();
    }
  }
}
