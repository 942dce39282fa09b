package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.analysis.MetricSeries;
import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutView;
import dev.weir.engine.rollout.RolloutView.Outcome;
import dev.weir.engine.rollout.RolloutView.StepState;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link RolloutView} a face draws, on the sandbox (seeded with the sample repository, on the
 * engine's clock) through its API server and its Prometheus behind the service proxy: storefront's
 * v2.4.1 canary mid-analysis shows its steps, metric rows and series; aborted, its analyses show
 * stopped and keep what they measured; a console opened afterwards reads the series back from
 * Prometheus.
 */
class RolloutViewIT {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  final List<String> events = new CopyOnWriteArrayList<>();
  TestCluster cluster;
  Path repository;
  GitSettings settings;
  GitSource git;
  PrometheusSelection metrics;
  Console console;

  @BeforeEach
  void seed() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(3));
    repository = dir.resolve("shop.git");
    SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
    settings =
        GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
            .withCredentialHelper(false);
    try (JGitSource source =
        JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock)) {
      SampleCluster.seed(cluster.server, source, "HEAD~1", repository);
    }
    clock.advance(Duration.ofMinutes(2));
    git = JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock);
    console = openConsole();
  }

  Console openConsole() {
    KubeClusterGateway gateway = cluster.gateway();
    metrics = PrometheusSelection.discovering(gateway, PrometheusAccess.none(), clock);
    Console opened =
        Console.open(
            git,
            gateway,
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "console")),
            metrics,
            Runnable::run);
    opened.onEvent(e -> events.add(e.application() + " " + e.message()));
    return opened;
  }

  @AfterEach
  void stop() throws Exception {
    if (console != null) {
      console.close();
    }
    if (git != null) {
      git.close();
    }
    cluster.close();
  }

  @Test
  void aCanaryMidAnalysisShowsItsStepsMetricRowsAndSeries() {
    RolloutView view = driveUntil(v -> measured(v, "step 3") >= 1);

    assertThat(view.strategy()).isEqualTo(RolloutView.Strategy.CANARY);
    assertThat(view.router())
        .contains(new RolloutView.Router("gatewayAPI", "HTTPRoute shop/storefront"));
    assertThat(view.steps())
        .extracting(RolloutView.Step::description)
        .containsExactly(
            "setWeight 5",
            "pause 2m",
            "analysis success-rate",
            "setWeight 25",
            "pause (until promoted)",
            "setWeight 50",
            "pause 5m");
    assertThat(view.steps())
        .extracting(RolloutView.Step::state)
        .containsExactly(
            StepState.DONE,
            StepState.DONE,
            StepState.CURRENT,
            StepState.PENDING,
            StepState.PENDING,
            StepState.PENDING,
            StepState.PENDING);
    assertThat(view.steps().get(2).analysis()).contains(Outcome.RUNNING);
    assertThat(view.versions())
        .isEqualTo(new RolloutView.Versions("v2.4.0", 95, Optional.of("v2.4.1"), 5));
    assertThat(view.analyses())
        .extracting(RolloutView.Analysis::name, RolloutView.Analysis::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("step 3", Outcome.RUNNING),
            org.assertj.core.groups.Tuple.tuple("background", Outcome.RUNNING));
    RolloutView.MetricRow successRate = row(view, "success-rate");
    assertThat(successRate.analysis()).isEqualTo("step 3");
    assertThat(successRate.judge()).isEqualTo("result[0] >= 0.99");
    assertThat(successRate.verdict()).isEqualTo(Outcome.RUNNING);
    assertThat(successRate.canary()).isPresent();
    assertThat(successRate.canary().getAsDouble()).isBetween(0.8, 0.99);
    assertThat(successRate.explanation()).contains("success-rate").contains("0.99");
    assertThat(row(view, "p99-latency").judge()).isEqualTo("result[0] < 0.3");
    MetricSeries series = view.series("success-rate").orElseThrow();
    assertThat(series.points()).isNotEmpty();
    assertThat(series.points().getLast().canary()).isBetween(0.8, 0.99);
    assertThat(series.thresholds()).extracting(MetricSeries.Threshold::value).containsExactly(0.99);
    assertThat(view.phaseSince()).isPresent();
    assertThat(view.phaseSince().get()).isBefore(clock.instant());
  }

  @Test
  void anAbortedCanaryShowsItsAnalysisStoppedAndAConsoleOpenedLaterReadsTheSeriesBack() {
    driveUntil(v -> measured(v, "step 3") >= 1);
    Instant measuredBy = clock.instant();

    CommandResult aborted = console.abort("storefront", Optional.empty(), "checkout errors").join();
    assertThat(aborted.ok()).as(aborted.message()).isTrue();
    console.refresh().join();

    RolloutView view = view().orElseThrow();
    assertThat(view.status().phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(view.analyses())
        .extracting(RolloutView.Analysis::outcome)
        .containsOnly(Outcome.STOPPED)
        .isNotEmpty();
    assertThat(view.steps().get(2).analysis()).contains(Outcome.STOPPED);
    assertThat(row(view, "success-rate").verdict()).isEqualTo(Outcome.STOPPED);
    assertThat(view.series("success-rate").orElseThrow().points())
        .as("kept after the run ended")
        .isNotEmpty();
    assertThat(view.versions().canaryWeight()).isZero();

    // a restart: a new console (the same cluster, Git and Prometheus), a minute later
    console.close();
    clock.advance(Duration.ofMinutes(1));
    console = openConsole();
    console.refresh().join();

    RolloutView reopened = view().orElseThrow();
    assertThat(reopened.status().phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(reopened.analyses())
        .as(reopened.analyses().toString())
        .extracting(RolloutView.Analysis::outcome)
        .containsOnly(Outcome.STOPPED);
    MetricSeries readBack = reopened.series("success-rate").orElseThrow();
    assertThat(readBack.points())
        .as("read back from Prometheus: the canary's success rate before the abort")
        .anySatisfy(
            p -> {
              assertThat(p.at()).isBeforeOrEqualTo(measuredBy);
              assertThat(p.canary()).isBetween(0.8, 0.99);
            });
    assertThat(readBack.points())
        .allSatisfy(
            p ->
                assertThat(p.at()).isAfterOrEqualTo(clock.instant().minus(Duration.ofMinutes(15))));
    assertThat(readBack.thresholds())
        .extracting(MetricSeries.Threshold::value)
        .containsExactly(0.99);
  }

  private static RolloutView.MetricRow row(RolloutView view, String metric) {
    return view.metrics().stream()
        .filter(r -> r.metric().equals(metric))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + metric + " in " + view.metrics()));
  }

  private static int measured(RolloutView view, String analysis) {
    return view.analyses().stream()
        .filter(a -> a.name().equals(analysis))
        .findFirst()
        .map(a -> Integer.parseInt(a.counts().split(" ")[0]))
        .orElse(0);
  }

  private Optional<RolloutView> view() {
    return console.snapshot().application("storefront").flatMap(a -> a.rolloutView("storefront"));
  }

  /**
   * Lets the console drive storefront 5 s at a time (up to 20 minutes) until {@code done}, looked
   * at every 15 s.
   */
  private RolloutView driveUntil(Predicate<RolloutView> done) {
    console.refresh().join();
    for (int second = 0; second <= 20 * 60; second += 5) {
      if (second % 15 == 0) {
        console.refresh().join();
        Optional<RolloutView> view = view();
        if (view.isPresent() && done.test(view.get())) {
          return view.get();
        }
      }
      console.reconcileRollouts();
      clock.advance(Duration.ofSeconds(5));
    }
    throw new AssertionError("not there in 20 minutes:\n" + String.join("\n", events));
  }
}
