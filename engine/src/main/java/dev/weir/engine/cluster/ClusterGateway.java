package dev.weir.engine.cluster;

import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's one port to a Kubernetes cluster: discovery, reads, server-side apply, deletes,
 * watches and Leases, over the kubeconfig's context. The sandbox is reached through the same
 * implementation, over HTTP, as any cluster (DESIGN.md, "One path to every cluster").
 *
 * <p>Objects go in as plain maps (what Git holds) and come out as {@link LiveObject}s; no client
 * library type crosses this interface. Every failure is a {@link ClusterException} carrying a
 * {@link ClusterError}; a failure for want of an answer also marks the gateway unreachable in
 * {@link #status()} until a request succeeds again.
 *
 * <p>Threading: every method is thread-safe and blocking (network I/O); call from a worker or
 * virtual thread, never from a UI thread. Informers deliver events on their own threads.
 */
public interface ClusterGateway extends AutoCloseable {

  /** The kubeconfig context this gateway talks through. */
  String context();

  /** The context's default namespace ("default" when the kubeconfig names none). */
  String defaultNamespace();

  /** Whether the API server answers, and since when it does not. Never blocks. */
  ClusterStatus status();

  /**
   * The resource type serving {@code kind} in the group of {@code apiVersion}, through discovery
   * (cached; refreshed once when a kind is not found).
   *
   * @throws ClusterException {@code NOT_FOUND} when the server does not serve that kind
   */
  ResourceType resourceType(String apiVersion, String kind);

  /**
   * The resource type of {@code kind} in {@code group} at the group's preferred version.
   *
   * @throws ClusterException {@code NOT_FOUND} when the server does not serve that kind
   */
  ResourceType resourceType(ResourceKey key);

  /** Every kind the server serves that can be listed and watched. */
  List<ResourceType> resourceTypes();

  /** The object, or empty when it does not exist. */
  Optional<LiveObject> get(ResourceKey key);

  /**
   * Objects of one kind.
   *
   * @param namespace one namespace, or "" for every namespace (and for cluster-scoped kinds)
   * @param labelSelector e.g. {@code app.kubernetes.io/managed-by=weir}; "" for all
   */
  List<LiveObject> list(ResourceType type, String namespace, String labelSelector);

  /**
   * Server-side applies {@code object} (a whole Kubernetes object: apiVersion, kind, metadata.name
   * …) and returns what the server made of it. With {@link ApplyOptions#dryRun()} nothing is
   * stored. Without {@link ApplyOptions#force()}, a field another manager owns with another value
   * fails with {@code CONFLICT}, naming the manager and the fields.
   */
  LiveObject apply(Map<String, Object> object, ApplyOptions options);

  /**
   * Deletes the object (background propagation). Returns false when it did not exist. With {@code
   * dryRun} the server checks the request and deletes nothing.
   */
  boolean delete(ResourceKey key, boolean dryRun);

  /**
   * Merges {@code patch} into the object's {@code status} subresource, as a controller would (tests
   * and the sandbox's simulated world use this; the reconciler never writes status).
   */
  LiveObject patchStatus(ResourceKey key, Map<String, Object> patch, String fieldManager);

  /**
   * Starts an informer: a list, then a watch from its resourceVersion, kept in a local store;
   * reconnecting with backoff after an error and listing again (a resync) after a reconnect.
   *
   * @param namespace one namespace or "" for all
   * @param labelSelector "" for all
   */
  Informer inform(
      ResourceType type, String namespace, String labelSelector, Informer.Listener listener);

  /**
   * Takes or renews the Lease {@code namespace/name} for {@code holder} when it is free, expired,
   * or already {@code holder}'s; otherwise reports who holds it, since when and until when. Never
   * waits.
   *
   * @param holder the Lease's {@code holderIdentity}, compared word for word: one {@link
   *     LeaseHolder#identity()} per console, so that no two consoles take each other's Lease for
   *     their own
   */
  LeaseRecord acquireLease(String namespace, String name, String holder, Duration duration);

  /**
   * Renews a Lease {@code holder} held when it was read as {@code read} (a list's item): one write
   * with the resourceVersion read, instead of {@link #acquireLease}'s read and write. When the
   * Lease changed since (another holder took it, or it is gone), or {@code read} is not {@code
   * holder}'s, it is {@link #acquireLease}: read again and taken only if free.
   */
  default LeaseRecord renewLease(
      String namespace, String name, String holder, Duration duration, LiveObject read) {
    return acquireLease(namespace, name, holder, duration);
  }

  /**
   * The Lease {@code namespace/name} as it stands, without taking it; empty when absent or free.
   */
  Optional<LeaseRecord> readLease(String namespace, String name);

  /** Gives the Lease up if {@code holder} holds it, so another console need not wait. */
  void releaseLease(String namespace, String name, String holder);

  /**
   * GETs {@code path} (relative to the Service's root, e.g. {@code api/v1/query}) with {@code
   * parameters} from {@code service} through the API server's service proxy, with the kubeconfig's
   * own credentials (as Lens and {@code kubectl get --raw} do): no port-forward, no address of the
   * Service's own needed. The caller needs {@code get} on {@code services/proxy} in the Service's
   * namespace.
   *
   * <p>Whatever the Service answers, error statuses included, is returned as it is. An answer of
   * the API server itself (a Kubernetes {@code Status}: the Service does not exist, has no
   * endpoints, RBAC forbids the proxy) is a {@link ClusterException} with its reason ({@code
   * NOT_FOUND}, {@code SERVER_ERROR}, {@code FORBIDDEN} …), as is no answer at all.
   *
   * @param timeout how long the whole request may take
   */
  default ProxyResponse proxyGet(
      ProxiedService service, String path, Map<String, String> parameters, Duration timeout) {
    throw new ClusterException(
        ClusterError.of(
            ClusterError.Reason.CONFIGURATION,
            "this cluster connection cannot reach Services through the API server's proxy"));
  }

  /** Stops every informer and releases connections. */
  @Override
  void close();
}
