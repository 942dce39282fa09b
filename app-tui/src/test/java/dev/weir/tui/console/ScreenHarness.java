package dev.weir.tui.console;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.themes.ColourDepth;
import dev.weir.themes.Theme;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.TerminalPalette;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The terminal console on Lanterna's in-memory terminal, driven from the test's thread: keys in,
 * the screen's text out. Work the shell hands to the UI thread is queued and run by {@link
 * #settle()}, so a test decides when command results arrive, with no threads and no sleeps.
 */
final class ScreenHarness {
  final DefaultVirtualTerminal terminal;
  final Screen screen;
  final TerminalPalette palette;
  final Shell shell;
  private final java.util.concurrent.BlockingQueue<Runnable> ui =
      new java.util.concurrent.LinkedBlockingQueue<>();
  private final AutoCloseable subscription;

  ScreenHarness(ConsoleApi console, int columns, int rows, ColourDepth depth) {
    try {
      terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
      screen = new TerminalScreen(terminal);
      screen.startScreen();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    palette = new TerminalPalette(Theme.DARK, depth);
    shell = new Shell(console, ui::add, ZoneOffset.UTC, Runnable::run); // background work in place
    subscription = console.subscribe(snapshot -> ui.add(() -> shell.show(snapshot)));
    settle();
  }

  ScreenHarness(ConsoleApi console) {
    this(console, 80, 24, ColourDepth.TRUE_COLOUR);
  }

  /** Runs what is queued for the UI thread (snapshots, command results), then draws. */
  ScreenHarness settle() {
    // listeners run on their own threads: wait for the queue to stay empty a moment is not allowed;
    // instead drain what is there now, repeatedly, until nothing new arrives in one pass
    for (int pass = 0; pass < 100; pass++) {
      Runnable task = ui.poll();
      if (task == null) {
        break;
      }
      task.run();
    }
    draw();
    return this;
  }

  /**
   * For the real console, whose answers come from its own threads: runs what arrives for the UI
   * thread, drawing after each, until the screen's text contains {@code text}; fails after {@code
   * timeout} without it. It waits for the engine's work, never for a fixed time.
   */
  ScreenHarness awaitText(String text, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    settle();
    while (!text().contains(text)) {
      long left = deadline - System.nanoTime();
      Runnable task;
      try {
        task = left <= 0 ? null : ui.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (task == null) {
        throw new AssertionError("no '" + text + "' on the screen after " + timeout + ":\n" + text());
      }
      task.run();
      settle();
    }
    return this;
  }

  /** Shows {@code snapshot} as if the engine had published it. */
  ScreenHarness show(ConsoleSnapshot snapshot) {
    shell.show(snapshot);
    return settle();
  }

  /** Presses keys named as {@link Keys#name} names them ({@code a}, {@code enter}, {@code esc}). */
  ScreenHarness press(String... keys) {
    for (String key : keys) {
      shell.handle(stroke(key));
      settle();
    }
    return this;
  }

  /** Types text at a prompt. */
  ScreenHarness type(String text) {
    for (char c : text.toCharArray()) {
      shell.handle(new KeyStroke(c, false, false));
    }
    return settle();
  }

  static KeyStroke stroke(String name) {
    return switch (name) {
      case "enter" -> new KeyStroke(KeyType.Enter);
      case "esc" -> new KeyStroke(KeyType.Escape);
      case "tab" -> new KeyStroke(KeyType.Tab);
      case "backspace" -> new KeyStroke(KeyType.Backspace);
      case "up" -> new KeyStroke(KeyType.ArrowUp);
      case "down" -> new KeyStroke(KeyType.ArrowDown);
      case "left" -> new KeyStroke(KeyType.ArrowLeft);
      case "right" -> new KeyStroke(KeyType.ArrowRight);
      case "shift+left" -> new KeyStroke(KeyType.ArrowLeft, false, false, true);
      case "shift+right" -> new KeyStroke(KeyType.ArrowRight, false, false, true);
      case "pgup" -> new KeyStroke(KeyType.PageUp);
      case "pgdn" -> new KeyStroke(KeyType.PageDown);
      case "home" -> new KeyStroke(KeyType.Home);
      case "end" -> new KeyStroke(KeyType.End);
      case "space" -> new KeyStroke(' ', false, false);
      case "ctrl+c" -> new KeyStroke('c', true, false);
      case "ctrl+r" -> new KeyStroke('r', true, false);
      default -> {
        if (name.length() != 1) {
          throw new IllegalArgumentException("no key named " + name);
        }
        yield new KeyStroke(name.charAt(0), false, false);
      }
    };
  }

  void draw() {
    shell.draw(new Painter(screen, palette));
    try {
      screen.refresh(Screen.RefreshType.DELTA);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Row {@code row} as text, trailing blanks cut. */
  String row(int row) {
    StringBuilder line = new StringBuilder();
    int columns = terminal.getTerminalSize().getColumns();
    for (int column = 0; column < columns; column++) {
      line.append(terminal.getCharacter(column, row).getCharacterString());
    }
    return line.toString().stripTrailing();
  }

  /** The whole screen, one line per row. */
  String text() {
    List<String> rows = new ArrayList<>();
    for (int row = 0; row < terminal.getTerminalSize().getRows(); row++) {
      rows.add(row(row));
    }
    return String.join("\n", rows) + "\n";
  }

  /** The cell at {@code column}, {@code row}. */
  TextCharacter cell(int column, int row) {
    return terminal.getCharacter(column, row);
  }

  /** The row whose text contains {@code text}, or -1. */
  int rowOf(String text) {
    return rowOf(text, 0);
  }

  /** The first row from {@code from} on that contains {@code text}; -1 when none. */
  int rowOf(String text, int from) {
    for (int row = from; row < terminal.getTerminalSize().getRows(); row++) {
      if (row(row).contains(text)) {
        return row;
      }
    }
    return -1;
  }

  void close() throws Exception {
    subscription.close();
    screen.stopScreen();
  }
}
