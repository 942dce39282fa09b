package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.DefinitionFailure;
import dev.weir.engine.console.RolloutLine;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.SyncStatus;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every application, worst first: name, sync, health, drift count, rollout phase with a weight
 * bar, revision, last sync and who, and, in a terminal wide enough (114 columns), who drives it. An application whose definition does not load is a row with
 * its {@code file:line:column}.
 */
final class ApplicationsPage implements Page {
  private final Selection selection = new Selection();
  private String filter = "";

  @Override
  public ConsoleView view() {
    return ConsoleView.APPLICATIONS;
  }

  @Override
  public String breadcrumb() {
    return "applications";
  }

  /** Worst first: health, then sync, then name. */
  static final Comparator<ApplicationView> WORST_FIRST =
      Comparator.comparingInt((ApplicationView a) -> healthRank(a.health().status()))
          .thenComparingInt(a -> a.sync() == SyncStatus.Synced ? 1 : 0)
          .thenComparing(ApplicationView::name);

  private static int healthRank(HealthStatus status) {
    return switch (status) {
      case Degraded -> 0;
      case Missing -> 1;
      case Unknown -> 2;
      case Progressing -> 3;
      case Suspended -> 4;
      case Healthy -> 5;
    };
  }

  List<ApplicationView> rows(ConsoleSnapshot snapshot) {
    String wanted = filter.toLowerCase(Locale.ROOT);
    return snapshot.applications().stream()
        .filter(a -> wanted.isEmpty() || a.name().toLowerCase(Locale.ROOT).contains(wanted))
        .sorted(WORST_FIRST)
        .toList();
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    drawTable(body, snapshot, true);
  }

  /** The table in a box; {@code selecting}: with the selection bar. */
  void drawTable(Painter body, ConsoleSnapshot snapshot, boolean selecting) {
    List<ApplicationView> apps = rows(snapshot);
    List<DefinitionFailure> failures = snapshot.definitionFailures();
    List<String> keys = apps.stream().map(ApplicationView::name).toList();
    Frames.box(
        body,
        "Applications (" + apps.size() + ")" + (filter.isEmpty() ? "" : "  /" + filter),
        Token.BORDER,
        Token.BACKGROUND);
    int width = body.width() - 2;
    Painter inner = body.region(1, 1, width, body.height() - 2);
    boolean wide = width >= 96;
    // who drives each application, when a wide terminal leaves room for it (the page of one
    // application always says)
    boolean drivers = width >= 112;
    int lastSync = 18;
    // NAME SYNC HEALTH DRIFT ROLLOUT REVISION LAST SYNC
    int name = 13;
    int sync = 10;
    int health = 12;
    int drift = 6;
    int rollout = wide ? 26 : 15;
    int revision = 8;
    List<int[]> columns = new ArrayList<>();
    int x = 1;
    String header =
        " "
            + Text.pad("NAME", name)
            + Text.pad("SYNC", sync)
            + Text.pad("HEALTH", health)
            + Text.pad("DRIFT", drift)
            + Text.pad("ROLLOUT", rollout)
            + Text.pad("REV", revision)
            + (drivers ? Text.pad("LAST SYNC", lastSync) + "DRIVER" : "LAST SYNC");
    inner.fitted(0, 0, header, width, Token.FG_MUTED, Token.BACKGROUND);
    int rows = inner.height() - 1;
    int failureRows = Math.min(failures.size(), Math.max(0, rows / 3));
    int appRows = rows - failureRows;
    int top = selection.top(keys, appRows);
    int selected = selecting ? selection.index(keys) : -1;
    for (int row = 0; row < appRows && top + row < apps.size(); row++) {
      ApplicationView app = apps.get(top + row);
      boolean chosen = top + row == selected;
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Painter line = inner.region(0, row + 1, width, 1);
      line.fill(0, 0, width, ' ', Token.FG_DEFAULT, ground);
      Token plain = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      x = line.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad(app.name(), name), plain, ground);
      x = line.text(x, 0, Text.pad(app.sync().name(), sync), chosen ? plain : Badges.token(app.sync()), ground);
      x = line.text(x, 0, Text.pad(app.health().status().name(), health), chosen ? plain : Badges.token(app.health().status()), ground);
      int drifted = app.driftCount();
      x = line.text(x, 0, Text.pad(drifted == 0 ? "—" : Integer.toString(drifted), drift), chosen ? plain : drifted == 0 ? Token.FG_MUTED : Token.WARNING, ground);
      x = drawRollout(line, x, app, rollout, chosen, ground);
      x = line.text(x, 0, Text.pad(app.revision().length() > 7 ? app.revision().substring(0, 7) : app.revision(), revision), chosen ? plain : Token.FG_MUTED, ground);
      String last =
          app.lastSyncAt()
              .map(at -> Shell.CLOCK.format(at.atZone(java.time.ZoneOffset.UTC)).substring(0, 5) + " (" + app.lastSyncBy() + ")")
              .orElse("never");
      String lastText = last + (app.frozen() ? " ❄" : "");
      if (drivers) {
        line.fitted(x, 0, lastText, lastSync - 1, chosen ? plain : Token.FG_MUTED, ground);
        x += lastSync;
        boolean nobody = app.driver().kind() == dev.weir.engine.console.ApplicationDriver.Kind.NOBODY;
        line.fitted(x, 0, app.driver().label(), width - x, chosen ? plain : nobody ? Token.WARNING : Token.FG_MUTED, ground);
      } else {
        line.fitted(x, 0, lastText, width - x, chosen ? plain : Token.FG_MUTED, ground);
      }
    }
    for (int i = 0; i < failureRows; i++) {
      DefinitionFailure failure = failures.get(i);
      Painter line = inner.region(0, appRows + 1 + i, width, 1);
      int fx = line.text(1, 0, "✖ " + Text.pad(failure.application().orElse("?"), name - 2), Token.DANGER);
      line.fitted(fx, 0, failure.brief(), width - fx, Token.DANGER, Token.BACKGROUND);
    }
  }

  private static int drawRollout(Painter line, int x, ApplicationView app, int width, boolean chosen, Token ground) {
    Optional<RolloutLine> rollout = app.rolloutLines().stream().findFirst();
    if (rollout.isEmpty()) {
      return line.text(x, 0, Text.pad("—", width), chosen ? Token.SELECTION_FG : Token.FG_MUTED, ground);
    }
    RolloutLine r = rollout.get();
    String head = Badges.rolloutIcon(r.phase()) + " " + Text.pad(r.phase(), 8) + String.format(Locale.ROOT, "%3d%%", r.weight());
    int end = line.text(x, 0, head, chosen ? Token.SELECTION_FG : Badges.rolloutToken(r.phase()), ground);
    int bar = width - head.length() - 2;
    if (bar >= 4) {
      end = line.text(end + 1, 0, Text.bar(r.weight(), bar), Token.CANARY, ground);
    }
    return x + width;
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    return selection.move(key, rows(snapshot).stream().map(ApplicationView::name).toList(), 10);
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    Optional<String> application = application(snapshot);
    return application.isPresent() && Acts.on(action, application.get(), shell);
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    return selection.selected(rows(snapshot).stream().map(ApplicationView::name).toList());
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
