package dev.weir.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.ProviderError;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.sandbox.metrics.Fault;
import dev.weir.sandbox.metrics.SeriesKey;
import dev.weir.sandbox.metrics.TrafficMetrics;
import dev.weir.sandbox.traffic.TrafficFlow;
import dev.weir.sandbox.traffic.VersionProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The query shapes analysis templates use, answered from simulated traffic. */
class SandboxMetricProviderTest {
  static final long START = Instant.parse("2026-01-01T10:00:00Z").getEpochSecond();
  static final VersionProfile STABLE = new VersionProfile(0.002, 0.110, 0.35, 0.03);
  static final VersionProfile CANARY = new VersionProfile(0.08, 0.180, 0.35, 0.05);

  TrafficMetrics metrics;
  SandboxMetricProvider provider;
  Instant now;

  @BeforeEach
  void simulateTenMinutesOfAStorefrontCanaryAtTwentyPercent() {
    metrics = new TrafficMetrics(42, 1800);
    provider = new SandboxMetricProvider(metrics);
    TrafficFlow flow =
        new TrafficFlow(
            "shop",
            "storefront",
            "HTTPRoute",
            200,
            List.of(
                new TrafficFlow.VersionShare("2.4.0", STABLE, 0.8),
                new TrafficFlow.VersionShare("2.4.1", CANARY, 0.2)),
            0,
            0);
    for (long second = START; second < START + 600; second++) {
      metrics.simulate(second, List.of(flow), (ns, service) -> null);
    }
    now = Instant.ofEpochSecond(START + 599);
  }

  double value(String query) {
    QueryResult<MetricValue> result = provider.instant(query, now);
    assertThat(result).as(query).isInstanceOf(QueryResult.Ok.class);
    return ((QueryResult.Ok<MetricValue>) result).value().first();
  }

  @Test
  void successRatioOfTheSampleTemplate() {
    double ratio =
        value(
            "sum(rate(http_requests_total{service=\"storefront\",code!~\"5..\"}[1m])) /"
                + " sum(rate(http_requests_total{service=\"storefront\"}[1m]))");
    assertThat(ratio).isCloseTo(1 - (0.8 * 0.002 + 0.2 * 0.08), within(0.008));
  }

  @Test
  void errorRatioOfOneVersion() {
    double ratio =
        value(
            "sum(rate(http_requests_total{service=\"storefront\",version=\"2.4.1\",code=~\"5..\"}[5m]))"
                + " / sum(rate(http_requests_total{service=\"storefront\",version=\"2.4.1\"}[5m]))");
    assertThat(ratio).isCloseTo(0.08, within(0.01));
  }

  @Test
  void requestRateBySecond() {
    assertThat(value("sum(rate(http_requests_total{service=\"storefront\"}[1m]))"))
        .isCloseTo(200, within(10.0));
    assertThat(value("sum(increase(http_requests_total{service=\"storefront\"}[1m]))"))
        .isCloseTo(12_000, within(600.0));
  }

  @Test
  void latencyQuantilesThroughHistogramQuantile() {
    double stableP50 =
        value(
            "histogram_quantile(0.5,"
                + " sum(rate(http_request_duration_seconds_bucket{service=\"storefront\",version=\"2.4.0\"}[5m]))"
                + " by (le))");
    double canaryP99 =
        value(
            "histogram_quantile(0.99, sum by (le)"
                + " (rate(http_request_duration_seconds_bucket{service=\"storefront\",version=\"2.4.1\"}[5m])))");
    assertThat(stableP50).isCloseTo(0.110, within(0.01));
    assertThat(canaryP99).isCloseTo(CANARY.latencyQuantile(0.99), within(0.06));
    assertThat(canaryP99).isGreaterThan(0.3); // the sample's latency template fails it
  }

  @Test
  void conversionRate() {
    double conversions =
        value(
            "sum(rate(conversions_total{service=\"storefront\",version=\"2.4.1\"}[5m])) /"
                + " sum(rate(http_requests_total{service=\"storefront\",version=\"2.4.1\",code=\"200\"}[5m]))");
    assertThat(conversions).isCloseTo(0.05, within(0.01));
  }

