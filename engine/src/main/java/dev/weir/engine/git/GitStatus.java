package dev.weir.engine.git;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link GitSource} stands: the revision it serves, when that was last fetched, and — when
 * the latest fetches failed — since when it has been stale and why. A stale source keeps serving
 * the last fetched revision; it never drops it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param revision the full commit id served
 * @param fetchedAt when the remote was last fetched successfully
 * @param staleSince when fetching started to fail, {@code null} while fresh
 * @param lastError why the latest fetch failed, {@code null} while fresh
 */
public record GitStatus(
    String revision, Instant fetchedAt, Instant staleSince, GitError lastError) {

  public GitStatus {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    if ((staleSince == null) != (lastError == null)) {
      throw new IllegalArgumentException("staleSince and lastError go together");
    }
  }

  static GitStatus fresh(String revision, Instant fetchedAt) {
    return new GitStatus(revision, fetchedAt, null, null);
  }

  /** The same revision, now failing to fetch; keeps the first failure time. */
  GitStatus failed(Instant now, GitError error) {
    return new GitStatus(revision, fetchedAt, staleSince == null ? now : staleSince, error);
  }

  /** Whether the latest fetch failed, so what is served may be behind the remote. */
  public boolean isStale() {
    return lastError != null;
  }

  /** The latest fetch failure, if any. */
  public Optional<GitError> error() {
    return Optional.ofNullable(lastError);
  }

  /** How old the served state is: the time since the last successful fetch. */
  public Duration age(Instant now) {
    Duration age = Duration.between(fetchedAt, now);
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** The first seven characters of the revision. */
  public String shortRevision() {
    return revision.substring(0, Math.min(7, revision.length()));
  }

  /**
   * One line for a status bar, e.g. {@code 3f2a1c9, fetched 12m ago (stale: remote unreachable:
   * …)}.
   */
  public String describe(Instant now) {
    String base = shortRevision() + ", fetched " + humanAge(age(now)) + " ago";
    return isStale() ? base + " (stale: " + lastError.message() + ")" : base;
  }

  static String humanAge(Duration age) {
    long seconds = age.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return age.toMinutes() + "m";
    }
    if (seconds < 86_400) {
      return age.toHours() + "h" + (age.toMinutesPart() == 0 ? "" : age.toMinutesPart() + "m");
    }
    return age.toDays() + "d" + (age.toHoursPart() == 0 ? "" : age.toHoursPart() + "h");
  }
}
