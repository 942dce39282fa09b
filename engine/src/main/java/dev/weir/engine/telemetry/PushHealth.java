package dev.weir.engine.telemetry;

import java.util.Objects;
import java.util.Optional;

/**
 * How pushing goes, for a status line. Immutable.
 *
 * @param reachable false during an outage (from the first failed push to the next successful one)
 * @param pushed successful pushes
 * @param failed failed pushes (refused, error answer, or abandoned after the timeout)
 * @param dropped pushes skipped because one was already under way and another waiting
 * @param outages how many times pushing went from working to failing
 * @param lastError the last failure, one line without secrets
 */
public record PushHealth(
    boolean reachable,
    long pushed,
    long failed,
    long dropped,
    int outages,
    Optional<String> lastError) {
  public PushHealth {
    Objects.requireNonNull(lastError, "lastError");
  }
}
