package dev.weir.tui.console;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.DriftField;
import dev.weir.engine.console.DriftObject;
import dev.weir.themes.Token;
import dev.weir.tui.console.ApplicationPage.DriftRow;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * An application's drift, in two views toggled with {@code v}: the unified diff exactly as {@code
 * weir diff} prints it (the engine's text: per object a header, one line per drifted field naming
 * who changed it, then cluster {@code ---} against Git {@code +++}), coloured by line; and a view
 * per field (Git's value, the cluster's, who set it and when). Secret values are the engine's
 * redacted ones ({@code <redacted, changed>}) in both. j/k and PgUp/PgDn scroll; in the unified
 * view n/N (or Tab) select the next or previous field, in the field view j/k move the selection.
 * {@code s} syncs (reverts the drift, taking back the fields others set, as {@code weir sync
 * --force-conflicts}), {@code h} hotfixes the selected field and {@code b}
 * backports the selected object, each after the engine's preview.
 */
final class DiffPage implements Page {
  /** A sync that reverts drift: it takes back fields other managers set. */
  static final Console.SyncOptions REVERT = new Console.SyncOptions(false, false, true, false);

  private final String application;
  private final Shell shell;
  private final Selection selection = new Selection();
  private boolean perField;
  private int top;
  private int visible = 10;

  DiffPage(String application, Shell shell) {
    this.application = application;
    this.shell = shell;
  }

  @Override
  public ConsoleView view() {
    return ConsoleView.DIFF;
  }

  @Override
  public String breadcrumb() {
    return application + " › drift";
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return Optional.of(application);
  }

  /** Whether the per-field view is shown (else the unified diff). */
  boolean perField() {
    return perField;
  }

  private enum Style {
    TITLE,
    FIELD,
    REMOVED,
    ADDED,
    HUNK,
    FILE,
    PLAIN,
    PROBLEM
  }

  /** One line of the page; {@code key} is the drift row it selects, if any. */
  private record Line(String text, Style style, String key) {}

