package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The sandbox's objects, one global resourceVersion counter and a ring of recent events for
 * watches.
 *
 * <p>Design: objects are kept serialized ({@link StoredObject}), so a list writes stored bytes
 * without re-encoding and ten thousand objects cost little heap. Every committed write takes the
 * next resourceVersion and appends one event to a fixed-size ring; a watch resumes from any
 * resourceVersion still inside the ring, or gets 410 Expired. Writes are read-modify-write {@link
 * Mutation}s run under the store's write lock, so two writers never lose each other's changes and
 * resourceVersion preconditions are checked against the version actually replaced.
 *
 * <p>Thread-safe. Mutations run under the write lock and must be quick and must not call back into
 * the store. Change listeners run after the lock is released, on the writing thread.
 */
final class ObjectStore {
  /** Watch event types. */
  enum EventType {
    ADDED,
    MODIFIED,
    DELETED
  }

  /** A committed change; {@code previous} is null for ADDED. */
  record Event(EventType type, StoredObject object, StoredObject previous) {}

  /** What a mutation decides to do with the current object. */
  sealed interface Outcome {}

  /** Store {@code object} (its resourceVersion is assigned by the store). */
  record Put(ObjectNode object) implements Outcome {}

  /** Remove the object. */
  record Remove() implements Outcome {}

  /** Leave the object as it is (a no-op write: no new resourceVersion, no event). */
  record Keep() implements Outcome {}

  /** A read-modify-write step; {@code current} is null when the object does not exist. */
  @FunctionalInterface
  interface Mutation {
    Outcome apply(StoredObject current);
  }

  /**
   * The result of a write.
   *
   * @param object the object now stored (or that would be, for a dry run); for a removal the
   *     removed object, carrying the removal's resourceVersion
   * @param type what happened, or null for a no-op
   */
  record WriteResult(StoredObject object, EventType type) {}

  /** One page of a list. */
  record Listing(long resourceVersion, List<StoredObject> items, String lastKey, long remaining) {}

  /** Everything needed to restore the store. */
  record Snapshot(long resourceVersion, List<StoredObject> objects) {}

  /** An item a watch delivers. */
  sealed interface WatchItem {}

  record EventItem(EventType type, StoredObject object) implements WatchItem {}

  record BookmarkItem(long resourceVersion) implements WatchItem {}

  /** The watch ends; {@code error} (410 and such) is sent as an ERROR event first when present. */
  record EndItem(StatusException error) implements WatchItem {}

  /**
   * A registered watch: the handler thread takes items until an {@link EndItem}. Closing it
   * unregisters it; closing twice does nothing.
   */
  final class Watch implements AutoCloseable {
    private final KindInfo kind;
    private final Predicate<StoredObject> filter;
    private final BlockingQueue<WatchItem> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private Watch(KindInfo kind, Predicate<StoredObject> filter) {
      this.kind = kind;
      this.filter = filter;
    }

    /** Blocks until the next item. */
    WatchItem take() throws InterruptedException {
      return queue.take();
    }

    /** The next item if one is queued, else null. */
    WatchItem poll() {
      return queue.poll();
    }

    /** Queues a bookmark at the store's current resourceVersion, after every event before it. */
    void bookmark() {
      lock.readLock().lock();
      try {
        if (!closed) {
          queue.add(new BookmarkItem(resourceVersion));
        }
      } finally {
        lock.readLock().unlock();
      }
    }

    /** Ends the watch: the handler sees an {@link EndItem}. */
    @Override
    public void close() {
      end(null);
    }

    private void end(StatusException error) {
      if (!closed) {
        closed = true;
        watches.remove(this);
        queue.add(new EndItem(error));
      }
    }

    private void offer(Event event) {
      boolean was = event.previous() != null && filter.test(event.previous());
      boolean is = event.type() != EventType.DELETED && filter.test(event.object());
      EventType type;
      if (event.type() == EventType.DELETED) {
        type = was ? EventType.DELETED : null;
      } else if (was && is) {
        type = EventType.MODIFIED;
      } else if (is) {
        type = EventType.ADDED;
      } else if (was) {
        type = EventType.DELETED;
      } else {
        type = null;
      }
      if (type == null) {
        return;
      }
      if (queue.size() >= maxQueuedPerWatch) {
        end(null); // a client this far behind re-lists, as with a real server's terminated watch
        return;
      }
      queue.add(new EventItem(type, event.object()));
    }
  }

  /**
   * The largest object kept, as JSON: 3 MiB. etcd keeps at most about 1.5 MiB per object in
   * protobuf, which kube-apiserver reckons as twice that in JSON (its request body limit).
   */
  static final int MAX_OBJECT_BYTES = 3 * 1024 * 1024;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, TreeMap<String, StoredObject>> objects = new HashMap<>();
  private final Event[] ring;
  private final int maxQueuedPerWatch;
  private int ringStart;
  private int ringSize;
  private long resourceVersion;
  private long oldestResumable;
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<Event>> eventListeners =
      new CopyOnWriteArrayList<>();

