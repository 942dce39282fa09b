package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SandboxMetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.PrometheusMetricProvider;
import dev.weir.engine.analysis.PrometheusSettings;
import dev.weir.engine.analysis.ProviderError;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.sandbox.metrics.SandboxPrometheusApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's Prometheus query API, through the engine's {@link PrometheusMetricProvider} (as a
 * console beside {@code weir sandbox serve} reaches it): the same answers as the in-process
 * provider, only with a sandbox token.
 */
class SandboxPrometheusApiTest {
  static final String CANARY_P99 =
      "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket"
          + "{service=\"storefront\",rollouts_weir_dev_pod_template_hash=\"c0ffee1234\"}[1m])) by (le))";
  static final String BY_HASH =
      "sum(rate(http_requests_total{service=\"storefront\"}[1m])) by (rollouts_weir_dev_pod_template_hash)";

  WorldFixture sandbox;
  PrometheusSettings settings;

  @BeforeEach
  void runACanaryAtFivePercent() throws Exception {
    sandbox = new WorldFixture(WorldSettings.defaults().withSeed(11));
    sandbox.server.route(
        SandboxPrometheusApi.PATH,
        new SandboxPrometheusApi(sandbox.world.metrics(), sandbox.clock, List.of(sandbox.server.adminToken())));
    sandbox.apply(WorldFixture.NAMESPACE);
    sandbox.apply(CanaryMetricsTest.deployment("storefront-stable", "storefront", "5d4f8c9b7a", "0.002", "110ms"));
    sandbox.apply(CanaryMetricsTest.deployment("storefront-canary", "storefront", "c0ffee1234", "0.25", "180ms"));
    sandbox.apply(CanaryMetricsTest.ROUTE);
    sandbox.advance(Duration.ofMinutes(3));
    settings = PrometheusSettings.of(sandbox.server.url().resolve(SandboxPrometheusApi.PATH));
  }

  @AfterEach
  void close() throws Exception {
    sandbox.close();
  }

  @Test
  void anInstantQueryAnswersWhatTheInProcessProviderAnswers() {
    var remote = new PrometheusMetricProvider(settings.withBearerToken(sandbox.server.adminToken()));
    QueryResult<MetricValue> over = remote.instant(CANARY_P99, sandbox.clock.instant());
    QueryResult<MetricValue> here = new SandboxMetricProvider(sandbox.world.metrics()).instant(CANARY_P99, sandbox.clock.instant());
    assertThat(over).isInstanceOf(QueryResult.Ok.class).isEqualTo(here);
    assertThat(((QueryResult.Ok<MetricValue>) over).value().first()).isGreaterThan(0.3);
  }

  @Test
  void aRangeQueryKeepsEachSeriesLabels() {
    var remote = new PrometheusMetricProvider(settings.withBearerToken(sandbox.server.adminToken()));
    QueryResult<List<TimeSeries>> over =
        remote.range(BY_HASH, sandbox.clock.instant().minus(Duration.ofMinutes(1)), sandbox.clock.instant(),
            Duration.ofSeconds(30));
    QueryResult<List<TimeSeries>> here =
        new SandboxMetricProvider(sandbox.world.metrics()).range(BY_HASH, sandbox.clock.instant().minus(Duration.ofMinutes(1)),
            sandbox.clock.instant(), Duration.ofSeconds(30));
    assertThat(over).isEqualTo(here);
    assertThat(((QueryResult.Ok<List<TimeSeries>>) over).value())
        .extracting(s -> s.labels().get("rollouts_weir_dev_pod_template_hash"))
        .contains("5d4f8c9b7a", "c0ffee1234");
  }

  @Test
  void withoutASandboxTokenTheQueryIsRefused() {
    var anonymous = new PrometheusMetricProvider(settings);
    var wrong = new PrometheusMetricProvider(settings.withBearerToken("not-the-token"));
    for (var provider : List.of(anonymous, wrong)) {
      QueryResult<MetricValue> refused = provider.instant(CANARY_P99, sandbox.clock.instant());
      assertThat(refused).isInstanceOf(QueryResult.Failed.class);
      assertThat(((QueryResult.Failed<MetricValue>) refused).error().reason())
          .isEqualTo(ProviderError.Reason.UNAUTHORIZED);
    }
  }

  @Test
  void aQueryOutsideTheSandboxsShapesIsBadDataNamingWhere() {
    var remote = new PrometheusMetricProvider(settings.withBearerToken(sandbox.server.adminToken()));
    QueryResult<MetricValue> refused = remote.instant("avg(up)", sandbox.clock.instant());
    assertThat(refused).isInstanceOf(QueryResult.Failed.class);
    ProviderError error = ((QueryResult.Failed<MetricValue>) refused).error();
    assertThat(error.reason()).isEqualTo(ProviderError.Reason.BAD_QUERY);
    assertThat(error.message()).contains("bad_data").contains("the sandbox cannot answer this query");
  }
}
