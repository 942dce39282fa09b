package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.themes.Theme;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir tui}'s options and what it refuses before it takes the terminal. */
class TuiCommandTest {
  @TempDir Path home;

  @Test
  void theThemeComesFromWeirThemeAndAnUnknownOneIsBadInput() {
    assertThat(TuiCommand.theme(null)).isEqualTo(Theme.DARK);
    assertThat(TuiCommand.theme("light")).isEqualTo(Theme.LIGHT);
    assertThat(TuiCommand.theme("High-Contrast")).isEqualTo(Theme.HIGH_CONTRAST);
    assertThatThrownBy(() -> TuiCommand.theme("neon"))
        .isInstanceOf(CommandException.class)
        .hasMessage("WEIR_THEME: no theme named 'neon'; known: dark, light, high-contrast");
  }

  @Test
  void helpNamesTheLaunchOptions() {
    CliRun help = CliRun.weir(home, "tui", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("Usage: weir tui")
        .contains("--sandbox")
        .contains("--kubeconfig=FILE")
        .contains("--context=NAME")
        .contains("--repo=PATH|URL")
        .contains("--branch=B")
        .contains("--prometheus=URL");
  }

  @Test
  void aMissingKubeconfigOrAnUnknownThemeEndsWithExitTwoBeforeTheTerminalIsTaken() {
    CliRun missing =
        CliRun.weir(home, "tui", "--kubeconfig", home.resolve("nope").toString(), "--repo", "x");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no kubeconfig at " + home.resolve("nope"));

    CliRun theme = CliRun.weir(home, Map.of("WEIR_THEME", "neon"), "tui");
    assertThat(theme.exitCode()).isEqualTo(2);
    assertThat(theme.err()).contains("WEIR_THEME: no theme named 'neon'");
  }
}
