package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ApplicationDriver;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.DriftField;
import dev.weir.engine.console.DriftObject;
import dev.weir.engine.console.ResourceNode;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One application: its phase line, who drives it (the replica holding its Lease, this console, or
 * nobody), freeze, pin and hotfixes, its resource tree with each object's
 * sync and health, the drift list (one row per drifted field, naming who changed it and when, as
 * {@code weir diff} does), and its recent events. {@code h} hotfixes the selected drifted field
 * behind the engine's preview; the other keys are the application's ({@link Acts}).
 */
final class ApplicationPage implements Page {
  /** How long a hotfix from the console holds, as {@code weir hotfix}'s default. */
  static final Duration HOTFIX_FOR = Duration.ofHours(24);

  private final String application;
  private final Shell shell;
  private final Selection selection = new Selection();

  ApplicationPage(String application, Shell shell) {
    this.application = application;
    this.shell = shell;
  }

  @Override
  public ConsoleView view() {
    return ConsoleView.APPLICATION;
  }

  @Override
  public String breadcrumb() {
    return application;
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return Optional.of(application);
  }

  /** A row of the drift list: a drifted field, or an object missing or left to prune. */
  record DriftRow(DriftObject object, Optional<DriftField> field) {
    String key() {
      return object.resource() + field.map(f -> " " + f.path()).orElse("");
    }

    /** {@code Deployment inventory  kubectl-edit changed spec.replicas 3→5 at 10:42}. */
    String text() {
      String what = object.key().kind() + " " + object.key().name();
      return Text.pad(what, 22) + " " + field.map(DriftField::line).orElse(object.status());
    }
  }

