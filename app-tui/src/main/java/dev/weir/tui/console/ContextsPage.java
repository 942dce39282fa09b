package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.util.List;
import java.util.Optional;

/**
 * The kubeconfig's contexts ({@code :ctx}), the current one marked and selected when the page
 * opens. Enter switches to the selected one after the engine's preview and a {@code y}; the header
 * follows with the next snapshot, which shows the new context.
 */
final class ContextsPage implements Page {
  private final Selection selection = new Selection();

  ContextsPage(ConsoleSnapshot snapshot) {
    selection.select(snapshot.header().context());
  }

  @Override
  public ConsoleView view() {
    return ConsoleView.CONTEXTS;
  }

  @Override
  public String breadcrumb() {
    return "contexts";
  }

  private static List<String> contexts(ConsoleSnapshot snapshot) {
    List<String> listed = snapshot.contexts();
    String current = snapshot.header().context();
    if (current.isEmpty() || listed.contains(current)) {
      return listed;
    }
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(current), listed.stream()).toList();
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    List<String> contexts = contexts(snapshot);
    String current = snapshot.header().context();
    Frames.box(body, "Contexts (" + contexts.size() + ")", Token.BORDER, Token.BACKGROUND);
    int width = body.width() - 2;
    Painter inner = body.region(1, 1, width, body.height() - 2);
    inner.fitted(0, 0, " " + Text.pad("CONTEXT", 30) + "STATE", width, Token.FG_MUTED, Token.BACKGROUND);
    int rows = inner.height() - 1;
    int top = selection.top(contexts, rows);
    int selected = selection.index(contexts);
    for (int row = 0; row < rows && top + row < contexts.size(); row++) {
      String context = contexts.get(top + row);
      boolean chosen = top + row == selected;
      boolean now = context.equals(current);
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Token plain = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      Painter line = inner.region(0, row + 1, width, 1);
      line.fill(0, 0, width, ' ', plain, ground);
      int x = line.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad((now ? "● " : "  ") + Text.fit(context, 27), 30), chosen ? plain : now ? Token.SUCCESS : plain, ground);
      String state;
      if (now) {
        state =
            "current"
                + (snapshot.header().server().isEmpty() ? "" : "  " + snapshot.header().server())
                + (snapshot.header().clusterUnreachableSince().isPresent() ? "  ⚠ unreachable" : "");
      } else {
        state = "enter switches";
      }
      line.fitted(x, 0, state, width - x, chosen ? plain : now ? Token.SUCCESS : Token.FG_MUTED, ground);
    }
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    return selection.move(key, contexts(snapshot), 10);
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    if (action != ConsoleAction.SWITCH_CONTEXT) {
      return false;
    }
    Optional<String> chosen = selection.selected(contexts(snapshot));
    if (chosen.isEmpty()) {
      return false;
    }
    String context = chosen.get();
    if (context.equals(snapshot.header().context())) {
      shell.say("already on context " + context, Token.FG_MUTED);
      return true;
    }
    shell.confirm(
        "Switch to context " + context,
        () -> shell.console().previewSwitchContext(context),
        () -> shell.console().switchContext(context),
        "switching to context " + context);
    return true;
  }
}
