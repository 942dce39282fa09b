package dev.weir.engine.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The wall clock, with one daemon scheduler thread shared by the whole process. */
final class SystemEngineClock implements EngineClock {
  static final SystemEngineClock INSTANCE = new SystemEngineClock();

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "weir-clock");
            thread.setDaemon(true);
            return thread;
          });

  private SystemEngineClock() {}

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable task) {
    var future = scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
