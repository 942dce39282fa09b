package dev.weir.tui.launch;

import dev.weir.tui.cli.WeirCommand;
import dev.weir.tui.screen.Splash;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The {@code weir} program's entry point: a command that the running {@code weir sandbox serve}
 * can answer is handed to it ({@link ServedClient}); every other command runs here ({@link
 * WeirCommand}).
 */
public final class Main {
  /**
   * With this system property, a command the serve does not answer is not run here but ends with
   * {@link #NOT_SERVED}: {@code ./weir} starts the client on {@code target/classes} alone (no
   * 50-jar class path to open) and runs the full program only then.
   */
  static final String SERVED_ONLY = "weir.served-only";

  /** The exit code of a command not answered in {@link #SERVED_ONLY} mode: never one of Weir's. */
  static final int NOT_SERVED = 200;

  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // answered before picocli builds its tree of every command (most of a second of class
      // loading): the same lines as the command tree's version provider prints
      for (String line : VersionText.lines()) {
        System.out.println(line);
      }
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }
    OptionalInt served =
        ServedClient.forward(
            args,
            System.getenv(),
            Path.of(System.getProperty("user.home")),
            Path.of("").toAbsolutePath(),
            System.getProperty("stdout.encoding", "UTF-8"),
            new FileOutputStream(FileDescriptor.out),
            new FileOutputStream(FileDescriptor.err));
    if (served.isEmpty() && System.getProperty(SERVED_ONLY) != null) {
      Runtime.getRuntime().halt(NOT_SERVED); // ./weir runs the command in a full JVM
    }
    if (served.isPresent()) {
      // everything was written unbuffered and this process registered no shutdown hook: halt
      // skips System.exit's logging machinery, a few milliseconds of the answer
      Runtime.getRuntime().halt(served.getAsInt());
    }
    // weir tui on a terminal: its loading frame now, before picocli, Lanterna and the engine load
    Splash.show(args, System.getenv());
    // weir desktop: JavaFX's toolkit starts beside the reading of the command line
    DesktopStart.prepare(args);
    WeirCommand.main(args);
  }
}
