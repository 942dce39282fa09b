package dev.weir.tui.screen;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The terminal console's first frame, drawn by the program's entry point before anything but
 * {@code java.base} is loaded: {@code weir tui}'s loading frame (header, "Opening…", the step under
 * way) on the terminal's alternate screen, as the console itself draws it, so that it appears
 * within the JVM's own start rather than after picocli, Lanterna and the engine have loaded
 * (seconds on a busy machine). The console then takes the terminal over ({@link #handOver}) and
 * draws the same frame, filled as the engine learns.
 *
 * <p>Design note. Until the console has the terminal, what the program prints (a bad option, a bad
 * kubeconfig: one line and exit 2) would land on the alternate screen and vanish with it, so
 * {@code System.out} and {@code System.err} are held while the splash shows and printed, in full,
 * once the terminal is back to normal: at the program's end ({@link #finish}), or in a shutdown hook
 * when it is interrupted (Ctrl+C or a hang-up before the console started). Only a terminal gets a
 * splash (stdout a tty, {@code TERM} set and not {@code dumb}); pipes and tests never see one.
 */
public final class Splash {
  private static final String ENTER = "\u001b[?1049h\u001b[H\u001b[2J";
  private static final String LEAVE = "\u001b[?1049l";
  private static Splash shown;

  private final PrintStream out;
  private final PrintStream err;
  private final ByteArrayOutputStream heldOut = new ByteArrayOutputStream();
  private final ByteArrayOutputStream heldErr = new ByteArrayOutputStream();
  private boolean handedOver;
  private boolean finished;

  private Splash(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Draws the loading frame when {@code args} run the terminal console on a terminal; otherwise
   * does nothing.
   */
  public static synchronized void show(String[] args, Map<String, String> environment) {
    if (shown != null || !wanted(List.of(args), environment) || !stdoutIsATerminal()) {
      return;
    }
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    Splash splash = new Splash(out, err);
    out.print(frame(!environment.getOrDefault("NO_COLOR", "").isEmpty()));
    out.flush();
    System.setOut(new PrintStream(splash.heldOut, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(splash.heldErr, true, StandardCharsets.UTF_8));
    shown = splash;
    Runtime.getRuntime().addShutdownHook(new Thread(Splash::finish, "weir-splash"));
  }

  /** Whether {@code args} ask for the terminal console (and not its help or the version). */
  static boolean wanted(List<String> args, Map<String, String> environment) {
    String term = environment.getOrDefault("TERM", "");
    return !args.isEmpty()
        && args.getFirst().equals("tui")
        && args.stream().noneMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"))
        && !term.isEmpty()
        && !term.equals("dumb");
  }

  /** The loading frame: what the console's first frame shows while the sandbox starts. */
  static String frame(boolean noColour) {
    String bold = "\u001b[1m";
    String muted = noColour ? "" : "\u001b[2m";
    String reset = "\u001b[0m";
    return ENTER
        + at(1, 1) + bold + " weir" + reset + " › applications" + muted + "  ctx:loading…  repo:loading…" + reset
        + at(3, 3) + bold + "Opening…" + reset
        + at(5, 5) + "▶ start weir"
        + at(6, 9) + muted + "loading the program" + reset
        + at(8, 1);
  }

  private static String at(int row, int column) {
    return "\u001b[" + row + ";" + column + "H";
  }

  private static boolean stdoutIsATerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false; // not Linux, or cannot tell: no splash
    }
  }

  /**
   * The console takes the terminal: {@code System.out} is the terminal's again (Lanterna writes
   * there). What was printed meanwhile stays held until {@link #finish}.
   */
  public static synchronized void handOver() {
    if (shown == null || shown.handedOver) {
      return;
    }
    shown.handedOver = true;
    System.setOut(shown.out);
  }

  /**
   * The program ends: leaves the splash's alternate screen when the console never took it, then
   * prints what was held. Safe to call more than once.
   */
  public static synchronized void finish() {
    Splash splash = shown;
    if (splash == null || splash.finished) {
      return;
    }
    splash.finished = true;
    if (!splash.handedOver) {
      splash.out.print(LEAVE);
    }
    splash.out.write(splash.heldOut.toByteArray(), 0, splash.heldOut.size());
    splash.out.flush();
    splash.err.write(splash.heldErr.toByteArray(), 0, splash.heldErr.size());
    splash.err.flush();
    System.setOut(splash.out);
    System.setErr(splash.err);
  }
}
