package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.PrometheusProcess;
import dev.weir.engine.testkit.TestExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis against a real Prometheus (the Debian package) scraping a test exporter whose canary
 * and stable series are known: canary latency 0.400–0.412 s, stable 0.200–0.212 s, a success ratio
 * of 0.995 and a NaN gauge. The engine's time is a ManualClock set to the wall clock at the start;
 * only waiting for Prometheus to have scraped enough polls real time.
 */
class PrometheusIT {
  @TempDir static Path dir;
  private static TestExporter exporter;
  private static PrometheusProcess prometheus;
  private static PrometheusMetricProvider provider;

  @BeforeAll
  static void startPrometheus() throws IOException {
    exporter =
        new TestExporter(
            n ->
                """
                # TYPE demo_latency_seconds gauge
                demo_latency_seconds{service="storefront",track="canary"} %s
                demo_latency_seconds{service="storefront",track="stable"} %s
                # TYPE demo_success_ratio gauge
                demo_success_ratio{service="storefront"} 0.995
                # TYPE demo_broken_ratio gauge
                demo_broken_ratio{service="storefront"} NaN
                """
                    .formatted(0.400 + (n % 7) * 0.002, 0.200 + (n % 7) * 0.002));
    prometheus =
        PrometheusProcess.prometheus(
            dir,
            """
              - job_name: demo
                static_configs: [{targets: ['%s']}]
            """
                .formatted(exporter.target()));
    provider =
        new PrometheusMetricProvider(
            PrometheusSettings.of(prometheus.address()).withTimeout(Duration.ofSeconds(5)));
    awaitSamples("count_over_time(demo_latency_seconds{track=\"stable\"}[1m])", 12);
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  @Test
  void instantQueriesReturnTheExportersKnownValues() {
    var ratio = provider.instant("demo_success_ratio{service=\"storefront\"}", Instant.now());
    var sorted = provider.instant("sort(demo_latency_seconds)", Instant.now());
    var scalar = provider.instant("scalar(demo_success_ratio)", Instant.now());

    assertThat(ratio).isEqualTo(QueryResult.ok(MetricValue.vector(List.of(0.995))));
    List<Double> latencies =
        ((MetricValue.Vector) ((QueryResult.Ok<MetricValue>) sorted).value()).values();
    assertThat(latencies).hasSize(2);
    assertThat(latencies.get(0)).isBetween(0.2, 0.2121);
    assertThat(latencies.get(1)).isBetween(0.4, 0.4121);
    assertThat(scalar).isEqualTo(QueryResult.ok(MetricValue.scalar(0.995)));
  }

  @Test
  void aThresholdAnalysisWithArgumentsSucceeds() {
    AnalysisRunState state =
        run(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: success-rate}
            spec:
              args: [{name: service}]
              metrics:
              - name: success-rate
                interval: 10s
                count: 3
                successCondition: result[0] >= 0.99 && len(result) == 1
                provider:
                  prometheus:
                    query: demo_success_ratio{service="{{args.service}}"}
            """,
            provider,
            Map.of("service", "storefront"));

    assertThat(state.phase()).as(state.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(state.metric("success-rate").orElseThrow().message())
        .isEqualTo(
            "3 of 3 measurements successful; last:"
                + " success-rate = 0.995: result[0] >= 0.99 && len(result) == 1 met → Successful");
  }

  /**
   * Argo's {@code dryRun} and {@code measurementRetention} (docs/features/analysis.md, "Dry-Run
   * Mode" and "Measurements Retention"): the dry-run metric is measured against the real
   * Prometheus and fails, which is shown, yet the run is Successful; only the last 2 measurements
   * of each metric are kept.
   */
  @Test
  void aDryRunMetricIsMeasuredAndShownButNeverFailsTheRun() {
    AnalysisRunState state =
        run(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: success-rate}
            spec:
              dryRun: [{metricName: strict-.*}]
              measurementRetention: [{metricName: .*, limit: 2}]
              metrics:
              - name: success-rate
                interval: 10s
                count: 3
                successCondition: result[0] >= 0.99
                provider:
                  prometheus:
                    query: demo_success_ratio{service="storefront"}
              - name: strict-latency
                interval: 10s
                count: 3
                successCondition: result[0] < 0.1
                provider:
                  prometheus:
                    query: demo_latency_seconds{track="canary"}
            """,
            provider,
            Map.of());

    assertThat(state.phase()).as(state.message()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(state.message())
        .isEqualTo("all 1 metric successful; dry run (never decides): strict-latency Failed");
    assertThat(state.metric("strict-latency").orElseThrow().phase())
        .isEqualTo(AnalysisPhase.FAILED);
    assertThat(state.metric("strict-latency").orElseThrow().failed()).isEqualTo(1);
    assertThat(state.metric("success-rate").orElseThrow().count()).isEqualTo(3);
    assertThat(state.metric("success-rate").orElseThrow().measurements())
        .as("measurementRetention limit 2")
        .hasSize(2);
  }

  @Test
  void aStatisticalComparisonOfCanaryAndStableIsHighAndExplained() {
    AnalysisRunState state =
        run(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: latency}
            spec:
              metrics:
              - name: latency
                compare: {direction: increase, window: 30s, step: 1s, unit: s}
                provider:
                  prometheus:
                    canaryQuery: demo_latency_seconds{track="canary"}
                    stableQuery: demo_latency_seconds{track="stable"}
            """,
            provider,
            Map.of());

    Verdict verdict = state.metric("latency").orElseThrow().lastVerdict().orElseThrow();
    assertThat(state.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(verdict.classification()).isEqualTo(Classification.HIGH);
    assertThat(verdict.canaryCount()).isGreaterThanOrEqualTo(10);
    assertThat(verdict.canaryMedian()).isBetween(0.4, 0.4121);
    assertThat(verdict.baselineMedian()).isBetween(0.2, 0.2121);
    assertThat(verdict.explanation())
        .matches(
            "latency: canary 0\\.4\\d* s vs stable 0\\.2\\d* s \\(\\+\\d+%\\),"
                + " p < 0\\.001 → High \\(fail\\)");
  }

  @Test
  void nanFromPrometheusIsInconclusive() {
    AnalysisRunState state = run(threshold("demo_broken_ratio"), provider, Map.of());

    assertThat(state.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(state.message()).endsWith("m = NaN: NaN is not a measurement → Inconclusive");
  }

  @Test
  void anEmptyResultIsInconclusive() {
    AnalysisRunState state = run(threshold("demo_missing_ratio"), provider, Map.of());

    assertThat(state.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(state.message()).endsWith("m: the query returned no data → Inconclusive");
  }

  @Test
  void aQueryPrometheusRejectsIsAnError() {
    AnalysisRunState state = run(threshold("rate(demo_success_ratio"), provider, Map.of());

    assertThat(state.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(state.message()).contains("rejected the query (bad_data)");
  }

  @Test
  void prometheusDownIsAnError() throws IOException {
    int port = PrometheusProcess.freePort();
    var down =
        new PrometheusMetricProvider(PrometheusSettings.of(URI.create("http://127.0.0.1:" + port)));

    AnalysisRunState state = run(threshold("demo_success_ratio"), down, Map.of());

    assertThat(state.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(state.message())
        .endsWith(
            "cannot reach Prometheus at http://127.0.0.1:" + port + "/: connection" + " refused");
  }

  @Test
  void aPrometheusThatNeverAnswersIsAnErrorAfterTheTimeout() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      var slow =
          new PrometheusMetricProvider(
              PrometheusSettings.of(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                  .withTimeout(Duration.ofMillis(200)));

      AnalysisRunState state = run(threshold("demo_success_ratio"), slow, Map.of());

      assertThat(state.phase()).isEqualTo(AnalysisPhase.ERROR);
      assertThat(state.message()).endsWith("did not answer within 200ms");
    }
  }

  /**
   * A threshold metric that needs the value to be at least 0.99, erroring out at the first error.
   */
  private static String threshold(String query) {
    return """
    apiVersion: weir.dev/v1alpha1
    kind: AnalysisTemplate
    metadata: {name: t}
    spec:
      metrics:
      - name: m
        consecutiveErrorLimit: 0
        successCondition: result[0] >= 0.99
        provider: {prometheus: {query: '%s'}}
    """
        .formatted(query);
  }

  private static AnalysisRunState run(
      String template, MetricProvider with, Map<String, String> args) {
    ManualClock clock = new ManualClock(Instant.now());
    var executor =
        new AnalysisRunExecutor(Templates.spec(template), args, with, clock, Runnable::run);
    executor.start();
    for (int i = 0; i < 10 && !executor.state().phase().completed(); i++) {
      clock.advance(Duration.ofSeconds(10));
    }
    return executor.state();
  }

  private static void awaitSamples(String query, double atLeast) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (System.nanoTime() < deadline) {
      if (provider.instant(query, Instant.now()) instanceof QueryResult.Ok<MetricValue> ok
          && !ok.value().isEmpty()
          && ok.value().first() >= atLeast) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException(
        "Prometheus did not collect "
            + atLeast
            + " samples in 45 s ("
            + exporter.scrapes()
            + " scrapes):\n"
            + prometheus.log());
  }
}