  static List<DriftRow> driftRows(ApplicationView app, Shell shell) {
    List<DriftRow> rows = new ArrayList<>();
    for (DriftObject object : app.drift(shell.zone())) {
      if (object.fields().isEmpty()) {
        rows.add(new DriftRow(object, Optional.empty()));
      }
      object.fields().forEach(f -> rows.add(new DriftRow(object, Optional.of(f))));
    }
    return rows;
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    Optional<ApplicationView> found = snapshot.application(application);
    if (found.isEmpty()) {
      body.fitted(1, 0, "no application named " + application + " in the latest snapshot (esc: back)", body.width() - 2, Token.WARNING, Token.BACKGROUND);
      return;
    }
    ApplicationView app = found.get();
    int width = body.width();
    int row = 0;
    // the phase line
    int x = body.text(1, row, app.sync().name(), Badges.token(app.sync()));
    x = body.text(x + 2, row, app.health().status().name(), Badges.token(app.health().status()));
    String rev = app.revision().length() > 7 ? app.revision().substring(0, 7) : app.revision();
    String last =
        app.lastSyncAt()
            .map(at -> "last sync " + Header.time(at, shell.zone()).substring(0, 5) + " (" + app.lastSyncBy() + ")")
            .orElse("never synced");
    body.fitted(x + 2, row, "rev " + rev + "  " + last + (app.automated() ? "  automated" : "  manual sync"), width - x - 3, Token.FG_MUTED, Token.BACKGROUND);
    row++;
    // who drives it: the replica holding its Lease, this console, or nobody
    ApplicationDriver driver = app.driver();
    Token driverToken =
        switch (driver.kind()) {
          case REPLICA, CONSOLE -> Token.FG_MUTED;
          case NOBODY -> Token.WARNING;
          case UNKNOWN -> Token.FG_MUTED;
        };
    // nobody driving it is worth a second row rather than a cut sentence
    List<String> driverLines = Wrap.line("⚙ " + driver.line(), width - 2);
    int driverRows = driver.kind() == ApplicationDriver.Kind.NOBODY ? Math.min(2, driverLines.size()) : 1;
    for (int i = 0; i < driverRows; i++) {
      String text = driverLines.get(i);
      if (i == driverRows - 1 && driverLines.size() > driverRows) {
        // what does not fit is cut with …, never dropped in silence
        text += " " + String.join(" ", driverLines.subList(i + 1, driverLines.size())).strip();
      }
      body.fitted(1, row++, text, width - 2, driverToken, Token.BACKGROUND);
    }
    List<String[]> notes = new ArrayList<>();
    dev.weir.engine.model.HealthStatus status = app.health().status();
    if (!app.health().message().isEmpty() && status != dev.weir.engine.model.HealthStatus.Healthy) {
      boolean bad = status == dev.weir.engine.model.HealthStatus.Degraded || status == dev.weir.engine.model.HealthStatus.Missing;
      notes.add(new String[] {bad ? "✖ " : "• ", app.health().message()});
    }
    app.failedSyncLine().ifPresent(f -> notes.add(new String[] {"✖ ", f}));
    app.problems().forEach(p -> notes.add(new String[] {"⚠ ", p}));
    app.freezeLine().ifPresent(f -> notes.add(new String[] {"❄ ", f}));
    app.pinLine().ifPresent(p -> notes.add(new String[] {"⚑ ", p}));
    app.hotfixLines().forEach(h -> notes.add(new String[] {"✎ ", h}));
    app.rolloutLines()
        .forEach(
            r ->
                notes.add(
                    new String[] {
                      Badges.rolloutIcon(r.phase()) + " ",
                      "rollout " + r.rollout() + " " + r.phase() + " " + r.weight() + "% step " + r.step() + "/" + r.steps()
                          + (r.message().isEmpty() ? "" : ": " + r.message()) + "  (o: open)"
                    }));
    int noteRows = Math.min(notes.size(), Math.max(1, body.height() / 4));
    for (int i = 0; i < noteRows; i++) {
      String[] note = notes.get(i);
      Token token =
          note[0].startsWith("✖")
              ? Token.DANGER
              : note[0].startsWith("✎") || note[0].startsWith("▶") || note[0].startsWith("✓") || note[0].startsWith("•")
                  ? Token.INFO
                  : Token.WARNING;
      if (!note[0].startsWith("✖")) {
        body.fitted(1, row++, note[0] + note[1], width - 2, token, Token.BACKGROUND);
        continue;
      }
      // what went wrong is worth a second row (indented under its text) rather than a cut
      // sentence: a failed sync's cause comes after the object's name
      List<String> lines = Wrap.line(note[0] + note[1], width - 4);
      int take = Math.min(2, lines.size());
      for (int j = 0; j < take; j++) {
        String text = j == 0 ? lines.get(j) : lines.get(j).strip();
        if (j == take - 1 && lines.size() > take) {
          text += " " + String.join(" ", lines.subList(j + 1, lines.size())).strip();
        }
        body.fitted(j == 0 ? 1 : 3, row++, text, width - (j == 0 ? 2 : 4), token, Token.BACKGROUND);
      }
    }

    List<ResourceNode> nodes = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    for (ResourceNode root : app.tree().roots()) {
      flatten(root, 0, nodes, depths);
    }
    List<DriftRow> drift = driftRows(app, shell);
    List<ConsoleEvent> events = snapshot.eventsOf(application);

    int content = Math.max(3, body.height() - row - 6);
    int treeNeed = Math.max(1, nodes.size());
    int driftNeed = Math.max(1, drift.size());
    int eventsNeed = Math.max(1, events.size());
    int treeRows = Math.min(treeNeed, Math.max(2, content * 2 / 5));
    int driftRows = Math.min(driftNeed, Math.max(2, content - treeRows - 2));
    int eventRows = content - treeRows - driftRows;
    int spare = eventRows - eventsNeed;
    if (spare > 0) {
      int more = Math.min(spare, treeNeed - treeRows);
      treeRows += more;
      spare -= more;
      more = Math.min(spare, driftNeed - driftRows);
      driftRows += more;
      spare -= more;
      eventRows = content - treeRows - driftRows;
    }
    eventRows = Math.max(1, eventRows);

    // the resource tree
    Painter tree = body.region(0, row, width, treeRows + 2);
    Frames.box(tree, "Resources (" + nodes.size() + ")", Token.BORDER, Token.BACKGROUND);
    int inner = width - 2;
    int state = Math.min(26, inner / 3);
    for (int i = 0; i < treeRows && i < nodes.size(); i++) {
      ResourceNode node = nodes.get(i);
      Painter line = tree.region(1, i + 1, inner, 1);
      String name =
          "  ".repeat(depths.get(i))
              + node.key().kind()
              + " "
              + (node.key().namespace().isEmpty() ? "" : node.key().namespace() + "/")
              + node.key().name();
      line.fitted(1, 0, name, inner - state - 2, Token.FG_DEFAULT, Token.BACKGROUND);
      int sx = inner - state;
      String sync = node.sync().map(Enum::name).orElse("—");
      int hx = line.text(sx, 0, Text.pad(sync, 11), node.sync().map(Badges::token).orElse(Token.FG_MUTED));
      line.fitted(hx, 0, node.health().status().name(), inner - hx, Badges.token(node.health().status()), Token.BACKGROUND);
    }
    if (nodes.size() > treeRows) {
      tree.text(inner - 12, treeRows + 1, " +" + (nodes.size() - treeRows) + " more ", Token.FG_MUTED);
    }
    row += treeRows + 2;

    // the drift list
    Painter list = body.region(0, row, width, driftRows + 2);
    long fields = drift.stream().filter(r -> r.field().isPresent()).count();
    long objects = drift.stream().map(r -> r.object().resource()).distinct().count();
    Frames.box(
        list,
        drift.isEmpty() ? "Drift: none" : "Drift (" + fields + " field" + (fields == 1 ? "" : "s") + ", " + objects + " object" + (objects == 1 ? "" : "s") + ")  d: diff",
        drift.isEmpty() ? Token.BORDER : Token.WARNING,
        Token.BACKGROUND);
    if (drift.isEmpty()) {
      list.text(2, 1, "Git and the cluster agree", Token.SUCCESS);
    }
    List<String> keys = drift.stream().map(DriftRow::key).toList();
    int top = selection.top(keys, driftRows);
    int selected = selection.index(keys);
    for (int i = 0; i < driftRows && top + i < drift.size(); i++) {
      DriftRow r = drift.get(top + i);
      boolean chosen = top + i == selected;
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Token text = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      Painter line = list.region(1, i + 1, inner, 1);
      line.fill(0, 0, inner, ' ', text, ground);
      line.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      line.fitted(1, 0, r.text() + (r.object().hotfixed() ? "  (hotfix)" : ""), inner - 1, chosen ? text : r.field().isPresent() ? Token.WARNING : Token.DANGER, ground);
    }
    row += driftRows + 2;

    // recent events, newest last
    Painter box = body.region(0, row, width, eventRows + 2);
    Frames.box(box, "Events (" + events.size() + ")  E: all", Token.BORDER, Token.BACKGROUND);
    if (events.isEmpty()) {
      box.text(2, 1, "no events yet", Token.FG_MUTED);
    }
    int first = Math.max(0, events.size() - eventRows);
    for (int i = first; i < events.size(); i++) {
      ConsoleEvent event = events.get(i);
      Painter line = box.region(1, i - first + 1, inner, 1);
      int ex = line.text(1, 0, Header.time(event.at(), shell.zone()) + " ", Token.FG_MUTED);
      ex = line.text(ex, 0, Badges.icon(event.severity()) + " ", Badges.token(event.severity()));
      line.fitted(ex, 0, (event.who().isEmpty() ? "" : event.who() + ": ") + event.message(), inner - ex, Token.FG_DEFAULT, Token.BACKGROUND);
    }
  }

