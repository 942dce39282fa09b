package dev.weir.drills;

import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.PrometheusMetricProvider;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.engine.time.DiscreteEventClock;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared sandbox's story at real time: {@code weir sandbox serve}, and in another process
 * {@code weir reconcile --watch --sandbox}, whose console measures the analyses through the served
 * sandbox's Prometheus API. Played on a {@link DiscreteEventClock} instead of the wall clock, with
 * the same settings (world defaults, console defaults, the sample as {@code weir sandbox init}
 * seeds it), so that four minutes of sandbox time take seconds and nothing waits for wall time;
 * the console takes a pass one second after the cluster changes, as its informers make it do.
 */
class SharedSandboxStoryTest {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir Path dir;

  @Test
  void aBadCanaryFailsOnItsMeasuredValuesWithinMinutes() throws Exception {
    DiscreteEventClock clock = DiscreteEventClock.asFastAsPossible(START);
    SandboxStateLocation location = new SandboxStateLocation(dir.resolve("data/weir/sandbox"));
    Path repository = dir.resolve("shop.git");
    SampleRepository.write(repository, START.minus(Duration.ofHours(1)));
    GitSettings git =
        GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
            .withCredentialHelper(false);
    List<String> events = new ArrayList<>();
    try (LocalSandbox served = LocalSandbox.serve(location, clock, 0, dir.resolve("kubeconfig"));
        LocalSandbox reached = LocalSandbox.attach(location, clock)) {
      try (JGitSource source = JGitSource.open(WorkspaceSpec.of(repository.toString()), git, clock)) {
        SampleCluster.seed(served.server().orElseThrow(), source, "HEAD~1", repository);
      }
      // the sandbox has been serving for a while before anyone opens a console on it
      clock.runUntil(() -> !clock.instant().isBefore(START.plus(Duration.ofMinutes(2))));
      Instant opened = clock.instant();

      try (JGitSource source = JGitSource.open(WorkspaceSpec.of(repository.toString()), git, clock);
          KubeClusterGateway gateway =
              KubeClusterGateway.connect(
                  Kubeconfig.fromFiles(List.of(reached.kubeconfig())), "weir-sandbox", clock)) {
        // another process's sandbox is measured as a real cluster is: its Prometheus found and
        // queried through the API server's service proxy, with the kubeconfig's credentials
        PrometheusSelection metrics =
            PrometheusSelection.discovering(gateway, PrometheusAccess.none(), clock);
        Console console =
            Console.open(source, gateway, clock, Console.Options.defaults("alice", LeaseHolder.of("alice@desk", "reconcile")),
                metrics, Runnable::run);
        try {
          console.onEvent(e -> events.add(line(opened, e)));
          console.refresh().join();
          EngineClock.Scheduled passes = clock.every(Duration.ofSeconds(1), console::reconcileRollouts);
          clock.runUntil(
              () ->
                  events.stream().anyMatch(e -> e.contains("ROLLED_BACK"))
                      || clock.since(opened).compareTo(Duration.ofMinutes(10)) > 0);
          passes.cancel();
        } finally {
          console.close();
        }

        // the canary's own traffic, as the latency analysis sees it, through the service proxy
        QueryResult<MetricValue> p99 =
            metrics.instant(
                "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket"
                    + "{service=\"storefront\"}[1m])) by (le))",
                clock.instant());
        assertThat(p99).isInstanceOf(QueryResult.Ok.class);
        assertThat(((QueryResult.Ok<MetricValue>) p99).value().isEmpty()).isFalse();
      }
    }
    String story = String.join("\n", events);
    assertThat(events)
        .as(story)
        .anySatisfy(e -> assertThat(e).matches("\\+00:0\\d storefront rollout WEIGHT: canary weight 0% → 5%.*"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .matches(
                        "\\+01:\\d\\d storefront rollout ANALYSIS_MEASURED: background analysis latency:"
                            + " Running, 1 measured, 1 failed \\(last: p99-latency 0\\.\\d+\\)"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .matches(
                        "\\+0[34]:\\d\\d storefront rollout ROLLED_BACK: v2\\.4\\.1 rolled back:"
                            + " \\S+ [\\d.]+ \\(result\\[0\\] [<>=]+ [\\d.]+ not met\\).*"))
        .noneSatisfy(e -> assertThat(e).containsAnyOf("no data", "Inconclusive", "INCONCLUSIVE"));
  }

  private static String line(Instant opened, ConsoleEvent event) {
    long seconds = Duration.between(opened, event.at()).toSeconds();
    return String.format("+%02d:%02d %s %s", seconds / 60, seconds % 60, event.application(), event.message());
  }
}
