package dev.weir.sandbox.traffic;

import dev.weir.sandbox.SandboxAnnotations;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How one version of a workload behaves, from its pods' {@code sandbox.weir.dev/*} annotations
 * ({@link SandboxAnnotations}): the share of requests it fails with a 5xx, its latency (log-normal
 * with median {@code latencyP50} seconds and σ {@code latencySpread}) and the share of its
 * successful requests that convert. Immutable.
 */
public record VersionProfile(
    double errorRate, double latencyP50, double latencySpread, double conversionRate) {

  /** Without annotations: no errors, 50 ms median, the default spread, no conversions. */
  public static final VersionProfile DEFAULT =
      new VersionProfile(0, 0.05, SandboxAnnotations.DEFAULT_LATENCY_SPREAD, 0);

  public VersionProfile {
    if (!(errorRate >= 0 && errorRate <= 1) || !(conversionRate >= 0 && conversionRate <= 1)) {
      throw new IllegalArgumentException("rates must be between 0 and 1");
    }
    if (!(latencyP50 > 0) || !(latencySpread >= 0)) {
      throw new IllegalArgumentException("latency must be positive");
    }
  }

  /**
   * Reads the annotations of a pod (or pod template); an annotation that cannot be read keeps the
   * default and is reported to {@code problems} as one line naming it and its value.
   */
  public static VersionProfile from(Map<String, String> annotations, Consumer<String> problems) {
    double errorRate =
        read(annotations, SandboxAnnotations.ERROR_RATE, DEFAULT.errorRate(), problems, true);
    double conversion =
        read(
            annotations,
            SandboxAnnotations.CONVERSION_RATE,
            DEFAULT.conversionRate(),
            problems,
            true);
    double spread =
        read(
            annotations,
            SandboxAnnotations.LATENCY_SPREAD,
            DEFAULT.latencySpread(),
            problems,
            false);
    double p50 = DEFAULT.latencyP50();
    String latency = annotations.get(SandboxAnnotations.LATENCY_P50);
    if (latency != null) {
      var parsed = SandboxAnnotations.duration(latency).filter(d -> d.compareTo(Duration.ZERO) > 0);
      if (parsed.isPresent()) {
        p50 = parsed.get().toNanos() / 1e9;
      } else {
        problems.accept(
            SandboxAnnotations.LATENCY_P50
                + ": \""
                + latency
                + "\" is not a duration such as 120ms");
      }
    }
    return new VersionProfile(errorRate, p50, spread, conversion);
  }

  private static double read(
      Map<String, String> annotations,
      String name,
      double fallback,
      Consumer<String> problems,
      boolean share) {
    String text = annotations.get(name);
    if (text == null) {
      return fallback;
    }
    var value = share ? SandboxAnnotations.share(text) : SandboxAnnotations.number(text);
    if (value.isEmpty()) {
      problems.accept(
          name
              + ": \""
              + text
              + "\" is not "
              + (share ? "a share such as 0.08 or 8%" : "a non-negative number"));
      return fallback;
    }
    return value.get();
  }

  /** The same profile with latency multiplied and errors added (a fault), capped at 100 %. */
  public VersionProfile degraded(double latencyFactor, double extraErrorRate) {
    return new VersionProfile(
        Math.min(1, errorRate + extraErrorRate),
        latencyP50 * latencyFactor,
        latencySpread,
        conversionRate);
  }

  /** The latency quantile {@code q} of this profile, in seconds. */
  public double latencyQuantile(double q) {
    return latencyP50 * Math.exp(latencySpread * inverseNormal(q));
  }

  /** The probability that a latency is at most {@code seconds}. */
  public double latencyCdf(double seconds) {
    if (seconds <= 0) {
      return 0;
    }
    if (latencySpread == 0) {
      return seconds >= latencyP50 ? 1 : 0;
    }
    return normalCdf(Math.log(seconds / latencyP50) / latencySpread);
  }

  static double normalCdf(double x) {
    // Abramowitz–Stegun 7.1.26 on erf, max error 1.5e-7
    double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
    double y =
        1
            - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                    + 0.254829592)
                * t
                * Math.exp(-x * x / 2);
    return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
  }

  static double inverseNormal(double p) {
    // bisection on the CDF: exact enough for quantiles and cheap (called rarely)
    double lo = -10;
    double hi = 10;
    for (int i = 0; i < 80; i++) {
      double mid = (lo + hi) / 2;
      if (normalCdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
