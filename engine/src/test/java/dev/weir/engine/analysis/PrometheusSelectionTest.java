package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.sandbox.metrics.SandboxPrometheus;
import dev.weir.sandbox.metrics.TrafficMetrics;
import dev.weir.engine.testkit.TestCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which Prometheus a metric queries: {@code --prometheus} beats the template's {@code
 * provider.prometheus.address}, which beats the cluster's Prometheus found through the service
 * proxy; with none of them every query is "no data" (Inconclusive). The cluster is a sandbox API
 * server; the addresses given are never contacted (only the choice is under test here; {@code
 * PrometheusServiceProxyIT} queries real ones).
 */
class PrometheusSelectionTest {
  @TempDir Path dir;

  record Case(
      String name,
      String flag,
      String templateAddress,
      boolean clusterHasPrometheus,
      String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "--prometheus beats the template's address",
            "https://prom.example:9090",
            "http://prometheus.monitoring:9090",
            true,
            "Prometheus at https://prom.example:9090/"),
        new Case(
            "--prometheus beats discovery",
            "https://prom.example:9090",
            null,
            true,
            "prometheus at https://prom.example:9090/ (--prometheus)"),
        new Case(
            "the template's address beats discovery",
            null,
            "http://prometheus.monitoring:9090",
            true,
            "Prometheus at http://prometheus.monitoring:9090/"),
        new Case(
            "the template's address without a Prometheus in the cluster",
            null,
            "http://prometheus.monitoring:9090/prom",
            false,
            "Prometheus at http://prometheus.monitoring:9090/prom/"),
        new Case(
            "discovery without flag or address",
            null,
            null,
            true,
            "prometheus via service proxy monitoring/prometheus:9090"),
        new Case(
            "nothing at all",
            null,
            null,
            false,
            "none found (analyses will be Inconclusive; give --prometheus URL)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMetricQueriesTheFlagElseItsAddressElseTheDiscoveredPrometheus(Case c) throws Exception {
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      if (c.clusterHasPrometheus()) {
        installPrometheus(cluster);
      }
      PrometheusSelection selection =
          c.flag() == null
              ? PrometheusSelection.discovering(
                  cluster.viewerGateway(), PrometheusAccess.none(), cluster.clock)
              : PrometheusSelection.given(
                  URI.create(c.flag()), PrometheusAccess.none(), cluster.clock);

      MetricProvider chosen =
          c.templateAddress() == null ? selection : selection.at(c.templateAddress());

      String where =
          chosen == selection
              ? selection.describe()
              : ((PrometheusMetricProvider) chosen).describe();
      assertThat(where).isEqualTo(c.expected());
    }
  }

  @Test
  void withoutAnyPrometheusEveryQueryIsNoDataSoAnalysesAreInconclusive() throws Exception {
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      PrometheusSelection selection =
          PrometheusSelection.discovering(
              cluster.gateway(), PrometheusAccess.none(), cluster.clock);

      QueryResult<MetricValue> answer = selection.instant("sum(rate(x[1m]))", Instant.EPOCH);

      assertThat(answer).isEqualTo(QueryResult.ok(MetricValue.vector(List.of())));
      assertThat(
              selection.range("x", Instant.EPOCH, Instant.EPOCH, java.time.Duration.ofMinutes(1)))
          .isEqualTo(QueryResult.ok(List.of()));
    }
  }

  @Test
  void aPrometheusInstalledLaterIsFoundAfterAMinuteOfTheClock() throws Exception {
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      PrometheusSelection selection =
          PrometheusSelection.discovering(
              cluster.gateway(), PrometheusAccess.none(), cluster.clock);
      assertThat(selection.source()).isInstanceOf(PrometheusSelection.None.class);

      installPrometheus(cluster);
      assertThat(selection.source())
          .as("not looked for again at once")
          .isInstanceOf(PrometheusSelection.None.class);
      cluster.clock.advance(PrometheusSelection.RETRY);

      assertThat(selection.instant("1", cluster.clock.instant()))
          .isEqualTo(QueryResult.ok(MetricValue.scalar(1)));
      assertThat(selection.describe())
          .isEqualTo("prometheus via service proxy monitoring/prometheus:9090");
    }
  }

  @Test
  void credentialsAreNeverSentOverPlainHttpToAnotherHost() throws Exception {
    PrometheusAccess access =
        PrometheusAccess.fromEnvironment(
            Map.of(PrometheusAccess.TOKEN, "s3cr3t-token"), Optional.empty());
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      PrometheusSelection given =
          PrometheusSelection.given(URI.create("https://prom.example/"), access, cluster.clock);
      PrometheusSelection discovering =
          PrometheusSelection.discovering(cluster.gateway(), access, cluster.clock);

      QueryResult<MetricValue> refused =
          discovering.at("http://prometheus.monitoring:9090").instant("up", Instant.EPOCH);

      assertThat(given.describe()).isEqualTo("prometheus at https://prom.example/ (--prometheus)");
      assertThat(refused)
          .isEqualTo(
              QueryResult.failed(
                  ProviderError.Reason.BAD_QUERY,
                  "provider.prometheus.address: credentials from WEIR_PROMETHEUS_TOKEN are sent"
                      + " only over https (or to localhost); http://prometheus.monitoring:9090/ is"
                      + " plain http: give its https:// address"));
      assertThat(given.toString() + access + refused).doesNotContain("s3cr3t-token");
    }
  }

  private static void installPrometheus(TestCluster cluster) {
    ClusterGateway admin = cluster.gateway();
    admin.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "monitoring")),
        ApplyOptions.weir());
    admin.apply(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Service",
            "metadata",
            Map.of("name", "prometheus", "namespace", "monitoring"),
            "spec",
            Map.of("ports", List.of(Map.of("name", "web", "port", 9090)))),
        ApplyOptions.weir());
    cluster.server.serveService(
        "monitoring",
        "prometheus",
        9090,
        new SandboxPrometheus(new TrafficMetrics(1, 60), cluster.clock));
  }
}