  @Test
  void sumByVersionGivesOneSeriesPerVersion() {
    QueryResult<List<TimeSeries>> result =
        provider.range(
            "sum(rate(http_requests_total{service=\"storefront\"}[1m])) by (version)",
            now.minus(Duration.ofMinutes(5)),
            now,
            Duration.ofMinutes(1));
    assertThat(result).isInstanceOf(QueryResult.Ok.class);
    List<TimeSeries> series = ((QueryResult.Ok<List<TimeSeries>>) result).value();
    assertThat(series).extracting(s -> s.labels().get("version")).containsExactly("2.4.0", "2.4.1");
    assertThat(series.getFirst().samples()).hasSize(6);
    assertThat(series.getFirst().values()[5]).isCloseTo(160, within(15.0));
  }

  @Test
  void aQueryMatchingNothingIsAnEmptyVectorAsInPrometheus() {
    QueryResult<MetricValue> result =
        provider.instant("sum(rate(http_requests_total{service=\"nope\"}[1m]))", now);
    assertThat(((QueryResult.Ok<MetricValue>) result).value().isEmpty()).isTrue();
  }

  @Test
  void beforeAnyTrafficThereIsNoData() {
    QueryResult<MetricValue> result =
        provider.instant(
            "sum(rate(http_requests_total{service=\"storefront\"}[1m]))",
            Instant.ofEpochSecond(START - 3600));
    assertThat(((QueryResult.Ok<MetricValue>) result).value().isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "avg(rate(http_requests_total[1m]))",
        "sum(rate(http_requests_total[1m])) > 5",
        "topk(3, rate(http_requests_total[1m]))",
        "sum without (code) (rate(http_requests_total[1m]))",
        "sum(rate(http_requests_total{service=\"a\"}[1x]))"
      })
  void otherQueriesFailAsBadQueriesNamingTheColumn(String query) {
    QueryResult<MetricValue> result = provider.instant(query, now);
    assertThat(result).isInstanceOf(QueryResult.Failed.class);
    ProviderError error = ((QueryResult.Failed<MetricValue>) result).error();
    assertThat(error.reason()).isEqualTo(ProviderError.Reason.BAD_QUERY);
    assertThat(error.message()).startsWith("the sandbox cannot answer this query: column ");
  }

  @Test
  void theSameSeedGivesTheSameSeriesByteForByteAndAnotherSeedDoesNot() {
    TrafficMetrics again = new TrafficMetrics(42, 1800);
    TrafficMetrics other = new TrafficMetrics(43, 1800);
    TrafficFlow flow =
        new TrafficFlow(
            "shop",
            "storefront",
            "HTTPRoute",
            200,
            List.of(
                new TrafficFlow.VersionShare("2.4.0", STABLE, 0.8),
                new TrafficFlow.VersionShare("2.4.1", CANARY, 0.2)),
            0,
            0);
    for (long second = START; second < START + 600; second++) {
      again.simulate(second, List.of(flow), (ns, service) -> null);
      other.simulate(second, List.of(flow), (ns, service) -> null);
    }
    assertThat(again.exposition()).isEqualTo(metrics.exposition());
    assertThat(other.exposition()).isNotEqualTo(metrics.exposition());
  }

  @Test
  void aFaultMultipliesLatencyAndAddsErrorsWhileItLasts() {
    TrafficMetrics faulty = new TrafficMetrics(42, 1800);
    TrafficFlow flow =
        new TrafficFlow(
            "shop",
            "storefront",
            "HTTPRoute",
            200,
            List.of(new TrafficFlow.VersionShare("2.4.0", STABLE, 1)),
            0,
            0);
    Fault fault = new Fault("shop", "storefront", 4, 0.1, Instant.ofEpochSecond(START + 600));
    for (long second = START; second < START + 600; second++) {
      faulty.simulate(second, List.of(flow), (ns, service) -> fault);
    }
    SandboxMetricProvider faultyProvider = new SandboxMetricProvider(faulty);
    double p50 =
        ((QueryResult.Ok<MetricValue>)
                faultyProvider.instant(
                    "histogram_quantile(0.5,"
                        + " sum(rate(http_request_duration_seconds_bucket{service=\"storefront\"}[5m]))"
                        + " by (le))",
                    now))
            .value()
            .first();
    assertThat(p50).isCloseTo(0.44, within(0.05));
  }

