package dev.weir.engine.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a cluster answers, and since when it does not. Immutable.
 *
 * @param context the kubeconfig context
 * @param server the API server's URL
 * @param unreachableSince when requests started to fail for want of an answer; {@code null} while
 *     reachable
 * @param lastError why, while unreachable; {@code null} otherwise
 */
public record ClusterStatus(
    String context, String server, Instant unreachableSince, ClusterError lastError) {

  public ClusterStatus {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(server, "server");
    if ((unreachableSince == null) != (lastError == null)) {
      throw new IllegalArgumentException("unreachableSince and lastError go together");
    }
  }

  public static ClusterStatus reachable(String context, String server) {
    return new ClusterStatus(context, server, null, null);
  }

  public boolean isReachable() {
    return unreachableSince == null;
  }

  public Optional<ClusterError> error() {
    return Optional.ofNullable(lastError);
  }

  /** The same cluster, failing since {@code now} unless it already was. */
  public ClusterStatus failed(Instant now, ClusterError error) {
    return new ClusterStatus(
        context, server, unreachableSince == null ? now : unreachableSince, error);
  }

  /**
   * {@code context shop (https://…): reachable} or {@code … unreachable for 2m: connection
   * refused}.
   */
  public String describe(Instant now) {
    String base = "context " + context + " (" + server + ")";
    if (isReachable()) {
      return base + ": reachable";
    }
    Duration down = Duration.between(unreachableSince, now);
    return base
        + ": unreachable for "
        + (down.isNegative() ? "0s" : humanDuration(down))
        + ": "
        + lastError.message();
  }

  static String humanDuration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return d.toMinutes() + "m";
    }
    return d.toHours() + "h" + (d.toMinutesPart() == 0 ? "" : d.toMinutesPart() + "m");
  }
}
