package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weir.sandbox.metrics.SandboxQuery;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A simulated service whose pods name a feature flag ({@code sandbox.weir.dev/flag}) splits its
 * requests by flagd's evaluation of that flag in the namespace's flags ConfigMap, each variant with
 * its own profile ({@code sandbox.weir.dev/variant-profiles}), and its metrics carry the variant;
 * changing the ConfigMap (as a sync of a flag commit does) moves the split. Manual clock, fixed
 * seed: the same numbers on any machine.
 */
class FlagTrafficTest {
  static final String FLAGS =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: pricing-flags
        namespace: shop
        labels: {weir.dev/flagd: "true", app.kubernetes.io/component: flagd-flags}
      data:
        flagd.json: |
          {"flags": {"new-checkout-button": {"state": "STATE", "variants": {"on": true, "off": false},
            "defaultVariant": "off", "targeting": {"fractional": [["on", ON], ["off", OFF]]}}}}
      """;

  static final String PRICING =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: pricing, namespace: shop}
      spec:
        replicas: 2
        selector:
          matchLabels: {app.kubernetes.io/name: pricing}
        template:
          metadata:
            labels: {app.kubernetes.io/name: pricing, app.kubernetes.io/version: "2.0.0"}
            annotations:
              sandbox.weir.dev/error-rate: "0.001"
              sandbox.weir.dev/latency-p50: 50ms
              sandbox.weir.dev/flag: FLAG
              sandbox.weir.dev/variant-profiles: '{"on": {"latency-p50": "200ms", "error-rate": "5%"}}'
          spec:
            containers:
            - {name: pricing, image: "registry.example/shop/pricing:2.0.0"}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: pricing
        namespace: shop
        annotations: {sandbox.weir.dev/request-rate: "100"}
      spec:
        selector: {app.kubernetes.io/name: pricing}
        ports: [{port: 80}]
      """;

  static String flags(String state, int on) {
    return FLAGS
        .replace("STATE", state)
        .replace("ON", Integer.toString(on))
        .replace("OFF", Integer.toString(100 - on));
  }

  static WorldFixture pricing(String flag) throws Exception {
    WorldFixture sandbox = new WorldFixture(WorldSettings.defaults().withSeed(7));
    sandbox.apply(WorldFixture.NAMESPACE);
    sandbox.apply(flags("ENABLED", 10));
    sandbox.apply(PRICING.replace("FLAG", flag));
    sandbox.advance(Duration.ofMinutes(1)); // pods Ready
    return sandbox;
  }

