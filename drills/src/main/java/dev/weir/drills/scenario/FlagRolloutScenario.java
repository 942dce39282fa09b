package dev.weir.drills.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sandbox.SandboxAnnotations;
import dev.weir.sandbox.metrics.SandboxQuery;
import dev.weir.sandbox.traffic.VersionProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code flag-rollout}: {@code pricing}'s fractional flag {@code new-checkout-button}, at 0 % in the
 * sample (the new button shipped dark), is turned up 10 % → 50 % → 100 %, each step a commit,
 * through the engine's flag command (the path of {@code weir flags set --fraction}: the flag file
 * edited in place, a commit with a reason, a push, a sync that puts the flags ConfigMap in the
 * cluster). After each step the drill waits {@link #WINDOW} of sandbox time
 * and reads the sandbox's metrics by {@code variant}: each variant's share of the requests must
 * follow the split (within {@link #SHARE_TOLERANCE}, flagd bucketing a thousand simulated users),
 * and each variant's error rate and median latency the profile its pods declare ({@code
 * sandbox.weir.dev/variant-profiles}); otherwise the drill fails, naming what differed.
 */
final class FlagRolloutScenario implements Scenario {
  static final String APPLICATION = "pricing";
  static final String FLAG = "new-checkout-button";
  static final String VARIANT = "on";
  static final String REST = "off";
  static final List<Integer> STEPS = List.of(10, 50, 100);
  static final Duration WINDOW = Duration.ofMinutes(5);
  static final double SHARE_TOLERANCE = 0.03;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SELECTOR = "{namespace=\"shop\",service=\"pricing\"";

  @Override
  public String name() {
    return "flag-rollout";
  }

  @Override
  public String description() {
    return "pricing's flag new-checkout-button (on: 80ms, 3% errors) goes 0% -> 10% -> 50% -> 100%,"
        + " three commits; each step's requests by variant follow the split and the variant's profile";
  }

  @Override
  public Set<String> applications() {
    return Set.of(APPLICATION);
  }

  @Override
  public boolean usesEngine() {
    return true;
  }

  @Override
  public List<Step> steps(ScenarioContext context) {
    List<Step> steps = new ArrayList<>();
    for (int percent : STEPS) {
      Instant[] set = {null};
      steps.add(
          new Step(
              "set " + FLAG + " to " + percent + "%",
              Duration.ofSeconds(30),
              log -> {
                Map<String, Integer> percents = new LinkedHashMap<>();
                percents.put(VARIANT, percent);
                String outcome =
                    engine(context)
                        .setFlag(
                            APPLICATION,
                            FLAG,
                            percents,
                            percent == 100
                                ? "50% held: every user gets the new button"
                                : "turning up the new button to " + percent + "% (drill)");
                set[0] = context.server().clock().instant();
                log.say(
                    APPLICATION,
                    "flag " + FLAG + ": fractional " + VARIANT + " " + percent + "%: " + outcome,
                    "drill: weir flags set " + APPLICATION + " " + FLAG + " --fraction "
                        + VARIANT + "=" + percent);
                return true;
              }));
      steps.add(
          new Step(
              "metrics follow " + percent + "%",
              WINDOW.plusMinutes(1),
              log -> {
                Instant now = context.server().clock().instant();
                if (Duration.between(set[0], now).compareTo(WINDOW) < 0) {
                  return false;
                }
                log.say(APPLICATION, check(context, percent / 100.0), "sandbox metrics by variant,"
                    + " last " + WINDOW.toMinutes() + "m");
                return true;
              }));
    }
    return steps;
  }

  /** What a variant's requests did over the window. */
  record Observed(double requests, double errors, double p50) {}

  /**
   * The window's requests, errors and median latency by variant, checked against the split and
   * the profiles; one line saying them, or a {@link ScenarioException} naming what differed.
   */
  static String check(ScenarioContext context, double fraction) {
    Map<String, Observed> observed = observe(context);
    double all = observed.values().stream().mapToDouble(Observed::requests).sum();
    if (all == 0) {
      throw new ScenarioException("pricing served no requests in the last " + WINDOW.toMinutes() + "m");
    }
    Map<String, VersionProfile> profiles = profiles(context);
    List<String> parts = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (String variant : List.of(VARIANT, REST)) {
      double expected = variant.equals(VARIANT) ? fraction : 1 - fraction;
      Observed o = observed.getOrDefault(variant, new Observed(0, 0, Double.NaN));
      double share = o.requests() / all;
      String part = variant + " " + percent(share);
      if (Math.abs(share - expected) > SHARE_TOLERANCE) {
        wrong.add(variant + " served " + percent(share) + " of the requests, the flag says " + percent(expected));
      }
      if (o.requests() > 0) {
        VersionProfile profile = profiles.get(variant);
        double errorRate = o.errors() / o.requests();
        part += " (p50 " + Math.round(o.p50() * 1000) + "ms, " + percent(errorRate) + " errors)";
        // ~3 standard deviations of a binomial error count, at least 0.5 points
        double errorTolerance =
            Math.max(0.005, 3 * Math.sqrt(profile.errorRate() * (1 - profile.errorRate()) / o.requests()));
        if (Math.abs(errorRate - profile.errorRate()) > errorTolerance) {
          wrong.add(variant + " failed " + percent(errorRate) + " of its requests, its profile says "
              + percent(profile.errorRate()));
        }
        // histogram buckets: the median is interpolated within a bucket, so within 20 %
        if (!(Math.abs(o.p50() - profile.latencyP50()) <= 0.2 * profile.latencyP50())) {
          wrong.add(variant + "'s median latency is " + Math.round(o.p50() * 1000) + "ms, its profile says "
              + Math.round(profile.latencyP50() * 1000) + "ms");
        }
      }
      parts.add(part);
    }
    if (!wrong.isEmpty()) {
      throw new ScenarioException(
          "at " + Math.round(fraction * 100) + "% the metrics do not follow the flag: " + String.join("; ", wrong));
    }
    return FLAG + " at " + Math.round(fraction * 100) + "%: " + Math.round(all) + " requests, "
        + String.join(", ", parts);
  }

  private static Map<String, Observed> observe(ScenarioContext context) {
    long at = context.server().clock().instant().getEpochSecond();
    String window = "[" + WINDOW.toMinutes() + "m]";
    Map<String, Double> requests =
        byVariant(context, "sum by (variant) (increase(http_requests_total" + SELECTOR + "}" + window + "))", at);
    Map<String, Double> errors = byVariant(context,
        "sum by (variant) (increase(http_requests_total" + SELECTOR + ",code=~\"5..\"}" + window + "))", at);
    Map<String, Observed> out = new TreeMap<>();
    for (String variant : List.of(VARIANT, REST)) {
      double count = requests.getOrDefault(variant, 0.0);
      double p50 = Double.NaN;
      if (count > 0) {
        p50 = byVariant(context, "histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket"
            + SELECTOR + ",variant=\"" + variant + "\"}" + window + ")))", at).getOrDefault("", Double.NaN);
      }
      out.put(variant, new Observed(count, errors.getOrDefault(variant, 0.0), p50));
    }
    return out;
  }

  private static Map<String, Double> byVariant(ScenarioContext context, String query, long at) {
    Map<String, Double> out = new TreeMap<>();
    try {
      for (SandboxQuery.Sample sample : SandboxQuery.parse(query).evaluate(context.world().metrics(), at)) {
        if (!Double.isNaN(sample.value())) {
          out.merge(sample.labels().getOrDefault("variant", ""), sample.value(), Double::sum);
        }
      }
    } catch (SandboxQuery.UnsupportedQueryException e) {
      throw new IllegalStateException("the drill's own query: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Each variant's profile as the pricing pods declare it: the pod template's {@code
   * sandbox.weir.dev/*} annotations, overridden by its variant profile.
   */
  private static Map<String, VersionProfile> profiles(ScenarioContext context) {
    JsonNode deployment = context.server().objects().get("apps/v1", "Deployment", "shop", APPLICATION)
        .orElseThrow(() -> new ScenarioException(
            "the sandbox has no Deployment shop/pricing: run 'weir sandbox init DIR'"));
    Map<String, String> annotations = new LinkedHashMap<>();
    deployment.path("spec").path("template").path("metadata").path("annotations").properties()
        .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    if (!FLAG.equals(annotations.get(SandboxAnnotations.FLAG))) {
      throw new ScenarioException("Deployment shop/pricing's pods do not name flag " + FLAG + " ("
          + SandboxAnnotations.FLAG + "): run 'weir sandbox init DIR' again");
    }
    JsonNode variants;
    try {
      variants = JSON.readTree(annotations.getOrDefault(SandboxAnnotations.VARIANT_PROFILES, "{}"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ScenarioException(SandboxAnnotations.VARIANT_PROFILES + " of shop/pricing is not JSON");
    }
    Map<String, VersionProfile> out = new TreeMap<>();
    for (String variant : List.of(VARIANT, REST)) {
      Map<String, String> merged = new LinkedHashMap<>(annotations);
      variants.path(variant).properties()
          .forEach(e -> merged.put(SandboxAnnotations.PREFIX + e.getKey(), e.getValue().asText()));
      out.put(variant, VersionProfile.from(merged, problem -> {}));
    }
    return out;
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static ScenarioEngine engine(ScenarioContext context) {
    return context.engine().orElseThrow(() -> new ScenarioException(
        "this scenario needs the engine to commit the flag: run 'weir sandbox init DIR' first, then"
            + " play it with 'weir sandbox run'"));
  }
}
