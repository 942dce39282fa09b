package dev.weir.engine.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether an automated sync that failed is tried again, as Argo CD's {@code syncPolicy.retry}:
 * {@code limit} more attempts of the same revision (negative: no limit), the first after {@code
 * duration}, each next wait {@code factor} times the last, at most {@code maxDuration}. Without it
 * ({@link #NONE}) a failed automated sync waits for a person or the next change in Git, as in Argo
 * CD: automation does not hammer a cluster that refused the same change.
 *
 * @param limit retries of one revision after its first attempt; 0 none, negative unlimited
 * @param duration the first wait
 * @param factor how much longer each next wait is
 * @param maxDuration the longest wait
 */
public record SyncRetry(int limit, Duration duration, long factor, Duration maxDuration) {
  /** Argo CD's defaults for a {@code retry} block that leaves its backoff out. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);

  public static final long DEFAULT_FACTOR = 2;
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(3);

  /** No retry block: a failed automated sync is not tried again by itself. */
  public static final SyncRetry NONE =
      new SyncRetry(0, DEFAULT_DURATION, DEFAULT_FACTOR, DEFAULT_MAX_DURATION);

  public SyncRetry {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (duration.isNegative() || maxDuration.isNegative() || factor < 1) {
      throw new IllegalArgumentException("backoff must be positive and its factor at least 1");
    }
  }

  /** Whether a revision whose automatic syncs failed {@code failures} times is tried again. */
  public boolean allows(int failures) {
    return limit < 0 || failures <= limit;
  }

  /** The wait before retry number {@code retry} (1 for the first). */
  public Duration backoff(int retry) {
    Duration wait = duration;
    for (int i = 1; i < retry && wait.compareTo(maxDuration) < 0; i++) {
      wait = wait.multipliedBy(factor);
    }
    return wait.compareTo(maxDuration) > 0 ? maxDuration : wait;
  }

  /** {@code no retries}, {@code up to 5 retries, 5s ×2 up to 3m}, {@code unlimited retries, …}. */
  public String describe() {
    if (limit == 0) {
      return "no retries";
    }
    return (limit < 0 ? "unlimited retries" : "up to " + limit + " retr" + (limit == 1 ? "y" : "ies"))
        + ", "
        + words(duration)
        + " ×"
        + factor
        + " up to "
        + words(maxDuration);
  }

  private static String words(Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
  }
}