  static Map<String, Double> byVariant(WorldFixture sandbox, String query) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    for (SandboxQuery.Sample sample :
        SandboxQuery.parse(query)
            .evaluate(sandbox.world.metrics(), sandbox.clock.instant().getEpochSecond())) {
      out.put(sample.labels().getOrDefault("variant", ""), sample.value());
    }
    return out;
  }

  static Map<String, Double> requestShares(WorldFixture sandbox) throws Exception {
    Map<String, Double> requests =
        byVariant(
            sandbox, "sum by (variant) (increase(http_requests_total{service=\"pricing\"}[5m]))");
    double all = requests.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> shares = new TreeMap<>();
    requests.forEach((variant, count) -> shares.put(variant, count / all));
    return shares;
  }

  @Test
  void theFlagSplitsRequestsByItsEvaluationAndEachVariantBehavesAsItsProfile() throws Exception {
    try (WorldFixture sandbox = pricing("new-checkout-button")) {
      sandbox.advance(Duration.ofMinutes(10));

      assertThat(requestShares(sandbox))
          .as("every request served is one variant's (503s before the pods were Ready have none)")
          .containsEntry("", 0.0)
          .containsOnlyKeys("", "off", "on");
      assertThat(requestShares(sandbox).get("on")).isCloseTo(0.10, within(0.025));

      Map<String, Double> errors =
          byVariant(
              sandbox,
              "sum by (variant) (rate(http_requests_total{service=\"pricing\",code=\"500\"}[10m]))"
                  + " / sum by (variant) (rate(http_requests_total{service=\"pricing\"}[10m]))");
      assertThat(errors.get("on")).as("on: 5%% errors").isCloseTo(0.05, within(0.012));
      assertThat(errors.getOrDefault("off", 0.0)).as("off: the pod's 0.1%%").isLessThan(0.004);

      for (var expected : Map.of("on", 0.200, "off", 0.050).entrySet()) {
        double p50 =
            byVariant(
                    sandbox,
                    "histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket"
                        + "{service=\"pricing\",variant=\""
                        + expected.getKey()
                        + "\"}[10m])))")
                .get("");
        assertThat(p50)
            .as("median latency of %s", expected.getKey())
            .isCloseTo(expected.getValue(), within(expected.getValue() * 0.15));
      }

      String exposition = sandbox.scrape().body();
      assertThat(exposition)
          .containsPattern(
              "http_requests_total\\{namespace=\"shop\",service=\"pricing\",version=\"2.0.0\","
                  + "variant=\"on\",code=\"200\"} \\d+")
          .containsPattern(
              "http_request_duration_seconds_count\\{namespace=\"shop\",service=\"pricing\","
                  + "version=\"2.0.0\",variant=\"off\"} \\d+");
      assertThat(
              byVariant(
                  sandbox, "sum(rate(http_requests_total{service=\"pricing\",code!~\"5..\"}[1m]))"))
          .as("queries without the variant label still see every request")
          .hasEntrySatisfying("", rate -> assertThat(rate).isCloseTo(100, within(15.0)));
    }
  }

  @Test
  void aPodsLogCountsEveryVariantsRequestsAndARestartKeepsTheVariantsCounters() throws Exception {
    try (WorldFixture sandbox = pricing("new-checkout-button")) {
      sandbox.advance(Duration.ofMinutes(2));
      var pod = sandbox.list("v1", "Pod", "shop").getFirst();
      long logged = 0;
      for (var line : new ContainerLogs(sandbox.world).log(pod, "pricing", false)) {
        var matcher =
            java.util.regex.Pattern.compile("pricing: (\\d+) requests? answered 200").matcher(line.text());
        if (matcher.find()) {
          logged += Long.parseLong(matcher.group(1));
        }
        logged += line.text().contains("request failed with 500") ? 1 : 0;
      }
      double served =
          byVariant(sandbox, "sum(increase(http_requests_total{service=\"pricing\",version=\"2.0.0\"}[5m]))")
              .get("");
      assertThat(logged)
          .as("the pod's log holds its part of both variants' requests (two pods)")
          .isBetween((long) (served / 2 * 0.9), (long) (served / 2 * 1.1));

      var saved = sandbox.world.metrics().save(300);
      var restored = new dev.weir.sandbox.metrics.TrafficMetrics(7, 1800);
      restored.restore(saved);
      for (String variant : new String[] {"on", "off"}) {
        var key = new dev.weir.sandbox.metrics.SeriesKey("shop", "pricing", "2.0.0", "", variant);
        assertThat(restored.requestTotals(key))
            .as("variant %s after a restart", variant)
            .isEqualTo(sandbox.world.metrics().requestTotals(key))
            .isNotNull();
      }
    }
  }

  @Test
  void changingTheFlagsConfigMapMovesTheSplit() throws Exception {
    try (WorldFixture sandbox = pricing("new-checkout-button")) {
      sandbox.advance(Duration.ofMinutes(5));
      assertThat(requestShares(sandbox).get("on")).isCloseTo(0.10, within(0.025));

      sandbox.apply(flags("ENABLED", 50));
      sandbox.advance(Duration.ofMinutes(5));
      assertThat(requestShares(sandbox).get("on")).isCloseTo(0.50, within(0.03));

      sandbox.apply(flags("ENABLED", 100));
      sandbox.advance(Duration.ofMinutes(5));
      assertThat(requestShares(sandbox)).containsEntry("on", 1.0).containsEntry("off", 0.0);

      sandbox.apply(flags("DISABLED", 100));
      sandbox.advance(Duration.ofMinutes(5));
      assertThat(requestShares(sandbox))
          .as("a disabled flag serves no variant: each caller's default, the pod's own profile")
          .containsEntry("", 1.0)
          .containsEntry("on", 0.0);
    }
  }

  @Test
  void aPodNamingAFlagNoConfigMapDefinesKeepsItsOwnBehaviourAndSaysSoOnce() throws Exception {
    try (WorldFixture sandbox = pricing("new-chekout-button")) {
      sandbox.advance(Duration.ofMinutes(2));

      assertThat(requestShares(sandbox)).containsOnlyKeys("");
      assertThat(sandbox.events)
          .filteredOn(e -> e.what().contains("new-chekout-button"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.what())
                      .isEqualTo(
                          "ignored a sandbox annotation: sandbox.weir.dev/flag: no flags ConfigMap"
                              + " in shop (label weir.dev/flagd: \"true\") defines flag"
                              + " 'new-chekout-button'; its requests keep the pod's own"
                              + " behaviour"));
    }
  }
}
