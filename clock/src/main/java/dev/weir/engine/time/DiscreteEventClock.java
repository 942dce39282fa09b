package dev.weir.engine.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual time that moves only when there is nothing left to do now: a discrete-event simulation.
 * Scheduled tasks wait in a queue ordered by due instant, then by the order they were scheduled
 * in; {@link #runUntil} takes them one at a time on the calling thread (the runner), setting
 * {@link #instant()} to each task's due instant before running it. When a task returns, time jumps
 * to the next task's instant, however long the task took in wall time. A story told on this clock
 * is therefore the same on a fast machine and on a slow, busy one.
 *
 * <p>{@code speed} only paces the story for a person watching: before running a task due {@code
 * v} after the start, the runner waits until {@code v / speed} of wall time has passed since
 * {@link #runUntil} began (a task that is late runs at once; nothing is skipped). Without a speed
 * the tasks run as fast as the machine allows. Pacing never changes which tasks run or in which
 * order.
 *
 * <p>Design note. Determinism holds when every piece of work runs as a task, synchronously: a
 * task may block on another thread that does work for it (an HTTP request to a server in the same
 * process, a command run on a virtual thread and joined), and whatever that thread schedules
 * enters the queue before the task goes on. Work that carries on after its task has returned (an
 * informer's watch events, an executor's background threads) would race with the next task and
 * make the story depend on the machine. A task must not wait for time to pass on this clock
 * (a later task to run): the runner is the only thread that moves time, so such a wait never
 * ends.
 *
 * <p>Thread-safe: tasks may be scheduled and cancelled from any thread; one thread at a time
 * runs them.
 */
public final class DiscreteEventClock implements EngineClock {
  private static final Logger LOG = LoggerFactory.getLogger(DiscreteEventClock.class);

  private static final class Task implements Scheduled {
    final Instant due;
    final long sequence;
    final Runnable run;
    volatile boolean cancelled;

    Task(Instant due, long sequence, Runnable run) {
      this.due = due;
      this.sequence = sequence;
      this.run = run;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) ->
              a.due.equals(b.due) ? Long.compare(a.sequence, b.sequence) : a.due.compareTo(b.due));
  private final OptionalDouble speed;
  private Instant now;
  private long sequence;
  private Thread runner;

  /**
   * @param start the virtual instant the clock starts at
   * @param speed how many virtual seconds at most per wall second, greater than 0; empty for as
   *     fast as the machine allows
   */
  public DiscreteEventClock(Instant start, OptionalDouble speed) {
    this.now = Objects.requireNonNull(start, "start");
    this.speed = Objects.requireNonNull(speed, "speed");
    if (speed.isPresent() && !(speed.getAsDouble() > 0 && speed.getAsDouble() < 1e9)) {
      throw new IllegalArgumentException("speed must be positive, was " + speed.getAsDouble());
    }
  }

  /** A clock at {@code start} that runs its tasks as fast as the machine allows. */
  public static DiscreteEventClock asFastAsPossible(Instant start) {
    return new DiscreteEventClock(start, OptionalDouble.empty());
  }

  /** The pace: virtual seconds per wall second at most; empty for as fast as possible. */
  public OptionalDouble speed() {
    return speed;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public synchronized Scheduled schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    Task scheduled =
        new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
    queue.add(scheduled);
    return scheduled;
  }

  /**
   * Runs the due tasks one at a time, in order, on the calling thread, moving time to each one's
   * instant, until {@code done} holds (checked before each task), no task is left or the thread is
   * interrupted. Returns whether {@code done} holds. A task that throws is logged and the run goes
   * on, as on a scheduler.
   *
   * @throws IllegalStateException when another thread is running this clock's tasks
   */
  public boolean runUntil(BooleanSupplier done) {
    synchronized (this) {
      if (runner != null) {
        throw new IllegalStateException("the clock's tasks are already run by " + runner.getName());
      }
      runner = Thread.currentThread();
    }
    long wallStart = System.nanoTime();
    Instant virtualStart = instant();
    try {
      while (!done.getAsBoolean()) {
        Task next = next();
        if (next == null) {
          return done.getAsBoolean();
        }
        pace(wallStart, Duration.between(virtualStart, next.due));
        if (Thread.currentThread().isInterrupted()) {
          return done.getAsBoolean();
        }
        if (next.cancelled) {
          continue;
        }
        synchronized (this) {
          if (next.due.isAfter(now)) {
            now = next.due;
          }
        }
        try {
          next.run.run();
        } catch (RuntimeException e) {
          LOG.warn("a task on the discrete-event clock failed at {}", instant(), e);
        }
      }
      return true;
    } finally {
      synchronized (this) {
        runner = null;
      }
    }
  }

  /** How many tasks wait, cancelled ones excluded. */
  public synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.cancelled).count();
  }

  private synchronized Task next() {
    while (true) {
      Task task = queue.poll();
      if (task == null || !task.cancelled) {
        return task;
      }
    }
  }

  private void pace(long wallStart, Duration virtualElapsed) {
    if (speed.isEmpty() || virtualElapsed.isNegative()) {
      return;
    }
    long due = wallStart + (long) (virtualElapsed.toNanos() / speed.getAsDouble());
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(this, wait);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "DiscreteEventClock["
        + (speed.isPresent() ? speed.getAsDouble() + "x" : "max")
        + ", at "
        + instant()
        + "]";
  }
}
