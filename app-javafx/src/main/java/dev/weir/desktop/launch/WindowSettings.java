package dev.weir.desktop.launch;

import dev.weir.themes.Theme;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;

/**
 * What the desktop console remembers between runs: the window's size and position, whether it was
 * maximised, the two split positions and the theme, in {@code $XDG_CONFIG_HOME/weir/desktop.properties}
 * (else {@code ~/.config/weir/desktop.properties}). A missing or unreadable file is the defaults;
 * a value that does not parse is ignored. Immutable.
 */
public record WindowSettings(
    OptionalDouble x,
    OptionalDouble y,
    double width,
    double height,
    boolean maximized,
    double mainSplit,
    double applicationSplit,
    Optional<Theme> theme) {

  /** The window's size on first use. */
  public static final double WIDTH = 1280;

  public static final double HEIGHT = 800;

  public static WindowSettings defaults() {
    return new WindowSettings(OptionalDouble.empty(), OptionalDouble.empty(), WIDTH, HEIGHT, false, 0.28, 0.55, Optional.empty());
  }

  /** The file under the user's config directory. */
  public static Path file(Map<String, String> variables, Path home) {
    String xdg = variables.get("XDG_CONFIG_HOME");
    Path config = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".config");
    return config.resolve("weir").resolve("desktop.properties");
  }

  /** The settings in {@code file}; the defaults for what it lacks. */
  public static WindowSettings load(Path file) {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException | IllegalArgumentException e) {
        return defaults();
      }
    }
    WindowSettings d = defaults();
    return new WindowSettings(
        number(p, "window.x"),
        number(p, "window.y"),
        number(p, "window.width").stream().filter(v -> v >= 400).findFirst().orElse(d.width()),
        number(p, "window.height").stream().filter(v -> v >= 300).findFirst().orElse(d.height()),
        Boolean.parseBoolean(p.getProperty("window.maximized", "false")),
        fraction(p, "split.main").orElse(d.mainSplit()),
        fraction(p, "split.application").orElse(d.applicationSplit()),
        Optional.ofNullable(p.getProperty("theme")).flatMap(Theme::byId));
  }

  /** Writes these settings to {@code file} (creating its folder). */
  public void save(Path file) throws IOException {
    Properties p = new Properties();
    x.ifPresent(v -> p.setProperty("window.x", String.valueOf(v)));
    y.ifPresent(v -> p.setProperty("window.y", String.valueOf(v)));
    p.setProperty("window.width", String.valueOf(width));
    p.setProperty("window.height", String.valueOf(height));
    p.setProperty("window.maximized", String.valueOf(maximized));
    p.setProperty("split.main", String.valueOf(mainSplit));
    p.setProperty("split.application", String.valueOf(applicationSplit));
    theme.ifPresent(t -> p.setProperty("theme", t.id()));
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "weir desktop: the window as it was last closed");
    }
  }

  public WindowSettings withTheme(Theme value) {
    return new WindowSettings(x, y, width, height, maximized, mainSplit, applicationSplit, Optional.of(value));
  }

  private static OptionalDouble number(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      return OptionalDouble.empty();
    }
    try {
      double d = Double.parseDouble(v.strip());
      return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  private static Optional<Double> fraction(Properties p, String key) {
    OptionalDouble v = number(p, key);
    return v.isPresent() && v.getAsDouble() > 0.05 && v.getAsDouble() < 0.95 ? Optional.of(v.getAsDouble()) : Optional.empty();
  }
}
