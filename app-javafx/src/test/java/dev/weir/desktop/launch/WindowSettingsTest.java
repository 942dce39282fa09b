package dev.weir.desktop.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.themes.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the window remembers, where, and what a damaged file leaves of it. */
class WindowSettingsTest {
  @TempDir Path home;

  @Test
  void theFileIsUnderXdgConfigHomeElseDotConfig() {
    assertThat(WindowSettings.file(Map.of("XDG_CONFIG_HOME", "/tmp/cfg"), home)).isEqualTo(Path.of("/tmp/cfg/weir/desktop.properties"));
    assertThat(WindowSettings.file(Map.of(), home)).isEqualTo(home.resolve(".config/weir/desktop.properties"));
    assertThat(WindowSettings.file(Map.of("XDG_CONFIG_HOME", "relative"), home)).isEqualTo(home.resolve(".config/weir/desktop.properties"));
  }

  @Test
  void sizePositionSplitsAndThemeComeBack() throws Exception {
    Path file = WindowSettings.file(Map.of(), home);
    WindowSettings saved = new WindowSettings(OptionalDouble.of(40), OptionalDouble.of(60), 1500, 900, false, 0.3, 0.62, Optional.of(Theme.LIGHT));
    saved.save(file);
    assertThat(WindowSettings.load(file)).isEqualTo(saved);
  }

  @Test
  void aMissingFileOrBadValuesAreTheDefaults() throws Exception {
    assertThat(WindowSettings.load(home.resolve("none"))).isEqualTo(WindowSettings.defaults());
    Path file = home.resolve("desktop.properties");
    Files.writeString(file, "window.width=huge\nwindow.height=12\nsplit.main=1.7\ntheme=neon\nwindow.x=NaN\n");
    WindowSettings read = WindowSettings.load(file);
    assertThat(read.width()).isEqualTo(WindowSettings.WIDTH);
    assertThat(read.height()).isEqualTo(WindowSettings.HEIGHT);
    assertThat(read.mainSplit()).isEqualTo(0.28);
    assertThat(read.theme()).isEmpty();
    assertThat(read.x()).isEmpty();
  }
}
