package dev.weir.desktop.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The line docs/benchmarks.md's first-window figures are read from. */
class DesktopTimingTest {

  @Test
  void theFirstWindowIsTimedFromTheJvmsOwnStartAndGivesTheInstantForALaunchingScript() {
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    Instant shown = Instant.ofEpochMilli(started + 1234);

    String line = JavaFxFace.timing(shown);

    // the JVM's own clock, not ProcessHandle's start instant (a second early on Linux)
    assertThat(line)
        .startsWith("weir desktop: first window shown at " + shown.toEpochMilli() + " (epoch ms), 1234 ms after the JVM started, ")
        .containsPattern("[0-9]+ ms of CPU \\([0-9]+ cores\\)$");
  }
}
