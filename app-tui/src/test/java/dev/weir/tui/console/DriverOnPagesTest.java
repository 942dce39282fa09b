package dev.weir.tui.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ApplicationDriver;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.DriftFixtures;
import dev.weir.themes.ColourDepth;
import dev.weir.themes.Token;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who drives each application, as the terminal console shows it from the snapshot: on the
 * application's page always (the replica holding its Lease, this console, or nobody, said in
 * warning colours), and as a column of the application list when the terminal is wide enough to
 * leave room for it.
 */
class DriverOnPagesTest {
  ScreenHarness screen;

  @AfterEach
  void close() throws Exception {
    if (screen != null) {
      screen.close();
    }
  }

  static ApplicationView payments() {
    return Fixtures.healthy("payments").withDriver(DriftFixtures.DRIVER);
  }

  static ApplicationView search() {
    return Fixtures.healthy("search")
        .withDriver(
            ApplicationDriver.nobody(
                "search",
                "replica weir-7d9f-x2x's Lease expired 40 s ago",
                Optional.of(Instant.parse("2026-01-01T12:59:05Z")),
                Optional.of(Instant.parse("2026-01-01T12:59:20Z"))));
  }

  static ApplicationView checkout() {
    return Fixtures.healthy("checkout")
        .withDriver(
            ApplicationDriver.console(
                "alice@laptop",
                "alice@laptop (pid 4242, weir tui)",
                "no replica holds its Lease"));
  }

  @Test
  void theApplicationPageSaysWhenNobodyDrivesItInWarningColours() {
    screen = new ScreenHarness(Fixtures.console(payments(), search()), 80, 24, ColourDepth.TRUE_COLOUR);
    assertThat(screen.row(0)).startsWith(" weir › applications");
    screen.press("j", "enter");
    assertThat(screen.row(0)).startsWith(" weir › search");
    // nobody driving it takes a second row rather than being cut
    assertThat(screen.row(2))
        .isEqualTo(
            " ⚙ nobody drives search: replica weir-7d9f-x2x's Lease expired 40 s ago and");
    assertThat(screen.row(3)).isEqualTo("   this console does not drive it");
    assertThat(screen.cell(3, 2).getForegroundColor())
        .isEqualTo(screen.palette.colour(Token.WARNING));
  }

  @Test
  void theApplicationPageNamesThisConsoleWhenItDrives() {
    screen = new ScreenHarness(Fixtures.console(checkout()), 80, 24, ColourDepth.NONE);
    screen.press("enter");
    assertThat(screen.row(0)).startsWith(" weir › checkout");
    assertThat(screen.row(2))
        .isEqualTo(
            " ⚙ driven by this console (alice@laptop) · no replica holds its Lease");
  }

  static ApplicationView cart() {
    Instant renewed = Instant.parse("2026-01-01T12:59:57Z");
    return Fixtures.healthy("cart")
        .withDriver(
            ApplicationDriver.announced(
                "bob@bastion",
                "bob@bastion (pid 77, weir tui)",
                renewed,
                renewed.plusSeconds(30),
                renewed.plusSeconds(3)));
  }

  @Test
  void theApplicationPageNamesAnotherPersonsConsoleThatAnnouncesIt() {
    screen = new ScreenHarness(Fixtures.console(cart()), 80, 24, ColourDepth.NONE);
    screen.press("enter");
    assertThat(screen.row(0)).startsWith(" weir › cart");
    assertThat(screen.row(2)).isEqualTo(" ⚙ driven by bob@bastion's console · announced 3 s ago");
    assertThat(screen.row(3)).doesNotContain("bob@bastion");
  }

  @Test
  void aWideApplicationListHasADriverColumnAnEightyColumnOneLeavesItToThePage() throws Exception {
    screen =
        new ScreenHarness(Fixtures.console(payments(), search(), checkout(), cart()), 120, 30, ColourDepth.NONE);
    assertThat(screen.row(2)).contains("REV     LAST SYNC         DRIVER");
    assertThat(screen.text())
        .containsPattern("cart .* never +bob@bastion")
        .containsPattern("checkout .* never +alice@laptop")
        .containsPattern("payments .* never +weir-7d9f-x2x")
        .containsPattern("search .* never +nobody");
    screen.close();

    screen = new ScreenHarness(Fixtures.console(payments(), search(), checkout()), 80, 24, ColourDepth.NONE);
    assertThat(screen.row(2)).contains("LAST SYNC").doesNotContain("DRIVER");
    assertThat(screen.text()).doesNotContain("weir-7d9f-x2x");
  }
}
