package dev.weir.tui.console;

import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleSnapshot.Loading.Stage;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;

/** The body while the console is opened: the steps, the current one marked, or why it failed. */
final class Loading {
  private Loading() {}

  static void draw(Painter body, ConsoleSnapshot snapshot) {
    var loading = snapshot.loading().orElseThrow();
    if (loading.stage() == Stage.FAILED) {
      body.text(2, 1, "✖ the console could not be opened", Token.DANGER);
      body.fitted(4, 2, loading.message(), body.width() - 6, Token.FG_DEFAULT, Token.BACKGROUND);
      body.text(4, 4, ":q quits", Token.FG_MUTED);
      return;
    }
    body.text(2, 1, "Opening…", Token.ACCENT);
    int row = 3;
    for (Stage stage : Stage.values()) {
      if (stage == Stage.FAILED) {
        continue;
      }
      boolean current = stage == loading.stage();
      boolean done = stage.ordinal() < loading.stage().ordinal();
      String mark = done ? "✓" : current ? "▶" : " ";
      String words =
          switch (stage) {
            case CLONING -> "clone the repository";
            case FETCHING -> "fetch the repository";
            case CONNECTING -> "connect to the cluster";
            case READING -> "compare Git with the cluster";
            case FAILED -> "";
          };
      body.text(4, row, mark + " " + words, done ? Token.SUCCESS : current ? Token.FG_DEFAULT : Token.FG_MUTED);
      if (current) {
        body.fitted(8, row + 1, loading.message(), body.width() - 10, Token.FG_MUTED, Token.BACKGROUND);
        row++;
      }
      row++;
    }
  }
}
