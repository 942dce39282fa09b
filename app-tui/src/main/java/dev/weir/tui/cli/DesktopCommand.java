package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleOpening;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.themes.Theme;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir desktop}: the desktop console, with {@code weir tui}'s options (the sandbox when no
 * cluster is given, seeded with the sample repository on first use). The window is a {@link
 * DesktopFace} found on the class path: {@code ./weir desktop} runs the desktop module's jar,
 * which carries it; the terminal-only jar answers that the desktop is not built. The window
 * appears at once, marked loading, while the engine clones, connects and reads.
 */
@Command(
    name = "desktop",
    mixinStandardHelpOptions = true,
    description =
        "The desktop console (JavaFX): needs attention, applications, drift and diff, history with"
            + " rollback, the incident timeline; Ctrl+K opens the command palette. With neither"
            + " --sandbox nor --kubeconfig it opens on the sandbox, seeding it with the sample"
            + " repository on first use. Window, splits and theme are remembered in"
            + " $XDG_CONFIG_HOME/weir/desktop.properties (~/.config/weir/desktop.properties).")
final class DesktopCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConsoleOptions options;

  @Option(
      names = "--theme",
      paramLabel = "NAME",
      description =
          "dark, light or high-contrast (default: the one chosen last in the window, else dark;"
              + " JavaFX 21 does not tell the system's dark preference).")
  String theme;

  @Override
  public Integer call() {
    CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
    Optional<Theme> chosen = Optional.ofNullable(theme).map(DesktopCommand::theme);
    Optional<DesktopFace> face = ServiceLoader.load(DesktopFace.class).findFirst();
    if (face.isEmpty()) {
      throw new CommandException(
          ExitCodes.BAD_INPUT,
          "the desktop console is not in this build: run ./weir desktop from the source tree"
              + " (./build package builds app-javafx)");
    }
    SandboxStateLocation location =
        SandboxStateLocation.resolve(environment.variables(), environment.home());
    ConsoleOptions.Opener opener = options.checked(environment, location, "desktop");
    AtomicReference<ConsoleOpening> opened = new AtomicReference<>();
    Supplier<ConsoleApi> open =
        () -> {
          synchronized (opened) {
            if (opened.get() == null) {
              opened.set(opener.open());
            }
            return opened.get();
          }
        };
    // a hang-up or kill ends the JVM without unwinding: the console still closes, releasing its
    // Leases and saving a sandbox served in-process
    Thread hangUp =
        new Thread(() -> Optional.ofNullable(opened.get()).ifPresent(ConsoleOpening::close), "weir-desktop-close");
    Runtime.getRuntime().addShutdownHook(hangUp);
    int status;
    try {
      status = face.get().show(open, new DesktopFace.Launch(chosen, environment.variables(), environment.home()));
    } finally {
      Optional.ofNullable(opened.get()).ifPresent(ConsoleOpening::close);
      try {
        Runtime.getRuntime().removeShutdownHook(hangUp);
      } catch (IllegalStateException e) {
        // already shutting down: the hook closes it
      }
    }
    ConsoleOpening opening = opened.get();
    if (opening == null) {
      return status;
    }
    try {
      opening.ready().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return TuiCommand.failed(e.getCause(), System.err);
    } catch (TimeoutException e) {
      System.err.println("weir: the console was still opening; left behind");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return status;
  }

  /** The theme {@code --theme} names. */
  static Theme theme(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    return Theme.byId(wanted)
        .orElseThrow(
            () ->
                new CommandException(
                    ExitCodes.BAD_INPUT,
                    "--theme: no theme named '"
                        + name
                        + "'; known: "
                        + String.join(", ", Arrays.stream(Theme.values()).map(Theme::id).toList())));
  }
}