  /**
   * @param eventWindow how many recent events a watch may resume from
   * @param maxQueuedPerWatch events queued for one slow watch before it is ended
   */
  ObjectStore(int eventWindow, int maxQueuedPerWatch) {
    this.ring = new Event[eventWindow];
    this.maxQueuedPerWatch = maxQueuedPerWatch;
  }

  /** Runs {@code listener} after every committed change (not after no-ops or dry runs). */
  void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  /**
   * Hands every committed event to {@code listener}, after the write lock is released, on the
   * writing thread. Events of concurrent writers may arrive out of resourceVersion order.
   */
  Runnable onEvent(java.util.function.Consumer<Event> listener) {
    eventListeners.add(listener);
    return () -> eventListeners.remove(listener);
  }

  long resourceVersion() {
    lock.readLock().lock();
    try {
      return resourceVersion;
    } finally {
      lock.readLock().unlock();
    }
  }

  StoredObject get(KindInfo kind, String namespace, String name) {
    lock.readLock().lock();
    try {
      TreeMap<String, StoredObject> map = objects.get(resourceKey(kind));
      return map == null ? null : map.get(namespace + "/" + name);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Lists objects of {@code kind} in {@code namespace} (null: all namespaces) that pass {@code
   * filter}, in key order, starting after {@code afterKey} (null: from the start), at most {@code
   * limit} (0: no limit).
   */
  Listing list(
      KindInfo kind,
      String namespace,
      Predicate<StoredObject> filter,
      String afterKey,
      long limit) {
    lock.readLock().lock();
    try {
      TreeMap<String, StoredObject> map = objects.get(resourceKey(kind));
      List<StoredObject> items = new ArrayList<>();
      if (map == null) {
        return new Listing(resourceVersion, items, null, 0);
      }
      NavigableMap<String, StoredObject> range = map;
      if (namespace != null) {
        range = map.subMap(namespace + "/", true, namespace + "0", false);
      }
      if (afterKey != null) {
        range = range.tailMap(afterKey, false);
      }
      String lastKey = null;
      long remaining = 0;
      for (StoredObject object : range.values()) {
        if (!filter.test(object)) {
          continue;
        }
        if (limit > 0 && items.size() >= limit) {
          remaining++;
          continue;
        }
        items.add(object);
        lastKey = object.key();
      }
      return new Listing(resourceVersion, items, remaining > 0 ? lastKey : null, remaining);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Objects of any kind whose ownerReferences name {@code uid}. */
  List<StoredObject> dependentsOf(String uid) {
    lock.readLock().lock();
    try {
      List<StoredObject> dependents = new ArrayList<>();
      for (TreeMap<String, StoredObject> map : objects.values()) {
        for (StoredObject object : map.values()) {
          if (object.ownerUids().contains(uid)) {
            dependents.add(object);
          }
        }
      }
      return dependents;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every namespaced object in {@code namespace}, of any kind. */
  List<StoredObject> inNamespace(String namespace) {
    lock.readLock().lock();
    try {
      List<StoredObject> result = new ArrayList<>();
      for (TreeMap<String, StoredObject> map : objects.values()) {
        result.addAll(map.subMap(namespace + "/", true, namespace + "0", false).values());
      }
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@code object}, unless it is larger than {@link #MAX_OBJECT_BYTES}: then a 413 (nothing is
   * stored). Every write ends here, so no patch, update, create or server-side apply can store a
   * larger object.
   */
  private static StoredObject withinLimit(KindInfo kind, String name, StoredObject object) {
    if (object.json().length > MAX_OBJECT_BYTES) {
      throw StatusException.tooLarge(
          "limit is "
              + MAX_OBJECT_BYTES
              + " ("
              + kind.qualifiedResource()
              + " \""
              + name
              + "\" would be "
              + object.json().length
              + " bytes)");
    }
    return object;
  }

  /**
   * Runs {@code mutation} on the current object under the write lock and commits its outcome. A
   * {@link Put} gets the next resourceVersion; on a dry run nothing is stored, no event is sent and
   * the returned object keeps the current resourceVersion (none for a new object).
   *
   * @throws StatusException whatever the mutation throws, or 413 when the object it puts is larger
   *     than {@link #MAX_OBJECT_BYTES}; nothing is changed then
   */
  WriteResult write(
      KindInfo kind, String namespace, String name, Mutation mutation, boolean dryRun) {
    Event event;
    lock.writeLock().lock();
    try {
      TreeMap<String, StoredObject> map =
          objects.computeIfAbsent(resourceKey(kind), k -> new TreeMap<>());
      String key = namespace + "/" + name;
      StoredObject current = map.get(key);
      Outcome outcome = mutation.apply(current);
      switch (outcome) {
        case Keep keep -> {
          return new WriteResult(current, null);
        }
        case Remove remove -> {
          if (current == null) {
            return new WriteResult(null, null);
          }
          if (dryRun) {
            return new WriteResult(current, EventType.DELETED);
          }
          ObjectNode tree = current.tree();
          Json.metadata(tree).put("resourceVersion", Long.toString(resourceVersion + 1));
          StoredObject removed = StoredObject.of(kind, tree);
          resourceVersion++;
          map.remove(key);
          event = new Event(EventType.DELETED, removed, current);
        }
        case Put put -> {
          ObjectNode object = put.object();
          if (dryRun) {
            if (current == null) {
              Json.metadata(object).remove("resourceVersion");
            } else {
              Json.metadata(object)
                  .put("resourceVersion", Long.toString(current.resourceVersion()));
            }
            return new WriteResult(
                withinLimit(kind, name, StoredObject.of(kind, object)),
                current == null ? EventType.ADDED : EventType.MODIFIED);
          }
          Json.metadata(object).put("resourceVersion", Long.toString(resourceVersion + 1));
          StoredObject next = withinLimit(kind, name, StoredObject.of(kind, object));
          resourceVersion++;
          map.put(key, next);
          event = new Event(current == null ? EventType.ADDED : EventType.MODIFIED, next, current);
        }
      }
      record(event);
    } finally {
      lock.writeLock().unlock();
    }
    for (Runnable listener : changeListeners) {
      listener.run();
    }
    for (var listener : eventListeners) {
      listener.accept(event);
    }
    return new WriteResult(event.object(), event.type());
  }

  /**
   * Registers a watch on {@code kind} for objects that pass {@code filter}.
   *
   * @param from the resourceVersion to resume after; null to start with a synthetic ADDED event for
   *     every current object (a real server's behaviour for an unset or {@code "0"} version)
   * @return the watch; when {@code from} is older than the event window it holds only an ERROR (410
   *     Expired) end, as a real server's watch cache answers
   */
  Watch watch(KindInfo kind, Predicate<StoredObject> filter, Long from) {
    Watch watch = new Watch(kind, filter);
    lock.readLock().lock();
    try {
      if (from == null) {
        TreeMap<String, StoredObject> map = objects.get(resourceKey(kind));
        if (map != null) {
          for (StoredObject object : map.values()) {
            if (filter.test(object)) {
              watch.queue.add(new EventItem(EventType.ADDED, object));
            }
          }
        }
      } else {
        long floor =
            Math.max(
                oldestResumable,
                ringSize == ring.length ? ring[ringStart].object().resourceVersion() - 1 : 0);
        if (from < floor) {
          watch.closed = true;
          watch.queue.add(
              new EndItem(
                  new StatusException(
                      StatusException.Reason.GONE,
                      "too old resource version: " + from + " (" + (floor + 1) + ")")));
          return watch;
        }
        for (int i = 0; i < ringSize; i++) {
          Event event = ring[(ringStart + i) % ring.length];
          if (event.object().resourceVersion() > from
              && sameResource(event.object().kind(), kind)) {
            watch.offer(event);
          }
        }
      }
      watches.add(watch);
    } finally {
      lock.readLock().unlock();
    }
    return watch;
  }

  /** Ends every watch (the server is closing). */
  void endAllWatches() {
    for (Watch watch : watches) {
      watch.close();
    }
  }

  /** A consistent copy of every object and the resourceVersion counter. */
  Snapshot snapshot() {
    lock.readLock().lock();
    try {
      List<StoredObject> all = new ArrayList<>();
      for (TreeMap<String, StoredObject> map : objects.values()) {
        all.addAll(map.values());
      }
      return new Snapshot(resourceVersion, all);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Replaces the content with {@code snapshot}. Watches cannot resume from before it: events before
   * the restore are gone.
   */
  void restore(Snapshot snapshot) {
    lock.writeLock().lock();
    try {
      objects.clear();
      for (StoredObject object : snapshot.objects()) {
        objects
            .computeIfAbsent(resourceKey(object.kind()), k -> new TreeMap<>())
            .put(object.key(), object);
      }
      resourceVersion = snapshot.resourceVersion();
      oldestResumable = resourceVersion;
      ringStart = 0;
      ringSize = 0;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void record(Event event) {
    if (ringSize < ring.length) {
      ring[(ringStart + ringSize) % ring.length] = event;
      ringSize++;
    } else {
      ring[ringStart] = event;
      ringStart = (ringStart + 1) % ring.length;
    }
    for (Watch watch : watches) {
      if (sameResource(watch.kind, event.object().kind())) {
        watch.offer(event);
      }
    }
  }

  /** Whether two kinds name one resource: a kind's versions share their objects. */
  private static boolean sameResource(KindInfo a, KindInfo b) {
    return a.group().equals(b.group()) && a.plural().equals(b.plural());
  }

  private static String resourceKey(KindInfo kind) {
    return kind.group() + "/" + kind.plural();
  }
}
