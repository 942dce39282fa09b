package dev.weir.tui.cli;

import com.googlecode.lanterna.terminal.Terminal;
import dev.weir.engine.console.ConsoleException;
import dev.weir.engine.console.ConsoleOpening;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.themes.ColourDepth;
import dev.weir.themes.Theme;
import dev.weir.tui.console.TerminalConsole;
import dev.weir.tui.screen.TerminalPalette;
import dev.weir.tui.screen.TerminalRunner;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir tui}: the terminal console. With no cluster option it opens on the sandbox (reaching
 * {@code weir sandbox serve} when one runs, else serving it in-process) and, without {@code
 * --repo}, on the sample repository, writing it and seeding the sandbox with it on first use as
 * {@code weir sandbox init} does. The first frame is drawn at once, marked loading, while the
 * engine clones, connects and reads; the console drives rollouts and watches until {@code :q},
 * Ctrl+C or the end of input.
 *
 * <p>Design note. While the console runs, the terminal is the screen's: the engine's log lines go
 * to {@code tui.log} in Weir's data directory, not to stderr.
 */
@Command(
    name = "tui",
    mixinStandardHelpOptions = true,
    description =
        "The terminal console: needs attention, applications, rollouts, history and events, driven"
            + " with the keyboard (? lists the keys of each view, :q quits). With neither --sandbox"
            + " nor --kubeconfig it opens on the sandbox, seeding it with the sample repository on"
            + " first use. Theme from WEIR_THEME (dark, light, high-contrast); no colour with NO_COLOR.")
final class TuiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConsoleOptions options;

  @Override
  public Integer call() throws IOException {
    CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
    Theme theme = theme(environment.variables().get("WEIR_THEME"));
    ColourDepth depth = ColourDepth.detect(environment.variables());
    SandboxStateLocation location =
        SandboxStateLocation.resolve(environment.variables(), environment.home());
    Path log = location.directory().getParent().resolve("tui.log");
    Files.createDirectories(log.getParent());
    System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
    PrintStream stderr = System.err;
    // a kubeconfig is checked now (bad input ends here, before the terminal is taken)
    ConsoleOptions.Opener opener = options.checked(environment, location, "tui");
    Terminal terminal = TerminalRunner.systemTerminal();
    ConsoleOpening opening;
    try (PrintStream logged =
        new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8)) {
      System.setErr(logged);
      try {
        // the first frame before anything slow: the sandbox starts, the repository is cloned and
        // the cluster read behind the loading screen
        opening = opener.open();
        // a hang-up (a lost SSH connection) or kill ends the JVM without unwinding: the console
        // still closes, releasing its Leases and saving a sandbox served in-process
        ConsoleOpening closing = opening;
        Thread hangUp = new Thread(closing::close, "weir-tui-close");
        Runtime.getRuntime().addShutdownHook(hangUp);
        try (opening) {
          TerminalConsole.run(
              opening, terminal, new TerminalPalette(theme, depth), ZoneId.systemDefault());
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(hangUp);
          } catch (IllegalStateException e) {
            // already shutting down: the hook closes it
          }
        }
        try {
          // a console still opening closes what it made once done; wait for it, bounded
          opening.ready().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          return failed(e.getCause(), stderr);
        } catch (TimeoutException e) {
          stderr.println("weir: the console was still opening; left behind");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } finally {
        System.setErr(stderr);
      }
    }
    return ExitCodes.OK;
  }

  /** The console could not be opened: why, on stderr, and the exit code DESIGN.md gives it. */
  static int failed(Throwable cause, PrintStream err) {
    if (cause instanceof IllegalStateException && "the console is closed".equals(cause.getMessage())) {
      return ExitCodes.OK; // quit while it was opening
    }
    err.println("weir: the console could not be opened: " + cause.getMessage());
    return switch (cause) {
      case CommandException c -> c.exitCode();
      case ConsoleException c -> ExitCodes.of(c.kind());
      default -> ExitCodes.FAILED;
    };
  }

  /** The theme {@code WEIR_THEME} names; dark when unset. */
  static Theme theme(String name) {
    if (name == null || name.isBlank()) {
      return Theme.DARK;
    }
    String wanted = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Theme theme : Theme.values()) {
      if (theme.id().equals(wanted)) {
        return theme;
      }
    }
    throw new CommandException(
        ExitCodes.BAD_INPUT,
        "WEIR_THEME: no theme named '"
            + name
            + "'; known: "
            + String.join(", ", Arrays.stream(Theme.values()).map(Theme::id).toList()));
  }
}
