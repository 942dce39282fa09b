package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir desktop}: the CLI documents it with {@code weir tui}'s options; without the desktop
 * module on the class path (as here: app-tui does not depend on JavaFX) it says so and exits 2,
 * before starting anything; a bad theme is bad input.
 */
class DesktopCommandTest {
  @TempDir Path home;

  @Test
  void helpNamesTuisOptionsAndTheTheme() {
    CliRun help = CliRun.weir(home, "desktop", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("Usage: weir desktop")
        .contains("--sandbox")
        .contains("--kubeconfig=FILE")
        .contains("--context=NAME")
        .contains("--repo=PATH|URL")
        .contains("--branch=B")
        .contains("--prometheus=URL")
        .contains("--theme=NAME");
    assertThat(CliRun.weir(home, "--help").out()).contains("desktop");
  }

  @Test
  void withoutTheDesktopModuleItSaysSoAndExitsTwo() {
    CliRun run = CliRun.weir(home, "desktop", "--sandbox");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("the desktop console is not in this build");
    assertThat(home.resolve(".local/share/weir/sandbox")).as("no sandbox was started").doesNotExist();
  }

  @Test
  void anUnknownThemeIsBadInput() {
    CliRun run = CliRun.weir(home, "desktop", "--theme", "neon");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--theme: no theme named 'neon'; known: dark, light, high-contrast");
  }
}
