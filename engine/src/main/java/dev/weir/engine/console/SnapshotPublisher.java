package dev.weir.engine.console;

import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Publishes snapshots on change, coalesced: however many changes come, listeners get at most one
 * snapshot per {@code interval} (100 ms: at most about 10 per second), and always the newest.
 * Timing goes through the {@link EngineClock}.
 *
 * <p>Thread-safe. Listeners are called on the clock's thread, one snapshot at a time; a UI hops
 * onto its own thread from there.
 */
final class SnapshotPublisher {
  private final EngineClock clock;
  private final Duration interval;
  private final Supplier<ConsoleSnapshot> build;
  private final List<Consumer<ConsoleSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private Instant lastPublished = Instant.MIN;
  private boolean pending;

  SnapshotPublisher(EngineClock clock, Duration interval, Supplier<ConsoleSnapshot> build) {
    this.clock = clock;
    this.interval = interval;
    this.build = build;
  }

  Runnable subscribe(Consumer<ConsoleSnapshot> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Something changed: publish soon, unless a publication is already due. */
  synchronized void changed() {
    if (pending) {
      return;
    }
    pending = true;
    Instant now = clock.instant();
    Instant due = lastPublished.equals(Instant.MIN) ? now : lastPublished.plus(interval);
    Duration delay = due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
    clock.schedule(delay, this::publish);
  }

  private void publish() {
    synchronized (this) {
      pending = false;
      lastPublished = clock.instant();
    }
    ConsoleSnapshot snapshot = build.get();
    for (Consumer<ConsoleSnapshot> listener : listeners) {
      listener.accept(snapshot);
    }
  }
}
