package dev.weir.engine.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class DiscreteEventClockTest {
  static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void timeJumpsToTheNextDueTaskOnlyWhenTheTaskBeforeHasReturned() {
    DiscreteEventClock clock = DiscreteEventClock.asFastAsPossible(START);
    List<String> seen = new ArrayList<>();
    clock.schedule(
        Duration.ofMinutes(10), () -> seen.add("late at " + clock.since(START).toMinutes() + "m"));
    clock.schedule(
        Duration.ofSeconds(1),
        () -> {
          // a slow task: however long it takes, the next one still sees its own due time
          long spin = 0;
          for (int i = 0; i < 50_000_000; i++) {
            spin += i;
          }
          seen.add("slow at " + clock.since(START).toSeconds() + "s" + (spin < 0 ? "!" : ""));
          clock.schedule(
              Duration.ofSeconds(2),
              () -> seen.add("follow-up at " + clock.since(START).toSeconds() + "s"));
        });
    assertThat(clock.runUntil(() -> false)).as("no task is left").isFalse();
    assertThat(seen).containsExactly("slow at 1s", "follow-up at 3s", "late at 10m");
    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(10)));
  }

  @Test
  void tasksDueAtTheSameInstantRunInTheOrderTheyWereScheduled() {
    DiscreteEventClock clock = DiscreteEventClock.asFastAsPossible(START);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      clock.schedule(Duration.ofSeconds(5), () -> order.add(n));
    }
    clock.runUntil(() -> order.size() == 20);
    assertThat(order).isSorted().hasSize(20);
  }

  @Test
  void workOnAnotherThreadThatATaskWaitsForEntersTheQueueBeforeTheTaskGoesOn() {
    DiscreteEventClock clock = DiscreteEventClock.asFastAsPossible(START);
    List<String> seen = new ArrayList<>();
    var other = Executors.newVirtualThreadPerTaskExecutor();
    try {
      clock.schedule(
          Duration.ZERO,
          () -> {
            // as an HTTP request to the sandbox, whose handler schedules the world's work
            CompletableFuture.runAsync(
                    () ->
                        clock.schedule(
                            Duration.ZERO, () -> seen.add("scheduled by the other thread")),
                    other)
                .join();
            clock.schedule(Duration.ZERO, () -> seen.add("scheduled after the wait"));
          });
      clock.runUntil(() -> seen.size() == 2);
    } finally {
      other.shutdown();
    }
    assertThat(seen).containsExactly("scheduled by the other thread", "scheduled after the wait");
  }

  @Test
  void everyRepeatsAndACancelledTaskNeverRuns() {
    DiscreteEventClock clock = DiscreteEventClock.asFastAsPossible(START);
    List<Long> ticks = new ArrayList<>();
    EngineClock.Scheduled ticking =
        clock.every(Duration.ofSeconds(10), () -> ticks.add(clock.since(START).toSeconds()));
    EngineClock.Scheduled never = clock.schedule(Duration.ofSeconds(15), () -> ticks.add(-1L));
    never.cancel();
    clock.runUntil(() -> ticks.size() == 3);
    ticking.cancel();
    assertThat(ticks).containsExactly(10L, 20L, 30L);
    assertThat(clock.pending()).isZero();
  }

  @Test
  void aSpeedPacesTheTasksInWallTimeWithoutChangingThem() {
    // 2 s of sandbox time at 100×: at least 20 ms of wall time
    DiscreteEventClock clock = new DiscreteEventClock(START, OptionalDouble.of(100));
    List<Long> at = new ArrayList<>();
    clock.schedule(Duration.ofSeconds(1), () -> at.add(clock.since(START).toSeconds()));
    clock.schedule(Duration.ofSeconds(2), () -> at.add(clock.since(START).toSeconds()));
    long started = System.nanoTime();
    clock.runUntil(() -> at.size() == 2);
    assertThat(System.nanoTime() - started)
        .isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    assertThat(at).containsExactly(1L, 2L);
  }

  @Test
  void oneRunnerAtATimeAndOnlyAPositiveSpeed() {
    DiscreteEventClock clock = DiscreteEventClock.asFastAsPossible(START);
    List<String> refused = new ArrayList<>();
    clock.schedule(
        Duration.ZERO,
        () -> {
          try {
            clock.runUntil(() -> true);
          } catch (IllegalStateException e) {
            refused.add(e.getMessage());
          }
        });
    assertThat(clock.runUntil(() -> clock.pending() == 0)).isTrue();
    assertThat(refused).singleElement().asString().contains("already run by");
    assertThatThrownBy(() -> new DiscreteEventClock(START, OptionalDouble.of(0)))
        .hasMessageContaining("speed must be positive");
  }
}
