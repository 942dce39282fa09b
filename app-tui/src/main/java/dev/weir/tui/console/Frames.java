package dev.weir.tui.console;

import com.googlecode.lanterna.SGR;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import java.util.EnumSet;

/** Boxes with a title in their top line: {@code ┌ Needs attention (4) ──┐}. */
final class Frames {
  private Frames() {}

  static void box(Painter box, String title, Token edge, Token background) {
    int w = box.width();
    int h = box.height();
    if (w < 2 || h < 2) {
      return;
    }
    box.text(0, 0, "┌" + "─".repeat(w - 2) + "┐", edge, background);
    for (int row = 1; row < h - 1; row++) {
      box.text(0, row, "│", edge, background);
      box.text(w - 1, row, "│", edge, background);
    }
    box.text(0, h - 1, "└" + "─".repeat(w - 2) + "┘", edge, background);
    if (!title.isEmpty()) {
      box.text(2, 0, " " + Shell.fit(title, w - 6) + " ", Token.FG_DEFAULT, background, EnumSet.of(SGR.BOLD));
    }
  }
}
