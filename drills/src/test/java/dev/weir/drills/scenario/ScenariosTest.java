package dev.weir.drills.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.engine.time.DiscreteEventClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every scenario on the seeded sample, without an engine attached, on a {@link DiscreteEventClock}
 * as {@code weir sandbox run} plays them: nothing here waits for wall time.
 */
class ScenariosTest {
  private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

  @TempDir Path dir;
  Drill drill;

  /** A seeded sandbox on its own clock, two minutes after seeding (pods Ready, traffic flowing). */
  static final class Drill implements AutoCloseable {
    final DiscreteEventClock clock = DiscreteEventClock.asFastAsPossible(START);
    final SandboxApiServer server;
    final ScenarioContext context;

    Drill(Path dir) throws Exception {
      server =
          SandboxApiServer.start(
              SandboxOptions.builder().https(false).ephemeral().clock(clock).build());
      SandboxWorld world = SandboxWorld.attach(server, WorldSettings.defaults().withSeed(3));
      Path repository = dir.resolve("shop.git");
      SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
      GitSettings git =
          GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
              .withCredentialHelper(false);
      String revision;
      try (JGitSource source =
          JGitSource.open(WorkspaceSpec.of(repository.toString()), git, clock)) {
        revision = SampleCluster.seed(server, source, "HEAD~1", repository).revision();
      }
      clock.runUntil(() -> !clock.instant().isBefore(START.plus(Duration.ofMinutes(2))));
      Files.createDirectories(dir.resolve("scratch"));
      context =
          new ScenarioContext(
              server,
              world,
              Optional.of(repository),
              Optional.of(revision),
              Optional.empty(),
              dir.resolve("scratch"),
              git);
    }

    /** Plays {@code name} to its end; its lines and the closing message. */
    List<String> play(String name) {
      List<String> lines = new ArrayList<>();
      ScenarioRun run =
          ScenarioRun.start(
              Scenarios.named(name).orElseThrow(), context, l -> lines.add(l.toString()));
      clock.runUntil(run.done()::isDone);
      ScenarioResult result = run.done().join();
      assertThat(result.playedOut())
          .as(result.message() + "\n" + String.join("\n", lines))
          .isTrue();
      lines.add(result.message());
      return lines;
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }

  @BeforeEach
  void seed() throws Exception {
    drill = new Drill(dir.resolve("first"));
  }

  @AfterEach
  void stop() throws Exception {
    drill.close();
  }

  @Test
  void listNamesEveryScenarioOnce() {
    assertThat(Scenarios.all())
        .extracting(Scenario::name)
        .containsExactly(
            "drift",
            "latency-spike",
            "crashloop",
            "git-unreachable",
            "bad-canary",
            "good-canary",
            "blue-green",
            "flag-rollout");
  }

  @Test
  void theFlagRolloutWithoutTheEngineStopsSayingItNeedsIt() {
    ScenarioRun run =
        ScenarioRun.start(Scenarios.named("flag-rollout").orElseThrow(), drill.context, l -> {});
    drill.clock.runUntil(run.done()::isDone);
    ScenarioResult result = run.done().join();
    assertThat(result.playedOut()).isFalse();
    assertThat(result.message()).startsWith("this scenario needs the engine to commit the flag");
  }

  @Test
  void aRolloutScenarioWithoutTheEngineStopsSayingItNeedsIt() {
    ScenarioRun run =
        ScenarioRun.start(Scenarios.named("bad-canary").orElseThrow(), drill.context, l -> {});
    drill.clock.runUntil(run.done()::isDone);
    ScenarioResult result = run.done().join();
    assertThat(result.playedOut()).isFalse();
    assertThat(result.took()).isZero();
    assertThat(result.message())
        .startsWith("this scenario needs the engine to drive the rollout");
  }

