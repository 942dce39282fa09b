package dev.weir.desktop.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ApplicationHistory;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.Severity;
import dev.weir.themes.Theme;
import dev.weir.themes.Token;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The screenshot run: each main view of the desktop console in light, dark and high contrast, as
 * PNGs in {@code target/screenshots/} (VIEW-THEME.png), for a person to look at. Taken with the
 * scene's own snapshot under headless Monocle, so it runs in CI without a display; each picture
 * is checked to be the window in that theme (its background colour).
 */
@ExtendWith(ApplicationExtension.class)
class ScreenshotTest {
  static final Path OUT = Path.of("target", "screenshots");

  FakeConsole fake;
  DesktopHarness window;

  @Start
  void start(Stage stage) {
    ConsoleSnapshot snapshot = Fixtures.flagsAndExperiments().snapshot();
    fake = new FakeConsole(snapshot);
    fake.showHistory(new ApplicationHistory(CommandResult.Status.OK, "3 commits touched apps/inventory", "inventory", "apps/inventory",
        List.of(
            new ApplicationHistory.Commit("77c01aa5e2b94d1f0a3c8e7b6d5f4a3b2c1d0e9f", "77c01aa", "Bob Lindqvist", "bob@shop.example",
                Instant.parse("2026-01-01T09:00:00Z"), "inventory 1.4: connection pool 20", ""),
            new ApplicationHistory.Commit("5e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d", "5e0d1c2", "Alice Moreau", "alice@shop.example",
                Instant.parse("2026-01-01T08:00:00Z"), "inventory 1.3", ""),
            new ApplicationHistory.Commit("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", "1a2b3c4", "Carmen Diaz", "carmen@shop.example",
                Instant.parse("2026-01-01T07:00:00Z"), "bootstrap shop/deploy", ""))));
    fake.showTimeline(List.of(
        new ConsoleEvent(snapshot.at().minusSeconds(3000), "inventory", ConsoleEvent.Kind.SYNC, Severity.INFO, "automated", "synced to 77c01aa", Map.of()),
        new ConsoleEvent(snapshot.at().minusSeconds(2000), "checkout", ConsoleEvent.Kind.ROLLOUT, Severity.INFO, "weir", "step 3: analysis success-rate Pass", Map.of()),
        new ConsoleEvent(snapshot.at().minusSeconds(1500), "checkout", ConsoleEvent.Kind.ROLLOUT, Severity.WARNING, "weir", "paused at step 4, waiting for promote", Map.of()),
        new ConsoleEvent(snapshot.at().minusSeconds(600), "inventory", ConsoleEvent.Kind.DRIFT, Severity.WARNING, "kubectl-edit", "drift: spec.replicas 3→5", Map.of()),
        new ConsoleEvent(snapshot.at().minusSeconds(300), "inventory", ConsoleEvent.Kind.FREEZE, Severity.INFO, "alice", "frozen until 12:30: incident 4711", Map.of())));
    fake.script("previewSync", new CommandResult(CommandResult.Status.OK, "Sync inventory to 77c01aa",
        List.of("update apps/Deployment shop/inventory (wave 0): spec.replicas 5 → 3", "update /Secret shop/inventory-db (wave 0)", "checked with the API server (dry run): nothing else changes")));
    window = new DesktopHarness(stage, fake, 1360, 860);
  }

  @AfterEach
  void stop() {
    DesktopHarness.fxRun(() -> window.console.close());
    fake.close();
  }

  @ParameterizedTest
  @EnumSource(Theme.class)
  void eachMainView(Theme theme, FxRobot robot) throws Exception {
    Files.createDirectories(OUT);
    DesktopHarness.fxRun(() -> DesktopConsole.applyTheme(window.scene, theme));
    window.awaitText("APPLICATIONS (4)");
    shoot("applications", theme);
    robot.clickOn(robot.lookup("#applications .app-name").match(org.testfx.matcher.control.LabeledMatchers.hasText("inventory")).queryLabeled());
    window.awaitText("DRIFT (2 in 2 objects)");
    robot.clickOn(robot.lookup("#drift .list-cell").nth(0).queryAs(javafx.scene.Node.class));
    shoot("application", theme);
    robot.clickOn("#action-sync");
    window.awaitText("checked with the API server");
    shoot("sync-preview", theme, false);
    robot.type(KeyCode.ESCAPE);
    robot.clickOn("#tab-diff");
    window.awaitText("Cluster (live)");
    shoot("diff", theme);
    robot.clickOn("#tab-history");
    window.awaitText("inventory 1.3");
    shoot("history", theme);
    robot.clickOn("#tab-events");
    window.awaitText("3 events in the last 1h");
    shoot("events", theme);
    robot.clickOn(robot.lookup("#applications .app-name").match(org.testfx.matcher.control.LabeledMatchers.hasText("checkout")).queryLabeled());
    robot.clickOn("#tab-application");
    window.awaitText("canary 25% · stable 75% · step 4 of 7");
    shoot("rollout-summary", theme);
    robot.clickOn("#tab-experiments");
    window.awaitText("B wins → promote");
    shoot("experiments", theme);
    robot.clickOn(robot.lookup("#applications .app-name").match(org.testfx.matcher.control.LabeledMatchers.hasText("payments")).queryLabeled());
    robot.clickOn("#tab-flags");
    window.awaitText("Flags of payments");
    shoot("flags", theme);
    robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
    robot.write("ro");
    DesktopHarness.await("the palette", () -> window.console.overlays().open());
    shoot("palette", theme, false);
    robot.type(KeyCode.ESCAPE);
  }

  private void shoot(String view, Theme theme) throws Exception {
    shoot(view, theme, true);
  }

  /** Writes the picture; {@code bare}: no overlay darkens the window, so its corner is the theme's. */
  private void shoot(String view, Theme theme, boolean bare) throws Exception {
    WritableImage image = DesktopHarness.fx(() -> window.scene.snapshot(null));
    BufferedImage png = SwingFXUtils.fromFXImage(image, null);
    Path file = OUT.resolve(view + "-" + theme.id() + ".png");
    ImageIO.write(png, "png", file.toFile());
    assertThat(Files.size(file)).isPositive();
    // the status bar's corner is the theme's surface: the picture is the window in that theme
    if (!bare) {
      return;
    }
    int rgb = png.getRGB(png.getWidth() - 3, png.getHeight() - 3) & 0xffffff;
    assertThat(String.format("#%06x", rgb)).as(view + " in " + theme.id()).isEqualTo(theme.rgb(Token.SURFACE).hex());
  }
}
