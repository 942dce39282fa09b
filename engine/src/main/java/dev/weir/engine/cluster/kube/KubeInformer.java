package dev.weir.engine.cluster.kube;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * List-then-watch for one kind, as client-go's reflector does, on a virtual thread.
 *
 * <p>Design note. A pass lists every object (in pages), replaces the store — telling the listener
 * what was added, changed and deleted meanwhile — then watches from the list's resourceVersion. A
 * watch that the server ends (its {@code timeoutSeconds}) is resumed from the last seen
 * resourceVersion without a list; a {@code 410 Gone} lists again at once; any other failure is
 * reported, marks the gateway unreachable when nothing answered, and the pass is retried after a
 * backoff on the {@link EngineClock} (doubling up to the maximum, reset after a good list). Every
 * reconnect therefore resyncs the store from a full list.
 */
final class KubeInformer implements Informer {
  private final KubeClusterGateway gateway;
  private final ResourceType type;
  private final String namespace;
  private final String labelSelector;
  private final Listener listener;
  private final Map<ResourceKey, LiveObject> store = new ConcurrentHashMap<>();
  private final EngineClock clock;
  private volatile boolean synced;
  private volatile boolean closed;
  private Duration backoff;
  private Watchable<DynamicKubernetesObject> watch;
  private EngineClock.Scheduled retry;
  private EngineClock.Scheduled resync;

  KubeInformer(
      KubeClusterGateway gateway,
      ResourceType type,
      String namespace,
      String labelSelector,
      Listener listener) {
    this.gateway = gateway;
    this.type = type;
    this.namespace = namespace;
    this.labelSelector = labelSelector;
    this.listener = listener;
    this.clock = gateway.clock();
    this.backoff = gateway.options().backoffInitial();
  }

