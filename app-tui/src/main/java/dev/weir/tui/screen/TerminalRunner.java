package dev.weir.tui.screen;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import com.googlecode.lanterna.terminal.virtual.VirtualTerminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Runs a {@link TerminalApp} on a terminal: one UI thread that draws and answers keys, one thread
 * that reads the terminal, and nothing else. Work from other threads (a new snapshot) comes in
 * through {@link #ui()}; each task is followed by one redraw, coalesced when tasks pile up.
 *
 * <p>Design note. The UI thread never waits on the network: the app's commands return futures whose
 * completions hop back through {@link #ui()}. The screen is a Lanterna {@link TerminalScreen}, so a
 * redraw sends only changed cells. The program ends on the app's word (a key), on the end of input
 * (a lost SSH connection), or on {@link #stop()}; the terminal is restored in every case.
 */
public final class TerminalRunner implements AutoCloseable {
  private final Screen screen;
  private final TerminalPalette palette;
  private final ExecutorService ui;
  private final AtomicBoolean redrawPending = new AtomicBoolean();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  // Lanterna's in-memory terminal holds its lock while it blocks for input, which would stop every
  // drawing call: it is polled instead. Real terminals block in readInput without that lock.
  private final boolean pollsForInput;
  private volatile TerminalApp app;
  private Thread reader;

  private TerminalRunner(Terminal terminal, TerminalPalette palette) throws IOException {
    this.screen = new TerminalScreen(terminal);
    this.pollsForInput = terminal instanceof VirtualTerminal;
    this.palette = palette;
    this.ui =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "weir-ui");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts the screen and the app that {@code appFactory} makes (given this runner, to reach the UI
   * thread). The first frame is drawn before this returns.
   */
  public static TerminalRunner start(
      Terminal terminal, TerminalPalette palette, Function<TerminalRunner, TerminalApp> appFactory)
      throws IOException {
    TerminalRunner runner = new TerminalRunner(terminal, palette);
    runner.screen.startScreen();
    runner.screen.setCursorPosition(null);
    terminal.addResizeListener((t, size) -> runner.redraw());
    try {
      runner.ui.submit(() -> runner.app = appFactory.apply(runner)).get();
    } catch (Exception e) {
      runner.close();
      throw new IllegalStateException("the console could not start: " + e.getMessage(), e);
    }
    runner.redraw();
    runner.reader = new Thread(runner::readKeys, "weir-keys");
    runner.reader.setDaemon(true);
    runner.reader.start();
    return runner;
  }

  /**
   * The terminal this process runs in, as Lanterna's {@link DefaultTerminalFactory} makes it: a
   * text terminal (never a Swing window), UTF-8, with Ctrl+C delivered as a key (so the app quits
   * and restores the terminal itself) rather than as a signal.
   */
  public static Terminal systemTerminal() throws IOException {
    Splash.handOver(); // the terminal is the console's from now on
    return new DefaultTerminalFactory(System.out, System.in, StandardCharsets.UTF_8)
        .setForceTextTerminal(true)
        .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
        .createTerminal();
  }

  /** Runs {@code task} on the UI thread, then redraws. */
  public void ui(Runnable task) {
    if (ended.isDone()) {
      return;
    }
    ui.execute(
        () -> {
          task.run();
          redraw();
        });
  }

  /** Redraws soon on the UI thread; many calls before it runs make one redraw. */
  public void redraw() {
    if (ended.isDone() || !redrawPending.compareAndSet(false, true)) {
      return;
    }
    ui.execute(this::drawNow);
  }

  /** Completes once every task queued on the UI thread so far has run (for tests). */
  CompletableFuture<Void> settled() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (ended.isDone()) {
      done.complete(null);
    } else {
      ui.execute(() -> done.complete(null));
    }
    return done;
  }

  /** Completes when the program has ended and the terminal is restored. */
  public CompletableFuture<Void> ended() {
    return ended;
  }

  /** The terminal's size now. */
  public TerminalSize size() {
    return screen.getTerminalSize();
  }

  /** Ends the program: stops reading keys and restores the terminal. */
  public void stop() {
    ui.execute(this::end);
  }

  private void drawNow() {
    redrawPending.set(false);
    if (ended.isDone() || app == null) {
      return;
    }
    try {
      TerminalSize resized = screen.doResizeIfNecessary();
      if (resized != null) {
        screen.clear();
      }
      Painter painter = new Painter(screen, palette);
      app.draw(painter);
      screen.refresh(resized != null ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
    } catch (IOException e) {
      end();
    }
  }

  private void readKeys() {
    try {
      while (!ended.isDone()) {
        KeyStroke key = pollsForInput ? screen.pollInput() : screen.readInput();
        if (key == null) {
          if (pollsForInput) {
            LockSupport.parkNanos(5_000_000);
          }
          continue;
        }
        if (key.getKeyType() == KeyType.EOF) {
          ui.execute(this::end);
          return;
        }
        ui.execute(
            () -> {
              if (ended.isDone()) {
                return;
              }
              if (!app.handle(key)) {
                end();
              } else {
                drawNow();
              }
            });
      }
    } catch (IOException e) {
      ui.execute(this::end);
    }
  }

  private void end() {
    if (ended.isDone()) {
      return;
    }
    try {
      screen.stopScreen();
    } catch (IOException e) {
      // the terminal is gone (a lost SSH connection): nothing left to restore
    } finally {
      ended.complete(null);
      ui.shutdown();
    }
  }

  @Override
  public void close() {
    if (!ended.isDone()) {
      try {
        ui.submit(this::end).get();
      } catch (Exception e) {
        try {
          screen.stopScreen();
        } catch (IOException ignored) {
          // already gone
        }
        ended.complete(null);
      }
    }
    ui.shutdownNow();
  }
}
