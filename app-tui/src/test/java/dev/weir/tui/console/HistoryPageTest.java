package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.SGR;
import dev.weir.engine.console.ApplicationHistory;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.RevisionDiff;
import dev.weir.themes.ColourDepth;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HistoryPageTest {
  static final String CURRENT = "3f2a1c9d0e5b7a8c6d4e2f1a0b9c8d7e6f5a4b3c"; // FakeConsole's revision
  static final String GOOD = "9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";
  static final String FIRST = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

  ScreenHarness screen;

  @AfterEach
  void close() throws Exception {
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

  static ApplicationHistory.Commit commit(String sha, String author, String at, String subject) {
    return new ApplicationHistory.Commit(
        sha, sha.substring(0, 7), author, author + "@example.com", Instant.parse(at), subject, subject + "\n");
  }

  static FakeConsole console() {
    FakeConsole fake = Fixtures.console(Fixtures.healthy("payments"), Fixtures.healthy("storefront"));
    fake.showHistory(
        new ApplicationHistory(
            CommandResult.Status.OK,
            "3 commits touched apps/storefront",
            "storefront",
            "apps/storefront",
            List.of(
                commit(CURRENT, "alice", "2026-01-01T09:40:00Z", "storefront 2.4.1"),
                commit(GOOD, "bob", "2026-01-01T08:15:00Z", "storefront 2.4.0"),
                commit(FIRST, "carol", "2025-12-30T17:02:00Z", "bootstrap the shop"))));
    return fake;
  }

  /** From the application list: j selects storefront, H opens its history. */
  ScreenHarness openHistory(FakeConsole fake, int columns, int rows, ColourDepth depth) {
    screen = new ScreenHarness(fake, columns, rows, depth);
    screen.press("j", "H");
    return screen;
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @MethodSource("screens")
  void listsTheCommitsNewestFirstWithTheCurrentOneMarkedAndJkMoves(int columns, int rows, ColourDepth depth) {
    FakeConsole fake = console();
    openHistory(fake, columns, rows, depth);

    assertThat(fake.sent()).containsExactly(new FakeConsole.Sent("history", List.of("storefront", 50)));
    assertThat(screen.row(0)).startsWith(" weir › storefront › history  ctx:fake");
    assertThat(screen.row(1)).startsWith("┌─ History of storefront  apps/storefront  (3) ");
    assertThat(screen.row(2)).startsWith("│ COMMIT    DATE              AUTHOR");
    assertThat(screen.row(3)).startsWith("│▶●3f2a1c9  2026-01-01 09:40  alice").contains("storefront 2.4.1  (current)");
    assertThat(screen.row(4)).startsWith("│  9c8d7e6  2026-01-01 08:15  bob").contains("storefront 2.4.0");
    assertThat(screen.row(5)).startsWith("│  1a2b3c4  2025-12-30 17:02  carol").contains("bootstrap the shop");
    assertThat(screen.row(rows - 2)).startsWith("<r> roll back  <d> diff  <esc> back  <?> help");

    screen.press("j");
    assertThat(screen.row(3)).startsWith("│ ●3f2a1c9");
    assertThat(screen.row(4)).startsWith("│▶ 9c8d7e6");
    if (depth == ColourDepth.NONE) {
      assertThat(screen.cell(10, 4).getModifiers()).contains(SGR.REVERSE);
      assertThat(screen.cell(10, 3).getModifiers()).doesNotContain(SGR.REVERSE);
    } else {
      assertThat(screen.cell(10, 4).getBackgroundColor()).isNotEqualTo(screen.cell(10, 3).getBackgroundColor());
    }
    screen.press("k", "k");
    assertThat(screen.row(3)).startsWith("│▶●3f2a1c9");
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @MethodSource("screens")
  void dShowsTheDiffBetweenTheSelectedRevisionAndTheCurrentOneAndEscClosesIt(int columns, int rows, ColourDepth depth) {
    FakeConsole fake = console();
    fake.showDiff(
        new RevisionDiff(
            CommandResult.Status.OK,
            "1 object differs between 9c8d7e6 and 3f2a1c9",
            "storefront",
            "9c8d7e6",
            "3f2a1c9",
            List.of(
                new RevisionDiff.Resource(
                    "apps/Deployment shop/storefront",
                    RevisionDiff.Change.CHANGED,
                    List.of(
                        "--- a/9c8d7e6/apps.Deployment.shop.storefront",
                        "+++ b/3f2a1c9/apps.Deployment.shop.storefront",
                        "@@ -20,3 +20,3 @@",
                        "-        image: registry.example/shop/storefront:2.4.0",
                        "+        image: registry.example/shop/storefront:2.4.1")))));
    openHistory(fake, columns, rows, depth);

    screen.press("j", "d");

    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("diffRevisions", List.of("storefront", GOOD, CURRENT)));
    int top = screen.rowOf("Diff 9c8d7e6 → 3f2a1c9");
    assertThat(top).as(screen.text()).isGreaterThan(4);
    assertThat(screen.row(top)).contains("┌─ Diff 9c8d7e6 → 3f2a1c9: 1 object differs");
    assertThat(screen.row(top + 1)).startsWith("│▸ apps/Deployment shop/storefront (changed)");
    assertThat(screen.row(top + 2)).startsWith("│--- a/9c8d7e6/apps.Deployment.shop.storefront");
    assertThat(screen.row(top + 5)).startsWith("│-        image: registry.example/shop/storefront:2.4.0");
    assertThat(screen.row(top + 6)).startsWith("│+        image: registry.example/shop/storefront:2.4.1");
    assertThat(screen.row(4)).as("the list stays, the revision selected").startsWith("│▶ 9c8d7e6");

    screen.press("esc");
    assertThat(screen.text()).doesNotContain("Diff 9c8d7e6");
    assertThat(screen.row(0)).as("esc closed the diff, not the page").contains("storefront › history");
    screen.press("esc");
    assertThat(screen.row(0)).startsWith(" weir › applications");
  }

  @Test
  void aDiffTheEngineCannotMakeSaysWhy() {
    FakeConsole fake = console();
    fake.script("diffRevisions", CommandResult.of(CommandResult.Status.BAD_INPUT, "storefront does not render at 1a2b3c4 (apps/storefront/rollout.yaml:3:1: bad)"));
    openHistory(fake, 80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("j", "j", "d");
    assertThat(screen.text()).contains("✖ storefront does not render at 1a2b3c4");
  }

  @ParameterizedTest(name = "{0}x{1} {2}")
  @MethodSource("screens")
  void rRollsBackToTheSelectedRevisionAfterThePreviewSaysExactlyWhatWillHappen(int columns, int rows, ColourDepth depth) {
    FakeConsole fake = console();
    fake.script(
        "previewRollback",
        new CommandResult(
            CommandResult.Status.OK,
            "commit on branch main (on top of 3f2a1c9), authored by alice:",
            List.of(
                "  | Roll back storefront to 9c8d7e6",
                "push: to main on the remote; if the push fails the commit stays in the local clone"
                    + " and storefront is pinned at 9c8d7e6 (synced to it, not Git's head) until Git"
                    + " catches up",
                "rollout storefront: all traffic to stable at once, the canary (or preview) scaled"
                    + " down, and the restored version on stable (no steps, no analysis)",
                "then sync storefront to apps/storefront as at 9c8d7e6:")));
    openHistory(fake, columns, rows, depth);

    screen.press("j", "r");

    assertThat(fake.sent().getLast())
        .isEqualTo(
            new FakeConsole.Sent(
                "previewRollback", List.of("storefront", GOOD, HistoryPage.REASON, true)));
    String text = screen.text();
    assertThat(text)
        .contains("commit on branch main (on top of 3f2a1c9), authored by alice:")
        .contains("  | Roll back storefront to 9c8d7e6")
        .contains("push: to main on the remote; if the push fails the commit stays in the")
        .contains("until Git catches up")
        .contains("rollout storefront: all traffic to stable at once, the canary (or preview)")
        .as("long lines wrap: nothing of the preview is cut")
        .doesNotContain("…")
        .contains("(no steps, no analysis)")
        .contains("then sync storefront to apps/storefront as at 9c8d7e6:");
    assertThat(screen.row(rows - 1)).startsWith("y: do it    n or esc: cancel");
    assertThat(fake.commands()).doesNotContain("rollback");

    screen.press("y");

    assertThat(fake.sent().getLast())
        .isEqualTo(new FakeConsole.Sent("rollback", List.of("storefront", GOOD, HistoryPage.REASON, true)));
    assertThat(screen.row(rows - 1)).startsWith("✔ rollback storefront: done (fake)");
  }

  @Test
  void aRefusedRollbackPreviewIsShownAndNothingIsSent() {
    FakeConsole fake = console();
    fake.script("previewRollback", CommandResult.of(CommandResult.Status.BAD_INPUT, "storefront does not render at 1a2b3c4; refusing to roll back to it"));
    openHistory(fake, 80, 24, ColourDepth.TRUE_COLOUR);
    screen.press("j", "j", "r");
    assertThat(screen.text()).contains("storefront does not render at 1a2b3c4");
    assertThat(screen.row(23)).startsWith("cannot go ahead");
    screen.press("y");
    assertThat(fake.commands()).doesNotContain("rollback");
  }

  @Test
  void colonHistoryAndROpenTheSelectedApplicationsHistory() {
    FakeConsole fake = console();
    screen = new ScreenHarness(fake);
    screen.press("j", ":").type("history").press("enter");
    assertThat(screen.row(0)).startsWith(" weir › storefront › history");
    screen.press("esc", "j", "r"); // the : jump made a new application list
    assertThat(screen.row(0)).startsWith(" weir › storefront › history");
    assertThat(fake.commands()).containsExactly("history", "history");
  }

  @Test
  void aHistoryTheEngineCannotReadSaysWhy() {
    FakeConsole fake = Fixtures.console(Fixtures.healthy("storefront"));
    fake.script("history", CommandResult.of(CommandResult.Status.FAILED, "cannot read apps/storefront: pack file corrupt"));
    screen = new ScreenHarness(fake);
    screen.press("H");
    assertThat(screen.row(2)).contains("✖ cannot read apps/storefront: pack file corrupt");
    screen.press("r");
    assertThat(screen.row(23)).contains("roll back: nothing selected it applies to");
  }
}
