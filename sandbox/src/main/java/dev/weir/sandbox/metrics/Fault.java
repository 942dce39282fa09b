package dev.weir.sandbox.metrics;

import java.time.Instant;
import java.util.Objects;

/**
 * An injected incident on one traffic entry until a time: every version's latency multiplied by
 * {@code latencyFactor} and {@code extraErrorRate} added to its error rate (as a slow or failing
 * dependency would do). Immutable.
 */
public record Fault(
    String namespace, String service, double latencyFactor, double extraErrorRate, Instant until) {
  public Fault {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(until, "until");
    if (!(latencyFactor > 0) || !(extraErrorRate >= 0 && extraErrorRate <= 1)) {
      throw new IllegalArgumentException("latencyFactor must be positive, extraErrorRate a share");
    }
  }
}