  @Test
  void savedStateRestoresTotalsAndRecentHistory() {
    TrafficMetrics restored = new TrafficMetrics(42, 1800);
    restored.restore(metrics.save(300));
    assertThat(restored.exposition()).isEqualTo(metrics.exposition());
    SandboxMetricProvider restoredProvider = new SandboxMetricProvider(restored);
    String query = "sum(rate(http_requests_total{service=\"storefront\"}[5m]))";
    assertThat(((QueryResult.Ok<MetricValue>) restoredProvider.instant(query, now)).value().first())
        .isEqualTo(value(query));
  }

  @Test
  void stateSavedBeforeTemplateHashesExistedIsReadAsSeriesWithoutAHash() throws Exception {
    ObjectNode state = metrics.save(300);
    for (JsonNode entry : state.path("series")) {
      assertThat(entry.has("templateHash")).as("nothing new is written without a hash").isFalse();
    }
    TrafficMetrics restored = new TrafficMetrics(42, 1800);
    restored.restore(new ObjectMapper().readTree(state.toString()));
    assertThat(restored.exposition())
        .isEqualTo(metrics.exposition())
        .doesNotContain("pod_template");
    assertThat(restored.requestTotals(new SeriesKey("shop", "storefront", "2.4.1", "")))
        .isEqualTo(metrics.requestTotals(new SeriesKey("shop", "storefront", "2.4.1")));
  }

  @Test
  void seriesOfTwoPodTemplatesOfOneVersionAreLabelledApartAndSurviveARestore() {
    TrafficMetrics hashed = new TrafficMetrics(42, 1800);
    TrafficFlow flow =
        new TrafficFlow(
            "shop",
            "storefront",
            "HTTPRoute",
            200,
            List.of(
                new TrafficFlow.VersionShare("2.4.0", "aaaaaaaaaa", STABLE, 0.8),
                new TrafficFlow.VersionShare("2.4.0", "bbbbbbbbbb", CANARY, 0.2)),
            0,
            0);
    for (long second = START; second < START + 600; second++) {
      hashed.simulate(second, List.of(flow), (ns, service) -> null);
    }
    assertThat(hashed.exposition())
        .contains(
            "http_requests_total{namespace=\"shop\",service=\"storefront\",version=\"2.4.0\","
                + "rollouts_weir_dev_pod_template_hash=\"bbbbbbbbbb\",code=\"500\"} ")
        .contains(
            "conversions_total{namespace=\"shop\",service=\"storefront\",version=\"2.4.0\","
                + "rollouts_weir_dev_pod_template_hash=\"aaaaaaaaaa\"} ");
    TrafficMetrics restored = new TrafficMetrics(42, 1800);
    restored.restore(hashed.save(300));
    assertThat(restored.exposition()).isEqualTo(hashed.exposition());
    String canaryErrors =
        "sum(rate(http_requests_total{version=\"2.4.0\",rollouts_weir_dev_pod_template_hash=\"bbbbbbbbbb\",code=~\"5..\"}[5m]))"
            + " / sum(rate(http_requests_total{rollouts_weir_dev_pod_template_hash=\"bbbbbbbbbb\"}[5m]))";
    for (TrafficMetrics m : List.of(hashed, restored)) {
      double ratio =
          ((QueryResult.Ok<MetricValue>) new SandboxMetricProvider(m).instant(canaryErrors, now))
              .value()
              .first();
      assertThat(ratio).isCloseTo(0.08, within(0.01));
    }
  }
}
