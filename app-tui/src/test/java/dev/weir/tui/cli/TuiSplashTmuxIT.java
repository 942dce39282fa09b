package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program's entry point ({@code dev.weir.tui.launch.Main}, as {@code ./weir} runs it) on a real
 * terminal (tmux): {@code weir tui} draws its loading frame before the console has loaded; a
 * launch that ends before the console takes the terminal leaves the terminal as it was, with its
 * one line of error on it; Ctrl+C during the loading frame leaves nothing of it.
 */
class TuiSplashTmuxIT {
  private static final Duration QUICK = Duration.ofSeconds(90);

  @TempDir Path home;

  @Test
  void aBadThemeEndsWithItsOneLineOnTheNormalScreenAndExitTwo() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed");
    // the program runs once Enter is pressed (what a shell prints before a new pane's first key
    // may be cleared by tmux itself)
    try (Tmux tmux = Tmux.start("read go; echo before; " + weir("WEIR_THEME=neon", "tui"), 80, 24)) {
      tmux.send("Enter");
      assertThat(tmux.awaitExit(QUICK)).isEqualTo(2);
      String screen = tmux.screen();
      assertThat(screen).as("the normal screen again, what was on it kept")
          .contains("before")
          .contains("WEIR_THEME: no theme named 'neon'")
          .doesNotContain("Opening…");
    }
  }

  @Test
  void theLoadingFrameComesBeforeTheConsolesOwnAndNothingOfEitherIsLeftAfterColonQ() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed");
    Path bytes = home.resolve("terminal.bytes");
    // the program starts once Enter is pressed, after the recording of what it writes has begun
    String command = "read go; echo before; " + weir("", "tui", "--repo", home.resolve("none").toString());
    try (Tmux tmux = Tmux.start(command, 80, 24)) {
      tmux.record(bytes).send("Enter");
      // the console's own frame: its footer says what can be done while loading, or it failed
      tmux.await("the console's frame", QUICK, s -> s.contains("<:q> quit") || s.contains(":q quits"));
      tmux.send(":", "q", "Enter");
      tmux.awaitExit(QUICK);
      assertThat(tmux.screen()).contains("before").doesNotContain("Opening…").doesNotContain("weir › ");
    }
    String written = java.nio.file.Files.readString(bytes, java.nio.charset.StandardCharsets.UTF_8);
    int splash = written.indexOf("loading the program");
    int console = written.indexOf(":q");
    assertThat(splash).as("the entry point's loading frame is written").isGreaterThanOrEqualTo(0);
    assertThat(written.substring(0, splash)).contains("Opening…").contains("ctx:loading…");
    assertThat(console).as("then the console's own frame").isGreaterThan(splash);
  }

  @Test
  void aLostTerminalLeavesNothingRunning() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed");
    ProcessHandle weir;
    Path pid = home.resolve("weir.pid");
    // the shell writes its process id, then becomes weir tui (exec keeps the id)
    Tmux tmux =
        Tmux.start(
            "echo $$ > " + quote(pid.toString()) + "; exec " + weir("", "tui", "--repo", home.resolve("none").toString()),
            80,
            24);
    try {
      tmux.await("the console's frame", QUICK, s -> s.contains("<:q> quit") || s.contains(":q quits"));
      long id = Long.parseLong(java.nio.file.Files.readString(pid).strip());
      weir = ProcessHandle.of(id).orElseThrow(() -> new AssertionError("weir tui (" + id + ") already ended"));
      assertThat(weir.info().command()).as("weir tui's JVM").hasValueSatisfying(c -> assertThat(c).endsWith("java"));
    } finally {
      tmux.close(); // the terminal goes away, as when an SSH connection drops: SIGHUP
    }
    long end = System.nanoTime() + QUICK.toNanos();
    while (weir.isAlive()) {
      if (System.nanoTime() > end) {
        weir.destroyForcibly();
        throw new AssertionError("weir tui still ran " + QUICK.toSeconds() + " s after its terminal was gone");
      }
      try {
        weir.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // still running: look again
      }
    }
  }

  /** The entry point with this test's home, as a shell command line. */
  private String weir(String variable, String... args) {
    StringBuilder line = new StringBuilder("env HOME=" + quote(home.toString()))
        .append(" XDG_DATA_HOME=").append(quote(home.resolve("data").toString()))
        .append(" XDG_CACHE_HOME=").append(quote(home.resolve("cache").toString()))
        .append(" TERM=xterm-256color ")
        .append(variable)
        .append(' ')
        .append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
        .append(" -cp ").append(quote(System.getProperty("java.class.path")))
        .append(" dev.weir.tui.launch.Main");
    for (String arg : args) {
      line.append(' ').append(quote(arg));
    }
    return line.toString();
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
