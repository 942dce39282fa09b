package dev.weir.desktop.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code weir-desktop} launcher's path, in a JVM of its own as a person starts it:
 * {@link DesktopMain} → the entry point, which starts JavaFX's toolkit on a thread of its own
 * while the command line is read → {@code weir desktop} finds it started, shows the loading
 * window, opens the console on the sandbox and fills the window. With {@code
 * WEIR_DESKTOP_QUIT_WHEN_SHOWN} (the packaging's training run) it closes once storefront is on it.
 * The display is Monocle's headless one, as in the other desktop tests (no X server needed).
 */
class DesktopLaunchIT {
  @TempDir Path home;

  @Test
  void theDesktopLauncherShowsTheWindowFillsItWithTheSandboxAndClosesCleanly() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dglass.platform=Monocle",
                "-Dmonocle.platform=Headless",
                "-Dheadless.geometry=1280x800-32",
                "-Dprism.order=sw",
                "-Dprism.text=t2k",
                "-Dweir.desktop.timing=true",
                "-Duser.home=" + home,
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-cp",
                System.getProperty("java.class.path"),
                DesktopMain.class.getName(),
                "--sandbox"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", home.toString());
    builder.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
    builder.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("WEIR_DESKTOP_QUIT_WHEN_SHOWN", "storefront");
    Path log = home.resolve("desktop.log");
    builder.redirectOutput(log.toFile());
    Process desktop = builder.start();
    // a bound against a hang, not a measure: the sandbox starts and compares in the child JVM
    boolean ended = desktop.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      desktop.destroyForcibly();
    }
    String printed = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(ended).as(printed).isTrue();
    assertThat(desktop.exitValue()).as(printed).isZero();
    assertThat(printed).as("the window's own report").contains("weir desktop: first window shown");
    assertThat(printed).doesNotContain("Exception");
    assertThat(home.resolve("config/weir/desktop.properties"))
        .as("the window, closed, remembered its place")
        .exists();
  }
}
