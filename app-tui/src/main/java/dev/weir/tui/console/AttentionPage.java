package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.AttentionItem;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The needs-attention queue, worst first, the first item selected: what the console opens on when
 * anything needs a person. Below it, as much of the application list as fits.
 */
final class AttentionPage implements Page {
  private final Selection selection = new Selection();
  private final ApplicationsPage applications = new ApplicationsPage();
  private String filter = "";

  @Override
  public ConsoleView view() {
    return ConsoleView.ATTENTION;
  }

  @Override
  public String breadcrumb() {
    return "attention";
  }

  List<AttentionItem> items(ConsoleSnapshot snapshot) {
    String wanted = filter.toLowerCase(Locale.ROOT);
    return snapshot.attention().stream()
        .filter(
            i ->
                wanted.isEmpty()
                    || i.application().toLowerCase(Locale.ROOT).contains(wanted)
                    || i.message().toLowerCase(Locale.ROOT).contains(wanted))
        .toList();
  }

  static String key(AttentionItem item) {
    return item.kind() + "/" + item.application() + "/" + item.message();
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    List<AttentionItem> items = items(snapshot);
    List<String> keys = items.stream().map(AttentionPage::key).toList();
    int rows = Math.max(1, Math.min(items.size(), Math.max(3, body.height() / 2 - 2)));
    Painter box = body.region(0, 0, body.width(), rows + 2);
    String title =
        "Needs attention (" + items.size() + ")" + (filter.isEmpty() ? "" : "  /" + filter);
    Frames.box(box, title, items.isEmpty() ? Token.BORDER : Token.DANGER, Token.BACKGROUND);
    if (items.isEmpty()) {
      box.text(2, 1, "nothing needs attention", Token.SUCCESS);
    }
    int top = selection.top(keys, rows);
    int selected = selection.index(keys);
    int width = body.width() - 2;
    for (int row = 0; row < rows && top + row < items.size(); row++) {
      AttentionItem item = items.get(top + row);
      boolean chosen = top + row == selected;
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Token text = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      Painter line = box.region(1, row + 1, width, 1);
      line.fill(0, 0, width, ' ', text, ground);
      line.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      line.text(1, 0, Badges.icon(item.severity()), chosen ? text : Badges.token(item.severity()), ground);
      line.text(3, 0, Text.pad(item.application().isEmpty() ? "(all)" : item.application(), 12), text, ground);
      String action = actionKey(item).map(a -> "<" + a.key() + "> " + a.words()).orElse("");
      String age = age(item.age(snapshot.at()));
      int right = action.length() + age.length() + 2;
      line.fitted(16, 0, item.message(), Math.max(0, width - 16 - right), text, ground);
      line.text(width - right, 0, " " + age, chosen ? text : Token.FG_MUTED, ground);
      line.text(width - action.length(), 0, action, chosen ? text : Token.ACCENT, ground);
    }
    int below = rows + 2;
    if (body.height() - below >= 4) {
      applications.drawTable(body.region(0, below, body.width(), body.height() - below), snapshot, false);
    }
  }

  /** The console action that does an item's suggested action. */
  static Optional<ConsoleAction> actionKey(AttentionItem item) {
    return Optional.ofNullable(
        switch (item.action()) {
          case ROLLBACK -> ConsoleAction.ROLLBACK;
          case ABORT -> ConsoleAction.ABORT;
          case PROMOTE -> ConsoleAction.PROMOTE;
          case RETRY -> ConsoleAction.RETRY;
          case DIFF -> ConsoleAction.DIFF;
          case SYNC -> ConsoleAction.SYNC;
          case FREEZE -> ConsoleAction.FREEZE;
          case BACKPORT -> ConsoleAction.BACKPORT;
          case FIX_DEFINITION -> null;
        });
  }

  static String age(Duration age) {
    long s = age.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return age.toMinutes() + "m";
    }
    return age.toHours() + "h";
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    List<String> keys = items(snapshot).stream().map(AttentionPage::key).toList();
    return selection.move(key, keys, 5);
  }

  Optional<AttentionItem> selected(ConsoleSnapshot snapshot) {
    List<AttentionItem> items = items(snapshot);
    int index = selection.index(items.stream().map(AttentionPage::key).toList());
    return index < 0 ? Optional.empty() : Optional.of(items.get(index));
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    Optional<AttentionItem> item = selected(snapshot);
    if (item.isEmpty() || item.get().application().isEmpty()) {
      return false;
    }
    if (action == ConsoleAction.OPEN) {
      String application = item.get().application();
      boolean rollout =
          switch (item.get().kind()) {
            case ROLLOUT_FAILED, ANALYSIS_FAILING, ROLLOUT_ABORTED, ROLLOUT_INCONCLUSIVE,
                ROLLOUT_PAUSED -> true;
            default -> false;
          };
      shell.push(rollout ? ConsoleView.ROLLOUT : ConsoleView.APPLICATION, Optional.of(application));
      return true;
    }
    return Acts.on(action, item.get().application(), shell);
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return selected(snapshot).map(AttentionItem::application).filter(a -> !a.isEmpty());
  }

  @Override
  public void filter(String text) {
    filter = text;
  }

  @Override
  public String filter() {
    return filter;
  }
}