  private List<Line> lines(ApplicationView app) {
    List<Line> lines = new ArrayList<>();
    if (!perField) {
      // exactly weir diff's text (ConsoleText.diff) for this application, line by line
      for (String problem : app.diffProblems()) {
        lines.add(new Line("# " + application + ": " + problem, Style.PROBLEM, null));
      }
      for (DriftObject object : app.drift(shell.zone())) {
        List<DriftField> fields = new ArrayList<>(object.fields());
        boolean first = true;
        for (String text : object.lines()) {
          if (text.isEmpty()) {
            continue;
          }
          if (first) {
            lines.add(new Line(text, Style.TITLE, fields.isEmpty() ? new DriftRow(object, Optional.empty()).key() : null));
            first = false;
            continue;
          }
          if (text.startsWith("#   ") && !fields.isEmpty() && text.substring(4).equals(fields.getFirst().line())) {
            DriftField field = fields.removeFirst();
            lines.add(new Line(text, Style.FIELD, new DriftRow(object, Optional.of(field)).key()));
          } else if (text.startsWith("#")) {
            lines.add(new Line(text, Style.PROBLEM, null));
          } else if (text.startsWith("---") || text.startsWith("+++")) {
            lines.add(new Line(text, Style.FILE, null));
          } else if (text.startsWith("@@")) {
            lines.add(new Line(text, Style.HUNK, null));
          } else if (text.startsWith("-")) {
            lines.add(new Line(text, Style.REMOVED, null));
          } else if (text.startsWith("+")) {
            lines.add(new Line(text, Style.ADDED, null));
          } else {
            lines.add(new Line(text, Style.PLAIN, null));
          }
        }
      }
      return lines;
    }
    int path = 8;
    int value = 8;
    for (DriftObject object : app.drift(shell.zone())) {
      for (DriftField f : object.fields()) {
        path = Math.max(path, Math.min(44, f.path().length()));
        if (!f.redacted()) {
          value = Math.max(value, Math.min(24, Math.max(f.git().length(), f.live().length())));
        }
      }
    }
    for (DriftObject object : app.drift(shell.zone())) {
      String changed =
          object
              .lastChange()
              .map(f -> "  · changed by " + f.who() + f.at().map(at -> " " + Header.time(at, shell.zone()).substring(0, 5)).orElse(""))
              .orElse("");
      lines.add(
          new Line(
              object.resource() + "  " + object.status() + changed + (object.hotfixed() ? "  (hotfix)" : ""),
              Style.TITLE,
              object.fields().isEmpty() ? new DriftRow(object, Optional.empty()).key() : null));
      if (!object.note().isEmpty()) {
        lines.add(new Line("  " + object.note(), Style.PROBLEM, null));
      }
      for (DriftField f : object.fields()) {
        String who = f.who().isEmpty() ? "" : f.who() + f.at().map(at -> " " + Header.time(at, shell.zone()).substring(0, 5)).orElse("");
        String text;
        if (f.redacted()) {
          // as weir diff says it: the value never shows, only that it changed
          text = "  " + Text.pad(f.path(), path) + "  " + Text.pad(f.git(), 2 * value + 11) + "  " + who;
        } else {
          text =
              "  "
                  + Text.pad(f.path(), path)
                  + "  Git "
                  + Text.pad(f.git().isEmpty() ? "—" : f.git(), value)
                  + "  live "
                  + Text.pad(f.live().isEmpty() ? "—" : f.live(), value)
                  + "  "
                  + who;
        }
        lines.add(new Line(text, Style.FIELD, new DriftRow(object, Optional.of(f)).key()));
      }
    }
    return lines;
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    Optional<ApplicationView> found = snapshot.application(application);
    if (found.isEmpty()) {
      body.fitted(1, 0, "no application named " + application + " in the latest snapshot (esc: back)", body.width() - 2, Token.WARNING, Token.BACKGROUND);
      return;
    }
    ApplicationView app = found.get();
    List<DriftRow> rows = ApplicationPage.driftRows(app, shell);
    long fields = rows.stream().filter(r -> r.field().isPresent()).count();
    long objects = rows.stream().map(r -> r.object().resource()).distinct().count();
    String title =
        rows.isEmpty()
            ? "Drift of " + application + ": none, Git and the cluster agree"
            : "Drift of " + application + ": " + fields + " field" + (fields == 1 ? "" : "s") + ", " + objects + " object" + (objects == 1 ? "" : "s")
                + (perField ? " · per field (v: unified)" : " · unified, --- live +++ Git (v: per field)");
    Frames.box(body, title, rows.isEmpty() ? Token.BORDER : Token.WARNING, Token.BACKGROUND);
    int width = body.width() - 2;
    Painter inner = body.region(1, 1, width, Math.max(0, body.height() - 2));
    visible = Math.max(1, inner.height());
    List<Line> lines = lines(app);
    List<String> keys = rows.stream().map(DriftRow::key).toList();
    String selected = selection.selected(keys).orElse(null);
    if (perField) {
      // keep the selected field in view
      int at = indexOf(lines, selected);
      if (at >= 0 && at < top) {
        top = at;
      } else if (at >= top + visible) {
        top = at - visible + 1;
      }
    }
    top = Math.max(0, Math.min(top, Math.max(0, lines.size() - visible)));
    for (int i = 0; i < visible && top + i < lines.size(); i++) {
      Line line = lines.get(top + i);
      boolean chosen = line.key() != null && line.key().equals(selected);
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Painter row = inner.region(0, i, width, 1);
      if (chosen) {
        row.fill(0, 0, width, ' ', Token.SELECTION_FG, ground);
      }
      row.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      Token token =
          chosen
              ? Token.SELECTION_FG
              : switch (line.style()) {
                case TITLE, FILE -> Token.FG_DEFAULT;
                case FIELD -> Token.WARNING;
                case REMOVED -> Token.DIFF_REMOVED;
                case ADDED -> Token.DIFF_ADDED;
                case HUNK -> Token.INFO;
                case PLAIN -> Token.FG_DEFAULT;
                case PROBLEM -> Token.FG_MUTED;
              };
      EnumSet<SGR> extra =
          line.style() == Style.TITLE || line.style() == Style.FILE ? EnumSet.of(SGR.BOLD) : EnumSet.noneOf(SGR.class);
      row.text(1, 0, Text.fit(line.text(), width - 1), token, ground, extra);
    }
    if (lines.size() > visible) {
      String where = " " + (top + 1) + "–" + Math.min(lines.size(), top + visible) + " of " + lines.size() + " ";
      body.text(body.width() - where.length() - 2, body.height() - 1, where, Token.FG_MUTED);
    }
  }

