package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.DriftFixtures;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleText;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.FakeConsole;
import dev.weir.themes.ColourDepth;
import dev.weir.themes.Token;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Application page (Enter on an application) and the Diff page ({@code d}) against the fake,
 * showing an application whose Deployment was scaled with kubectl edit and whose Secret's password
 * was changed by hand, compared by the engine itself ({@link DriftFixtures}).
 */
class ApplicationAndDiffPagesTest {
  static final String DEPLOYMENT = "apps/Deployment shop/inventory";
  static final String SECRET = "Secret shop/inventory-db";

  ScreenHarness screen;
  FakeConsole fake;

  @AfterEach
  void close() throws Exception {
    if (screen != null) {
      screen.close();
    }
  }

  /** Opens inventory from the attention queue the console starts on. */
  ScreenHarness application(int columns, int rows, ColourDepth depth) {
    fake = DriftFixtures.console();
    screen = new ScreenHarness(fake, columns, rows, depth);
    assertThat(screen.row(0)).startsWith(" weir › attention");
    screen.press("enter");
    assertThat(screen.row(0)).startsWith(" weir › inventory  ctx:fake");
    return screen;
  }

  ScreenHarness diff(int columns, int rows, ColourDepth depth) {
    application(columns, rows, depth).press("d");
    assertThat(screen.row(0)).startsWith(" weir › inventory › drift  ctx:fake");
    return screen;
  }

  /** The text of inner row {@code row} of a box: without its borders and selection marker. */
  String inner(int row) {
    String line = screen.row(row);
    return line.length() < 3 ? "" : line.substring(2, line.length() - 1).stripTrailing();
  }

