package dev.weir.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.PrometheusMetricProvider;
import dev.weir.engine.analysis.PrometheusSettings;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.PrometheusProcess;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry pusher against a real Pushgateway, scraped by a real Prometheus (Debian packages).
 */
class PushgatewayTelemetryIT {
  @TempDir Path dir;

  private final List<String> outages = new CopyOnWriteArrayList<>();
  private final List<String> recoveries = new CopyOnWriteArrayList<>();
  private final PushgatewayTelemetry.OutageLog log =
      new PushgatewayTelemetry.OutageLog() {
        @Override
        public void outage(String line) {
          outages.add(line);
        }

        @Override
        public void recovered(String line) {
          recoveries.add(line);
        }
      };

  @Test
  void aPushArrivesInThePushgatewayAndCanBeQueriedThroughPrometheus() throws Exception {
    try (PrometheusProcess pushgateway = PrometheusProcess.pushgateway(dir.resolve("pg"));
        PrometheusProcess prometheus =
            PrometheusProcess.prometheus(
                dir.resolve("prom"),
                """
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """
                    .formatted(pushgateway.port()))) {
      ManualClock clock = new ManualClock(Instant.now());
      var settings =
          TelemetrySettings.of(pushgateway.address())
              .withInstance("ops@bastion-1")
              .withInterval(Duration.ofSeconds(15));
      try (var telemetry = new PushgatewayTelemetry(settings, clock, log)) {
        telemetry.setDrift("storefront", 7);
        telemetry.recordReconcile("storefront", Duration.ofMillis(420));
        telemetry.recordSyncError("storefront", "Forbidden");
        telemetry.setRollout("storefront", "Progressing", 25);
        telemetry.setRollout("storefront", "Paused", 25);
        telemetry.recordAnalysisVerdict("storefront", "p99-latency", "High");
        telemetry.start();

        clock.advance(Duration.ofSeconds(15));
        // pushes run one at a time, in order: once this one is done, the scheduled one is too
        assertThat(telemetry.pushNow().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(telemetry.health().pushed())
            .as("the push the interval scheduled, then this one")
            .isEqualTo(2);

        var provider = new PrometheusMetricProvider(PrometheusSettings.of(prometheus.address()));
        assertThat(
                await(
                    provider,
                    "weir_drift_resources{job=\"weir\",instance=\"ops@bastion-1\","
                        + "application=\"storefront\"}"))
            .isEqualTo(7);
        assertThat(
                await(provider, "weir_rollout_phase{instance=\"ops@bastion-1\",phase=\"Paused\"}"))
            .isEqualTo(1);
        assertThat(
                await(
                    provider,
                    "weir_rollout_phase{instance=\"ops@bastion-1\",phase=\"Progressing\"}"))
            .isZero();
        assertThat(await(provider, "weir_rollout_canary_weight_percent{rollout=\"storefront\"}"))
            .isEqualTo(25);
        assertThat(await(provider, "weir_sync_errors_total{reason=\"Forbidden\"}")).isEqualTo(1);
        assertThat(
                await(
                    provider,
                    "weir_analysis_verdicts_total{metric=\"p99-latency\",verdict=\"High\"}"))
            .isEqualTo(1);
        assertThat(
                await(provider, "weir_reconcile_duration_seconds_sum{application=\"storefront\"}"))
            .isEqualTo(0.42);
        assertThat(telemetry.health())
            .isEqualTo(new PushHealth(true, 2, 0, 0, 0, Optional.empty()));
        assertThat(outages).isEmpty();
      }
    }
  }

  @Test
  void anOutageIsLoggedOnceAndTheRecoveryOnce() throws Exception {
    Path pgDir = dir.resolve("pg");
    PrometheusProcess pushgateway = PrometheusProcess.pushgateway(pgDir);
    URI address = pushgateway.address();
    var settings = TelemetrySettings.of(address).withInstance("ops@bastion-1");
    try (var telemetry = new PushgatewayTelemetry(settings, EngineClock.system(), log)) {
      assertThat(telemetry.pushNow().get(10, TimeUnit.SECONDS)).isTrue();
      pushgateway.close();

      for (int i = 0; i < 4; i++) {
        assertThat(telemetry.pushNow().get(10, TimeUnit.SECONDS)).isFalse();
      }
      assertThat(outages)
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith("telemetry: cannot push to " + address + ": ")
                      .endsWith(
                          "; the console carries on and retries quietly (logged once per outage)"));
      assertThat(telemetry.health().reachable()).isFalse();
      assertThat(telemetry.health().failed()).isEqualTo(4);

      try (PrometheusProcess again = restartOnSamePort(pgDir, address)) {
        assertThat(telemetry.pushNow().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(telemetry.pushNow().get(10, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(recoveries).containsExactly("telemetry: pushing to " + address + " works again");
      assertThat(outages).hasSize(1);
      assertThat(telemetry.health().outages()).isEqualTo(1);
    }
  }

  @Test
  void aPushgatewayThatNeverAnswersIsCutOffAtTheTimeoutAndExtraPushesAreDropped() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI address = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      var settings = TelemetrySettings.of(address).withTimeout(Duration.ofMillis(300));
      try (var telemetry = new PushgatewayTelemetry(settings, EngineClock.system(), log)) {
        long started = System.nanoTime();
        var first = telemetry.pushNow();
        var second = telemetry.pushNow();
        var dropped = List.of(telemetry.pushNow(), telemetry.pushNow(), telemetry.pushNow());
        long recording = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
          telemetry.setDrift("app-" + (i % 10), i);
        }
        Duration recordingTook = Duration.ofNanos(System.nanoTime() - recording);

        assertThat(dropped).allSatisfy(f -> assertThat(f).isCompletedWithValue(false));
        assertThat(first.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(recordingTook).isLessThan(Duration.ofSeconds(1));
        assertThat(telemetry.health().dropped()).isEqualTo(3);
        assertThat(telemetry.health().lastError()).contains("no answer within 300 ms");
        assertThat(outages).hasSize(1);
      }
    }
  }

  private static PrometheusProcess restartOnSamePort(Path pgDir, URI address) throws IOException {
    PrometheusProcess again = PrometheusProcess.pushgateway(pgDir.resolveSibling("pg2"));
    if (again.port() == address.getPort()) {
      return again;
    }
    again.close();
    return PrometheusProcess.pushgatewayOn(pgDir.resolveSibling("pg3"), address.getPort());
  }

  /** Polls Prometheus until the query has a value (scrape interval 1 s), for at most 30 s. */
  private static double await(PrometheusMetricProvider provider, String query)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (provider.instant(query, Instant.now()) instanceof QueryResult.Ok<MetricValue> ok
          && !ok.value().isEmpty()) {
        return ok.value().first();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Prometheus has no value for " + query + " after 30 s");
  }
}
