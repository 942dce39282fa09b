package dev.weir.engine.shard;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reconciler replicas' Leases in one namespace, as read: each application's {@code
 * weir-shard-<application>}, each replica's {@code weir-member-<instance>}, and the consoles'
 * announcements {@code weir-console-<application>}. Kept current by
 * one watch ({@link #watch}), shared by a replica's {@link ShardKeeper} and its console, or read
 * once ({@link #read}) by a one-shot command.
 *
 * <p>Threading: safe to read from any thread; the watch's listener runs on the informer's thread.
 */
public final class ShardLeases implements AutoCloseable {
  /**
   * A person's console announcing it drives an application: {@code weir-console-<application>}
   * (decision 0049). Not a shard Lease: keepers never read nor take one.
   */
  public static final String ANNOUNCEMENT_PREFIX = "weir-console-";

  private final String namespace;
  private final Informer informer;
  private final Collection<LiveObject> once;
  private volatile Optional<String> problem = Optional.empty();

  private ShardLeases(String namespace, Informer informer, Collection<LiveObject> once) {
    this.namespace = namespace;
    this.informer = informer;
    this.once = once;
  }

  /**
   * Watches every Lease of {@code namespace}; {@code changed} hears each change (on the informer's
   * thread; it must return at once).
   *
   * @throws dev.weir.engine.cluster.ClusterException when the server serves no Leases
   */
  public static ShardLeases watch(ClusterGateway gateway, String namespace, Runnable changed) {
    Objects.requireNonNull(changed, "changed");
    ResourceType leases = gateway.resourceType("coordination.k8s.io/v1", "Lease");
    ShardLeases[] self = new ShardLeases[1];
    Informer informer =
        gateway.inform(
            leases,
            namespace,
            "",
            new Informer.Listener() {
              @Override
              public void onUpsert(LiveObject object) {
                changed.run();
              }

              @Override
              public void onDelete(LiveObject object) {
                changed.run();
              }

              @Override
              public void onSynced(dev.weir.engine.cluster.ResourceType type) {
                if (self[0] != null) {
                  self[0].problem = Optional.empty();
                }
                changed.run();
              }

              @Override
              public void onError(ClusterError error) {
                if (self[0] != null) {
                  self[0].problem = Optional.of(error.message());
                }
                changed.run();
              }
            });
    self[0] = new ShardLeases(namespace, informer, null);
    return self[0];
  }

  /**
   * Every Lease of {@code namespace}, listed once now.
   *
   * @throws dev.weir.engine.cluster.ClusterException when they cannot be read
   */
  public static ShardLeases read(ClusterGateway gateway, String namespace) {
    ResourceType leases = gateway.resourceType("coordination.k8s.io/v1", "Lease");
    return new ShardLeases(namespace, null, List.copyOf(gateway.list(leases, namespace, "")));
  }

  /** The namespace whose Leases these are. */
  public String namespace() {
    return namespace;
  }

  /** Whether a watch keeps these Leases current (else they were listed once). */
  public boolean watching() {
    return informer != null;
  }

  /** Whether the Leases were read in full (a watch's first list is done). */
  public boolean synced() {
    return informer == null || informer.hasSynced();
  }

  /** Why the watch cannot read the Leases now (its last error), if it cannot. */
  public Optional<String> problem() {
    return informer == null ? Optional.empty() : problem;
  }

  /**
   * Every Lease as read (name → Lease), or empty while a watch has not listed them yet. A
   * record's {@code acquired} is false: nobody asked to take it.
   */
  public Optional<Map<String, LeaseRecord>> all() {
    return objects().map(o -> records(o.values()));
  }

  /**
   * Every Lease object as read (name → object, with its resourceVersion for a renewal in one
   * write), or empty while a watch has not listed them yet.
   */
  public Optional<Map<String, LiveObject>> objects() {
    if (informer != null && !informer.hasSynced()) {
      return Optional.empty();
    }
    Map<String, LiveObject> out = new TreeMap<>();
    for (LiveObject object : informer == null ? once : informer.objects()) {
      out.put(object.key().name(), object);
    }
    return Optional.of(out);
  }

  /** The application Leases as read (application → Lease), holders or not; empty until read. */
  public Optional<Map<String, LeaseRecord>> applications() {
    return all().map(ShardLeases::applicationsOf);
  }

  /** The application's Lease as read, if it exists and names a holder. */
  public Optional<LeaseRecord> application(String application) {
    return applications().map(m -> m.get(application)).filter(l -> !l.holder().isEmpty());
  }

  /** The holders of membership Leases not expired at {@code now}: the live replicas. */
  public static Set<String> live(Map<String, LeaseRecord> all, Instant now) {
    Set<String> live = new TreeSet<>();
    all.forEach(
        (name, lease) -> {
          if (name.startsWith(ShardKeeper.MEMBER_PREFIX)
              && !lease.holder().isEmpty()
              && now.isBefore(lease.expiresAt())) {
            live.add(lease.holder());
          }
        });
    return live;
  }

  /** Of {@code all} (name → Lease), the application Leases: application → Lease. */
  public static Map<String, LeaseRecord> applicationsOf(Map<String, LeaseRecord> all) {
    Map<String, LeaseRecord> out = new TreeMap<>();
    all.forEach(
        (name, lease) -> {
          if (name.startsWith(ShardKeeper.APPLICATION_PREFIX)) {
            out.put(name.substring(ShardKeeper.APPLICATION_PREFIX.length()), lease);
          }
        });
    return out;
  }

  /** Of {@code all} (name → Lease), the consoles' announcements: application → Lease. */
  public static Map<String, LeaseRecord> announcementsOf(Map<String, LeaseRecord> all) {
    Map<String, LeaseRecord> out = new TreeMap<>();
    all.forEach(
        (name, lease) -> {
          if (name.startsWith(ANNOUNCEMENT_PREFIX)) {
            out.put(name.substring(ANNOUNCEMENT_PREFIX.length()), lease);
          }
        });
    return out;
  }

  /** The Leases among {@code objects} that were ever renewed: name → Lease. */
  static Map<String, LeaseRecord> records(Collection<LiveObject> objects) {
    Map<String, LeaseRecord> out = new TreeMap<>();
    for (LiveObject object : objects) {
      record(object).ifPresent(l -> out.put(l.name(), l));
    }
    return out;
  }

  /**
   * A Lease object as read: holder ("" when free), acquired, renewed and expiry times; empty when
   * it was never renewed (no {@code renewTime}) or its times cannot be read.
   */
  static Optional<LeaseRecord> record(LiveObject lease) {
    Map<String, Object> spec = lease.spec();
    String holder = spec.get("holderIdentity") instanceof String h ? h : "";
    if (!(spec.get("renewTime") instanceof String renew)) {
      return Optional.empty();
    }
    long seconds = spec.get("leaseDurationSeconds") instanceof Number n ? n.longValue() : 0;
    try {
      Instant renewed = OffsetDateTime.parse(renew).toInstant();
      Instant acquired =
          spec.get("acquireTime") instanceof String a
              ? OffsetDateTime.parse(a).toInstant()
              : renewed;
      return Optional.of(
          new LeaseRecord(
              lease.key().namespace(),
              lease.key().name(),
              holder,
              acquired,
              renewed,
              renewed.plusSeconds(seconds),
              false));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Stops the watch; idempotent. */
  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
