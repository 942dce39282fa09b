package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GitStatusTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final String SHA = "3f2a1c9d0e8b7a6f5e4d3c2b1a09f8e7d6c5b4a3";

  record Case(String name, Duration age, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> ages() {
    return List.of(
        new Case("seconds", Duration.ofSeconds(42), "42s"),
        new Case("minutes", Duration.ofMinutes(12).plusSeconds(30), "12m"),
        new Case("whole hours", Duration.ofHours(2), "2h"),
        new Case("hours and minutes", Duration.ofMinutes(135), "2h15m"),
        new Case("days and hours", Duration.ofHours(50), "2d2h"));
  }

  @ParameterizedTest
  @MethodSource("ages")
  void agesReadLikeAStatusBar(Case c) {
    assertThat(GitStatus.humanAge(c.age())).isEqualTo(c.expected());
  }

  @Test
  void aFreshStatusDescribesRevisionAndAge() {
    GitStatus status = GitStatus.fresh(SHA, T0);
    assertThat(status.isStale()).isFalse();
    assertThat(status.describe(T0.plusSeconds(90))).isEqualTo("3f2a1c9, fetched 1m ago");
  }

  @Test
  void failuresKeepTheRevisionAndTheFirstFailureTime() {
    GitError down =
        new GitError(GitError.Reason.UNREACHABLE, "fetch x failed: the remote cannot be reached");
    GitStatus once = GitStatus.fresh(SHA, T0).failed(T0.plusSeconds(60), down);
    GitStatus twice = once.failed(T0.plusSeconds(120), down);

    assertThat(twice.revision()).isEqualTo(SHA);
    assertThat(twice.staleSince()).isEqualTo(T0.plusSeconds(60));
    assertThat(twice.age(T0.plusSeconds(180))).isEqualTo(Duration.ofMinutes(3));
    assertThat(twice.describe(T0.plusSeconds(180)))
        .isEqualTo("3f2a1c9, fetched 3m ago (stale: fetch x failed: the remote cannot be reached)");
  }

  @Test
  void errorMessagesAreOneLine() {
    GitError error =
        new GitError(GitError.Reason.REMOTE_ERROR, "first line\n  second line\r\nthird\n");
    assertThat(error.message()).isEqualTo("first line; second line; third");
  }
}
