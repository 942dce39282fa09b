package dev.weir.engine.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The engine's one source of time and delay. Every poll, pause, interval and backoff goes through
 * it, so a test can run a thirty-minute rollout in milliseconds with a manual clock and a drill
 * plays in virtual time ({@link DiscreteEventClock}). Engine code never calls {@code Instant.now()}
 * or {@code Thread.sleep}.
 *
 * <p>Implementations are thread-safe. Scheduled tasks run on the clock's own thread(s); a task must
 * not block for long.
 */
public interface EngineClock extends InstantSource {

  /** Runs {@code task} once, {@code delay} from now. */
  Scheduled schedule(Duration delay, Runnable task);

  /** Runs {@code task} every {@code period}, first after {@code period}, until cancelled. */
  default Scheduled every(Duration period, Runnable task) {
    var handle = new RepeatingTask(this, period, task);
    handle.arm();
    return handle;
  }

  /** A pending task; cancelling twice, or after it ran, does nothing. */
  interface Scheduled {
    void cancel();
  }

  /** The wall clock with a small daemon scheduler. */
  static EngineClock system() {
    return SystemEngineClock.INSTANCE;
  }

  /** How long ago {@code then} was, never negative. */
  default Duration since(Instant then) {
    Duration d = Duration.between(then, instant());
    return d.isNegative() ? Duration.ZERO : d;
  }
}
