package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.drills.SampleRepository;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir status} says which Prometheus analyses query: the one of {@code --prometheus}, the
 * cluster's found through the API server's service proxy, or none; bad Prometheus settings are exit
 * 2 with one line and no secret.
 */
class StatusMetricsIT {
  static final String SECRET = "s3cr3t-token";

  @TempDir Path home;
  Path repo;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z"));
    cluster = new TestCluster(home.resolve("cluster"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  CliRun status(Map<String, String> environment, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "status";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--repo";
    all[args.length + 2] = repo.toString();
    all[args.length + 3] = "--kubeconfig";
    all[args.length + 4] = cluster.kubeconfig.toString();
    return CliRun.weir(home, environment, all);
  }

  @Test
  void statusNamesThePrometheusFoundThroughTheServiceProxy() throws Exception {
    SandboxWorld.attach(
        cluster.server, WorldSettings.defaults()); // its Prometheus Service comes with it

    CliRun table = status(Map.of());
    CliRun json = status(Map.of(), "-o", "json");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .endsWith("\nmetrics: prometheus via service proxy monitoring/prometheus:9090\n");
    JsonNode metrics = new ObjectMapper().readTree(json.out()).path("metrics");
    assertThat(metrics.path("kind").asText()).isEqualTo("service-proxy");
    assertThat(metrics.path("prometheus").asText()).isEqualTo("monitoring/prometheus:9090");
  }

  @Test
  void theFlagBeatsDiscoveryAndWithoutEitherStatusSaysAnalysesWillBeInconclusive() {
    CliRun none = status(Map.of());
    CliRun flag = status(Map.of(), "--prometheus", "https://prometheus.example:9090");

    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out())
        .endsWith("\nmetrics: none found (analyses will be Inconclusive; give --prometheus URL)\n");
    assertThat(flag.exitCode()).as(flag.err()).isZero();
    assertThat(flag.out())
        .endsWith("\nmetrics: prometheus at https://prometheus.example:9090/ (--prometheus)\n");
  }

  @Test
  void badPrometheusSettingsAreExitTwoWithOneLineAndNoSecret() {
    CliRun both =
        status(Map.of("WEIR_PROMETHEUS_TOKEN", SECRET, "WEIR_PROMETHEUS_USERNAME", "weir"));
    CliRun plainHttp =
        status(
            Map.of("WEIR_PROMETHEUS_TOKEN", SECRET),
            "--prometheus",
            "http://prometheus.example:9090");
    CliRun login =
        status(Map.of(), "--prometheus", "https://weir:" + SECRET + "@prometheus.example/");

    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err())
        .isEqualTo(
            "weir: WEIR_PROMETHEUS_TOKEN and WEIR_PROMETHEUS_USERNAME are both set; give a bearer"
                + " token or basic auth, not both\n");
    assertThat(plainHttp.exitCode()).isEqualTo(2);
    assertThat(plainHttp.err())
        .isEqualTo(
            "weir: --prometheus: credentials from WEIR_PROMETHEUS_TOKEN are sent only over https"
                + " (or to localhost); http://prometheus.example:9090/ is plain http: give its"
                + " https:// address\n");
    assertThat(login.exitCode()).isEqualTo(2);
    assertThat(login.err())
        .startsWith("weir: --prometheus: Prometheus address must not carry credentials");
    assertThat(
            both.out() + both.err() + plainHttp.out() + plainHttp.err() + login.out() + login.err())
        .doesNotContain(SECRET);
  }
}
