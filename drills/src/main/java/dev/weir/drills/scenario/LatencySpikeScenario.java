package dev.weir.drills.scenario;

import dev.weir.drills.SandboxMetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.sandbox.metrics.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code latency-spike}: a dependency of {@code storefront} slows down for three minutes (every
 * version's latency ×4). The p99 latency that the sample's {@code latency} analysis watches (the
 * same query, through the sandbox's metric provider) goes above its 0.3 s threshold and comes back
 * under it after the fault ends.
 */
final class LatencySpikeScenario implements Scenario {
  private static final String APPLICATION = "storefront";
  private static final String P99 =
      "histogram_quantile(0.99,"
          + " sum(rate(http_request_duration_seconds_bucket{service=\"storefront\"}[1m])) by (le))";
  private static final double THRESHOLD = 0.3;
  private static final Duration LENGTH = Duration.ofMinutes(3);

  @Override
  public String name() {
    return "latency-spike";
  }

  @Override
  public String description() {
    return "storefront's latency quadruples for 3 minutes: p99 crosses the 0.3s analysis threshold"
               + " and recovers";
  }

  @Override
  public Set<String> applications() {
    return Set.of(APPLICATION);
  }

  @Override
  public List<Step> steps(ScenarioContext context) {
    Instant[] until = {null};
    Instant started = context.server().clock().instant();
    return List.of(
        new Step(
            "baseline",
            Duration.ofMinutes(3),
            log -> {
              // a full minute of traffic with every pod serving, so the p99 is the usual one
              Instant now = context.server().clock().instant();
              if (Duration.between(started, now).compareTo(Duration.ofMinutes(1)) < 0
                  || context.world().endpoints("shop", "storefront-stable").isEmpty()) {
                return false;
              }
              double p99 = p99(context);
              if (Double.isNaN(p99) || context.world().metrics().lastSecond() == Long.MIN_VALUE) {
                return false;
              }
              log.say(
                  APPLICATION,
                  "p99 latency " + seconds(p99),
                  "before the spike; the latency analysis fails at " + THRESHOLD + "s");
              return true;
            }),
        new Step(
            "inject",
            Duration.ofSeconds(5),
            log -> {
              until[0] = context.server().clock().instant().plus(LENGTH);
              context.world().inject(new Fault("shop", APPLICATION, 4, 0, until[0]));
              log.say(
                  APPLICATION,
                  "a dependency slows down: latency ×4 for 3m",
                  "drill: latency-spike");
              return true;
            }),
        new Step(
            "spike",
            Duration.ofMinutes(3),
            log -> {
              double p99 = shown(p99(context));
              if (!(p99 > THRESHOLD)) {
                return false;
              }
              log.say(
                  APPLICATION,
                  "p99 latency " + seconds(p99),
                  "above the " + THRESHOLD + "s threshold of the latency analysis");
              return true;
            }),
        new Step(
            "recovered",
            LENGTH.plus(Duration.ofMinutes(3)),
            log -> {
              if (context.server().clock().instant().isBefore(until[0])) {
                return false;
              }
              // compared as shown, so the line never reads "back to 0.30s" under a 0.3s threshold
              double p99 = shown(p99(context));
              if (!(p99 < THRESHOLD)) {
                return false;
              }
              log.say(APPLICATION, "p99 latency back to " + seconds(p99), "the fault ended");
              return true;
            }));
  }

  private static double p99(ScenarioContext context) {
    QueryResult<MetricValue> result =
        new SandboxMetricProvider(context.world().metrics())
            .instant(P99, context.server().clock().instant());
    return result instanceof QueryResult.Ok<MetricValue> ok ? ok.value().first() : Double.NaN;
  }

  /** The value rounded as the drill prints it (hundredths of a second). */
  private static double shown(double value) {
    return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.2fs", value);
  }
}