  @ParameterizedTest
  @ValueSource(strings = {"drift", "latency-spike", "crashloop", "git-unreachable"})
  void theSameSeedTellsTheSameStoryHoweverBusyTheMachine(String scenario) throws Exception {
    List<String> first = drill.play(scenario);
    List<Thread> hogs = new ArrayList<>();
    AtomicBoolean hogging = new AtomicBoolean(true);
    for (int i = 0; i < 2; i++) {
      Thread hog =
          new Thread(
              () -> {
                long spin = 0;
                while (hogging.get()) {
                  spin = spin * 31 + 7;
                }
                assertThat(spin).isNotZero();
              });
      hog.setDaemon(true);
      hog.start();
      hogs.add(hog);
    }
    try {
      for (String again : List.of("second", "third")) {
        try (Drill other = new Drill(dir.resolve(again))) {
          assertThat(other.play(scenario)).as(again + " run").isEqualTo(first);
        }
      }
    } finally {
      hogging.set(false);
      for (Thread hog : hogs) {
        hog.join();
      }
    }
  }

  @Test
  void driftIsMadeAndDetectedByComparingWithTheRenderedDesiredState() {
    List<String> lines = drill.play("drift");
    assertThat(lines.getFirst())
        .isEqualTo(
            "+00:00  checkout    Deployment shop/checkout scaled from 3 to 1 in the cluster by"
                + " kubectl-edit (drill: a hand edit nobody committed to Git)");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "\\+00:0\\d  checkout    drift detected: Deployment shop/checkout"
                            + " spec.replicas is 1 in the cluster, 3 in Git at rev [0-9a-f]{7}"
                            + " \\(compared with the rendered desired state\\)"))
        .anySatisfy(l -> assertThat(l).contains("ReplicaSet").doesNotContain("kubectl"))
        .anySatisfy(
            l -> assertThat(l).contains("not self-healed: no reconciler is attached to this run"));
    assertThat(lines.getLast()).startsWith("drift played out in ");
  }

  @Test
  void latencySpikeCrossesTheAnalysisThresholdAndRecovers() {
    List<String> lines = drill.play("latency-spike");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "\\+01:0\\d  storefront  p99 latency 0\\.[12]\\ds \\(before the spike.*"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("a dependency slows down: latency ×4 for 3m"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        ".*storefront  p99 latency (0\\.[3-9]|[1-9])\\d*\\.?\\d*s \\(above the 0.3s"
                            + " threshold.*"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("p99 latency back to 0.2"));
  }

  @Test
  void crashloopStallsTheRolloutAndRecoversOnRollback() {
    List<String> lines = drill.play("crashloop");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(
                        "pricing     pod template changed in the cluster:"
                            + " sandbox.weir.dev/crashloop=true"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("container crashed, back-off"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        ".*pod pricing-\\w+-\\w+ is in CrashLoopBackOff after 3 restarts; 2 pods"
                            + " still serve.*"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("rolled back to replica set pricing-"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("recovered: 2/2 pods ready"));
  }

  @Test
  void gitUnreachableKeepsTheLastStateMarkedStale() {
    List<String> lines = drill.play("git-unreachable");
    assertThat(lines.get(0))
        .matches(
            "\\+00:00  workspace   git: following [0-9a-f]{7}; 7 applications rendered"
                + " \\(fresh\\)");
    assertThat(lines.get(1))
        .startsWith(
            "+00:00  workspace   git: fetch failed: fetch file://<drill>/remote.git failed: ");
    assertThat(lines.get(2))
        .matches(
            "\\+00:00  workspace   serving the last state: [0-9a-f]{7}, 7 applications kept, marked"
                + " stale.*");
    assertThat(lines.get(3))
        .matches(
            "\\+01:00  workspace   git: [0-9a-f]{7}, fetched 1m ago \\(stale: .*\\) \\(still"
                + " unreachable\\)");
    assertThat(lines.get(4))
        .matches("\\+01:00  workspace   git: remote back; fresh at [0-9a-f]{7} \\(fetched\\)");
  }
}