  void start() {
    Thread.ofVirtual().name("weir-informer-" + type.plural()).start(this::run);
    Duration period = gateway.options().resyncPeriod();
    if (!period.isZero() && !period.isNegative()) {
      resync =
          clock.every(
              period,
              () -> {
                if (synced && !closed) {
                  listener.onSynced(type);
                }
              });
    }
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public boolean hasSynced() {
    return synced;
  }

  @Override
  public Optional<LiveObject> get(ResourceKey key) {
    return Optional.ofNullable(store.get(key));
  }

  @Override
  public Collection<LiveObject> objects() {
    return List.copyOf(store.values());
  }

  @Override
  public int size() {
    return store.size();
  }

  private void run() {
    if (closed) {
      return;
    }
    try {
      String resourceVersion = relist();
      synchronized (this) {
        backoff = gateway.options().backoffInitial();
      }
      while (!closed) {
        WatchEnd end = watchFrom(resourceVersion);
        if (end.expired) {
          resourceVersion = relist();
        } else {
          resourceVersion = end.resourceVersion;
        }
      }
    } catch (ClusterException e) {
      failed(e.error());
    } catch (RuntimeException e) {
      failed(
          KubeErrors.fromThrowable(
              e, gateway.status().server(), "watch " + type.qualifiedPlural()));
    }
  }

  private void failed(ClusterError error) {
    if (closed) {
      return;
    }
    if (error.unreachable()) {
      gateway.markUnreachable(error);
    }
    synchronized (this) {
      Duration delay = backoff;
      Duration doubled = backoff.multipliedBy(2);
      backoff =
          doubled.compareTo(gateway.options().backoffMax()) > 0
              ? gateway.options().backoffMax()
              : doubled;
      retry =
          clock.schedule(
              delay,
              () -> Thread.ofVirtual().name("weir-informer-" + type.plural()).start(this::run));
    }
    // told after the retry is armed, so that whoever reacts to the error sees the backoff pending
    listener.onError(error);
  }

  /** Lists everything, replaces the store, and returns the list's resourceVersion. */
  private String relist() {
    Map<ResourceKey, LiveObject> fresh = new HashMap<>();
    String continueToken = null;
    String resourceVersion;
    do {
      ListOptions options = new ListOptions();
      options.setLimit(500);
      if (!labelSelector.isEmpty()) {
        options.setLabelSelector(labelSelector);
      }
      if (continueToken != null) {
        options.setContinue(continueToken);
      }
      KubernetesApiResponse<DynamicKubernetesListObject> page =
          gateway.listPage(type, namespace, options);
      for (DynamicKubernetesObject item : page.getObject().getItems()) {
        LiveObject object = JsonTrees.liveObject(item.getRaw(), type.apiVersion(), type.kind());
        fresh.put(object.key(), object);
      }
      var metadata = page.getObject().getMetadata();
      resourceVersion = metadata == null ? null : metadata.getResourceVersion();
      continueToken = metadata == null ? null : metadata.getContinue();
    } while (continueToken != null && !continueToken.isEmpty() && !closed);
    for (LiveObject old : List.copyOf(store.values())) {
      if (!fresh.containsKey(old.key())) {
        store.remove(old.key());
        listener.onDelete(old);
      }
    }
    for (LiveObject object : fresh.values()) {
      LiveObject old = store.put(object.key(), object);
      if (old == null || !old.resourceVersion().equals(object.resourceVersion())) {
        listener.onUpsert(object);
      }
    }
    synced = true;
    listener.onSynced(type);
    return resourceVersion;
  }

  private record WatchEnd(String resourceVersion, boolean expired) {}

  private WatchEnd watchFrom(String resourceVersion) {
    ListOptions options = new ListOptions();
    options.setResourceVersion(resourceVersion);
    options.setTimeoutSeconds((int) gateway.options().watchTimeout().toSeconds());
    if (!labelSelector.isEmpty()) {
      options.setLabelSelector(labelSelector);
    }
    Watchable<DynamicKubernetesObject> opened;
    try {
      opened =
          type.namespaced() && !namespace.isEmpty()
              ? gateway.watchApi(type).watch(namespace, options)
              : gateway.watchApi(type).watch(options);
    } catch (Exception e) {
      throw gateway.failure(e, "watch " + type.qualifiedPlural(), false);
    }
    synchronized (this) {
      if (closed) {
        closeQuietly(opened);
        return new WatchEnd(resourceVersion, false);
      }
      watch = opened;
    }
    gateway.markReachable();
    String last = resourceVersion;
    try {
      while (!closed && opened.hasNext()) {
        Watch.Response<DynamicKubernetesObject> event = opened.next();
        switch (event.type) {
          case "ADDED", "MODIFIED" -> {
            LiveObject object =
                JsonTrees.liveObject(event.object.getRaw(), type.apiVersion(), type.kind());
            store.put(object.key(), object);
            last = object.resourceVersion();
            listener.onUpsert(object);
          }
          case "DELETED" -> {
            LiveObject object =
                JsonTrees.liveObject(event.object.getRaw(), type.apiVersion(), type.kind());
            store.remove(object.key());
            last = object.resourceVersion();
            listener.onDelete(object);
          }
          case "BOOKMARK" -> {
            if (event.object != null && event.object.getMetadata() != null) {
              last = event.object.getMetadata().getResourceVersion();
            }
          }
          case "ERROR" -> {
            int code =
                event.status == null || event.status.getCode() == null ? 0 : event.status.getCode();
            if (code == 410) {
              return new WatchEnd(last, true);
            }
            throw new ClusterException(
                KubeErrors.fromStatus(
                    event.status, code, false, "watch " + type.qualifiedPlural()));
          }
          default -> {
            // unknown event types are ignored, as client-go does
          }
        }
      }
    } catch (ClusterException e) {
      throw e;
    } catch (RuntimeException e) {
      if (closed) {
        return new WatchEnd(last, false);
      }
      throw gateway.failure(e, "watch " + type.qualifiedPlural(), false);
    } finally {
      closeQuietly(opened);
    }
    return new WatchEnd(last, false);
  }

  private static void closeQuietly(Watchable<?> watchable) {
    try {
      watchable.close();
    } catch (IOException | RuntimeException e) {
      // closing a broken stream: nothing more to do
    }
  }

  @Override
  public void close() {
    Watchable<DynamicKubernetesObject> current;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      current = watch;
      if (retry != null) {
        retry.cancel();
      }
      if (resync != null) {
        resync.cancel();
      }
    }
    if (current != null) {
      closeQuietly(current);
    }
    gateway.forget(this);
  }

  @Override
  public String toString() {
    return "Informer["
        + type.qualifiedPlural()
        + (namespace.isEmpty() ? "" : " in " + namespace)
        + "]";
  }
}
