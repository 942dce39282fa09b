package dev.weir.tui.console;

import com.googlecode.lanterna.input.KeyStroke;
import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.IncidentTimeline;
import dev.weir.themes.Token;
import dev.weir.tui.screen.Painter;
import dev.weir.tui.screen.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The incident timeline: every commit, sync (and who), drift, rollout transition, measurement and
 * command of the last hour, oldest first, of every application or one ({@code /} narrows it to the
 * applications whose name contains the filter). {@code e} exports what is listed as the same
 * Markdown as {@code weir events -o markdown} ({@link IncidentTimeline#markdown()}) to {@code
 * weir-incident-YYYYMMDD-HHMM.md} in {@code $WEIR_EXPORT_DIR} or the working directory, and says
 * where in the status line.
 *
 * <p>The timeline may read the cluster and Git, so it is fetched through {@link Shell#background}
 * when the page opens and again whenever a newer snapshot arrives while it is on top: one fetch at
 * a time, the newest snapshot's fetched next. The list follows the newest event while the last
 * row is selected.
 */
final class EventsPage implements Page {
  static final Duration WINDOW = Duration.ofHours(1);
  /** At most this many more rows show the selected event's text beyond its own. */
  static final int MAX_EXTRA_ROWS = 4;
  /** A system property that overrides {@code WEIR_EXPORT_DIR} (tests). */
  static final String EXPORT_DIR_PROPERTY = "weir.export.dir";

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Shell shell;
  private final Optional<String> application;
  private final Selection selection = new Selection();
  private final ZoneId zone;
  private String filter = "";
  private List<ConsoleEvent> events; // null until the first fetch answers
  private String problem = "";
  private Instant from;
  private Instant to;
  private long fetched = -1; // the version of the snapshot the list was fetched for
  private boolean fetching;
  private boolean again; // a newer snapshot arrived during the fetch
  private boolean following = true; // the newest event stays selected

  EventsPage(Shell shell, Optional<String> application) {
    this.shell = shell;
    this.application = application.filter(a -> !a.isBlank());
    this.zone = shell.zone();
    fetch(shell.snapshot());
  }

  @Override
  public ConsoleView view() {
    return ConsoleView.EVENTS;
  }

  @Override
  public String breadcrumb() {
    return application.map(a -> a + " › events").orElse("events");
  }

  @Override
  public void shown(ConsoleSnapshot snapshot, Shell shell) {
    if (snapshot.version() != fetched && !snapshot.isLoading()) {
      fetch(snapshot);
    }
  }

  private void fetch(ConsoleSnapshot snapshot) {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    long version = snapshot.version();
    Instant until = snapshot.at();
    Instant since = until.minus(WINDOW);
    shell.background(
        () -> shell.console().timeline(application, since),
        list -> {
          events = list;
          problem = "";
          from = since;
          to = until;
          done(version);
        },
        failure -> {
          problem = "the timeline could not be read: " + failure.getMessage();
          done(version);
        });
  }

  private void done(long version) {
    fetching = false;
    fetched = version;
    if (again) {
      again = false;
      if (shell.snapshot().version() != fetched) {
        fetch(shell.snapshot());
      }
    }
  }

  /** The events listed: the window's, narrowed by the filter, oldest first. */
  List<ConsoleEvent> visible() {
    if (events == null) {
      return List.of();
    }
    String wanted = filter.toLowerCase(Locale.ROOT);
    return events.stream()
        .filter(e -> wanted.isEmpty() || e.application().toLowerCase(Locale.ROOT).contains(wanted))
        .toList();
  }

  private static String key(ConsoleEvent event) {
    return event.at() + "/" + event.application() + "/" + event.kind() + "/" + event.message();
  }

  @Override
  public void draw(Painter body, ConsoleSnapshot snapshot) {
    List<ConsoleEvent> shown = visible();
    List<String> keys = shown.stream().map(EventsPage::key).toList();
    if (following && !keys.isEmpty()) {
      selection.select(keys.getLast());
    }
    String title =
        "Events: "
            + application.orElse("all applications")
            + ", last "
            + WINDOW.toHours()
            + "h ("
            + shown.size()
            + ")"
            + (filter.isEmpty() ? "" : "  /" + filter);
    Frames.box(body, title, Token.BORDER, Token.BACKGROUND);
    int width = body.width() - 2;
    Painter inner = body.region(1, 1, width, body.height() - 2);
    if (!problem.isEmpty()) {
      inner.fitted(1, 0, "✖ " + problem, width - 1, Token.DANGER, Token.BACKGROUND);
      return;
    }
    if (events == null) {
      inner.text(1, 0, "⟳ reading the timeline…", Token.INFO);
      return;
    }
    if (shown.isEmpty()) {
      inner.text(1, 0, filter.isEmpty() ? "no events in the last " + WINDOW.toHours() + "h" : "no events of an application matching '" + filter + "'", Token.FG_MUTED);
      return;
    }
    boolean wide = width >= 100;
    int time = 10;
    int kind = 10;
    int app = wide ? 16 : 12;
    int who = wide ? 16 : 10;
    inner.fitted(
        0,
        0,
        " " + Text.pad("TIME", time) + Text.pad("KIND", kind) + Text.pad("APP", app) + "WHAT",
        width,
        Token.FG_MUTED,
        Token.BACKGROUND);
    inner.text(width - who, 0, "WHO", Token.FG_MUTED);
    int rows = inner.height() - 1;
    int selected = selection.index(keys);
    int what = 1 + time + kind + app; // where WHAT starts
    int whatWidth = width - who - what - 1;
    // the selected event is read whole: its text wrapped under it (a cut line hid the cause)
    List<String> whole =
        selected < 0 ? List.of() : Wrap.line(shown.get(selected).message(), Math.max(10, whatWidth));
    int extra = Math.min(Math.max(0, whole.size() - 1), Math.max(0, Math.min(MAX_EXTRA_ROWS, rows - 1)));
    int top = selection.top(keys, rows - extra);
    int y = 1;
    for (int index = top; y <= rows && index < shown.size(); index++) {
      ConsoleEvent event = shown.get(index);
      boolean chosen = index == selected;
      Token ground = chosen ? Token.SELECTION_BG : Token.BACKGROUND;
      Token plain = chosen ? Token.SELECTION_FG : Token.FG_DEFAULT;
      Painter line = inner.region(0, y, width, 1);
      line.fill(0, 0, width, ' ', plain, ground);
      int x = line.text(0, 0, chosen ? "▶" : " ", Token.ACCENT, ground);
      x = line.text(x, 0, Text.pad(Shell.CLOCK.format(event.at().atZone(zone)), time), chosen ? plain : Token.FG_MUTED, ground);
      x = line.text(x, 0, Text.pad(Badges.icon(event.severity()) + " " + kind(event.kind()), kind), chosen ? plain : Badges.token(event.severity()), ground);
      x = line.text(x, 0, Text.pad(Text.fit(event.application().isEmpty() ? "-" : event.application(), app - 1), app), plain, ground);
      line.fitted(x, 0, chosen && extra > 0 ? whole.getFirst() : event.message(), whatWidth, plain, ground);
      line.fitted(width - who, 0, event.who(), who, chosen ? plain : Token.FG_MUTED, ground);
      y++;
      if (chosen) {
        for (int more = 1; more <= extra && y <= rows; more++, y++) {
          Painter continued = inner.region(0, y, width, 1);
          continued.fill(0, 0, width, ' ', plain, ground);
          boolean last = more == extra && whole.size() - 1 > extra;
          String text = whole.get(more);
          continued.fitted(what, 0, last ? Text.fit(text + " …", whatWidth) : text, whatWidth, plain, ground);
        }
      }
    }
  }

  /** The kind in a word: {@code commit}, {@code sync}, {@code measure} … */
  static String kind(ConsoleEvent.Kind kind) {
    return switch (kind) {
      case GIT_COMMIT -> "commit";
      case GIT -> "git";
      case SYNC -> "sync";
      case DRIFT -> "drift";
      case ROLLOUT -> "rollout";
      case ANALYSIS -> "measure";
      case COMMAND -> "command";
      case FREEZE -> "freeze";
      case HOTFIX -> "hotfix";
      case PIN -> "pin";
      default -> kind.name().toLowerCase(Locale.ROOT); // a kind added later still shows
    };
  }

  @Override
  public boolean handle(KeyStroke key, ConsoleSnapshot snapshot, Shell shell) {
    List<String> keys = visible().stream().map(EventsPage::key).toList();
    if (selection.move(key, keys, 10)) {
      following = !keys.isEmpty() && selection.index(keys) == keys.size() - 1;
      return true;
    }
    return false;
  }

  @Override
  public boolean act(ConsoleAction action, ConsoleSnapshot snapshot, Shell shell) {
    if (action != ConsoleAction.EXPORT) {
      return false;
    }
    if (events == null) {
      shell.say("the timeline is still being read; export when it is listed", Token.WARNING);
      return true;
    }
    IncidentTimeline timeline = timeline();
    String markdown = timeline.markdown();
    Path file = exportFile(to);
    int count = timeline.events().size();
    shell.say("⟳ exporting " + count + " events…", Token.INFO);
    shell.background(
        () -> write(file, markdown),
        written -> shell.say("✔ exported " + count + " events to " + written, Token.SUCCESS),
        failure -> shell.say("✖ export failed: " + failure.getMessage(), Token.DANGER));
    return true;
  }

  /**
   * What is listed, as {@code weir events} would print it: the page's application, or the one
   * application the filter leaves, and the window fetched.
   */
  IncidentTimeline timeline() {
    List<ConsoleEvent> shown = visible();
    Optional<String> of = application;
    if (of.isEmpty() && !filter.isEmpty()) {
      List<String> apps = shown.stream().map(ConsoleEvent::application).distinct().toList();
      if (apps.size() == 1 && !apps.getFirst().isEmpty()) {
        of = Optional.of(apps.getFirst());
      }
    }
    return new IncidentTimeline(of, from, to, shown);
  }

  /** {@code DIR/weir-incident-20260101-1000.md}; DIR: the property, WEIR_EXPORT_DIR, or ".". */
  static Path exportFile(Instant at) {
    String dir = System.getProperty(EXPORT_DIR_PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv("WEIR_EXPORT_DIR");
    }
    if (dir == null || dir.isBlank()) {
      dir = System.getProperty("user.dir");
    }
    return Path.of(dir).toAbsolutePath().normalize().resolve("weir-incident-" + FILE_TIME.format(at) + ".md");
  }

  /** Writes {@code text} to {@code file}, or next to it ({@code -2}, {@code -3} …) when it exists. */
  static Path write(Path file, String text) {
    String name = file.getFileName().toString();
    String stem = name.substring(0, name.length() - ".md".length());
    Path target = file;
    for (int n = 2; ; n++) {
      try {
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return target;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        target = file.resolveSibling(stem + "-" + n + ".md");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(target + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public Optional<String> application(ConsoleSnapshot snapshot) {
    if (application.isPresent()) {
      return application;
    }
    List<ConsoleEvent> shown = visible();
    int index = selection.index(shown.stream().map(EventsPage::key).toList());
    return index < 0
        ? Optional.empty()
        : Optional.of(shown.get(index).application()).filter(a -> !a.isEmpty());
  }

  @Override
  public void filter(String text) {
    filter = text;
    following = true;
  }

  @Override
  public String filter() {
    return filter;
  }
}
