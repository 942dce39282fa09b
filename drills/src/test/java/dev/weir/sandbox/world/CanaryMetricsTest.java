package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weir.drills.SandboxMetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A canary and its stable pods told apart in the metrics by their pods' {@code
 * rollouts.weir.dev/pod-template-hash}, as a real cluster's metrics are after relabelling: both
 * Deployments carry the same version label, only the template hash differs.
 */
class CanaryMetricsTest {
  static final String STABLE = "5d4f8c9b7a";
  static final String CANARY = "c0ffee1234";

  WorldFixture sandbox;

  /**
   * A Deployment of app {@code app} whose pods carry {@code hash}, and a Service selecting them.
   */
  static String deployment(String name, String app, String hash, String errorRate, String latency) {
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: %1$s, namespace: shop}
    spec:
      replicas: 2
      selector:
        matchLabels:
          app.kubernetes.io/name: %5$s
          rollouts.weir.dev/pod-template-hash: "%2$s"
      template:
        metadata:
          labels:
            app.kubernetes.io/name: %5$s
            app.kubernetes.io/version: "2.4.0"
            rollouts.weir.dev/pod-template-hash: "%2$s"
          annotations:
            sandbox.weir.dev/error-rate: "%3$s"
            sandbox.weir.dev/latency-p50: %4$s
        spec:
          containers:
          - {name: %5$s, image: "registry.example/shop/%5$s:2.4.0"}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: %1$s, namespace: shop}
    spec:
      selector:
        app.kubernetes.io/name: %5$s
        rollouts.weir.dev/pod-template-hash: "%2$s"
      ports: [{port: 80}]
    """
        .formatted(name, hash, errorRate, latency, app);
  }

  static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: storefront
        namespace: shop
        annotations: {sandbox.weir.dev/request-rate: "1000"}
      spec:
        rules:
        - backendRefs:
          - {name: storefront-stable, port: 80, weight: 95}
          - {name: storefront-canary, port: 80, weight: 5}
      """;

  @BeforeEach
  void runAStableAndACanaryBehindAnHttpRouteSplitNinetyFiveToFive() throws Exception {
    sandbox = new WorldFixture(WorldSettings.defaults().withSeed(11));
    sandbox.apply(WorldFixture.NAMESPACE);
    sandbox.apply(deployment("storefront-stable", "storefront", STABLE, "0.002", "110ms"));
    sandbox.apply(deployment("storefront-canary", "storefront", CANARY, "0.25", "180ms"));
    sandbox.apply(ROUTE);
    sandbox.apply(WorldFixture.deployment("checkout", 2, "1.4.2", "0.001", "80ms"));
    sandbox.apply(WorldFixture.service("checkout", "checkout"));
    sandbox.advance(Duration.ofMinutes(7)); // the 5-minute windows below start after Ready
  }

  @AfterEach
  void close() throws Exception {
    sandbox.close();
  }

  double value(String query) {
    QueryResult<MetricValue> result =
        new SandboxMetricProvider(sandbox.world.metrics()).instant(query, sandbox.clock.instant());
    assertThat(result).as(query).isInstanceOf(QueryResult.Ok.class);
    MetricValue value = ((QueryResult.Ok<MetricValue>) result).value();
    assertThat(value.isEmpty()).as("%s has data", query).isFalse();
    return value.first();
  }

  static String successRatio(String matchers) {
    return ("sum(rate(http_requests_total{service=\"storefront\"%1$s,code!~\"5..\"}[5m]))"
            + " / sum(rate(http_requests_total{service=\"storefront\"%1$s}[5m]))")
        .formatted(matchers);
  }

  @Test
  void theCanarysSuccessRatioIsItsOwnNotTheServices() {
    assertThat(value(successRatio(",rollouts_weir_dev_pod_template_hash=\"" + CANARY + "\"")))
        .isCloseTo(0.75, within(0.015));
    assertThat(value(successRatio(",rollouts_weir_dev_pod_template_hash=\"" + STABLE + "\"")))
        .isCloseTo(0.998, within(0.001));
    assertThat(value(successRatio(""))).isCloseTo(0.95 * 0.998 + 0.05 * 0.75, within(0.003));
  }

  @Test
  void regularExpressionsMatchTheHashAsAnyOtherLabel() {
    assertThat(value(successRatio(",rollouts_weir_dev_pod_template_hash=~\"c0f.*\""))).isCloseTo(0.75, within(0.015));
    assertThat(value(successRatio(",rollouts_weir_dev_pod_template_hash!~\"c0f.*\"")))
        .isCloseTo(0.998, within(0.001));
    assertThat(
            value(
                "sum(rate(http_requests_total{service=\"storefront\",rollouts_weir_dev_pod_template_hash=\"\"}[5m]))"))
        .as("every request of the storefront was served by a pod with a hash")
        .isZero();
  }

  @Test
  void theCanarysLatencyQuantilesComeFromItsOwnHistogram() {
    String p50 =
        "histogram_quantile(0.5, sum(rate(http_request_duration_seconds_bucket"
            + "{service=\"storefront\",rollouts_weir_dev_pod_template_hash=\"%s\"}[5m])) by (le))";
    String p99 =
        "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket"
            + "{service=\"storefront\",rollouts_weir_dev_pod_template_hash=\"%s\"}[5m])) by (le))";
    assertThat(value(p50.formatted(STABLE))).isCloseTo(0.110, within(0.01));
    assertThat(value(p50.formatted(CANARY))).isCloseTo(0.180, within(0.02));
    assertThat(value(p99.formatted(CANARY))).isGreaterThan(value(p99.formatted(STABLE)) + 0.1);
  }

  @Test
  void sumByHashGivesOneSeriesPerPodTemplate() {
    QueryResult<List<TimeSeries>> result =
        new SandboxMetricProvider(sandbox.world.metrics())
            .range(
                "sum(rate(http_requests_total{service=\"storefront\"}[1m])) by (rollouts_weir_dev_pod_template_hash)",
                sandbox.clock.instant().minus(Duration.ofMinutes(2)),
                sandbox.clock.instant(),
                Duration.ofMinutes(1));
    List<TimeSeries> series = ((QueryResult.Ok<List<TimeSeries>>) result).value();
    assertThat(series)
        .extracting(s -> s.labels().get("rollouts_weir_dev_pod_template_hash"))
        .as("and the 503s answered before the pods were Ready, without the label")
        .containsExactlyInAnyOrder(STABLE, CANARY, null);
    TimeSeries unserved =
        series.stream().filter(s -> s.labels().isEmpty()).findFirst().orElseThrow();
    assertThat(unserved.values()).containsOnly(0.0);
    TimeSeries canary =
        series.stream().filter(s -> s.labels().containsValue(CANARY)).findFirst().orElseThrow();
    assertThat(Arrays.stream(canary.values()).max().orElseThrow()).isCloseTo(50, within(10.0));
  }

  @Test
  void theMetricsEndpointLabelsEveryRequestSeriesOfAHashedPodAndNoOtherSeries() throws Exception {
    HttpResponse<String> response = sandbox.scrape();
    assertThat(response.statusCode()).isEqualTo(200);
    String text = response.body();
    String canary =
        "namespace=\"shop\",service=\"storefront\",version=\"2.4.0\",rollouts_weir_dev_pod_template_hash=\""
            + CANARY
            + "\"";
    assertThat(text)
        .contains("http_requests_total{" + canary + ",code=\"200\"} ")
        .contains("http_requests_total{" + canary + ",code=\"500\"} ")
        .contains("http_request_duration_seconds_bucket{" + canary + ",le=\"0.1\"} ")
        .contains("http_request_duration_seconds_bucket{" + canary + ",le=\"+Inf\"} ")
        .contains("http_request_duration_seconds_sum{" + canary + "} ")
        .contains("http_request_duration_seconds_count{" + canary + "} ")
        .contains("conversions_total{" + canary + "} ")
        .contains("rollouts_weir_dev_pod_template_hash=\"" + STABLE + "\"");
    List<String> checkout = text.lines().filter(l -> l.contains("service=\"checkout\"")).toList();
    assertThat(checkout)
        .as("pods without the label: series without it")
        .isNotEmpty()
        .noneMatch(l -> l.contains("rollouts_weir_dev_pod_template_hash"))
        .anyMatch(
            l ->
                l.startsWith(
                    "http_requests_total{namespace=\"shop\",service=\"checkout\","
                        + "version=\"1.4.2\",code=\"200\"} "));
  }
}
