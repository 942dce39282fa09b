package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.PrometheusMetricProvider;
import dev.weir.engine.analysis.PrometheusSettings;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.sandbox.metrics.SeriesKey;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.PrometheusProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the sandbox's {@code /metrics} over HTTPS, as a user would configure
 * it: the read-only token from a file ({@code authorization.credentials_file}) and the sandbox's CA
 * ({@code tls_config.ca_file}). It parses every line, and its answer to the same counter query
 * equals the sandbox's. The sandbox's clock stands still, so the counters do not move while
 * Prometheus scrapes; only waiting for the scrape polls real time.
 */
class SandboxMetricsPrometheusIT {
  @TempDir Path dir;

  @Test
  void aRealPrometheusScrapesTheSandboxAndAgreesOnTheCounters() throws Exception {
    try (WorldFixture sandbox =
        new WorldFixture(WorldSettings.defaults().withSeed(5), new ManualClock(), null, true)) {
      SandboxWorldPersistenceTest.deploy(sandbox);
      sandbox.apply(
          CanaryMetricsTest.deployment(
              "search", "search", CanaryMetricsTest.CANARY, "0.1", "50ms"));
      sandbox.advance(Duration.ofMinutes(3));
      String target = sandbox.server.url().getHost() + ":" + sandbox.server.url().getPort();
      Path token = Files.writeString(dir.resolve("token"), sandbox.server.readOnlyToken());
      Path ca =
          Files.writeString(
              dir.resolve("ca.crt"), sandbox.server.certificateAuthorityPem().orElseThrow());
      try (PrometheusProcess prometheus =
          PrometheusProcess.prometheus(
              dir.resolve("prometheus"),
              "- job_name: sandbox\n"
                  + "  scheme: https\n"
                  + "  metrics_path: /metrics\n"
                  + "  authorization: {credentials_file: '"
                  + token
                  + "'}\n"
                  + "  tls_config: {ca_file: '"
                  + ca
                  + "'}\n"
                  + "  static_configs:\n"
                  + "  - targets: ['"
                  + target
                  + "']\n")) {
        PrometheusMetricProvider real =
            new PrometheusMetricProvider(PrometheusSettings.of(prometheus.address()));
        long expected = 0;
        for (String version : new String[] {"1.4.2", ""}) { // "": 503s before the pods were Ready
          long[] totals =
              sandbox.world.metrics().requestTotals(new SeriesKey("shop", "checkout", version));
          for (long count : totals == null ? new long[0] : totals) {
            expected += count;
          }
        }
        String query = "sum(http_requests_total{service=\"checkout\"})";
        double seen = Double.NaN;
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline) {
          if (real.instant(query, Instant.now()) instanceof QueryResult.Ok<MetricValue> ok
              && !ok.value().isEmpty()) {
            seen = ok.value().first();
            break;
          }
          Thread.sleep(250);
        }
        assertThat(seen).as("Prometheus log:\n%s", prometheus.log()).isEqualTo((double) expected);
        QueryResult<MetricValue> buckets =
            real.instant(
                "count(http_request_duration_seconds_bucket{service=\"storefront\"})",
                Instant.now());
        assertThat(((QueryResult.Ok<MetricValue>) buckets).value().first())
            .isEqualTo(18.0); // 17 bounds and +Inf, one version
        long[] search =
            sandbox
                .world
                .metrics()
                .requestTotals(new SeriesKey("shop", "search", "2.4.0", CanaryMetricsTest.CANARY));
        QueryResult<MetricValue> hashed =
            real.instant(
                "sum(http_requests_total{service=\"search\",rollouts_weir_dev_pod_template_hash=\""
                    + CanaryMetricsTest.CANARY
                    + "\"})",
                Instant.now());
        assertThat(((QueryResult.Ok<MetricValue>) hashed).value().first())
            .as("the pod template's hash is a label Prometheus keeps")
            .isEqualTo((double) Arrays.stream(search).sum())
            .isPositive();
      }
    }
  }
}
