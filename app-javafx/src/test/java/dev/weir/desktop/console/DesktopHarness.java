package dev.weir.desktop.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.console.ConsoleApi;
import dev.weir.themes.Theme;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A desktop console in a stage for TestFX, in UTC, dark theme: what the tests click in and read
 * back. Waiting is on conditions with a timeout, never on time.
 */
final class DesktopHarness {
  final DesktopConsole console;
  final Scene scene;
  final Stage stage;
  Theme theme = Theme.DARK;

  DesktopHarness(Stage stage, ConsoleApi api, double width, double height) {
    this.stage = stage;
    console = new DesktopConsole(api, ZoneOffset.UTC, RolloutSlot.summary(), t -> {
      theme = t;
      DesktopConsole.applyTheme(stage.getScene(), t);
    });
    scene = new Scene(console.root(), width, height);
    DesktopConsole.applyTheme(scene, theme);
    console.install(scene);
    stage.setScene(scene);
    stage.show();
  }

  /** Waits (at most 15 s) until {@code condition} holds on the JavaFX thread. */
  static void await(String what, BooleanSupplier condition) {
    try {
      WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition::getAsBoolean).get());
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting until " + what, e);
    }
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** The text of every visible labeled node and text under {@code root}, one per line. */
  static String text(Node root) {
    StringBuilder out = new StringBuilder();
    collect(root, out);
    return out.toString();
  }

  private static void collect(Node node, StringBuilder out) {
    if (!node.isVisible()) {
      return;
    }
    if (node instanceof Labeled l && l.getText() != null) {
      out.append(l.getText()).append('\n');
    } else if (node instanceof javafx.scene.text.Text t) {
      out.append(t.getText()).append('\n');
    } else if (node instanceof javafx.scene.control.TextInputControl t) {
      out.append(t.getText()).append('\n');
    }
    if (node instanceof javafx.scene.Parent p) {
      p.getChildrenUnmodifiable().forEach(c -> collect(c, out));
    }
  }

  String text() {
    return fx(() -> text(console.root()));
  }

  /** {@code work}'s answer, computed on the JavaFX thread. */
  static <T> T fx(java.util.concurrent.Callable<T> work) {
    try {
      return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(work));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Runs {@code work} on the JavaFX thread and waits for it. */
  static void fxRun(Runnable work) {
    fx(() -> {
      work.run();
      return null;
    });
  }

  void awaitText(String wanted) {
    await("the window shows '" + wanted + "'", () -> text(console.root()).contains(wanted));
  }

  static void assertShows(FxRobot robot, String query, String text) {
    assertThat(((Labeled) robot.lookup(query).query()).getText()).contains(text);
  }
}
