package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.PrometheusProcess;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A real {@code prometheus} scrapes the sandbox's {@code /metrics} (over HTTPS, with the sandbox's
 * CA and a read-only bearer token) and is queried directly; the sandbox's own Prometheus API is
 * found by discovery and queried through the API server's service proxy, by client-java with the
 * kubeconfig's read-only credentials. Both answer every query the same.
 *
 * <p>The sandbox's clock is set three minutes before the wall clock and runs three minutes of
 * traffic, then stands still, so the counters do not move while Prometheus scrapes on wall time;
 * waiting for its first scrape is the one wall-time wait.
 */
class PrometheusServiceProxyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHOP =
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: checkout, namespace: shop}
      spec:
        replicas: 3
        selector:
          matchLabels: {app.kubernetes.io/name: checkout}
        template:
          metadata:
            labels: {app.kubernetes.io/name: checkout, app.kubernetes.io/version: "1.4.2"}
            annotations:
              sandbox.weir.dev/error-rate: "0.05"
              sandbox.weir.dev/latency-p50: 80ms
          spec:
            containers:
            - {name: checkout, image: registry.example/shop/checkout:1.4.2}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: checkout, namespace: shop}
      spec:
        selector: {app.kubernetes.io/name: checkout}
        ports: [{port: 80}]
      """;

  @TempDir Path dir;

  @Test
  void aRealPrometheusAndTheSandboxBehindTheServiceProxyAnswerTheSame() throws Exception {
    ManualClock clock =
        new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(3)));
    try (TestCluster cluster =
        new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral())) {
      SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(11));
      for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(SHOP)) {
        cluster.server.objects().apply((ObjectNode) JSON.valueToTree(document), "weir", true);
      }
      for (int s = 0; s < 180; s++) {
        clock.advance(Duration.ofSeconds(1));
      }
      Path token = Files.writeString(dir.resolve("token"), cluster.server.readOnlyToken());
      Path ca =
          Files.writeString(
              dir.resolve("ca.pem"), cluster.server.certificateAuthorityPem().orElseThrow());
      String scrape =
          """
          - job_name: sandbox
            scheme: https
            metrics_path: /metrics
            authorization: {credentials_file: %s}
            tls_config: {ca_file: %s}
            static_configs:
            - targets: ['127.0.0.1:%d']
          """
              .formatted(token, ca, cluster.server.url().getPort());
      try (PrometheusProcess prometheus =
          PrometheusProcess.prometheus(dir.resolve("prometheus"), scrape)) {
        PrometheusMetricProvider direct =
            new PrometheusMetricProvider(PrometheusSettings.of(prometheus.address()));
        PrometheusSelection proxied =
            PrometheusSelection.discovering(
                cluster.viewerGateway(), PrometheusAccess.none(), clock);
        String total = "sum(http_requests_total{service=\"checkout\"})";
        Instant at = firstScrape(direct, total, prometheus);

        assertThat(proxied.describe())
            .isEqualTo("prometheus via service proxy monitoring/prometheus:9090");
        for (String query :
            List.of(
                total,
                "sum by (code) (http_requests_total{namespace=\"shop\"})",
                "sum(http_requests_total{service=\"checkout\",code=~\"5..\"})"
                    + " / sum(http_requests_total{service=\"checkout\"})",
                "sum by (le) (http_request_duration_seconds_bucket{service=\"checkout\"})",
                "sum by (version) (http_request_duration_seconds_count{namespace=\"shop\"})")) {
          Map<Map<String, String>, Double> expected = series(direct, query, at);
          assertThat(series(proxied, query, at)).as(query).isEqualTo(expected).isNotEmpty();
        }
        assertThat(proxied.instant(total, at)).isEqualTo(direct.instant(total, at));
        assertThat(((QueryResult.Ok<MetricValue>) proxied.instant(total, at)).value().first())
            .as("three minutes of checkout's traffic")
            .isGreaterThan(1000);

        // a metric naming its own Prometheus is sent there, the others to the one discovered
        MetricSpec targets = MetricSpec.threshold("targets", "count(up)", "result[0] == 1");
        MetricSpec addressed =
            targets.withPrometheus(
                new PrometheusQuerySpec(
                    Optional.of(prometheus.address().toString()),
                    Optional.of("count(up)"),
                    Optional.empty(),
                    Optional.empty()));
        assertThat(AnalysisRunExecutor.observe(addressed, Map.of(), proxied, at))
            .isEqualTo(new Observation.Value(MetricValue.vector(List.of(1.0))));
        assertThat(AnalysisRunExecutor.observe(targets, Map.of(), proxied, at))
            .isInstanceOfSatisfying(
                Observation.Failed.class,
                failed ->
                    assertThat(failed.error().message())
                        .startsWith(
                            "Prometheus via service proxy monitoring/prometheus:9090 rejected the"
                                + " query (bad_data): invalid parameter \"query\": the sandbox"
                                + " cannot answer this query"));
      }
    }
  }

  /** Each series' labels and value at {@code at}, from a range query of one step. */
  private static Map<Map<String, String>, Double> series(
      MetricProvider provider, String query, Instant at) {
    QueryResult<List<TimeSeries>> result = provider.range(query, at, at, Duration.ofSeconds(1));
    assertThat(result).as(query).isInstanceOf(QueryResult.Ok.class);
    Map<Map<String, String>, Double> out =
        new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    for (TimeSeries series : ((QueryResult.Ok<List<TimeSeries>>) result).value()) {
      out.put(new TreeMap<>(series.labels()), series.values()[0]);
    }
    return out;
  }

  // Prometheus scrapes on wall time: polling for its first scrape is the one wait on real time.
  private static Instant firstScrape(
      PrometheusMetricProvider direct, String query, PrometheusProcess prometheus)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      if (direct.instant(query, now) instanceof QueryResult.Ok<MetricValue> ok
          && !ok.value().isEmpty()) {
        return now;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Prometheus scraped nothing within 30 s:\n" + prometheus.log());
  }
}
