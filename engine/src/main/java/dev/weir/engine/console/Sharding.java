package dev.weir.engine.console;

import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.shard.ShardKeeper;
import dev.weir.engine.shard.ShardLeases;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
  private volatile boolean replica;
  private final Set<String> yielded = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** A yield check is queued and has not read the Leases yet: Lease events meanwhile add nothing. */
  private final java.util.concurrent.atomic.AtomicBoolean checkQueued =
      new java.util.concurrent.atomic.AtomicBoolean();
  private EngineClock.Scheduled wake;

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
    // announced as a person's console before it became a replica (decision 0049): given up now
    core.announcements.withdraw();
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
    take(application, "this replica drives " + application + " now");
  }

  /** Compares {@code application} at once, which tracks its rollouts: each resumes from its record. */
  private void take(String application, String line) {
    ApplicationEntry entry = core.entries.get(application);
    if (entry == null || core.closed) {
      return;
    }
    core.event(ConsoleEvent.Kind.SYNC, Severity.INFO, application, core.options.holder().describe(), line);
    core.inTurn(
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
    leave(application, "this replica no longer drives " + application);
  }

  /** Stops acting on {@code application} at once: its automated sync cancelled, its rollouts let go. */
  private void leave(String application, String line) {
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
    core.event(ConsoleEvent.Kind.SYNC, Severity.INFO, application, core.options.holder().describe(), line);
    core.publisher.changed();
  }

  /**
   * Whether this console drives {@code application}, the one place that says so: a replica, what
   * its Leases hold; a replica to be, nothing until its keeper starts; a person's console, all but
   * what it leaves to the replicas (decision 0046).
   */
  boolean drives(String application) {
    ShardKeeper k = keeper;
    if (k != null) {
      return k.drives(application);
    }
    return !replica && !yielded.contains(application);
  }

  /** Whether this console is a replica sharing the applications by their Leases. */
  boolean active() {
    return keeper != null || replica;
  }

  /**
   * This console is to be a replica ({@link Console#awaitShards}): until its keeper says what it
   * drives it drives nothing, and it must not yield, take back or announce as a person's console
   * does (decision 0046's yield once handed it every application nobody held: two replicas then
   * started the same canary).
   */
  void awaitingShards() {
    replica = true;
  }

  // ------------------------------------------------------------------------------------------
  // A person's console in watch mode, beside the replicas (decision 0046)

  /**
   * The replicas' Leases changed, or one of them ran out: a console in watch mode that is no
   * replica leaves to the replicas every application a live Lease of theirs holds (no automated
   * sync, no self-heal, no rollout driven: the replica does it, and two drivers would race), and
   * takes each back when its Lease runs out unrenewed. It still compares them all: the person sees
   * every application live. Off the caller's thread (a watch's); never throws. Events that come
   * while a check is queued are answered by that check (it reads the Leases when it runs): a
   * fleet's renewals, hundreds a second, make one check at a time, not one each.
   */
  void leasesChanged() {
    if (active() || core.closed || !core.automation.watching()) {
      return;
    }
    if (!checkQueued.compareAndSet(false, true)) {
      return;
    }
    core.workers.submit(
        () -> {
          checkQueued.set(false);
          try {
            yieldToReplicas();
          } catch (RuntimeException e) {
            // the Leases cannot be read now: what was yielded stays yielded until they can
          }
        });
  }

  private void yieldToReplicas() {
    core.drivers.applications().ifPresent(this::yieldTo);
    // not read yet: nothing says which a replica holds (the pass before acting reads them)
  }

  /**
   * Before a pass of a person's console in watch mode compares and acts: what the replicas hold,
   * listed now when the watch has not read the Leases yet. Else the first pass after start would
   * sync or drive an application a replica holds before the watch said so. Never throws.
   */
  void yieldBeforePass() {
    if (active() || core.closed || !core.automation.watching()) {
      return;
    }
    Optional<Map<String, LeaseRecord>> read = core.drivers.applications();
    try {
      if (read.isEmpty()) {
        read = ShardLeases.read(core.gateway, core.drivers.namespace()).applications();
      }
      read.ifPresent(this::yieldTo);
    } catch (RuntimeException e) {
      // the Leases cannot be read: the snapshot says so (Drivers); this console acts as before
    }
  }

  private synchronized void yieldTo(Map<String, LeaseRecord> leases) {
    if (active() || core.closed) {
      return;
    }
    Optional<Map<String, LeaseRecord>> read = Optional.of(leases);
    Instant now = core.clock.instant();
    Map<String, LeaseRecord> held = new TreeMap<>();
    read.get()
        .forEach(
            (application, lease) -> {
              if (!lease.holder().isEmpty() && now.isBefore(lease.expiresAt()) && core.entries.containsKey(application)) {
                held.put(application, lease);
              }
            });
    boolean moved = false;
    for (Map.Entry<String, LeaseRecord> e : held.entrySet()) {
      if (yielded.add(e.getKey())) {
        moved = true;
        leave(
            e.getKey(),
            "replica "
                + e.getValue().holderIdentity().who()
                + " drives "
                + e.getKey()
                + ": this console leaves it to the replica");
      }
    }
    for (String application : List.copyOf(yielded)) {
      if (!held.containsKey(application)) {
        yielded.remove(application);
        moved = true;
        take(application, "no replica holds " + application + "'s Lease now: this console drives it");
      }
    }
    // what it announces follows what it drives (decision 0049): a yielded one is released at once.
    // Only on a change: this runs at every Lease event, and an announcement's renewal is one, so
    // announcing at each would renew, hear it, and renew again without end
    if (moved) {
      core.announcements.changed();
    }
    // a Lease that runs out changes nothing in the cluster: wake when the first one does
    held.values().stream()
        .map(LeaseRecord::expiresAt)
        .min(Comparator.naturalOrder())
        .ifPresent(first -> wakeAt(first, now));
  }

  private void wakeAt(Instant at, Instant now) {
    if (wake != null) {
      wake.cancel();
    }
    wake = core.clock.schedule(Duration.between(now, at).plusMillis(1), this::leasesChanged);
  }

  /** The applications this console leaves to the replicas now. */
  Set<String> yielded() {
    return Set.copyOf(yielded);
  }

  void close() {
    synchronized (this) {
      if (wake != null) {
        wake.cancel();
      }
    }
    ShardKeeper k = keeper;
    if (k != null) {
      k.close();
    }
  }
}
