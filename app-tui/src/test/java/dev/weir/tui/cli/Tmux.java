package dev.weir.tui.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program on a real terminal: a detached tmux session on a server of its own (its own socket),
 * driven with {@code send-keys} and read with {@code capture-pane}, as a person at a terminal would.
 * The pane stays after the program ends, with its exit status printed by the shell around it.
 *
 * <p>Waiting on the real process is the only waiting here: {@link #await} polls the screen with a
 * deadline and fails with the last screen.
 */
final class Tmux implements AutoCloseable {
  private final String socket;
  private final String session = "weir";

  private Tmux(String socket) {
    this.socket = socket;
  }

  /** Whether tmux is installed. */
  static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tmux"))) {
        return true;
      }
    }
    return false;
  }

  /** Starts {@code command} (a shell command line) in a {@code columns}×{@code rows} terminal. */
  static Tmux start(String command, int columns, int rows) throws IOException {
    Tmux tmux = new Tmux("weir-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    // remain-on-exit first (a server of our own, started by this command), then the session
    tmux.run("-f", "/dev/null", "new-session", "-d", "-s", tmux.session, "-x", Integer.toString(columns),
        "-y", Integer.toString(rows), "sh", "-c", command + "; echo \"[exit $?]\"", ";",
        "set-option", "-t", tmux.session, "remain-on-exit", "on");
    return tmux;
  }

  /** Sends keys as tmux names them ({@code a}, {@code Enter}, {@code C-c}, {@code Escape}). */
  Tmux send(String... keys) throws IOException {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    run(args.toArray(String[]::new));
    return this;
  }

  /** Records every byte the program writes to the terminal from now on into {@code file}. */
  Tmux record(Path file) throws IOException {
    run("pipe-pane", "-o", "-t", session, "cat >> '" + file.toString().replace("'", "'\\''") + "'");
    return this;
  }

  /** The screen's text now, one line per row. */
  String screen() throws IOException {
    return run("capture-pane", "-p", "-t", session);
  }

  /** Whether the program has ended, and its exit status ({@code -1} while it runs). */
  int exitStatus() throws IOException {
    // the shell around the program prints its status once it has ended (tmux 3.3's
    // pane_dead_status is not always set for a program that restored the terminal itself)
    // or tmux's own "Pane is dead (status N, …)"
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\[exit (\\d+)]|Pane is dead \\(status (\\d+)").matcher(screen());
    if (!m.find()) {
      return -1;
    }
    return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
  }

  /**
   * Polls the screen until {@code condition} holds, for at most {@code deadline}; fails with what
   * was asked and the last screen.
   */
  String await(String what, Duration deadline, Predicate<String> condition) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    String screen = screen();
    while (!condition.test(screen)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "after " + deadline.toSeconds() + " s, still waiting for " + what + "; the screen:\n" + screen);
      }
      pause();
      screen = screen();
    }
    return screen;
  }

  /** Polls until the program has ended; its exit status. */
  int awaitExit(Duration deadline) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    int status = exitStatus();
    while (status < 0) {
      if (System.nanoTime() > end) {
        throw new AssertionError("the program did not end within " + deadline.toSeconds()
            + " s; the screen:\n" + screen());
      }
      pause();
      status = exitStatus();
    }
    return status;
  }

  /** Between two looks at a real process's screen (polling a process, not timing Weir). */
  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  String run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("tmux " + String.join(" ", args) + " did not answer");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    try {
      run("kill-server");
    } catch (AssertionError e) {
      // already gone
    }
  }
}