  private static int indexOf(List<Line> lines, String key) {
    if (key == null) {
      return -1;
    }
    for (int i = 0; i < lines.size(); i++) {
      if (key.equals(lines.get(i).key())) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    Optional<ApplicationView> app = snapshot.application(application);
    if (app.isEmpty()) {
      return false;
    }
    List<String> keys = ApplicationPage.driftRows(app.get(), shell).stream().map(DriftRow::key).toList();
    String name = Keys.name(key);
    if (perField) {
      return selection.move(key, keys, visible);
    }
    int lines = lines(app.get()).size();
    switch (name) {
      case "j", "down" -> top = Math.min(top + 1, Math.max(0, lines - visible));
      case "k", "up" -> top = Math.max(0, top - 1);
      case "pgdn", "space" -> top = Math.min(top + visible, Math.max(0, lines - visible));
      case "pgup" -> top = Math.max(0, top - visible);
      case "g", "home" -> top = 0;
      case "G", "end" -> top = Math.max(0, lines - visible);
      case "n", "tab", "N", "shift+tab" -> {
        if (keys.isEmpty()) {
          return true;
        }
        int index = Math.max(0, selection.index(keys));
        boolean back = name.equals("N") || name.equals("shift+tab");
        selection.select(keys.get(Math.floorMod(index + (back ? -1 : 1), keys.size())));
        int at = indexOf(lines(app.get()), selection.selected(keys).orElse(null));
        if (at >= 0 && (at < top || at >= top + visible)) {
          top = Math.max(0, at - 1);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    Optional<ApplicationView> app = snapshot.application(application);
    if (app.isEmpty()) {
      return false;
    }
    List<DriftRow> rows = ApplicationPage.driftRows(app.get(), shell);
    int index = selection.index(rows.stream().map(DriftRow::key).toList());
    Optional<DriftRow> row = index < 0 ? Optional.empty() : Optional.of(rows.get(index));
    switch (action) {
      case DIFF_MODE -> {
        perField = !perField;
        top = 0;
        return true;
      }
      case SYNC -> {
        // reverting drift takes back the fields another manager (kubectl-edit) set, as
        // weir sync --force-conflicts does; the plan shown first is computed the same way
        shell.confirm(
            "Sync " + application + " (revert drift)",
            () -> shell.console().previewSync(application, REVERT),
            () -> shell.console().sync(application, REVERT),
            "syncing " + application + " (reverting drift)");
        return true;
      }
      case HOTFIX -> {
        return row.map(r -> ApplicationPage.hotfix(application, r, shell)).orElse(false);
      }
      case BACKPORT -> {
        if (row.isEmpty()) {
          return false;
        }
        String resource = row.get().object().resource();
        shell.confirm(
            "Backport " + resource,
            () -> shell.console().previewBackport(application, resource, true),
            () -> shell.console().backportResource(application, resource, true),
            "backporting " + resource);
        return true;
      }
      default -> {
        return Acts.on(action, application, shell);
      }
    }
  }
}
