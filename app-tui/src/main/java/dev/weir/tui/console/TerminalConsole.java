package dev.weir.tui.console;

import com.googlecode.lanterna.terminal.Terminal;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.tui.screen.TerminalPalette;
import dev.weir.tui.screen.TerminalRunner;
import java.io.IOException;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The terminal console on a terminal: a {@link Shell} over a console run by a {@link
 * TerminalRunner}, every snapshot hopped onto the UI thread. {@link #run} returns when the person
 * quits ({@code :q}, Ctrl+C) or the terminal's input ends (a lost SSH connection), the terminal
 * restored; the console itself is the caller's to close.
 */
public final class TerminalConsole {
  private TerminalConsole() {}

  /**
   * Starts the console on {@code terminal}; the first frame is drawn before this returns.
   *
   * @return the runner; {@link TerminalRunner#ended()} completes when the console has ended
   */
  public static TerminalRunner start(
      ConsoleApi console, Terminal terminal, TerminalPalette palette, ZoneId zone)
      throws IOException {
    AtomicReference<ConsoleApi.Subscription> subscription = new AtomicReference<>();
    TerminalRunner runner =
        TerminalRunner.start(
            terminal,
            palette,
            r -> {
              Shell shell = new Shell(console, r::ui, zone);
              subscription.set(console.subscribe(snapshot -> r.ui(() -> shell.show(snapshot))));
              return shell;
            });
    runner.ended().whenComplete((done, failure) -> {
      ConsoleApi.Subscription s = subscription.get();
      if (s != null) {
        s.close();
      }
    });
    return runner;
  }

  /** As {@link #start}, then waits until the console has ended. */
  public static void run(ConsoleApi console, Terminal terminal, TerminalPalette palette, ZoneId zone)
      throws IOException {
    TerminalRunner runner = start(console, terminal, palette, zone);
    try {
      runner.ended().join();
    } finally {
      runner.close();
    }
  }
}
