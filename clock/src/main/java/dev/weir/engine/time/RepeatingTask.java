package dev.weir.engine.time;

import java.time.Duration;

/** A task re-armed after each run, on any {@link EngineClock}. */
final class RepeatingTask implements EngineClock.Scheduled {
  private final EngineClock clock;
  private final Duration period;
  private final Runnable task;
  private EngineClock.Scheduled current;
  private boolean cancelled;

  RepeatingTask(EngineClock clock, Duration period, Runnable task) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    this.clock = clock;
    this.period = period;
    this.task = task;
  }

  synchronized void arm() {
    if (!cancelled) {
      current = clock.schedule(period, this::runAndRearm);
    }
  }

  private void runAndRearm() {
    synchronized (this) {
      if (cancelled) {
        return;
      }
    }
    try {
      task.run();
    } finally {
      arm();
    }
  }

  @Override
  public synchronized void cancel() {
    cancelled = true;
    if (current != null) {
      current.cancel();
    }
  }
}
