package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.IncidentTimeline;
import dev.weir.engine.console.Severity;
import dev.weir.themes.ColourDepth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventsPageTest {
  static final Instant AT = FakeConsole.AT; // 10:00:00Z
  static final Instant HOUR_AGO = AT.minus(Duration.ofHours(1));

  ScreenHarness screen;
  @TempDir Path exports;

  @BeforeEach
  void exportHere() {
    System.setProperty(EventsPage.EXPORT_DIR_PROPERTY, exports.toString());
  }

  @AfterEach
  void close() throws Exception {
    System.clearProperty(EventsPage.EXPORT_DIR_PROPERTY);
    if (screen != null) {
      screen.close();
    }
  }

  static Stream<Arguments> screens() {
    return Stream.of(
        Arguments.of(80, 24, ColourDepth.TRUE_COLOUR),
        Arguments.of(120, 40, ColourDepth.TRUE_COLOUR),
        Arguments.of(80, 24, ColourDepth.NONE),
        Arguments.of(120, 40, ColourDepth.NONE));
  }

  static ConsoleEvent event(
      String at, String application, ConsoleEvent.Kind kind, Severity severity, String who, String message) {
    return new ConsoleEvent(Instant.parse("2026-01-01T" + at + "Z"), application, kind, severity, who, message, Map.of());
  }

  static final ConsoleEvent OLD =
      event("08:30:00", "storefront", ConsoleEvent.Kind.SYNC, Severity.INFO, "alice", "synced to 1a2b3c4");
  static final ConsoleEvent COMMIT =
      new ConsoleEvent(
          Instant.parse("2026-01-01T09:10:00Z"), "storefront", ConsoleEvent.Kind.GIT_COMMIT, Severity.INFO,
          "alice", "commit 3f2a1c9 storefront 2.4.1", Map.of("revision", "3f2a1c9d0e5b7a8c6d4e2f1a0b9c8d7e6f5a4b3c"));
  static final ConsoleEvent SYNC =
      event("09:12:00", "storefront", ConsoleEvent.Kind.SYNC, Severity.INFO, "self-heal", "synced to 3f2a1c9 (4 objects)");
  static final ConsoleEvent DRIFT =
      event("09:20:00", "payments", ConsoleEvent.Kind.DRIFT, Severity.WARNING, "bob", "drift: Deployment shop/payments spec.replicas 3 → 5");
  static final ConsoleEvent MEASURE =
      event("09:31:00", "storefront", ConsoleEvent.Kind.ANALYSIS, Severity.CRITICAL, "weir", "p99 latency 0.41s ≥ 0.3s: failed");
  static final ConsoleEvent ABORT =
      event("09:32:00", "storefront", ConsoleEvent.Kind.COMMAND, Severity.WARNING, "carol", "abort: traffic back on stable");

  static FakeConsole console() {
    FakeConsole fake = Fixtures.console(Fixtures.healthy("payments"), Fixtures.healthy("storefront"));
    fake.showTimeline(List.of(OLD, COMMIT, SYNC, DRIFT, MEASURE, ABORT));
    return fake;
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @MethodSource("screens")
  void colonEventsListsTheLastHourOfEveryApplicationInTimeOrderNewestSelected(int columns, int rows, ColourDepth depth) {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake, columns, rows, depth);

    screen.press(":").type("events").press("enter");

    assertThat(fake.timelineCalls()).containsExactly("*@" + HOUR_AGO);
    assertThat(screen.row(0)).startsWith(" weir › events  ctx:fake");
    assertThat(screen.row(1)).startsWith("┌─ Events: all applications, last 1h (5) ");
    assertThat(screen.row(2)).startsWith("│ TIME      KIND      APP").contains("WHAT").contains("WHO");
    assertThat(screen.row(3)).startsWith("│ 09:10:00  • commit  storefront").contains("commit 3f2a1c9 storefront 2.4.1").contains("alice");
    assertThat(screen.row(4)).startsWith("│ 09:12:00  • sync    storefront").contains("synced to 3f2a1c9").contains("self-heal");
    assertThat(screen.row(5)).startsWith("│ 09:20:00  ⚠ drift   payments").contains("drift: Deployment shop/payments").contains("bob");
    assertThat(screen.row(6)).startsWith("│ 09:31:00  ✖ measure storefront").contains("p99 latency 0.41s");
    assertThat(screen.row(7)).startsWith("│▶09:32:00  ⚠ command storefront").contains("abort: traffic back on stable").contains("carol");
    assertThat(screen.text()).as("older than the window").doesNotContain("synced to 1a2b3c4");
    assertThat(screen.row(rows - 2)).startsWith("<e> export Markdown  </> filter  <esc> back  <?> help");

    screen.press("k");
    assertThat(screen.row(6)).startsWith("│▶09:31:00");
  }

  @Test
  void theSelectedEventIsReadWholeItsTextWrappedUnderItAndTheOthersStayOnOneRow() {
    ConsoleEvent failed =
        event(
            "09:40:00", "inventory", ConsoleEvent.Kind.SYNC, Severity.CRITICAL, "weir",
            "automated sync of 77c01aa failed: Apply failed with 1 conflict: conflict with \"kubectl-edit\""
                + " using apps/v1: .spec.replicas");
    FakeConsole fake = Fixtures.console(Fixtures.healthy("payments"), Fixtures.healthy("storefront"));
    fake.showTimeline(List.of(COMMIT, SYNC, failed, ABORT));
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.NONE);
    screen.press(":").type("events").press("enter");
    assertThat(screen.row(5)).startsWith("│ 09:40:00  ✖ sync    inventory").contains("automated sync of 77c01aa");
    assertThat(screen.row(6)).as("not selected: one row, cut").startsWith("│▶09:32:00");

    screen.press("k");

    assertThat(screen.row(5)).startsWith("│▶09:40:00  ✖ sync    inventory").contains("automated sync of 77c01aa").contains("weir");
    String continued = screen.row(6) + screen.row(7) + screen.row(8);
    assertThat(continued.replaceAll("[│ ]+", " "))
        .as("the rest of its text, under WHAT")
        .contains("conflict with \"kubectl-edit\"")
        .contains(".spec.replicas");
    assertThat(screen.row(6)).startsWith("│" + " ".repeat(33));
    assertThat(screen.text()).contains("│ 09:32:00  ⚠ command storefront");

    screen.press("j");
    assertThat(screen.row(6)).startsWith("│▶09:32:00");
  }

  @Test
  void theSlashFilterKeepsOneApplicationAndEExportsWhatIsListedAsTheEnginesMarkdown() throws Exception {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake, 120, 40, ColourDepth.TRUE_COLOUR);
    screen.press(":").type("events").press("enter");

    screen.press("/").type("store").press("enter");

    assertThat(screen.row(1)).startsWith("┌─ Events: all applications, last 1h (4)  /store ");
    assertThat(screen.text()).doesNotContain("payments");

    screen.press("e");

    Path file = exports.resolve("weir-incident-20260101-1000.md");
    assertThat(file).exists();
    assertThat(screen.row(39)).isEqualTo("✔ exported 4 events to " + file);
    String expected =
        new IncidentTimeline(Optional.of("storefront"), HOUR_AGO, AT, List.of(COMMIT, SYNC, MEASURE, ABORT)).markdown();
    assertThat(Files.readString(file)).isEqualTo(expected);
    assertThat(expected)
        .startsWith("# Incident timeline: storefront, 2026-01-01 09:00–10:00 UTC")
        .contains("| 09:32:00 | storefront | abort: traffic back on stable | carol |");

    screen.press("e");
    Path second = exports.resolve("weir-incident-20260101-1000-2.md");
    assertThat(Files.readString(second)).isEqualTo(expected);
    assertThat(screen.row(39)).isEqualTo("✔ exported 4 events to " + second);
  }

  @Test
  void eventsOfOneApplicationFromItsPageAndTheExportNamesIt() throws Exception {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.NONE);
    screen.press(":").type("events payments").press("enter");

    assertThat(fake.timelineCalls()).containsExactly("payments@" + HOUR_AGO);
    assertThat(screen.row(0)).startsWith(" weir › payments › events");
    assertThat(screen.row(1)).startsWith("┌─ Events: payments, last 1h (1) ");
    assertThat(screen.row(3)).startsWith("│▶09:20:00  ⚠ drift   payments");

    screen.press("e");
    String exported = Files.readString(exports.resolve("weir-incident-20260101-1000.md"));
    assertThat(exported)
        .isEqualTo(new IncidentTimeline(Optional.of("payments"), HOUR_AGO, AT, List.of(DRIFT)).markdown());
  }

  @Test
  void aNewerSnapshotFetchesTheTimelineAgainAndTheNewestEventStaysSelected() {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.TRUE_COLOUR);
    screen.press(":").type("events").press("enter");
    assertThat(fake.timelineCalls()).hasSize(1);

    ConsoleEvent promoted =
        event("09:40:00", "storefront", ConsoleEvent.Kind.ROLLOUT, Severity.INFO, "weir", "step 2/7, canary 10%");
    fake.showTimeline(List.of(OLD, COMMIT, SYNC, DRIFT, MEASURE, ABORT, promoted));
    screen.show(fake.show(fake.snapshot()));

    assertThat(fake.timelineCalls()).hasSize(2);
    assertThat(screen.row(1)).contains("(6)");
    assertThat(screen.row(8)).startsWith("│▶09:40:00  • rollout storefront").contains("step 2/7, canary 10%");
    assertThat(screen.row(7)).startsWith("│ 09:32:00");
  }

  @Test
  void theUiDoesNotWaitForTheTimeline() {
    // the timeline is read on the background executor; until it answers the page says so
    FakeConsole fake = console();
    java.util.List<Runnable> held = new java.util.ArrayList<>();
    java.util.Queue<Runnable> ui = new java.util.ArrayDeque<>();
    Shell shell = new Shell(fake, ui::add, java.time.ZoneOffset.UTC, held::add);
    shell.handle(ScreenHarness.stroke(":"));
    "events".chars().forEach(c -> shell.handle(new com.googlecode.lanterna.input.KeyStroke((char) c, false, false)));
    shell.handle(ScreenHarness.stroke("enter"));

    assertThat(shell.page().view()).isEqualTo(dev.weir.engine.console.ConsoleView.EVENTS);
    assertThat(fake.timelineCalls()).as("not read on the UI thread").isEmpty();
    assertThat(held).hasSize(1);

    held.removeFirst().run();
    assertThat(fake.timelineCalls()).hasSize(1);
    assertThat(ui).hasSize(1);
    assertThat(((EventsPage) shell.page()).visible()).isEmpty();
    ui.remove().run();
    assertThat(((EventsPage) shell.page()).visible()).hasSize(5);
  }

  @Test
  void escFromTheEventsGoesBackToTheApplications() {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.TRUE_COLOUR);
    screen.press(":").type("events").press("enter", "esc");
    assertThat(screen.row(0)).startsWith(" weir › applications");
  }
}
