package dev.weir.tui.screen;

import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.weir.themes.ColourDepth;
import dev.weir.themes.Theme;
import dev.weir.themes.Token;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TerminalRunnerTest {

  /** Counts keys, quits on q, shows the count and the size. */
  static final class Counter implements TerminalApp {
    final AtomicInteger keys = new AtomicInteger();
    final CompletableFuture<Void> twoKeys = new CompletableFuture<>();

    @Override
    public void draw(Painter painter) {
      painter.clear(Token.BACKGROUND);
      painter.text(0, 0, "keys: " + keys.get(), Token.DANGER);
      painter.text(0, 1, painter.width() + "×" + painter.height(), Token.FG_DEFAULT);
    }

    @Override
    public boolean handle(KeyStroke key) {
      if (key.getKeyType() == KeyType.Character && key.getCharacter() == 'q') {
        return false;
      }
      if (keys.incrementAndGet() == 2) {
        twoKeys.complete(null);
      }
      return true;
    }
  }

  static String row(DefaultVirtualTerminal terminal, int row, int columns) {
    StringBuilder line = new StringBuilder();
    for (int column = 0; column < columns; column++) {
      line.append(terminal.getCharacter(column, row).getCharacterString());
    }
    return line.toString().stripTrailing();
  }

  @Test
  void keysAreAnsweredOnTheUiThreadAndTheScreenFollowsResizesAndQuits() throws Exception {
    DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
    Counter app = new Counter();
    TerminalRunner runner =
        TerminalRunner.start(terminal, new TerminalPalette(Theme.DARK, ColourDepth.TRUE_COLOUR), r -> app);
    runner.settled().get(5, TimeUnit.SECONDS);
    assertThat(row(terminal, 0, 80)).isEqualTo("keys: 0");
    assertThat(row(terminal, 1, 80)).isEqualTo("80×24");
    assertThat(terminal.getCharacter(0, 0).getForegroundColor()).isEqualTo(new TextColor.RGB(255, 92, 92));
    assertThat(terminal.getCharacter(0, 0).isBold()).as("danger is bold as well as red").isTrue();

    terminal.addInput(KeyStroke.fromString("x"));
    terminal.addInput(KeyStroke.fromString("y"));
    app.twoKeys.get(5, TimeUnit.SECONDS);
    runner.settled().get(5, TimeUnit.SECONDS);
    assertThat(row(terminal, 0, 80)).isEqualTo("keys: 2");

    terminal.setTerminalSize(new TerminalSize(120, 40));
    runner.settled().get(5, TimeUnit.SECONDS);
    runner.settled().get(5, TimeUnit.SECONDS);
    assertThat(row(terminal, 1, 120)).isEqualTo("120×40");

    terminal.addInput(KeyStroke.fromString("q"));
    runner.ended().get(5, TimeUnit.SECONDS);
    runner.close();
  }

  @Test
  void theEndOfInputEndsTheProgram() throws Exception {
    DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
    TerminalRunner runner =
        TerminalRunner.start(terminal, new TerminalPalette(Theme.DARK, ColourDepth.NONE), r -> new Counter());
    terminal.addInput(new KeyStroke(KeyType.EOF));
    runner.ended().get(5, TimeUnit.SECONDS);
    runner.close();
  }

  @Test
  void withoutColourMeaningIsCarriedByEmphasis() throws Exception {
    DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
    TerminalRunner runner =
        TerminalRunner.start(terminal, new TerminalPalette(Theme.DARK, ColourDepth.NONE), r -> new Counter());
    runner.settled().get(5, TimeUnit.SECONDS);
    assertThat(terminal.getCharacter(0, 0).getForegroundColor()).isEqualTo(TextColor.ANSI.DEFAULT);
    assertThat(terminal.getCharacter(0, 0).isBold()).isTrue();
    assertThat(terminal.getCharacter(0, 1).isBold()).isFalse();
    runner.close();
  }
}
