package dev.weir.engine.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.sandbox.SampleCluster;
import dev.weir.engine.sandbox.SampleRepository;
import dev.weir.engine.sandbox.api.SandboxApiServer;
import dev.weir.engine.sandbox.api.SandboxOptions;
import dev.weir.engine.sandbox.world.SandboxWorld;
import dev.weir.engine.sandbox.world.WorldSettings;
import dev.weir.engine.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every scenario on the seeded sample, in virtual time, without an engine attached. */
class ScenariosTest {
  @TempDir Path dir;
  ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  SandboxApiServer server;
  SandboxWorld world;
  ScenarioContext context;

  @BeforeEach
  void seed() throws Exception {
    server =
        SandboxApiServer.start(
            SandboxOptions.builder().https(false).ephemeral().clock(clock).build());
    world = SandboxWorld.attach(server, WorldSettings.defaults().withSeed(3));
    Path repository = dir.resolve("shop.git");
    SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
    GitSettings git =
        GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
            .withCredentialHelper(false);
    String revision;
    try (JGitSource source = JGitSource.open(WorkspaceSpec.of(repository.toString()), git, clock)) {
      revision = SampleCluster.seed(server, source, "HEAD~1", repository).revision();
    }
    for (int i = 0; i < 120; i++) {
      clock.advance(Duration.ofSeconds(1));
    }
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

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  List<String> play(String name) {
    List<String> lines = new ArrayList<>();
    ScenarioRun run =
        ScenarioRun.start(
            Scenarios.named(name).orElseThrow(), context, l -> lines.add(l.toString()));
    for (int i = 0; i < 3600 && !run.done().isDone(); i++) {
      clock.advance(Duration.ofSeconds(1));
    }
    ScenarioResult result = run.done().join();
    assertThat(result.playedOut()).as(result.message() + "\n" + String.join("\n", lines)).isTrue();
    lines.add(result.message());
    return lines;
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
            "blue-green");
  }

  @Test
  void aRolloutScenarioWithoutTheEngineStopsSayingItNeedsIt() {
    ScenarioRun run =
        ScenarioRun.start(Scenarios.named("bad-canary").orElseThrow(), context, l -> {});
    clock.advance(Duration.ofSeconds(1));
    ScenarioResult result = run.done().join();
    assertThat(result.playedOut()).isFalse();
    assertThat(result.message())
        .startsWith("this scenario needs the engine to drive the rollout");
  }

  @Test
  void driftIsMadeAndDetectedByComparingWithTheRenderedDesiredState() {
    List<String> lines = play("drift");
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
    List<String> lines = play("latency-spike");
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
    List<String> lines = play("crashloop");
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
    List<String> lines = play("git-unreachable");
    assertThat(lines.get(0))
        .matches(
            "\\+00:00  workspace   git: following [0-9a-f]{7}; 7 applications rendered"
                + " \\(fresh\\)");
    assertThat(lines.get(1)).startsWith("+00:00  workspace   git: fetch failed: ");
    assertThat(lines.get(2))
        .matches(
            "\\+00:00  workspace   serving the last state: [0-9a-f]{7}, 7 applications kept, marked"
                + " stale.*");
    assertThat(lines.get(3))
        .matches(
            "\\+01:0\\d  workspace   git: [0-9a-f]{7}, fetched 1m ago \\(stale: .*\\) \\(still"
                + " unreachable\\)");
    assertThat(lines.get(4))
        .matches("\\+01:0\\d  workspace   git: remote back; fresh at [0-9a-f]{7} \\(fetched\\)");
  }
}
