package dev.weir.tui.console;

import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleView;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import java.util.ArrayList;
import java.util.List;

/** {@code ?}: every key of the current view, from its action table, and the keys of every view. */
final class Help {
  private Help() {}

  static List<String[]> rows(ConsoleView view) {
    List<String[]> rows = new ArrayList<>();
    for (ConsoleAction action : view.actions()) {
      rows.add(new String[] {action.key(), action.words() + (action.confirms() ? " (shows what it will do, asks y/n)" : "")});
    }
    rows.add(new String[] {"j k ↑ ↓", "move"});
    // the views on a row of their own: 80 columns do not hold them after the words
    rows.add(new String[] {":", "jump to a view (Tab completes):"});
    rows.add(new String[] {"", "  " + String.join(" ", Shell.commands())});
    if (view.actions().stream().noneMatch(a -> a.key().equals("esc"))) {
      rows.add(new String[] {"esc", "back"}); // once: most views list it among their actions
    }
    rows.add(new String[] {"ctrl+c :q", "quit"});
    return rows;
  }

  static void draw(Painter body, ConsoleView view) {
    List<String[]> rows = rows(view);
    int width = Math.min(body.width() - 2, 76);
    int height = Math.min(body.height(), rows.size() + 3);
    Painter box = body.region(Math.max(0, (body.width() - width) / 2), 0, width, height);
    box.clear(Token.SURFACE);
    Frames.box(box, "Keys: " + view.title() + " (any key closes)", Token.ACCENT, Token.SURFACE);
    for (int i = 0; i < rows.size() && i + 1 < height - 1; i++) {
      box.text(2, i + 1, rows.get(i)[0], Token.ACCENT, Token.SURFACE);
      box.fitted(14, i + 1, rows.get(i)[1], width - 16, Token.FG_DEFAULT, Token.SURFACE);
    }
  }
}
