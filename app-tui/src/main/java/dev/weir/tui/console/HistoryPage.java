package dev.weir.tui.console;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ApplicationHistory;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.RevisionDiff;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One application's commits, newest first (short sha, date, author, subject), the one deployed now
 * marked. {@code d} shows what changed between the selected revision and the current one (the
 * engine's {@link RevisionDiff}, Secret values redacted), {@code r} rolls back to the selected
 * revision after the engine's preview: the exact commit message, the branch, the push, the sync
 * that follows and, for a rollout, all traffic to stable at once.
 *
 * <p>The history is asked for once when the page opens; its future completes off the UI thread
 * and hops back through {@link Shell#onUi}.
 */
final class HistoryPage implements Page {
  static final int MAX = 50;
  static final String REASON = "rolled back from the terminal console";
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private final String application;
  private final ZoneId zone;
  private final Selection selection = new Selection();
  private ApplicationHistory history; // null while asked
  private RevisionDiff diff; // shown while not null
  private String diffAsked = ""; // the revision a diff is being computed for
  private int diffTop;
  private int diffRows = 10;

  HistoryPage(Shell shell, String application) {
    this.application = application;
    this.zone = shell.zone();
    shell
        .console()
        .history(application, MAX)
        .whenComplete(
            (answer, failure) ->
                shell.onUi(
                    () ->
                        history =
                            failure != null
                                ? ApplicationHistory.failed(
                                    application,
                                    CommandResult.of(
                                        CommandResult.Status.FAILED, failure.getMessage()))
                                : answer));
  }

  @Override
  public ConsoleView view() {
    return ConsoleView.HISTORY;
  }

  @Override
  public String breadcrumb() {
    return application + " › history";
  }

  private List<ApplicationHistory.Commit> commits() {
    return history == null ? List.of() : history.commits();
  }

  private List<String> keys() {
    return commits().stream().map(ApplicationHistory.Commit::sha).toList();
  }

  Optional<ApplicationHistory.Commit> selected() {
    List<ApplicationHistory.Commit> commits = commits();
    int index = selection.index(keys());
    return index < 0 ? Optional.empty() : Optional.of(commits.get(index));
  }

  /** The revision deployed now: the application's in the snapshot. */
  private static String current(ConsoleSnapshot snapshot, String application) {
    return snapshot.application(application).map(ApplicationView::revision).orElse("");
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    boolean showingDiff = diff != null || !diffAsked.isEmpty();
    int listHeight = showingDiff ? Math.min(body.height(), Math.max(5, body.height() / 3)) : body.height();
    drawList(body.region(0, 0, body.width(), listHeight), snapshot);
    if (showingDiff && body.height() - listHeight >= 3) {
      drawDiff(body.region(0, listHeight, body.width(), body.height() - listHeight));
    }
  }

  private void drawList(Painter box, ConsoleSnapshot snapshot) {
    List<ApplicationHistory.Commit> commits = commits();
    String title =
        "History of "
            + application
            + (history == null || history.path().isEmpty() ? "" : "  " + history.path())
            + (history == null ? "" : "  (" + commits.size() + ")");
    Frames.box(box, title, Token.BORDER, Token.BACKGROUND);
    int width = box.width() - 2;
    Painter inner = box.region(1, 1, width, box.height() - 2);
    if (history == null) {
      inner.text(1, 0, "⟳ reading the commits that touched " + application + "…", Token.INFO);
      return;
    }
    if (!history.ok()) {
      inner.fitted(1, 0, "✖ " + history.message(), width - 1, Token.DANGER, Token.BACKGROUND);
      return;
    }
    if (commits.isEmpty()) {
      inner.fitted(1, 0, "no commit touched " + history.path(), width - 1, Token.FG_MUTED, Token.BACKGROUND);
      return;
    }
    boolean wide = width >= 100;
    int date = 18;
    int author = wide ? 20 : 14;
    inner.fitted(
        0,
        0,
        " " + Text.pad("COMMIT", 10) + Text.pad("DATE", date) + Text.pad("AUTHOR", author) + "SUBJECT",
        width,
        Token.FG_MUTED,
        Token.BACKGROUND);
    String now = current(snapshot, application);
    List<String> keys = keys();
    int rows = inner.height() - 1;
    int top = selection.top(keys, rows);
    int selected = selection.index(keys);
    for (int row = 0; row < rows && top + row < commits.size(); row++) {
      ApplicationHistory.Commit commit = commits.get(top + row);
      boolean chosen = top + row == selected;
      boolean deployed = !now.isEmpty() && commit.sha().startsWith(now);
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Token plain = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      Painter line = inner.region(0, row + 1, width, 1);
      line.fill(0, 0, width, ' ', plain, ground);
      int x = line.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad((deployed ? "●" : " ") + commit.shortSha(), 10), chosen ? plain : deployed ? Token.SUCCESS : Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad(WHEN.format(commit.date().atZone(zone)), date), chosen ? plain : Token.FG_MUTED, ground);
      x = line.text(x, 0, Text.pad(Text.fit(commit.author(), author - 1), author), plain, ground);
      String subject = commit.subject() + (deployed ? "  (current)" : "");
      line.fitted(x, 0, subject, width - x, plain, ground);
    }
  }

  private void drawDiff(Painter box) {
    String title =
        diff == null
            ? "Diff " + diffAsked
            : "Diff " + diff.from() + " → " + diff.to() + ": " + diff.message();
    Frames.box(box, title, Token.ACCENT, Token.BACKGROUND);
    int width = box.width() - 2;
    Painter inner = box.region(1, 1, width, box.height() - 2);
    diffRows = inner.height();
    if (diff == null) {
      inner.text(1, 0, "⟳ comparing " + diffAsked + " with the current revision…", Token.INFO);
      return;
    }
    if (!diff.ok()) {
      inner.fitted(1, 0, "✖ " + diff.message(), width - 1, Token.DANGER, Token.BACKGROUND);
      return;
    }
    List<String> lines = diffLines(diff);
    if (lines.isEmpty()) {
      inner.text(1, 0, "no object differs", Token.FG_MUTED);
      return;
    }
    diffTop = Math.max(0, Math.min(diffTop, Math.max(0, lines.size() - inner.height())));
    for (int row = 0; row < inner.height() && diffTop + row < lines.size(); row++) {
      String text = lines.get(diffTop + row);
      Token token = lineToken(text);
      EnumSet<SGR> style =
          text.startsWith("▸ ") ? EnumSet.of(SGR.BOLD) : EnumSet.noneOf(SGR.class);
      inner.text(0, row, Text.fit(text, width), token, Token.BACKGROUND, style);
    }
  }

  /** One heading per object ({@code ▸ apps/Deployment shop/web (changed)}), then its diff. */
  static List<String> diffLines(RevisionDiff diff) {
    List<String> lines = new ArrayList<>();
    for (RevisionDiff.Resource resource : diff.resources()) {
      lines.add("▸ " + resource.name() + " (" + resource.change().name().toLowerCase(Locale.ROOT) + ")");
      lines.addAll(resource.lines());
    }
    return lines;
  }

  private static Token lineToken(String line) {
    if (line.startsWith("▸ ")) {
      return Token.FG_DEFAULT;
    }
    if (line.startsWith("+++") || line.startsWith("---")) {
      return Token.FG_MUTED;
    }
    if (line.startsWith("@@")) {
      return Token.INFO;
    }
    if (line.startsWith("+")) {
      return Token.SUCCESS;
    }
    if (line.startsWith("-")) {
      return Token.DANGER;
    }
    return Token.FG_DEFAULT;
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    String name = Keys.name(key);
    if (diff != null || !diffAsked.isEmpty()) {
      if (name.equals("esc")) {
        diff = null;
        diffAsked = "";
        return true;
      }
      if (Keys.up(key) || Keys.down(key) || name.equals("pgup") || name.equals("pgdn")) {
        int step = name.startsWith("pg") ? Math.max(1, diffRows - 1) : 1;
        diffTop = Math.max(0, diffTop + (Keys.up(key) || name.equals("pgup") ? -step : step));
        return true;
      }
    }
    return selection.move(key, keys(), 10);
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    Optional<ApplicationHistory.Commit> commit = selected();
    if (commit.isEmpty()) {
      return false;
    }
    String revision = commit.get().shortSha();
    switch (action) {
      case DIFF -> {
        String now = current(snapshot, application);
        if (now.isEmpty()) {
          shell.say("no current revision of " + application + " to compare with", Token.WARNING);
          return true;
        }
        diff = null;
        diffAsked = revision;
        diffTop = 0;
        String asked = revision;
        shell
            .console()
            .diffRevisions(application, commit.get().sha(), now)
            .whenComplete(
                (answer, failure) ->
                    shell.onUi(
                        () -> {
                          if (!diffAsked.equals(asked)) {
                            return; // closed or another asked meanwhile
                          }
                          diff =
                              failure != null
                                  ? RevisionDiff.failed(
                                      application,
                                      asked,
                                      now,
                                      CommandResult.of(
                                          CommandResult.Status.FAILED, failure.getMessage()))
                                  : answer;
                        }));
        return true;
      }
      case ROLLBACK -> {
        String sha = commit.get().sha();
        shell.confirm(
            "Roll back " + application + " to " + revision,
            () -> shell.console().previewRollback(application, sha, REASON, true),
            () -> shell.console().rollback(application, sha, REASON, true),
            "rolling back " + application + " to " + revision);
        return true;
      }
      default -> {
        return Acts.on(action, application, shell);
      }
    }
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return Optional.of(application);
  }
}
