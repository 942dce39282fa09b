package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.install.ReconcilerManifests;
import dev.weir.engine.shard.ShardKeeper;
import dev.weir.engine.shard.ShardLeases;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who drives each application ({@link ApplicationDriver}), for the snapshot: the reconciler
 * replicas' Leases ({@code weir-shard-<application>} in their namespace, {@code weir} unless this
 * console is a replica of another namespace), read through one watch in watch mode — the same
 * {@link ShardLeases} a replica's {@link ShardKeeper} reads — or listed once at each refresh of a
 * one-shot console ({@code weir status}); else this console, when it drives the application; else
 * another person's console announcing it drives it ({@code weir-console-<application>}, decision
 * 0049), from the same read.
 *
 * <p>A Lease that runs out changes nothing in the cluster, so no watch event says it: the room asks
 * the publisher for a snapshot when the next held Lease expires, on the engine clock.
 */
final class Drivers {
  private final ConsoleCore core;
  private volatile String namespace = ReconcilerManifests.DEFAULT_NAMESPACE;
  private volatile ShardLeases leases;
  private volatile String problem = "";
  private final Object timer = new Object();
  private EngineClock.Scheduled wake;
  private Instant wakeAt;

  Drivers(ConsoleCore core) {
    this.core = core;
  }

  /**
   * Watches the replicas' Leases in {@code namespace} from now on (again only when it is another
   * namespace); answers the watch, to share with a {@link ShardKeeper}.
   *
   * @throws ClusterException when the cluster serves no Leases
   */
  synchronized ShardLeases watch(String namespace) {
    ShardLeases current = leases;
    if (current != null && current.namespace().equals(namespace) && current.watching()) {
      return current;
    }
    ShardLeases started =
        ShardLeases.watch(
            core.gateway,
            namespace,
            () -> {
              core.publisher.changed();
              core.sharding.leasesChanged();
            });
    this.namespace = namespace;
    leases = started;
    if (current != null) {
      current.close();
    }
    return started;
  }

  /** Watches the Leases of the namespace it reads; off the caller's thread, never throws. */
  void watchInBackground() {
    core.workers.submit(
        () -> {
          try {
            watch(namespace);
          } catch (RuntimeException e) {
            problem = e.getMessage();
          }
        });
  }

  /**
   * Lists the Leases once now, unless a watch keeps them; never throws. A watch started while the
   * list was under way wins: the list is dropped, not put in the watch's place (where the watch
   * would be left running unread, and the next {@link #watch} would start a second one).
   */
  void readUnlessWatching() {
    ShardLeases current = leases;
    if (current != null && current.watching()) {
      return;
    }
    String listed = namespace;
    try {
      ShardLeases read = ShardLeases.read(core.gateway, listed);
      synchronized (this) {
        if (leases == current && namespace.equals(listed)) {
          leases = read;
          problem = "";
        }
      }
    } catch (ClusterException e) {
      problem = e.getMessage();
    }
  }

  /** The namespace whose Leases are read. */
  String namespace() {
    return namespace;
  }

  /** The application Leases as read (application → Lease), or empty until they are. */
  Optional<Map<String, LeaseRecord>> applications() {
    ShardLeases current = leases;
    return current == null ? Optional.empty() : current.applications();
  }

  /** The Lease objects as read (name → object), or empty until they are. */
  Optional<Map<String, dev.weir.engine.model.LiveObject>> objects() {
    ShardLeases current = leases;
    return current == null ? Optional.empty() : current.objects();
  }

  /**
   * Who drives each application at {@code now}, the Leases read once for all of them: a snapshot
   * asks for every application, and reading the Leases (every Lease of the namespace, parsed) for
   * each made a snapshot of 1,000 applications cost a million Lease reads. The consoles'
   * announcements (decision 0049) come from the same read.
   */
  Function<String, ApplicationDriver> at(Instant now) {
    ShardLeases current = leases;
    Optional<Map<String, LeaseRecord>> all = current == null ? Optional.empty() : current.all();
    Optional<Map<String, LeaseRecord>> read = all.map(ShardLeases::applicationsOf);
    Map<String, LeaseRecord> announced = all.map(ShardLeases::announcementsOf).orElse(Map.of());
    return application -> of(application, now, current, read, announced);
  }

