package dev.weir.engine.shard;

import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares the applications among reconciler replicas on coordination.k8s.io Leases: one membership
 * Lease per replica ({@code weir-member-<instance>}) says it is alive, one Lease per application
 * ({@code weir-shard-<application>}) says which replica drives it. Every {@code leaseDuration / 3}
 * on the engine clock it renews its membership, reads the Leases of its namespace from the watch
 * of {@link ShardLeases} (or, without one or before its first list, lists them once), lets {@link
 * ShardPlan} decide, and renews (one write each, at the resourceVersion read), takes and releases
 * application Leases accordingly, telling its {@link Listener} what it gained and lost.
 *
 * <p>Safety: a replica stops driving an application before it releases the Lease, and whenever a
 * renewal fails and the Lease it last renewed has expired (or is about to: within half a renew
 * interval), so two replicas never both think they drive it while the Leases are honoured. The
 * rollout record's resourceVersion (decision 0007) still refuses a stale writer's transition if a
 * replica stalls past its Lease. Why these Leases are not client-java-extended's LeaderElector:
 * decision 0029.
 *
 * <p>Thread-safe; ticks run on a thread of their own, one at a time.
 */
public final class ShardKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardKeeper.class);

  /** The prefix of an application's Lease name. */
  public static final String APPLICATION_PREFIX = "weir-shard-";

  /** The prefix of a replica's membership Lease name. */
  public static final String MEMBER_PREFIX = "weir-member-";

  /** How many Leases are written at once. */
  private static final int RENEWERS = 16;

  /** What a replica gains and loses; called on the keeper's thread, in order. */
  public interface Listener {
    void gained(String application);

    void lost(String application);
  }

  /**
   * @param namespace where the Leases live (the reconciler's own namespace)
   * @param leaseDuration how long a Lease holds without renewal; renewed every third of it
   * @param identity this replica's holder identity (a {@code LeaseHolder} identity naming the pod)
   * @param instance a short unique id of this replica, naming its membership Lease
   */
  public record Settings(String namespace, Duration leaseDuration, String identity, String instance) {
    public Settings {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(instance, "instance");
      if (leaseDuration.toSeconds() < 1) {
        throw new IllegalArgumentException("a lease lasts at least one second");
      }
    }

    Duration renewInterval() {
      return leaseDuration.dividedBy(3);
    }
  }

  private final ClusterGateway gateway;
  private final EngineClock clock;
  private final Settings settings;
  private final Supplier<Set<String>> applications;
  private final Listener listener;
  private final ShardLeases leases;
  private final Map<String, Instant> held = new ConcurrentHashMap<>();
  private volatile Map<String, String> holders = Map.of();
  private volatile int liveMembers;
  private volatile boolean ready;
  private final AtomicBoolean ticking = new AtomicBoolean();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "weir-shard-keeper");
            t.setDaemon(true);
            return t;
          });
  private final ExecutorService renewers =
      Executors.newFixedThreadPool(
          RENEWERS,
          r -> {
            Thread t = new Thread(r, "weir-shard-renewer");
            t.setDaemon(true);
            return t;
          });
  private volatile EngineClock.Scheduled timer;
  private volatile boolean closed;
  private volatile Instant lastTick;

  /**
   * @param applications the applications of the repository now (read at every tick)
   */
  public ShardKeeper(
      ClusterGateway gateway,
      EngineClock clock,
      Settings settings,
      Supplier<Set<String>> applications,
      Listener listener) {
    this(gateway, clock, settings, applications, listener, null);
  }

  /**
   * A keeper that reads the Leases from {@code leases}' watch (of {@code settings}' namespace)
   * instead of listing them at every tick; it lists only while the watch has not listed them yet.
   * A watch that lags is safe: a Lease is taken only through {@link
   * ClusterGateway#acquireLease}, which reads it afresh and refuses one another replica renewed.
   */
  public ShardKeeper(
      ClusterGateway gateway,
      EngineClock clock,
      Settings settings,
      Supplier<Set<String>> applications,
      Listener listener,
      ShardLeases leases) {
    this.leases = leases;
    this.gateway = gateway;
    this.clock = clock;
    this.settings = settings;
    this.applications = applications;
    this.listener = listener;
  }

  /** Starts ticking; the first tick at once. */
  public void start() {
    timer = clock.every(settings.renewInterval(), this::schedule);
    schedule();
  }

  private void schedule() {
    if (!closed && ticking.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            try {
              tick();
            } catch (RuntimeException e) {
              LOG.warn("shard tick failed: {}", e.getMessage());
            } finally {
              ticking.set(false);
            }
          });
    }
  }

  /** Whether this replica drives {@code application} now: it holds its unexpired Lease. */
  public boolean drives(String application) {
    Instant until = held.get(application);
    return until != null && clock.instant().isBefore(until);
  }

  /** The applications this replica drives now, sorted. */
  public Set<String> driven() {
    Set<String> out = new TreeSet<>();
    held.keySet().stream().filter(this::drives).forEach(out::add);
    return out;
  }

  /** Application → holder identity, as of the last tick (free applications absent). */
  public Map<String, String> holders() {
    return holders;
  }

  /** The live replicas counted at the last tick, this one included. */
  public int liveMembers() {
    return liveMembers;
  }

  /**
   * Whether ticks still come (for {@code /healthz}): the last one began less than two lease
   * durations ago. A keeper whose thread hangs stops being alive, and the kubelet restarts it.
   */
  public boolean alive() {
    Instant last = lastTick;
    return last == null
        || clock.instant().isBefore(last.plus(settings.leaseDuration().multipliedBy(2)));
  }

  /** Whether a tick has reached the API server since start (for {@code /readyz}). */
  public boolean ready() {
    return ready;
  }

  public Settings settings() {
    return settings;
  }

  /** One tick: membership, read, decide, act. Package-private for tests that drive it. */
  synchronized void tick() {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    lastTick = now;
    Duration duration = settings.leaseDuration();
    Map<String, ShardPlan.Holding> holdings = new HashMap<>();
    Map<String, LiveObject> listed = new HashMap<>();
    Set<String> live = new TreeSet<>();
    try {
      gateway.acquireLease(
          settings.namespace(), MEMBER_PREFIX + settings.instance(), settings.identity(), duration);
      Map<String, LiveObject> objects =
          leases != null && leases.namespace().equals(settings.namespace())
              ? leases.objects().orElse(null)
              : null;
      if (objects == null) {
        objects = ShardLeases.read(gateway, settings.namespace()).objects().orElseThrow();
      }
      objects.forEach(
          (name, lease) -> {
            if (name.startsWith(APPLICATION_PREFIX)) {
              listed.put(name.substring(APPLICATION_PREFIX.length()), lease);
            }
          });
      Map<String, LeaseRecord> all = ShardLeases.records(objects.values());
      live.addAll(ShardLeases.live(all, now));
      ShardLeases.applicationsOf(all)
          .forEach(
              (app, lease) -> {
                if (!lease.holder().isEmpty()) {
                  holdings.put(app, new ShardPlan.Holding(lease.holder(), lease.expiresAt()));
                }
              });
      ready = true;
    } catch (RuntimeException e) {
      LOG.warn("shard: cannot reach the Leases in {}: {}", settings.namespace(), e.getMessage());
      dropExpiring(now);
      return;
    }
    Set<String> apps = applications.get();
    ShardPlan.Decision decision = ShardPlan.decide(settings.identity(), apps, live, holdings, now);
    liveMembers = Math.max(1, live.size() + (live.contains(settings.identity()) ? 0 : 1));
    for (String app : decision.release()) {
      lose(app);
      try {
        gateway.releaseLease(settings.namespace(), APPLICATION_PREFIX + app, settings.identity());
        holdings.remove(app);
        LOG.info("shard: released {} (quota {})", app, decision.quota());
      } catch (RuntimeException e) {
        LOG.warn("shard: cannot release {}: {}", app, e.getMessage());
      }
    }
    // applications that left the repository
    for (String app : Set.copyOf(held.keySet())) {
      if (!apps.contains(app)) {
        lose(app);
        try {
          gateway.releaseLease(settings.namespace(), APPLICATION_PREFIX + app, settings.identity());
        } catch (RuntimeException e) {
          // it expires
        }
      }
    }
    // renewed side by side (one at a time, a thousand Leases would not all be renewed in time),
    // what it holds before what it takes, on the keeper's own platform threads: on the virtual
    // threads' carriers they waited behind the comparisons and syncs of the very applications
    // whose Leases ran out meanwhile
    List<String> wanted = new ArrayList<>(new TreeSet<>(decision.renew()));
    wanted.addAll(new TreeSet<>(decision.acquire()));
    Map<String, java.util.concurrent.Future<LeaseRecord>> renewals = new TreeMap<>();
    for (String app : wanted) {
      renewals.put(
          app,
          renewers.submit(
              () -> {
                // what it holds is renewed with one write, at the resourceVersion listed
                LiveObject read = listed.get(app);
                return decision.renew().contains(app) && read != null
                    ? gateway.renewLease(
                        settings.namespace(),
                        APPLICATION_PREFIX + app,
                        settings.identity(),
                        duration,
                        read)
                    : gateway.acquireLease(
                        settings.namespace(), APPLICATION_PREFIX + app, settings.identity(), duration);
              }));
    }
    for (Map.Entry<String, java.util.concurrent.Future<LeaseRecord>> renewal : renewals.entrySet()) {
      String app = renewal.getKey();
      try {
        LeaseRecord lease;
        try {
          lease = renewal.getValue().get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (lease.acquired()) {
          boolean fresh = held.put(app, lease.expiresAt()) == null;
          holdings.put(app, new ShardPlan.Holding(settings.identity(), lease.expiresAt()));
          if (fresh) {
            LOG.info("shard: took {}", app);
            listener.gained(app);
          }
        } else {
          lose(app);
          holdings.put(app, new ShardPlan.Holding(lease.holder(), lease.expiresAt()));
        }
      } catch (RuntimeException e) {
        LOG.warn("shard: cannot renew {}: {}", app, e.getMessage());
      }
    }
    // what another replica took meanwhile is not ours
    for (String app : Set.copyOf(held.keySet())) {
      ShardPlan.Holding holding = holdings.get(app);
      if (holding != null && !holding.holder().equals(settings.identity())) {
        lose(app);
      }
    }
    dropExpiring(clock.instant());
    Map<String, String> now2 = new TreeMap<>();
    holdings.forEach(
        (app, h) -> {
          if (!h.freeAt(now) && apps.contains(app)) {
            now2.put(app, h.holder());
          }
        });
    holders = Map.copyOf(now2);
  }

  /**
   * Stops driving what was renewed too long ago: its Lease expires within half a renew interval,
   * before another replica may take it.
   */
  private void dropExpiring(Instant now) {
    Instant soon = now.plus(settings.renewInterval().dividedBy(2));
    for (Map.Entry<String, Instant> entry : Map.copyOf(held).entrySet()) {
      if (!soon.isBefore(entry.getValue())) {
        LOG.warn("shard: the Lease of {} was not renewed in time; no longer driving it", entry.getKey());
        lose(entry.getKey());
      }
    }
  }

  private void lose(String app) {
    if (held.remove(app) != null) {
      LOG.info("shard: no longer driving {}", app);
      listener.lost(app);
    }
  }

  /** Stops ticking, stops driving everything and gives every Lease up so others take over now. */
  @Override
  public void close() {
    EngineClock.Scheduled t = timer;
    if (t != null) {
      t.cancel();
    }
    synchronized (this) {
      closed = true;
      for (String app : Set.copyOf(held.keySet())) {
        lose(app);
        try {
          gateway.releaseLease(settings.namespace(), APPLICATION_PREFIX + app, settings.identity());
        } catch (RuntimeException e) {
          // it expires
        }
      }
      try {
        gateway.releaseLease(
            settings.namespace(), MEMBER_PREFIX + settings.instance(), settings.identity());
      } catch (RuntimeException e) {
        // it expires
      }
    }
    thread.shutdownNow();
    renewers.shutdownNow();
  }
}
