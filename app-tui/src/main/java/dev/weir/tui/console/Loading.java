package dev.weir.tui.console;

import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleSnapshot.Loading.Stage;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import java.util.ArrayList;
import java.util.List;

/**
 * The body while the console is opened: the steps in the order they ran, the current one marked
 * and the ones to come after them, or why it failed. The engine's stages do not always run in one
 * order (on the sandbox, the cluster is started before the repository is cloned, then connected
 * to), so a step is ticked only once it was seen and another followed it.
 */
final class Loading {
  private final List<Stage> seen = new ArrayList<>();

  /** Remembers the stage of {@code snapshot}, when it is loading. */
  void saw(ConsoleSnapshot snapshot) {
    snapshot.loading().map(ConsoleSnapshot.Loading::stage).filter(stage -> stage != Stage.FAILED).ifPresent(stage -> {
      seen.remove(stage);
      seen.add(stage);
    });
  }

  void draw(Painter body, ConsoleSnapshot snapshot) {
    var loading = snapshot.loading().orElseThrow();
    if (loading.stage() == Stage.FAILED) {
      body.text(2, 1, "✖ the console could not be opened", Token.DANGER);
      body.fitted(4, 2, loading.message(), body.width() - 6, Token.FG_DEFAULT, Token.BACKGROUND);
      body.text(4, 4, ":q quits", Token.FG_MUTED);
      return;
    }
    saw(snapshot);
    body.text(2, 1, "Opening…", Token.ACCENT);
    List<Stage> order = new ArrayList<>(seen);
    for (Stage stage : Stage.values()) {
      // cloning and fetching are one step done one way or the other: to come, it is "clone"
      boolean alternative =
          stage == Stage.FETCHING || (stage == Stage.CLONING && order.contains(Stage.FETCHING));
      if (stage != Stage.FAILED && !order.contains(stage) && !alternative) {
        order.add(stage);
      }
    }
    int row = 3;
    int current = order.indexOf(loading.stage());
    for (int i = 0; i < order.size(); i++) {
      Stage stage = order.get(i);
      boolean done = i < current;
      boolean now = i == current;
      String mark = done ? "✓" : now ? "▶" : " ";
      String words =
          switch (stage) {
            case CLONING -> "clone the repository";
            case FETCHING -> "fetch the repository";
            case CONNECTING -> "connect to the cluster";
            case READING -> "compare Git with the cluster";
            case FAILED -> "";
          };
      body.text(4, row, mark + " " + words, done ? Token.SUCCESS : now ? Token.FG_DEFAULT : Token.FG_MUTED);
      if (now) {
        body.fitted(8, row + 1, loading.message(), body.width() - 10, Token.FG_MUTED, Token.BACKGROUND);
        row++;
      }
      row++;
    }
  }
}
