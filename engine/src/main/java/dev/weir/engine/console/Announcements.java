package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.shard.ShardLeases;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A person's console in watch mode that is no replica announces each application it drives
 * (decision 0049): a Lease {@code weir-console-<application>} in the replicas' Lease namespace,
 * held by this console's {@link dev.weir.engine.cluster.LeaseHolder} identity, renewed every third
 * of {@link #DURATION} on the engine clock, released when it stops driving the application (a
 * replica took it: decision 0046's yield) and when it closes. Other consoles and {@code weir
 * status} read them through the same Leases {@link Drivers} reads, and show who drives the
 * application. Replicas' keepers never read nor take them: they are not shard Leases.
 */
final class Announcements {
  /** How long an announcement holds unrenewed: a console that dies is shown as nobody after it. */
  static final Duration DURATION = Duration.ofSeconds(30);

  private final ConsoleCore core;
  /** Application → the namespace its announcement was written in (the Leases' may change). */
  private final Map<String, String> announced = new ConcurrentHashMap<>();
  private volatile EngineClock.Scheduled timer;
  private volatile boolean closed;

  Announcements(ConsoleCore core) {
    this.core = core;
  }

  /** From now on, announces what this console drives, at once and every third of the duration. */
  void start() {
    if (closed || timer != null) {
      return;
    }
    timer = core.clock.every(DURATION.dividedBy(3), this::changed);
    changed();
  }

  /** What this console drives may have changed: announce (or release) off the caller's thread. */
  void changed() {
    if (closed || timer == null) {
      return;
    }
    try {
      core.workers.submit(this::announce);
    } catch (RuntimeException e) {
      // the workers are shut down: the console is closing, and close releases
    }
  }

  private synchronized void announce() {
    if (closed) {
      return;
    }
    String namespace = core.drivers.namespace();
    String identity = core.options.holder().identity();
    Set<String> wanted = new TreeSet<>();
    // a replica's keeper holds shard Leases; a console that does not drive announces nothing; and
    // nothing before the Leases are read, or it would announce what a replica holds until it yields
    Optional<Map<String, LeaseRecord>> replicas = core.drivers.applications();
    if (!core.sharding.active()
        && core.automation.watching()
        && core.rollouts.driving()
        && replicas.isPresent()) {
      Instant now = core.clock.instant();
      for (String application : core.entries.keySet()) {
        LeaseRecord replica = replicas.get().get(application);
        boolean held =
            replica != null && !replica.holder().isEmpty() && now.isBefore(replica.expiresAt());
        if (core.drives(application) && !held) {
          wanted.add(application);
        }
      }
    }
    for (String application : List.copyOf(announced.keySet())) {
      if (!wanted.contains(application) || !namespace.equals(announced.get(application))) {
        release(application, identity);
      }
    }
    Map<String, LiveObject> read = core.drivers.objects().orElse(Map.of());
    if (!wanted.isEmpty() && !core.gateway.status().isReachable()) {
      return; // one timeout each would hold the workers: they expire by themselves, shown as nobody
    }
    for (String application : wanted) {
      String name = ShardLeases.ANNOUNCEMENT_PREFIX + application;
      try {
        LiveObject object = read.get(name);
        // renewed with one write at the resourceVersion the watch read, else read and taken
        LeaseRecord lease =
            object != null && announced.containsKey(application)
                ? core.gateway.renewLease(namespace, name, identity, DURATION, object)
                : core.gateway.acquireLease(namespace, name, identity, DURATION);
        if (lease.acquired()) {
          announced.put(application, namespace);
        } else {
          announced.remove(application); // another console announces it: it drives it too
        }
      } catch (ClusterException e) {
        // not written now (RBAC, a cluster away): it expires by itself; tried again at the next tick
      }
    }
  }

  private void release(String application, String identity) {
    String namespace = announced.remove(application);
    if (namespace == null) {
      return;
    }
    try {
      core.gateway.releaseLease(namespace, ShardLeases.ANNOUNCEMENT_PREFIX + application, identity);
    } catch (ClusterException e) {
      // it expires by itself
    }
  }

  /** Stops announcing and releases every announcement, so others see it at once. */
  void close() {
    closed = true;
    EngineClock.Scheduled t = timer;
    if (t != null) {
      t.cancel();
    }
    synchronized (this) {
      if (announced.isEmpty()) {
        return;
      }
      if (!core.gateway.status().isReachable()) {
        announced.clear(); // one timeout each would hold the close: they expire by themselves
        return;
      }
      String identity = core.options.holder().identity();
      for (String application : List.copyOf(announced.keySet())) {
        release(application, identity);
      }
    }
  }

  /**
   * This console became a replica (its keeper set already): it holds shard Leases from now on,
   * and gives up what it announced before, at once.
   */
  synchronized void withdraw() {
    String identity = core.options.holder().identity();
    for (String application : List.copyOf(announced.keySet())) {
      release(application, identity);
    }
  }
}