  private static void flatten(ResourceNode node, int depth, List<ResourceNode> nodes, List<Integer> depths) {
    nodes.add(node);
    depths.add(depth);
    node.children().forEach(c -> flatten(c, depth + 1, nodes, depths));
  }

  /** The drifted field (or object) selected in the drift list. */
  Optional<DriftRow> selected(ConsoleSnapshot snapshot) {
    Optional<ApplicationView> app = snapshot.application(application);
    if (app.isEmpty()) {
      return Optional.empty();
    }
    List<DriftRow> rows = driftRows(app.get(), shell);
    int index = selection.index(rows.stream().map(DriftRow::key).toList());
    return index < 0 ? Optional.empty() : Optional.of(rows.get(index));
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    Optional<ApplicationView> app = snapshot.application(application);
    List<String> keys =
        app.map(a -> driftRows(a, shell).stream().map(DriftRow::key).toList()).orElse(List.of());
    return selection.move(key, keys, 5);
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    if (snapshot.application(application).isEmpty()) {
      return false;
    }
    if (action == ConsoleAction.HOTFIX) {
      return selected(snapshot).map(row -> hotfix(application, row, shell)).orElse(false);
    }
    return Acts.on(action, application, shell);
  }

  /** Hotfixes the field of {@code row} (the whole object when it has none) after its preview. */
  static boolean hotfix(String application, DriftRow row, Shell shell) {
    String resource = row.object().resource();
    String field = row.field().map(DriftField::path).orElse("");
    String reason = "hotfix (" + Acts.WHY + ")";
    String what = field.isEmpty() ? resource : resource + " " + field;
    shell.confirm(
        "Hotfix " + what,
        () -> shell.console().previewHotfixField(application, resource, field, reason, HOTFIX_FOR),
        () -> shell.console().hotfixField(application, resource, field, reason, HOTFIX_FOR),
        "hotfixing " + what);
    return true;
  }
}
