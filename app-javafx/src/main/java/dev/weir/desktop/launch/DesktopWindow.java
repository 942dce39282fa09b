package dev.weir.desktop.launch;

import dev.weir.desktop.console.DesktopConsole;
import dev.weir.desktop.console.RolloutSlot;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.themes.Theme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The desktop console's stage: the {@link DesktopConsole} in a scene styled with the chosen theme,
 * placed where it was last closed (when that is still on a screen), its splits and theme written
 * back to the settings file when it closes or the theme changes. Only used on the JavaFX thread.
 */
public final class DesktopWindow {
  private final Stage stage;
  private DesktopConsole console;
  private final Scene scene;
  private final Path settingsFile;
  private WindowSettings settings;
  private Theme theme;

  /**
   * Opens the window at once, marked loading, before any console exists ({@link #attach} fills
   * it). The theme is {@code chosen}, else the remembered one, else dark: JavaFX 21 does not
   * expose the system's colour scheme (Platform.Preferences came with JavaFX 22).
   */
  public DesktopWindow(Stage stage, Optional<Theme> chosen, Path settingsFile) {
    this.stage = stage;
    this.settingsFile = settingsFile;
    this.settings = WindowSettings.load(settingsFile);
    this.theme = chosen.or(settings::theme).orElse(Theme.DARK);
    Label loading = new Label("Weir · loading: starting the console…");
    loading.getStyleClass().add("title");
    StackPane first = new StackPane(loading);
    first.setId("weir-starting");
    this.scene = new Scene(first, settings.width(), settings.height());
    DesktopConsole.applyTheme(scene, theme);
    stage.setTitle("Weir");
    stage.setScene(scene);
    place();
    stage.setOnHidden(e -> {
      if (console != null) {
        console.close();
      }
      remember();
    });
  }

  /**
   * Shows {@code api} in the window (on the JavaFX thread): the console's content replaces the
   * loading placeholder; {@code rollout} makes the application pane's rollout section.
   */
  public DesktopConsole attach(ConsoleApi api, Function<ConsoleApi, RolloutSlot> rollout) {
    console = new DesktopConsole(api, ZoneId.systemDefault(), rollout, this::theme);
    console.install(scene);
    console.onQuit(stage::close);
    console.onSaveTimeline(ignored -> {
      FileChooser chooser = new FileChooser();
      chooser.setTitle("Save the incident timeline");
      chooser.setInitialFileName("incident-timeline.md");
      chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Markdown", "*.md"));
      java.io.File file = chooser.showSaveDialog(stage);
      if (file != null) {
        console.saveTimeline(file.toPath());
      }
    });
    scene.setRoot(console.root());
    console.mainSplit().setDividerPositions(settings.mainSplit());
    console.applicationSplit().setDividerPositions(settings.applicationSplit());
    return console;
  }

  public Stage stage() {
    return stage;
  }

  public DesktopConsole console() {
    return console;
  }

  public Theme theme() {
    return theme;
  }

  /** Switches to {@code value} now and remembers it. */
  public void theme(Theme value) {
    theme = value;
    DesktopConsole.applyTheme(scene, value);
    settings = settings.withTheme(value);
  }

  private void place() {
    if (settings.x().isPresent() && settings.y().isPresent()) {
      double x = settings.x().getAsDouble();
      double y = settings.y().getAsDouble();
      boolean visible = !Screen.getScreensForRectangle(new Rectangle2D(x, y, 100, 40)).isEmpty();
      if (visible) {
        stage.setX(x);
        stage.setY(y);
      }
    }
    stage.setMaximized(settings.maximized());
  }

  /** Writes the window's place, splits and theme to the settings file. */
  void remember() {
    double[] main = console == null ? new double[0] : console.mainSplit().getDividerPositions();
    double[] app = console == null ? new double[0] : console.applicationSplit().getDividerPositions();
    settings =
        new WindowSettings(
            OptionalDouble.of(stage.getX()),
            OptionalDouble.of(stage.getY()),
            stage.isMaximized() ? settings.width() : stage.getWidth(),
            stage.isMaximized() ? settings.height() : stage.getHeight(),
            stage.isMaximized(),
            main.length > 0 ? main[0] : settings.mainSplit(),
            app.length > 0 ? app[0] : settings.applicationSplit(),
            Optional.of(theme));
    try {
      settings.save(settingsFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remember the window in " + settingsFile, e);
    }
  }
}
