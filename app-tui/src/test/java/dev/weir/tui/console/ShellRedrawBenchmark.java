package dev.weir.tui.console;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.themes.ColourDepth;
import dev.weir.themes.Theme;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.TerminalPalette;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A keypress redraw of the terminal console with 500 applications (50 of them rolling out): the
 * {@link Shell} answers {@code j} or {@code k} (the selection moves), draws the whole screen with
 * a {@link Painter}, and the Lanterna screen sends the changed cells to an in-memory terminal, as
 * the {@code TerminalRunner} does for each key. Target: under 50 ms.
 *
 * <p>{@code ./build bench-tui ShellRedrawBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ShellRedrawBenchmark {
  @Param({"80x24", "120x40"})
  public String size;

  private Screen screen;
  private Painter painter;
  private Shell shell;
  private boolean down;
  private final KeyStroke j = new KeyStroke('j', false, false);
  private final KeyStroke k = new KeyStroke('k', false, false);

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String[] parts = size.split("x");
    DefaultVirtualTerminal terminal =
        new DefaultVirtualTerminal(
            new TerminalSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
    screen = new TerminalScreen(terminal);
    screen.startScreen();
    painter = new Painter(screen, new TerminalPalette(Theme.DARK, ColourDepth.TRUE_COLOUR));
    List<ApplicationView> applications = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String name = String.format("app-%03d", i);
      applications.add(
          i % 10 == 0
              ? Fixtures.withRollout(name, RolloutPhase.PROGRESSING, 25, "step 3/7")
              : Fixtures.healthy(name));
    }
    FakeConsole console = new FakeConsole(FakeConsole.loaded(applications));
    shell = new Shell(console, Runnable::run, ZoneOffset.UTC);
    shell.handle(new KeyStroke(com.googlecode.lanterna.input.KeyType.Escape)); // a key was pressed
    for (int i = 0; i < 250; i++) {
      shell.handle(j); // the selection in the middle: moving it scrolls the list
    }
    redraw();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    screen.stopScreen();
  }

  @Benchmark
  public Screen keypressRedraw() throws IOException {
    down = !down;
    shell.handle(down ? j : k);
    redraw();
    return screen;
  }

  private void redraw() throws IOException {
    shell.draw(painter);
    screen.refresh(Screen.RefreshType.DELTA);
  }
}
