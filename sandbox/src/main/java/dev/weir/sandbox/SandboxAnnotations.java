package dev.weir.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sandbox.weir.dev/*} annotations through which manifests tell the sandbox's world how a
 * version behaves, so that committing a new version to Git changes what the simulator does. On a
 * pod template (and so on its pods):
 *
 * <ul>
 *   <li>{@value #ERROR_RATE}: the share of requests answered with a 5xx, {@code "0.08"} or {@code
 *       "8%"};
 *   <li>{@value #LATENCY_P50}: the median latency, {@code 120ms}, {@code 0.12s} or {@code 0.12};
 *   <li>{@value #LATENCY_SPREAD}: the log-normal σ of latency (default {@value
 *       #DEFAULT_LATENCY_SPREAD}: p99 ≈ 2.3 × p50);
 *   <li>{@value #CONVERSION_RATE}: the share of successful requests that convert;
 *   <li>{@value #CRASHLOOP}: {@code "true"} makes the containers crash and restart with back-off,
 *       never Ready;
 *   <li>{@value #STARTUP_DELAY}: how long a pod takes to become Ready (jittered);
 *   <li>{@value #JOB_DURATION}: how long a Job's pod runs before it succeeds;
 *   <li>{@value #FLAG}: the key of a feature flag, served by a flags ConfigMap of the pod's
 *       namespace (labelled {@code weir.dev/flagd: "true"}, key {@code flagd.json}), whose
 *       evaluation for each simulated user splits the pod's requests over the flag's variants;
 *   <li>{@value #VARIANT_PROFILES}: each variant's behaviour, a JSON object {@code {"on":
 *       {"latency-p50": "240ms", "error-rate": "4%"}}} whose inner keys are the names above
 *       without the prefix ({@code error-rate}, {@code latency-p50}, {@code latency-spread}, {@code
 *       conversion-rate}); what a variant leaves out is the pod's own.
 * </ul>
 *
 * On a Service or a router (HTTPRoute, VirtualService, TrafficSplit, Ingress): {@value
 * #REQUEST_RATE} (requests per second) and {@value #REQUEST_CLASSES} (a JSON list of {@code
 * {"share":0.1,"headers":{…},"cookies":{…}}}: the share of requests carrying those headers or
 * cookies).
 *
 * <p>Parsing never throws: a value that cannot be read is an empty result, and callers fall back to
 * the default and say so.
 */
public final class SandboxAnnotations {
  public static final String PREFIX = "sandbox.weir.dev/";
  public static final String ERROR_RATE = PREFIX + "error-rate";
  public static final String LATENCY_P50 = PREFIX + "latency-p50";
  public static final String LATENCY_SPREAD = PREFIX + "latency-spread";
  public static final String CONVERSION_RATE = PREFIX + "conversion-rate";
  public static final String CRASHLOOP = PREFIX + "crashloop";
  public static final String STARTUP_DELAY = PREFIX + "startup-delay";
  public static final String JOB_DURATION = PREFIX + "job-duration";
  public static final String REQUEST_RATE = PREFIX + "request-rate";
  public static final String REQUEST_CLASSES = PREFIX + "request-classes";
  public static final String FLAG = PREFIX + "flag";
  public static final String VARIANT_PROFILES = PREFIX + "variant-profiles";
  public static final double DEFAULT_LATENCY_SPREAD = 0.35;

  private static final Pattern DURATION =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)?\\s*");

  private SandboxAnnotations() {}

  /** A duration: {@code 120ms}, {@code 1.5s}, {@code 2m}, {@code 1h}, or plain seconds. */
  public static Optional<Duration> duration(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanos =
        switch (unit) {
          case "ms" -> value * 1e6;
          case "m" -> value * 60e9;
          case "h" -> value * 3600e9;
          default -> value * 1e9;
        };
    return Optional.of(Duration.ofNanos(Math.round(nanos)));
  }

  /** A share between 0 and 1: {@code 0.08} or {@code 8%}. */
  public static Optional<Double> share(String text) {
    Optional<Double> value = number(text == null ? null : text.replace("%", ""));
    if (value.isEmpty()) {
      return value;
    }
    double share = text.contains("%") ? value.get() / 100 : value.get();
    return share >= 0 && share <= 1 ? Optional.of(share) : Optional.empty();
  }

  /** A non-negative finite number. */
  public static Optional<Double> number(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      double value = Double.parseDouble(text.trim());
      return Double.isFinite(value) && value >= 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether {@value #CRASHLOOP} is {@code "true"} among {@code annotations}. */
  public static boolean crashloop(Map<String, String> annotations) {
    return "true".equalsIgnoreCase(annotations.getOrDefault(CRASHLOOP, "").trim());
  }
}