  @Test
  void aFailedLastSyncIsTheFirstNoteInTwoRowsSoItsCauseIsRead() {
    // a failed automated sync is not retried without syncPolicy.retry: the page says what failed
    fake =
        DriftFixtures.console(
            DriftFixtures.inventory(
                new dev.weir.engine.reconcile.LastSync(
                    "77c01aa5e2b94d1f0a3c8e7b6d5f4a3b2c1d0e9f",
                    dev.weir.engine.reconcile.SyncResult.Outcome.FAILED,
                    "sync of inventory to 77c01aa failed: apps/Deployment shop/inventory: Apply"
                        + " failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1:"
                        + " .spec.replicas (1 failed, 2 skipped)",
                    java.time.Instant.parse("2026-01-01T10:02:00Z"),
                    "automated")));
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("enter");
    assertThat(screen.row(0)).startsWith(" weir › inventory  ctx:fake");

    assertThat(screen.row(3))
        .isEqualTo(
            " ✖ last sync (automated, 10:02) failed: apps/Deployment shop/inventory: Apply");
    assertThat(screen.row(4))
        .startsWith("   failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1:");
    assertThat(screen.cell(3, 3).getForegroundColor())
        .isEqualTo(screen.palette.colour(Token.DANGER));
    assertThat(screen.row(5)).startsWith(" ❄ frozen by alice");
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @CsvSource({"80, 24, TRUE_COLOUR", "120, 40, NONE", "80, 24, NONE", "120, 40, ANSI256"})
  void theApplicationPageShowsItsTreeItsDriftWithWhoChangedItAndItsEvents(
      int columns, int rows, ColourDepth depth) {
    application(columns, rows, depth);

    assertThat(screen.row(1)).startsWith(" OutOfSync  Healthy  rev 77c01aa  last sync 10:02 (automated)");
    // who drives it: the replica holding its Lease, and how fresh the Lease is
    assertThat(screen.row(2)).isEqualTo(" ⚙ driven by replica weir-7d9f-x2x · Lease renewed 3 s ago");
    assertThat(screen.row(3)).startsWith(" ❄ frozen by alice until 2026-01-01T12:30:00Z: incident 4711");
    assertThat(screen.row(4)).startsWith("┌─ Resources (5) ");
    // the tree by owner references, indented, with sync and health in their columns
    assertThat(screen.row(5)).startsWith("│ Deployment shop/inventory ");
    assertThat(screen.row(6)).startsWith("│   ReplicaSet shop/inventory-7c9d ");
    assertThat(screen.row(7)).startsWith("│     Pod shop/inventory-7c9d-a1b2 ");
    assertThat(screen.row(8)).startsWith("│ Secret shop/inventory-db ");
    assertThat(screen.row(9)).startsWith("│ Service shop/inventory ");
    int sync = screen.row(5).indexOf("OutOfSync");
    assertThat(sync).isGreaterThan(30);
    assertThat(screen.row(6).indexOf("—")).isEqualTo(sync);
    assertThat(screen.row(9).indexOf("Synced")).isEqualTo(sync);
    assertThat(screen.row(7).indexOf("Progressing")).isEqualTo(screen.row(5).indexOf("Healthy"));

    // the drift list: who changed each field, the secret's value never
    assertThat(screen.row(11)).startsWith("┌─ Drift (2 fields, 2 objects)");
    assertThat(screen.row(12))
        .startsWith("│▶Deployment inventory   kubectl-edit changed spec.replicas 3→5 at 10:42");
    assertThat(screen.row(13)).startsWith("│ Secret inventory-db    data.password: <redacted, changed>");
    assertThat(screen.row(15)).startsWith("┌─ Events (2)");
    assertThat(screen.row(16)).startsWith("│ 10:02:00 • automated: synced to 77c01aa");
    assertThat(screen.row(17)).startsWith("│ 10:42:05 ⚠ kubectl-edit: drift: spec.replicas 3→5");
    assertThat(screen.row(rows - 2)).startsWith("<s> sync  <d> diff  <h> hotfix: keep live  <b> backport to Git");
    assertNoSecret();

    if (depth != ColourDepth.NONE) {
      int at = screen.row(12).indexOf("kubectl-edit");
      assertThat(screen.cell(at, 12).getBackgroundColor())
          .isEqualTo(screen.palette.colour(Token.SELECTION_BG));
      assertThat(screen.cell(at, 13).getForegroundColor())
          .isEqualTo(screen.palette.colour(Token.WARNING));
    } else {
      // no colour: the selection is drawn reversed, the marker says it too
      assertThat(screen.cell(screen.row(12).indexOf("kubectl-edit"), 12).getModifiers())
          .contains(com.googlecode.lanterna.SGR.REVERSE);
    }
  }

  @Test
  void syncOnTheApplicationPageShowsTheEnginesPlanAndSendsTheSyncOnY() {
    application(80, 24, ColourDepth.TRUE_COLOUR);
    fake.script(
        "previewSync",
        new CommandResult(
            CommandResult.Status.OK,
            "apply apps/Deployment shop/inventory: spec.replicas 5→3",
            List.of("apply Secret shop/inventory-db: data.password")));
    screen.press("s");
    assertThat(fake.commands()).containsExactly("previewSync");
    assertThat(screen.text())
        .contains("apply apps/Deployment shop/inventory: spec.replicas 5→3")
        .contains("apply Secret shop/inventory-db: data.password");
    assertThat(screen.row(23)).contains("y: do it");
    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewSync", "sync");
    assertThat(fake.sent().getLast().arguments().getFirst()).isEqualTo("inventory");
    assertThat(screen.row(23)).contains("✔ sync inventory: done (fake)");
  }

  @Test
  void hotfixOnTheApplicationPageKeepsTheSelectedFieldAfterItsPreview() {
    application(80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("h");
    assertThat(fake.sent().getLast())
        .isEqualTo(
            new FakeConsole.Sent(
                "previewHotfixField",
                List.of(
                    "inventory",
                    DEPLOYMENT,
                    "spec.replicas",
                    "hotfix (from the terminal console)",
                    Duration.ofHours(24))));
    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewHotfixField", "hotfixField");
    assertThat(fake.sent().getLast().arguments().subList(0, 3))
        .containsExactly("inventory", DEPLOYMENT, "spec.replicas");

    // j selects the Secret's field: the hotfix names it, never its value
    screen.press("j");
    assertThat(screen.row(13)).startsWith("│▶Secret inventory-db");
    screen.press("h", "esc");
    assertThat(fake.sent().getLast().arguments().subList(0, 3))
        .containsExactly("inventory", SECRET, "data.password");
    assertThat(fake.commands()).containsExactly("previewHotfixField", "hotfixField", "previewHotfixField");
    assertThat(screen.row(23)).contains("cancelled: Hotfix Secret shop/inventory-db data.password");
  }

  @Test
  void backportAndFreezeOnTheApplicationPageGoThroughTheirPreviews() {
    application(80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("b");
    assertThat(fake.sent().getLast()).isEqualTo(new FakeConsole.Sent("previewBackportAll", List.of("inventory", true)));
    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewBackportAll", "backportAll");

    screen.press("f");
    // the freeze's preview is the façade's own, computed from the snapshot
    assertThat(screen.text()).contains("Freeze inventory").contains("reason: incident (from the terminal console)");
    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewBackportAll", "backportAll", "freeze");
    assertThat(fake.sent().getLast().arguments()).containsExactly("inventory", "incident (from the terminal console)", Duration.ofHours(1));
  }

  @Test
  void theApplicationPageOpensItsOtherViewsAndEscGoesBack() {
    application(80, 24, ColourDepth.TRUE_COLOUR);
    for (String key : List.of("o", "H", "E", "d")) {
      screen.press(key);
      assertThat(screen.shell.page().view()).as(key).isNotEqualTo(ConsoleView.APPLICATION);
      screen.press("esc");
      assertThat(screen.row(0)).as(key).startsWith(" weir › inventory  ");
      assertThat(screen.shell.page().view()).isEqualTo(ConsoleView.APPLICATION);
    }
    // opening views only reads (the history page asks for the commits); nothing is changed
    assertThat(fake.commands()).allMatch(c -> c.equals("history"));
    screen.press("esc");
    assertThat(screen.row(0)).startsWith(" weir › attention");
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @CsvSource({"80, 24, TRUE_COLOUR", "120, 40, NONE", "80, 24, ANSI16", "120, 40, TRUE_COLOUR"})
  void theDiffPageShowsWeirDiffsOwnTextColouredLineByLine(int columns, int rows, ColourDepth depth) {
    diff(columns, rows, depth);
    assertThat(screen.row(1)).startsWith("┌─ Drift of inventory: 2 fields, 2 objects · unified, --- live +++ Git");
    // line for line what weir diff prints for the application
    List<String> expected =
        List.of(
            ConsoleText.diff(List.of(DriftFixtures.inventory()), ZoneOffset.UTC, false).split("\n"));
    int visible = rows - 5;
    List<String> shown = new ArrayList<>();
    for (int row = 2; row < 2 + Math.min(visible, expected.size()); row++) {
      shown.add(inner(row));
    }
    List<String> cut = new ArrayList<>();
    for (String line : expected.subList(0, shown.size())) {
      cut.add(line.length() > columns - 3 ? line.substring(0, columns - 4) + "…" : line);
    }
    assertThat(shown).isEqualTo(cut);
    assertThat(screen.row(3)).startsWith("│▶#   kubectl-edit changed spec.replicas 3→5 at 10:42");
    int removed = screen.rowOf("-  replicas: 5");
    int added = screen.rowOf("+  replicas: 3");
    assertThat(added).isEqualTo(removed + 1);
    if (expected.size() > visible) {
      assertThat(screen.row(rows - 3)).contains("1–" + visible + " of " + expected.size());
    }
    if (depth != ColourDepth.NONE) {
      assertThat(screen.cell(3, removed).getForegroundColor()).isEqualTo(screen.palette.colour(Token.DIFF_REMOVED));
      assertThat(screen.cell(3, added).getForegroundColor()).isEqualTo(screen.palette.colour(Token.DIFF_ADDED));
      assertThat(screen.palette.colour(Token.DIFF_ADDED)).isNotEqualTo(screen.palette.colour(Token.DIFF_REMOVED));
    } else {
      // no colour: the - and + carry it, as in weir diff without colour
      assertThat(screen.cell(3, removed).getForegroundColor()).isEqualTo(screen.cell(3, added).getForegroundColor());
    }
    assertNoSecret();
    assertThat(screen.text()).contains("#   data.password: <redacted, changed>, by hand-edit at 10:43");
  }

  @Test
  void theDiffPageScrollsWithJkAndPages() {
    diff(80, 24, ColourDepth.TRUE_COLOUR);
    List<String> expected =
        List.of(
            ConsoleText.diff(List.of(DriftFixtures.inventory()), ZoneOffset.UTC, false).split("\n"));
    assertThat(expected.size()).isGreaterThan(19);
    assertThat(inner(2)).isEqualTo(expected.get(0));
    screen.press("j", "j");
    assertThat(inner(2)).isEqualTo(expected.get(2));
    assertThat(screen.row(21)).contains("3–21 of " + expected.size());
    screen.press("k");
    assertThat(inner(2)).isEqualTo(expected.get(1));
    screen.press("pgdn");
    int last = expected.size() - 19;
    assertThat(inner(2)).isEqualTo(expected.get(last));
    assertThat(inner(20)).isEqualTo(expected.getLast());
    screen.press("pgup");
    assertThat(inner(2)).isEqualTo(expected.get(0));
  }

  @Test
  void onTheDiffPageNSelectsTheNextFieldAndHHotfixesIt() {
    diff(80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("n");
    int row = screen.rowOf("#   data.password: <redacted, changed>");
    assertThat(row).isPositive();
    assertThat(screen.row(row)).startsWith("│▶#   data.password");
    screen.press("h");
    assertThat(fake.sent().getLast().command()).isEqualTo("previewHotfixField");
    assertThat(fake.sent().getLast().arguments().subList(0, 3)).containsExactly("inventory", SECRET, "data.password");
    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewHotfixField", "hotfixField");
    assertThat(screen.row(23)).contains("✔ hotfixField inventory: done (fake)");
    // N goes back to the Deployment's field
    screen.press("N", "h", "n");
    assertThat(fake.sent().getLast().arguments().subList(0, 3)).containsExactly("inventory", DEPLOYMENT, "spec.replicas");
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @CsvSource({"80, 24, TRUE_COLOUR", "120, 40, NONE"})
  void vShowsOneRowPerFieldWithGitLiveAndWhoAndSecretsRedacted(int columns, int rows, ColourDepth depth) {
    diff(columns, rows, depth).press("v");
    assertThat(screen.row(1)).startsWith("┌─ Drift of inventory: 2 fields, 2 objects · per field (v: unified)");
    assertThat(screen.row(2)).startsWith("│ apps/Deployment shop/inventory  drifted  · changed by kubectl-edit 10:42");
    assertThat(screen.row(3)).startsWith("│▶  spec.replicas  Git 3         live 5         kubectl-edit 10:42");
    assertThat(screen.row(4)).startsWith("│ Secret shop/inventory-db  drifted  · changed by hand-edit 10:43");
    assertThat(screen.row(5)).startsWith("│   data.password  <redacted, changed>");
    assertThat(screen.row(5)).contains("hand-edit 10:43");
    assertNoSecret();
    screen.press("v");
    assertThat(screen.row(1)).contains("unified");
  }

  @Test
  void inThePerFieldViewJSelectsAndBBackportsTheSelectedObject() {
    diff(80, 24, ColourDepth.TRUE_COLOUR).press("v", "j");
    assertThat(screen.row(5)).startsWith("│▶  data.password");
    fake.script("previewBackport", CommandResult.ok("writes data.password of Secret shop/inventory-db to apps/inventory/secret.yaml"));
    screen.press("b");
    assertThat(fake.sent().getLast()).isEqualTo(new FakeConsole.Sent("previewBackport", List.of("inventory", SECRET, true)));
    assertThat(screen.text()).contains("writes data.password of Secret shop/inventory-db");
    screen.press("y");
    assertThat(fake.sent().getLast()).isEqualTo(new FakeConsole.Sent("backportResource", List.of("inventory", SECRET, true)));
    screen.press("k", "b", "n");
    assertThat(fake.sent().getLast()).isEqualTo(new FakeConsole.Sent("previewBackport", List.of("inventory", DEPLOYMENT, true)));
    assertThat(fake.commands()).containsExactly("previewBackport", "backportResource", "previewBackport");
  }

  @Test
  void syncOnTheDiffPageRevertsTheDriftAfterThePlanAndARefusedPlanSendsNothing() {
    diff(80, 24, ColourDepth.TRUE_COLOUR);
    fake.script("previewSync", CommandResult.of(CommandResult.Status.REFUSED, "inventory is frozen by alice"));
    screen.press("s");
    assertThat(screen.text()).contains("inventory is frozen by alice");
    assertThat(screen.row(23)).contains("cannot go ahead");
    screen.press("y");
    assertThat(fake.commands()).containsExactly("previewSync");
    screen.press("s", "y");
    assertThat(fake.commands()).containsExactly("previewSync", "previewSync", "sync");
    // reverting drift takes the fields back from kubectl-edit, as weir sync --force-conflicts
    assertThat(fake.sent().getLast().arguments())
        .containsExactly("inventory", new dev.weir.engine.console.Console.SyncOptions(false, false, true, false));
  }

  @Test
  void theDiffPagesHelpListsItsKeysIncludingTheViewToggle() {
    diff(80, 24, ColourDepth.TRUE_COLOUR).press("?");
    String text = screen.text();
    for (var action : ConsoleView.DIFF.actions()) {
      assertThat(text).contains(action.words());
    }
    assertThat(text).contains("unified/per field");
  }

  @Test
  void anApplicationWithARolloutSaysWhereItIsAndAnApplicationWithoutDriftSaysGitAndTheClusterAgree() {
    fake =
        Fixtures.console(
            Fixtures.withRollout("checkout", dev.weir.engine.rollout.RolloutPhase.PAUSED, 25, "step 3/7 waits for promote"));
    screen = new ScreenHarness(fake, 80, 24, ColourDepth.NONE);
    screen.shell.push(ConsoleView.APPLICATION, java.util.Optional.of("checkout"));
    screen.settle();
    assertThat(screen.row(0)).startsWith(" weir › checkout");
    assertThat(screen.row(1)).startsWith(" Synced  Suspended  rev 3f2a1c9  never synced");
    assertThat(screen.text())
        .contains("⏸ rollout checkout Paused 25% step 3/7: step 3/7 waits for promote  (o: open)")
        .contains("Drift: none")
        .contains("Git and the cluster agree")
        .contains("no events yet");
    // nothing drifts: no field to hotfix, and nothing is sent
    screen.press("h");
    assertThat(fake.commands()).isEmpty();
    assertThat(screen.row(23)).contains("hotfix: keep live: nothing selected it applies to");
  }

  void assertNoSecret() {
    String text = screen.text();
    for (String secret :
        List.of(
            DriftFixtures.SECRET_VALUE,
            DriftFixtures.LIVE_SECRET_VALUE,
            new String(Base64.getDecoder().decode(DriftFixtures.SECRET_VALUE)),
            new String(Base64.getDecoder().decode(DriftFixtures.LIVE_SECRET_VALUE)))) {
      assertThat(text).doesNotContain(secret);
    }
  }
}
