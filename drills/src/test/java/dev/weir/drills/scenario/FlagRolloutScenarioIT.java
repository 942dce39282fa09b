package dev.weir.drills.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.LocalSandbox;
import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.drills.ScratchSandbox;
import dev.weir.engine.time.EngineClock;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxStateLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code flag-rollout} drill as {@code weir sandbox run} plays it: the sample seeded into a
 * sandbox, a scratch copy on a discrete-event clock, the engine's console committing the flag from
 * the sample's 0 % to 10 % → 50 % → 100 %, three commits, through its flag command (edit, commit, push, sync of the flags ConfigMap), the
 * sandbox's services splitting their requests by flagd's evaluation. Each step's account names the
 * per-variant share of the requests and their latency and errors, which the drill checked against
 * the split and the variants' profiles. Played twice with the same seed: the same lines, times
 * included — virtual time, nothing waits for the wall clock.
 */
class FlagRolloutScenarioIT {
  // the scratch copy trusts saved times within a sane distance of the wall clock (its certificate)
  static final Instant SEEDED =
      EngineClock.system().instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));

  @TempDir Path dir;

  List<String> play(SandboxStateLocation location, Map<String, String> environment)
      throws Exception {
    List<String> lines = new ArrayList<>();
    Scenario scenario = Scenarios.named("flag-rollout").orElseThrow();
    List<String> warnings = new ArrayList<>();
    try (ScratchSandbox scratch =
        ScratchSandbox.copyOf(location, OptionalDouble.empty(), OptionalLong.of(11))) {
      ConsoleScenarioEngine.Drill drill =
          ConsoleScenarioEngine.prepare(
              scratch, scenario, environment, dir.resolve("home"), warnings::add);
      assertThat(warnings).isEmpty();
      try (ConsoleScenarioEngine engine = drill.engine().orElseThrow()) {
        ScenarioRun run = ScenarioRun.start(scenario, drill.context(), l -> lines.add(l.toString()));
        scratch.clock().runUntil(run.done()::isDone);
        ScenarioResult result = run.done().join();
        lines.add(result.message());
        assertThat(result.playedOut()).as(String.join("\n", lines)).isTrue();
      }
    }
    return lines;
  }

  static double number(String line, String regex) {
    var matcher = Pattern.compile(regex).matcher(line);
    assertThat(matcher.find()).as("%s in %s", regex, line).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  @Test
  void theFlagGoesTenFiftyHundredAsCommitsAndTheRequestsByVariantFollow() throws Exception {
    SandboxStateLocation location = new SandboxStateLocation(dir.resolve("data/weir/sandbox"));
    Path repository = dir.resolve("shop.git");
    SampleRepository.write(repository, SEEDED.minus(Duration.ofHours(1)));
    Map<String, String> environment =
        Map.of("PATH", System.getenv("PATH"), "USER", "alice", "HOME", dir.resolve("home").toString());
    ManualClock wall = new ManualClock(SEEDED);
    try (LocalSandbox shared = LocalSandbox.attach(location, wall)) {
      SampleCluster.Seeded seeded =
          SampleCluster.seed(
              shared.server().orElseThrow(), repository, "HEAD~1", environment, dir.resolve("home"));
      assertThat(seeded.problems()).isEmpty();
    }

    List<String> lines = play(location, environment);

    String account = String.join("\n", lines);
    System.out.println(account);
    assertThat(account).as("the sample's flag starts at 0: no step is without a commit").doesNotContain("no commit");
    List<String> revisions = new ArrayList<>();
    for (int percent : new int[] {10, 50, 100}) {
      var commit =
          Pattern.compile(
                  "pricing +flag new-checkout-button: fractional on "
                      + percent
                      + "%: Set flag new-checkout-button of pricing: fractional on "
                      + percent
                      + "% as ([0-9a-f]{7}), pushed to main; synced pricing to \\1")
              .matcher(account);
      assertThat(commit.find()).as("the %s step is a commit, pushed and synced", percent).isTrue();
      revisions.add(commit.group(1));
    }
    assertThat(revisions).as("three commits").doesNotHaveDuplicates();
    List<String> measured =
        lines.stream().filter(l -> l.contains("new-checkout-button at ")).toList();
    assertThat(measured).hasSize(3);
    int[] percents = {10, 50, 100};
    for (int i = 0; i < 3; i++) {
      String line = measured.get(i);
      assertThat(line)
          .as("five minutes of sandbox time after each step")
          .containsPattern("^\\+" + String.format("%02d", (i + 1) * 5) + ":00 +pricing +"
              + "new-checkout-button at " + percents[i] + "%: \\d{5} requests, on ");
      double on = number(line, "on (\\d+\\.\\d)%");
      assertThat(on).as(line).isBetween(percents[i] - 3.0, percents[i] + 3.0);
      assertThat(number(line, "on [^(]*\\(p50 (\\d+)ms")).as("on's 80ms").isBetween(64.0, 96.0);
      assertThat(number(line, "on [^(]*\\(p50 \\d+ms, (\\d+\\.\\d)% errors"))
          .as("on's 3%% errors")
          .isBetween(1.5, 4.5);
      if (percents[i] < 100) {
        assertThat(number(line, "off [^(]*\\(p50 (\\d+)ms")).as("off's 50ms").isBetween(40.0, 60.0);
        assertThat(number(line, "off [^(]*\\(p50 \\d+ms, (\\d+\\.\\d)% errors"))
            .as("off's 0.1%% errors")
            .isLessThan(0.5);
      } else {
        assertThat(line).contains(", off 0.0% (sandbox metrics by variant, last 5m)");
      }
    }
    assertThat(lines.getLast()).startsWith("flag-rollout played out in 15m");

    assertThat(play(location, environment))
        .as("the same seed tells the same story, times included")
        .isEqualTo(lines);
  }
}
