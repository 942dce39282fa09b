package dev.weir.engine.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of one object or application: a status word and one line saying why. Immutable.
 *
 * @param status the status word
 * @param message why, for people ("Waiting for rollout to finish: 1 of 3 updated replicas are
 *     available"); empty when there is nothing to add
 * @param deadline for {@link HealthStatus#Progressing}: when progress is due, after which it counts
 *     as degraded; empty when no deadline is known
 */
public record Health(HealthStatus status, String message, Optional<Instant> deadline) {

  public Health {
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
    Objects.requireNonNull(deadline, "deadline");
  }

  public static Health of(HealthStatus status, String message) {
    return new Health(status, message, Optional.empty());
  }

  public static Health healthy() {
    return of(HealthStatus.Healthy, "");
  }

  /** {@code Progressing: waiting for …}, or just the word when there is no message. */
  @Override
  public String toString() {
    return message.isEmpty() ? status.name() : status + ": " + message;
  }
}
