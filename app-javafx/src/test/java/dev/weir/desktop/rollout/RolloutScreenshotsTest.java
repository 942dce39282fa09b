package dev.weir.desktop.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.FakeConsole;
import dev.weir.engine.console.RolloutFixtures;
import dev.weir.themes.Theme;
import dev.weir.themes.Token;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Screenshots of the rollout panel in the light, dark and high-contrast themes (and the slider's
 * confirmation) into {@code app-javafx/target/screenshots/}, from the scene's own snapshot under
 * Monocle: to be looked at. Each is checked to be drawn in its theme's background.
 */
@ExtendWith(ApplicationExtension.class)
class RolloutScreenshotsTest {
  static final Path DIR = Path.of("target", "screenshots");
  FakeConsole fake;
  RolloutPane pane;
  Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
    fake = RolloutFixtures.console(RolloutFixtures.checkout(25));
    pane = new RolloutPane(fake, ZoneOffset.UTC);
    pane.show(fake.snapshot(), "checkout");
    stage.setScene(ThemedScene.of(pane, Theme.DARK, 1280, 1080));
    stage.show();
  }

  BufferedImage shoot(FxRobot robot, String name) throws Exception {
    WaitForAsyncUtils.waitForFxEvents();
    WritableImage[] image = new WritableImage[1];
    robot.interact(() -> image[0] = stage.getScene().snapshot(null));
    BufferedImage out = SwingFXUtils.fromFXImage(image[0], null);
    Files.createDirectories(DIR);
    ImageIO.write(out, "png", DIR.resolve(name).toFile());
    return out;
  }

  static Color pixel(BufferedImage image, int x, int y) {
    int argb = image.getRGB(x, y);
    return Color.rgb((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
  }

  @Test
  void thePanelInEveryTheme(FxRobot robot) throws Exception {
    for (Theme theme : Theme.values()) {
      robot.interact(
          () -> {
            Scene scene = stage.getScene();
            ThemedScene.apply(scene, theme);
          });
      // hover the first chart so the shot shows it
      Node chart = robot.lookup("#chart-p99-latency").queryAs(Node.class);
      robot.moveTo(chart);
      BufferedImage image = shoot(robot, "rollout-" + theme.id() + ".png");
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(pixel(image, 4, 4))
          .as(theme + ": drawn on the theme's background")
          .isEqualTo(Color.web(theme.rgb(Token.BACKGROUND).hex()));
      assertThat(Files.size(DIR.resolve("rollout-" + theme.id() + ".png"))).isGreaterThan(20_000);
    }
  }

  @Test
  void theSlidersConfirmation(FxRobot robot) throws Exception {
    fake.script(
        "previewSetWeight",
        new CommandResult(
            CommandResult.Status.OK,
            "v2.4.0 60% · v2.4.1 40% via HTTPRoute checkout/checkout",
            java.util.List.of(
                "40% to the canary: ≈ 80.0 req/s · ~19.2 errors/min at its 0.40% error rate",
                "held there until resumed or promoted")));
    // to 40% exactly, so that the shot matches the scripted preview: the keyboard moves 1% a key
    robot.interact(() -> robot.lookup("#weight-slider").queryAs(Node.class).requestFocus());
    robot.type(javafx.scene.input.KeyCode.RIGHT, 15);
    shoot(robot, "rollout-dark-choosing.png");
    robot.type(javafx.scene.input.KeyCode.ENTER);
    WaitForAsyncUtils.waitForFxEvents();
    BufferedImage image = shoot(robot, "rollout-dark-confirm.png");
    assertThat(robot.lookup("#confirm").queryAs(Node.class).isVisible()).isTrue();
    assertThat(image.getHeight()).isEqualTo(1080);
  }
}