  private ApplicationDriver of(
      String application,
      Instant now,
      ShardLeases current,
      Optional<Map<String, LeaseRecord>> read,
      Map<String, LeaseRecord> announced) {
    boolean here = core.rollouts.driving() && core.drives(application);
    LeaseHolder self = core.options.holder();
    if (read.isEmpty()) {
      String why = !problem.isEmpty() ? problem : current == null ? "" : current.problem().orElse("");
      String line =
          why.isEmpty()
              ? "the replicas' Leases in " + namespace + " are being read"
              : "the replicas' Leases in " + namespace + " cannot be read: " + why;
      return here
          ? ApplicationDriver.console(self.who(), self.describe(), line)
          : ApplicationDriver.unknown(application, line);
    }
    LeaseRecord lease = read.get().get(application);
    if (lease != null && !lease.holder().isEmpty() && now.isBefore(lease.expiresAt())) {
      LeaseHolder holder = lease.holderIdentity();
      wakeAt(lease.expiresAt(), now);
      return ApplicationDriver.replica(
          holder.who(), holder.describe(), lease.renewedAt(), lease.expiresAt(), now);
    }
    String replicas;
    if (lease != null && !lease.holder().isEmpty()) {
      replicas =
          "replica "
              + lease.holderIdentity().who()
              + "'s Lease expired "
              + ApplicationDriver.ago(lease.expiresAt(), now);
    } else {
      replicas = "no reconciler replica holds its Lease";
    }
    // another person's console that announces it drives it; an expired announcement is ignored,
    // and so is this console's own (released once it stopped driving it)
    LeaseRecord console = announced.get(application);
    boolean other =
        console != null
            && !console.holder().isEmpty()
            && !console.holder().equals(self.identity())
            && now.isBefore(console.expiresAt());
    if (other) {
      wakeAt(console.expiresAt(), now);
    }
    if (here) {
      // consoles do not yield to each other (decision 0049): both drive it, and this one says so
      return ApplicationDriver.console(
          self.who(),
          self.describe(),
          other
              ? console.holderIdentity().who()
                  + "'s console drives it too · announced "
                  + ApplicationDriver.ago(console.renewedAt(), now)
              : lease == null || lease.holder().isEmpty() ? "no replica holds its Lease" : replicas);
    }
    if (other) {
      LeaseHolder holder = console.holderIdentity();
      return ApplicationDriver.announced(
          holder.who(), holder.describe(), console.renewedAt(), console.expiresAt(), now);
    }
    return ApplicationDriver.nobody(
        application,
        replicas,
        Optional.ofNullable(lease).map(LeaseRecord::renewedAt),
        Optional.ofNullable(lease).map(LeaseRecord::expiresAt));
  }

  /** Publishes a snapshot when the Lease running out first, at {@code at}, has run out. */
  private void wakeAt(Instant at, Instant now) {
    synchronized (timer) {
      wakeLocked(at, now);
    }
  }

  private void wakeLocked(Instant at, Instant now) {
    if (wake != null && wakeAt != null && !at.isBefore(wakeAt) && wakeAt.isAfter(now)) {
      return;
    }
    if (wake != null) {
      wake.cancel();
    }
    wakeAt = at;
    wake =
        core.clock.schedule(
            Duration.between(now, at),
            () -> {
              synchronized (timer) {
                wake = null;
                wakeAt = null;
              }
              core.publisher.changed();
            });
  }

  /** Stops the watch and the timer. */
  void close() {
    synchronized (timer) {
      if (wake != null) {
        wake.cancel();
        wake = null;
      }
    }
    ShardLeases current = leases;
    if (current != null) {
      current.close();
    }
  }
}
