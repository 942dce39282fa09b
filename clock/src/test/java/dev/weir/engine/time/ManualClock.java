package dev.weir.engine.time;

import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test says so. {@link #advance(Duration)} runs every task that falls
 * due, in time order, on the calling thread, with {@link #instant()} set to each task's due time.
 */
public final class ManualClock implements EngineClock {
  private record Task(Instant due, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>((a, b) -> a.due.equals(b.due) ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
  private Instant now;
  private long seq;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public ManualClock() {
    this(Instant.parse("2026-01-01T10:00:00Z"));
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public synchronized Scheduled schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    queue.add(new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task, cancelled));
    return () -> {
      synchronized (ManualClock.this) {
        cancelled[0] = true;
      }
    };
  }

  /** Moves time forward by {@code step}, running what falls due on the way. */
  public void advance(Duration step) {
    Instant target;
    synchronized (this) {
      target = now.plus(step);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          now = target;
          return;
        }
        queue.poll();
        now = next.due;
        if (next.cancelled[0]) {
          continue;
        }
      }
      next.run.run();
    }
  }

  /** How many tasks wait, cancelled ones excluded. */
  public synchronized long pending() {
    return queue.stream().filter(t -> !t.cancelled[0]).count();
  }
}
