package dev.weir.engine.console;

import dev.weir.engine.shard.ShardKeeper;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console as one replica of the in-cluster reconciler: a {@link ShardKeeper} says which
 * applications it drives, and this room hands them to the console's automation and rollouts as
 * their Leases come and go. A gained application is compared at once (which tracks its rollouts:
 * each resumes from its record, decision 0007); a lost one stops at once (its automated sync
 * cancelled, its rollouts let go without touching the cluster).
 */
final class Sharding implements ShardKeeper.Listener {
  private final ConsoleCore core;
  private volatile ShardKeeper keeper;

  Sharding(ConsoleCore core) {
    this.core = core;
  }

  /** Starts sharing the applications through {@code settings}; the console watches already. */
  ShardKeeper start(ShardKeeper.Settings settings) {
    ShardKeeper started =
        new ShardKeeper(
            core.gateway,
            core.clock,
            settings,
            () -> new TreeSet<>(core.entries.keySet()),
            this,
            leases(settings.namespace()));
    keeper = started;
    core.drives = started::drives;
    started.start();
    return started;
  }

  /** The watch of the Leases the console shows, shared; none when it cannot be started now. */
  private dev.weir.engine.shard.ShardLeases leases(String namespace) {
    try {
      return core.drivers.watch(namespace);
    } catch (RuntimeException e) {
      return null; // the keeper lists them at each tick
    }
  }

  /** Application → who drives it, as of the last tick; empty when not sharded. */
  Map<String, String> holders() {
    ShardKeeper k = keeper;
    return k == null ? Map.of() : k.holders();
  }

  Set<String> driven() {
    ShardKeeper k = keeper;
    return k == null ? Set.copyOf(core.entries.keySet()) : k.driven();
  }

  @Override
  public void gained(String application) {
    ApplicationEntry entry = core.entries.get(application);
    if (entry == null || core.closed) {
      return;
    }
    core.event(
        ConsoleEvent.Kind.SYNC,
        Severity.INFO,
        application,
        core.options.holder().describe(),
        "this replica drives " + application + " now");
    core.workers.submit(
        () -> {
          entry.lock.lock();
          try {
            core.snapshots.compare(entry);
          } catch (RuntimeException e) {
            core.event(
                ConsoleEvent.Kind.SYNC,
                Severity.WARNING,
                application,
                "shard",
                "could not compare " + application + ": " + e.getMessage());
          } finally {
            entry.lock.unlock();
          }
        });
  }

  @Override
  public void lost(String application) {
    ApplicationEntry entry = core.entries.get(application);
    if (entry != null) {
      synchronized (core.automation) {
        if (entry.automation != null) {
          entry.automation.cancel();
          entry.automation = null;
        }
      }
    }
    core.rollouts.release(application);
    core.event(
        ConsoleEvent.Kind.SYNC,
        Severity.INFO,
        application,
        core.options.holder().describe(),
        "this replica no longer drives " + application);
    core.publisher.changed();
  }

  void close() {
    ShardKeeper k = keeper;
    if (k != null) {
      k.close();
    }
  }
}
