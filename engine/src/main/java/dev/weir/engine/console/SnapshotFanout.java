package dev.weir.engine.console;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands published snapshots to a console's listeners, each isolated from the engine and from the
 * others (docs/decisions/0015-console-api.md).
 *
 * <p>Design note. Every listener has its own serial delivery: a slot holding the newest snapshot
 * not yet delivered, and at most one task on {@code executor} (virtual threads by default) that
 * empties it. Publishing only fills slots and starts tasks, so it never waits for a listener: a
 * slow listener sees fewer snapshots (always the newest: older ones are dropped from its slot),
 * a listener that throws is logged and called again with the next snapshot, and neither delays the
 * clock's thread nor another listener. A listener is never called with a version lower than or
 * equal to one it already had. A new listener is handed the latest snapshot at once (replay).
 *
 * <p>Thread-safe.
 */
final class SnapshotFanout implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFanout.class);

  private final Executor executor;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final AtomicReference<ConsoleSnapshot> latest = new AtomicReference<>();
  private volatile boolean closed;

  /** Listeners each on a virtual thread of their own while they run. */
  SnapshotFanout() {
    this(task -> Thread.ofVirtual().name("weir-snapshot-listener").start(task));
  }

  SnapshotFanout(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Passes {@code snapshot} on to every listener, unless a newer one was published already (then
   * it is dropped). Returns at once.
   */
  void publish(ConsoleSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    ConsoleSnapshot now = latest.accumulateAndGet(snapshot, SnapshotFanout::newer);
    if (now != snapshot || closed) {
      return;
    }
    for (Delivery delivery : deliveries) {
      delivery.offer(snapshot);
    }
  }

  /** The latest snapshot published, if any. */
  java.util.Optional<ConsoleSnapshot> latest() {
    return java.util.Optional.ofNullable(latest.get());
  }

  /** Adds a listener; it is handed the latest snapshot at once, when there is one. */
  ConsoleApi.Subscription subscribe(Consumer<ConsoleSnapshot> listener) {
    Delivery delivery = new Delivery(Objects.requireNonNull(listener, "listener"));
    deliveries.add(delivery);
    ConsoleSnapshot last = latest.get();
    if (last != null && !closed) {
      delivery.offer(last);
    }
    return delivery;
  }

  /** How many listeners are subscribed. */
  int size() {
    return deliveries.size();
  }

  /** No listener is called after this (one running may finish). */
  @Override
  public void close() {
    closed = true;
    deliveries.forEach(Delivery::close);
  }

  private static ConsoleSnapshot newer(ConsoleSnapshot kept, ConsoleSnapshot offered) {
    return kept == null || offered.version() > kept.version() ? offered : kept;
  }

  private final class Delivery implements ConsoleApi.Subscription {
    private final Consumer<ConsoleSnapshot> listener;
    private final AtomicReference<ConsoleSnapshot> slot = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean ended;
    private long delivered = Long.MIN_VALUE; // only the running task touches it

    Delivery(Consumer<ConsoleSnapshot> listener) {
      this.listener = listener;
    }

    void offer(ConsoleSnapshot snapshot) {
      slot.accumulateAndGet(snapshot, SnapshotFanout::newer);
      if (running.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }

    private void drain() {
      do {
        ConsoleSnapshot next = slot.getAndSet(null);
        if (next != null && !ended && next.version() > delivered) {
          delivered = next.version();
          try {
            listener.accept(next);
          } catch (VirtualMachineError e) {
            throw e;
          } catch (Throwable e) {
            LOG.warn("a snapshot listener failed on version {}; it gets the next one", next.version(), e);
          }
        }
        running.set(false);
      } while (slot.get() != null && !ended && running.compareAndSet(false, true));
    }

    @Override
    public void close() {
      ended = true;
      deliveries.remove(this);
    }
  }
}
