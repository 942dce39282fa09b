package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir sandbox run --list}, bad usage (a scenario or a speed), and {@code reset} of an empty sandbox. */
class SandboxCommandTest {
  @TempDir Path home;

  @Test
  void runListNamesAndDescribesEveryScenario() {
    CliRun run = CliRun.weir(home, "sandbox", "run", "--list");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines())
        .extracting(l -> l.split(" ")[0])
        .containsExactly("drift", "latency-spike", "crashloop", "git-unreachable", "bad-canary", "good-canary",
            "blue-green", "flag-rollout");
    assertThat(run.out()).contains("crashloop        pricing's new pods crash-loop after a bad config");
  }

  @Test
  void anUnknownScenarioIsBadUsageNamingTheList() {
    CliRun run = CliRun.weir(home, "sandbox", "run", "--scenario", "meteor");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no scenario named 'meteor'; 'weir sandbox run --list' names them");
  }

  @Test
  void runWithoutAScenarioIsBadUsage() {
    CliRun run = CliRun.weir(home, "sandbox", "run");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("give --scenario NAME, or --list to see them");
  }

  @Test
  void aSpeedIsANumberOrMax() {
    for (String speed : new String[] {"fast", "0", "-3", "1e9"}) {
      CliRun run = CliRun.weir(home, "sandbox", "run", "--scenario", "drift", "--speed", speed);
      assertThat(run.exitCode()).as(speed).isEqualTo(2);
      assertThat(run.err())
          .contains("--speed must be a number between 0.001 and 100000, or max; was '" + speed + "'");
    }
  }

  @Test
  void resetOfASandboxThatHoldsNothingSaysSo() {
    CliRun run = CliRun.weir(home, "sandbox", "reset");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("the sandbox holds nothing yet; nothing to reset\n");
  }
}
