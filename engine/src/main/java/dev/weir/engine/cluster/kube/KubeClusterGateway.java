package dev.weir.engine.cluster.kube;

import com.google.gson.JsonElement;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import io.kubernetes.client.Discovery;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.DeleteOptions;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@link ClusterGateway} on client-java: the one implementation, for real clusters and the sandbox
 * alike.
 *
 * <p>Design note. Objects travel as raw JSON through client-java's {@link DynamicKubernetesApi}, so
 * any kind works without generated models and {@code metadata.managedFields} survives
 * (client-java's typed models drop it); they are converted to the engine's immutable maps at this
 * boundary ({@link JsonTrees}). Discovery is read once and again when a kind is missing. Two HTTP
 * clients share the connection pool: one with a read timeout for requests (a slow API server is a
 * {@code TIMEOUT}), one without for watches (the server ends them after {@code timeoutSeconds}).
 * Every request updates {@link #status()}: a failure without an answer marks the cluster
 * unreachable since then; any answer, even an error status, marks it reachable.
 *
 * <p>Thread-safe; blocking.
 */
public final class KubeClusterGateway implements ClusterGateway {

  /**
   * Tuning.
   *
   * @param requestTimeout the read timeout of one request
   * @param watchTimeout how long the server keeps one watch open before the informer renews it
   * @param backoffInitial the first reconnect delay of an informer, doubled up to {@code
   *     backoffMax}
   * @param backoffMax the longest reconnect delay
   * @param resyncPeriod how often informers tell listeners their store is complete again (0: never)
   */
  public record Options(
      Duration requestTimeout,
      Duration watchTimeout,
      Duration backoffInitial,
      Duration backoffMax,
      Duration resyncPeriod) {

    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofMillis(500),
          Duration.ofSeconds(30),
          Duration.ofMinutes(10));
    }

    public Options withRequestTimeout(Duration timeout) {
      return new Options(timeout, watchTimeout, backoffInitial, backoffMax, resyncPeriod);
    }
  }

  private final String context;
  private final String server;
  private final String defaultNamespace;
  private final EngineClock clock;
  private final Options options;
  final ApiClient client;
  final ApiClient watchClient;
  private final AtomicReference<ClusterStatus> status;
  private final Map<String, DynamicKubernetesApi> apis = new ConcurrentHashMap<>();
  private final Map<String, DynamicKubernetesApi> watchApis = new ConcurrentHashMap<>();
  private final Set<KubeInformer> informers = ConcurrentHashMap.newKeySet();
  private volatile Map<String, ResourceType> discovered;
  private final Object discoveryLock = new Object();

  private KubeClusterGateway(
      String context,
      String defaultNamespace,
      ApiClient client,
      ApiClient watchClient,
      EngineClock clock,
      Options options) {
    this.context = context;
    this.server = client.getBasePath();
    this.defaultNamespace = defaultNamespace.isEmpty() ? "default" : defaultNamespace;
    this.client = client;
    this.watchClient = watchClient;
    this.clock = clock;
    this.options = options;
    this.status = new AtomicReference<>(ClusterStatus.reachable(context, server));
  }

  /**
   * A gateway for one context of {@code kubeconfig} ({@code context} null or blank: the current
   * one). Does not contact the server yet, nor run the context's exec credential plugin: that runs
   * when a request first needs a token, and again when the token expires or is refused ({@link
   * ExecCredentials}); a failing plugin fails that request as {@code UNAUTHORIZED}.
   *
   * @throws ClusterException {@code CONFIGURATION} when the context cannot be used (unknown, no
   *     server, unreadable certificate, an exec entry without a command)
   */
  public static KubeClusterGateway connect(
      Kubeconfig kubeconfig, String context, EngineClock clock, Options options) {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(options, "options");
    String name = kubeconfig.resolveContext(context);
    Optional<ExecPlugin> exec = kubeconfig.execPlugin(name);
    KubeConfig config = kubeconfig.clientConfig(name, exec.isPresent());
    ApiClient client;
    try {
      client = ClientBuilder.kubeconfig(config).setReadTimeout(options.requestTimeout()).build();
    } catch (IOException | RuntimeException e) {
      throw new ClusterException(
          ClusterError.of(
              Reason.CONFIGURATION,
              "cannot use context '"
                  + name
                  + "': "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }
    okhttp3.OkHttpClient.Builder http =
        client
            .getHttpClient()
            .newBuilder()
            // keep as many idle connections as a burst opens (200 rollbacks at once): over HTTP/1.1
            // (the sandbox) OkHttp's default of 5 makes every burst pay a TLS handshake per request
            .connectionPool(new okhttp3.ConnectionPool(256, 5, TimeUnit.MINUTES))
            .connectTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    // one credential cache for requests and watches alike
    exec.ifPresent(
        plugin -> http.addInterceptor(new ExecCredentials(plugin, clock, options.requestTimeout())));
    // a token file (a pod's service account) is read again whenever the kubelet rotates it
    if (exec.isEmpty()) {
      kubeconfig
          .tokenFile(name)
          .ifPresent(file -> http.addInterceptor(new TokenFileCredentials(file)));
    }
    client.setHttpClient(http.build());
    ApiClient watchClient;
    try {
      watchClient = ClientBuilder.kubeconfig(config).setReadTimeout(Duration.ZERO).build();
    } catch (IOException e) {
      throw new ClusterException(
          ClusterError.of(
              Reason.CONFIGURATION, "cannot use context '" + name + "': " + e.getMessage()));
    }
    watchClient.setHttpClient(
        client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.MILLISECONDS).build());
    return new KubeClusterGateway(
        name, kubeconfig.namespace(name), client, watchClient, clock, options);
  }

  /** {@link #connect(Kubeconfig, String, EngineClock, Options)} with default options. */
  public static KubeClusterGateway connect(
      Kubeconfig kubeconfig, String context, EngineClock clock) {
    return connect(kubeconfig, context, clock, Options.defaults());
  }

  @Override
  public String context() {
    return context;
  }

  @Override
  public String defaultNamespace() {
    return defaultNamespace;
  }

  @Override
  public ClusterStatus status() {
    return status.get();
  }

  EngineClock clock() {
    return clock;
  }

  Options options() {
    return options;
  }

  void markReachable() {
    ClusterStatus current = status.get();
    if (!current.isReachable()) {
      status.compareAndSet(current, ClusterStatus.reachable(context, server));
    }
  }

  void markUnreachable(ClusterError error) {
    status.updateAndGet(s -> s.failed(clock.instant(), error));
  }

  // ------------------------------------------------------------------------------------------
  // Discovery

  @Override
  public ResourceType resourceType(String apiVersion, String kind) {
    String group = ResourceKey.groupOf(apiVersion);
    String version =
        apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
    ResourceType type = lookup(group, kind);
    if (!type.version().equals(version) && versions(group, kind).contains(version)) {
      return new ResourceType(
          group,
          version,
          kind,
          type.plural(),
          type.namespaced(),
          type.verbs(),
          type.subresources());
    }
    return type;
  }

  @Override
  public ResourceType resourceType(ResourceKey key) {
    return lookup(key.group(), key.kind());
  }

  @Override
  public List<ResourceType> resourceTypes() {
    return discovery(false).values().stream()
        .sorted(Comparator.comparing(ResourceType::group).thenComparing(ResourceType::kind))
        .toList();
  }

  private final Map<String, List<String>> versionsByKind = new ConcurrentHashMap<>();

  private List<String> versions(String group, String kind) {
    return versionsByKind.getOrDefault(group + "/" + kind, List.of());
  }

  private ResourceType lookup(String group, String kind) {
    ResourceType type = discovery(false).get(group + "/" + kind);
    if (type == null) {
      type = discovery(true).get(group + "/" + kind);
    }
    if (type == null) {
      throw new ClusterException(
          new ClusterError(
              Reason.NOT_FOUND,
              404,
              "the cluster does not serve kind "
                  + kind
                  + (group.isEmpty() ? "" : " in API group " + group)
                  + " (is its CustomResourceDefinition installed?)",
              List.of()));
    }
    return type;
  }

  /**
   * Discovery shared by the gateways of this process for a while, per API server, or null: each
   * gateway discovers for itself. See {@link #shareDiscovery(Duration)}.
   */
  private static volatile Duration sharedDiscoveryFor;

  private static final Map<String, SharedDiscovery> SHARED_DISCOVERY = new ConcurrentHashMap<>();

  private record SharedDiscovery(
      Map<String, ResourceType> byKind, Map<String, List<String>> versions, Instant at) {}

  /**
   * Makes the gateways of this process reuse one another's discovery of the same API server for
   * {@code reuse} after it was made, for a long-lived process that opens a gateway per short command
   * ({@code weir sandbox serve}, decision 0014): discovery is a dozen requests before a command's
   * first read. As kubectl's discovery cache, a kind not found is always discovered afresh, so a new
   * CustomResourceDefinition is seen at once. {@link Duration#ZERO} stops sharing.
   */
  public static void shareDiscovery(Duration reuse) {
    Objects.requireNonNull(reuse, "reuse");
    sharedDiscoveryFor = reuse.isZero() ? null : reuse;
    if (reuse.isZero()) {
      SHARED_DISCOVERY.clear();
    }
  }

  private Map<String, ResourceType> discovery(boolean refresh) {
    Map<String, ResourceType> current = discovered;
    if (current != null && !refresh) {
      return current;
    }
    synchronized (discoveryLock) {
      if (discovered != null && discovered != current) {
        return discovered;
      }
      Duration reuse = sharedDiscoveryFor;
      if (reuse != null && !refresh && discovered == null) {
        SharedDiscovery shared = SHARED_DISCOVERY.get(server);
        if (shared != null && shared.at().plus(reuse).isAfter(clock.instant())) {
          versionsByKind.putAll(shared.versions());
          discovered = shared.byKind();
          return discovered;
        }
      }
      Set<Discovery.APIResource> resources;
      try {
        resources = new Discovery(client).findAll();
        markReachable();
      } catch (ApiException | RuntimeException e) {
        throw failure(e, "discovery", false);
      }
      Map<String, ResourceType> byKind = new HashMap<>();
      for (Discovery.APIResource resource : resources) {
        String group = resource.getGroup() == null ? "" : resource.getGroup();
        String version =
            resource.getPreferredVersion() != null
                ? resource.getPreferredVersion()
                : resource.getVersions().getFirst();
        ResourceType type =
            new ResourceType(
                group,
                version,
                resource.getKind(),
                resource.getResourcePlural(),
                Boolean.TRUE.equals(resource.getNamespaced()),
                List.of(),
                resource.getSubResources() == null ? List.of() : resource.getSubResources());
        byKind.put(group + "/" + resource.getKind(), type);
        versionsByKind.put(group + "/" + resource.getKind(), List.copyOf(resource.getVersions()));
      }
      discovered = Map.copyOf(byKind);
      if (sharedDiscoveryFor != null) {
        SHARED_DISCOVERY.put(
            server, new SharedDiscovery(discovered, Map.copyOf(versionsByKind), clock.instant()));
      }
      return discovered;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reads and writes

  DynamicKubernetesApi api(ResourceType type) {
    return apis.computeIfAbsent(
        type.apiVersion() + "/" + type.plural(),
        k -> new DynamicKubernetesApi(type.group(), type.version(), type.plural(), client));
  }

  DynamicKubernetesApi watchApi(ResourceType type) {
    return watchApis.computeIfAbsent(
        type.apiVersion() + "/" + type.plural(),
        k -> new DynamicKubernetesApi(type.group(), type.version(), type.plural(), watchClient));
  }

  @Override
  public Optional<LiveObject> get(ResourceKey key) {
    ResourceType type = resourceType(key);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        request(
            "get " + key,
            isSecret(type),
            () ->
                type.namespaced()
                    ? api(type).get(namespaceOf(type, key.namespace()), key.name())
                    : api(type).get(key.name()),
            true);
    if (response.getHttpStatusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(JsonTrees.liveObject(response.getObject().getRaw()));
  }

  @Override
  public List<LiveObject> list(ResourceType type, String namespace, String labelSelector) {
    List<LiveObject> result = new ArrayList<>();
    String continueToken = null;
    do {
      ListOptions listOptions = new ListOptions();
      listOptions.setLimit(500);
      if (labelSelector != null && !labelSelector.isBlank()) {
        listOptions.setLabelSelector(labelSelector);
      }
      if (continueToken != null) {
        listOptions.setContinue(continueToken);
      }
      KubernetesApiResponse<DynamicKubernetesListObject> page =
          listPage(type, namespace, listOptions);
      for (DynamicKubernetesObject item : page.getObject().getItems()) {
        result.add(JsonTrees.liveObject(item.getRaw(), type.apiVersion(), type.kind()));
      }
      continueToken =
          page.getObject().getMetadata() == null
              ? null
              : page.getObject().getMetadata().getContinue();
    } while (continueToken != null && !continueToken.isEmpty());
    return result;
  }

  KubernetesApiResponse<DynamicKubernetesListObject> listPage(
      ResourceType type, String namespace, ListOptions listOptions) {
    return request(
        "list " + type.qualifiedPlural(),
        false,
        () ->
            type.namespaced() && namespace != null && !namespace.isEmpty()
                ? api(type).list(namespace, listOptions)
                : api(type).list(listOptions),
        false);
  }

  @Override
  public LiveObject apply(Map<String, Object> object, ApplyOptions applyOptions) {
    String apiVersion = object.get("apiVersion") instanceof String s ? s : "";
    String kind = object.get("kind") instanceof String s ? s : "";
    Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    String name = metadata.get("name") instanceof String s ? s : "";
    if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
      throw new ClusterException(
          ClusterError.of(
              Reason.BAD_REQUEST, "an applied object needs apiVersion, kind and metadata.name"));
    }
    ResourceType type = resourceType(apiVersion, kind);
    String namespace =
        type.namespaced()
            ? namespaceOf(type, metadata.get("namespace") instanceof String s ? s : "")
            : "";
    Map<String, Object> body = object;
    if (type.namespaced() && !namespace.equals(metadata.get("namespace"))) {
      body = JsonTrees.mutableCopy(object);
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) body.get("metadata");
      meta.put("namespace", namespace);
    }
    V1Patch patch = new V1Patch(JsonTrees.json(body));
    PatchOptions patchOptions = new PatchOptions().fieldManager(applyOptions.fieldManager());
    if (applyOptions.force()) {
      patchOptions.force(true);
    }
    if (applyOptions.dryRun()) {
      patchOptions.dryRun("All");
    }
    ResourceKey key = ResourceKey.of(apiVersion, kind, namespace, name);
    KubernetesApiResponse<DynamicKubernetesObject> response =
        request(
            (applyOptions.dryRun() ? "dry-run apply " : "apply ") + key,
            isSecret(type),
            () ->
                type.namespaced()
                    ? api(type)
                        .patch(
                            namespace, name, V1Patch.PATCH_FORMAT_APPLY_YAML, patch, patchOptions)
                    : api(type).patch(name, V1Patch.PATCH_FORMAT_APPLY_YAML, patch, patchOptions),
            false);
    return JsonTrees.liveObject(response.getObject().getRaw());
  }

  @Override
  public boolean delete(ResourceKey key, boolean dryRun) {
    ResourceType type = resourceType(key);
    if (dryRun) {
      // A dry run only checks that the object is there: the request is never sent, so that a server
      // that ignored dryRun in the DeleteOptions body could not delete anything.
      return get(key).isPresent();
    }
    DeleteOptions deleteOptions = new DeleteOptions();
    deleteOptions.setPropagationPolicy("Background");
    KubernetesApiResponse<DynamicKubernetesObject> response =
        request(
            "delete " + key,
            false,
            () ->
                type.namespaced()
                    ? api(type)
                        .delete(namespaceOf(type, key.namespace()), key.name(), deleteOptions)
                    : api(type).delete(key.name(), deleteOptions),
            true);
    return response.getHttpStatusCode() != 404;
  }

  @Override
  public LiveObject patchStatus(ResourceKey key, Map<String, Object> patch, String fieldManager) {
    ResourceType type = resourceType(key);
    StringBuilder path =
        new StringBuilder(type.group().isEmpty() ? "/api/" : "/apis/" + type.group() + "/");
    path.append(type.version());
    if (type.namespaced()) {
      path.append("/namespaces/").append(client.escapeString(namespaceOf(type, key.namespace())));
    }
    path.append('/')
        .append(type.plural())
        .append('/')
        .append(client.escapeString(key.name()))
        .append("/status");
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH);
    headers.put("Accept", "application/json");
    List<io.kubernetes.client.openapi.Pair> query =
        List.of(new io.kubernetes.client.openapi.Pair("fieldManager", fieldManager));
    String what = "patch status of " + key;
    try {
      okhttp3.Call call =
          client.buildCall(
              client.getBasePath(),
              path.toString(),
              "PATCH",
              new ArrayList<>(query),
              new ArrayList<>(),
              JsonTrees.json(Map.of("status", patch))
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8),
              headers,
              new HashMap<>(),
              new HashMap<>(),
              new String[] {"BearerToken"},
              null);
      io.kubernetes.client.openapi.ApiResponse<JsonElement> response =
          client.execute(call, JsonElement.class);
      markReachable();
      return JsonTrees.liveObject(response.getData().getAsJsonObject());
    } catch (ApiException e) {
      throw failure(e, what, false);
    }
  }

  private String namespaceOf(ResourceType type, String namespace) {
    return type.namespaced() && (namespace == null || namespace.isEmpty())
        ? defaultNamespace
        : namespace;
  }

  private static boolean isSecret(ResourceType type) {
    return type.group().isEmpty() && type.kind().equals("Secret");
  }

  /**
   * Runs one request: a success marks the cluster reachable; an error status becomes a {@link
   * ClusterException} (404 is returned when {@code notFoundIsAnswer}); no answer marks the cluster
   * unreachable and throws.
   */
  <T extends io.kubernetes.client.common.KubernetesType> KubernetesApiResponse<T> request(
      String what,
      boolean secret,
      Supplier<KubernetesApiResponse<T>> call,
      boolean notFoundIsAnswer) {
    KubernetesApiResponse<T> response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      throw failure(e, what, secret);
    }
    markReachable();
    if (response.isSuccess() || (notFoundIsAnswer && response.getHttpStatusCode() == 404)) {
      return response;
    }
    V1Status status = response.getStatus();
    throw new ClusterException(
        KubeErrors.fromStatus(status, response.getHttpStatusCode(), secret, what));
  }

  ClusterException failure(Exception e, String what, boolean secret) {
    ClusterError error = KubeErrors.fromThrowable(e, server, what);
    if (error.unreachable()) {
      markUnreachable(error);
    } else if (e instanceof ApiException api && api.getCode() != 0) {
      markReachable();
      V1Status status = null;
      try {
        status = client.getJSON().deserialize(api.getResponseBody(), V1Status.class);
      } catch (RuntimeException notStatus) {
        // keep the generic message
      }
      if (status != null) {
        error = KubeErrors.fromStatus(status, api.getCode(), secret, what);
      }
    }
    return new ClusterException(error);
  }

  // ------------------------------------------------------------------------------------------
  // Watches

  @Override
  public Informer inform(
      ResourceType type, String namespace, String labelSelector, Informer.Listener listener) {
    KubeInformer informer =
        new KubeInformer(
            this,
            type,
            namespace == null ? "" : namespace,
            labelSelector == null ? "" : labelSelector,
            listener);
    informers.add(informer);
    informer.start();
    return informer;
  }

  /** How many informers of this gateway run (not yet closed), for diagnostics and tests. */
  public int openInformers() {
    return informers.size();
  }

  void forget(KubeInformer informer) {
    informers.remove(informer);
  }

  // ------------------------------------------------------------------------------------------
  // Leases

  @Override
  public LeaseRecord acquireLease(String namespace, String name, String holder, Duration duration) {
    CoordinationV1Api leases = new CoordinationV1Api(client);
    Instant now = clock.instant();
    OffsetDateTime nowTime = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    int seconds = (int) Math.max(1, duration.toSeconds());
    for (int attempt = 0; attempt < 3; attempt++) {
      V1Lease lease;
      try {
        lease = leases.readNamespacedLease(name, namespace).execute();
        markReachable();
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw failure(e, "read Lease " + namespace + "/" + name, false);
        }
        markReachable();
        V1Lease fresh =
            new V1Lease()
                .metadata(
                    new V1ObjectMeta()
                        .name(name)
                        .namespace(namespace)
                        .labels(Map.of("app.kubernetes.io/managed-by", "weir")))
                .spec(
                    new V1LeaseSpec()
                        .holderIdentity(holder)
                        .leaseDurationSeconds(seconds)
                        .acquireTime(nowTime)
                        .renewTime(nowTime)
                        .leaseTransitions(0));
        try {
          leases.createNamespacedLease(namespace, fresh).execute();
          return new LeaseRecord(namespace, name, holder, now, now, now.plusSeconds(seconds), true);
        } catch (ApiException create) {
          if (create.getCode() == 409) {
            continue; // someone else created it meanwhile: read it again
          }
          throw failure(create, "create Lease " + namespace + "/" + name, false);
        }
      }
      V1LeaseSpec spec = lease.getSpec() == null ? new V1LeaseSpec() : lease.getSpec();
      String current = spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity();
      Instant renewed =
          spec.getRenewTime() == null ? Instant.EPOCH : spec.getRenewTime().toInstant();
      int currentSeconds =
          spec.getLeaseDurationSeconds() == null ? seconds : spec.getLeaseDurationSeconds();
      Instant expires = renewed.plusSeconds(currentSeconds);
      Instant acquired =
          spec.getAcquireTime() == null ? renewed : spec.getAcquireTime().toInstant();
      boolean mine = current.equals(holder);
      if (!mine && !current.isEmpty() && expires.isAfter(now)) {
        return new LeaseRecord(namespace, name, current, acquired, renewed, expires, false);
      }
      if (!mine) {
        acquired = now;
        spec.acquireTime(nowTime)
            .leaseTransitions(
                (spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions()) + 1);
      }
      spec.holderIdentity(holder).renewTime(nowTime).leaseDurationSeconds(seconds);
      lease.spec(spec);
      try {
        leases.replaceNamespacedLease(name, namespace, lease).execute();
        return new LeaseRecord(
            namespace, name, holder, acquired, now, now.plusSeconds(seconds), true);
      } catch (ApiException e) {
        if (e.getCode() == 409) {
          continue; // lost a race: read who won
        }
        throw failure(e, "renew Lease " + namespace + "/" + name, false);
      }
    }
    throw new ClusterException(
        ClusterError.of(
            Reason.CONFLICT, "Lease " + namespace + "/" + name + " keeps changing; try again"));
  }

  @Override
  public LeaseRecord renewLease(
      String namespace, String name, String holder, Duration duration, LiveObject read) {
    Map<String, Object> spec = read.spec();
    if (!holder.equals(spec.get("holderIdentity")) || read.resourceVersion().isEmpty()) {
      return acquireLease(namespace, name, holder, duration);
    }
    Instant now = clock.instant();
    OffsetDateTime nowTime = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    int seconds = (int) Math.max(1, duration.toSeconds());
    OffsetDateTime acquired;
    try {
      acquired =
          spec.get("acquireTime") instanceof String text ? OffsetDateTime.parse(text) : nowTime;
    } catch (java.time.format.DateTimeParseException e) {
      acquired = nowTime;
    }
    Map<String, String> labels = new HashMap<>();
    read.labels().forEach((k, v) -> labels.put(k, String.valueOf(v)));
    V1Lease lease =
        new V1Lease()
            .apiVersion("coordination.k8s.io/v1")
            .kind("Lease")
            .metadata(
                new V1ObjectMeta()
                    .name(name)
                    .namespace(namespace)
                    .resourceVersion(read.resourceVersion())
                    .labels(labels))
            .spec(
                new V1LeaseSpec()
                    .holderIdentity(holder)
                    .leaseDurationSeconds(seconds)
                    .acquireTime(acquired)
                    .renewTime(nowTime)
                    .leaseTransitions(
                        spec.get("leaseTransitions") instanceof Number n ? n.intValue() : 0));
    try {
      new CoordinationV1Api(client).replaceNamespacedLease(name, namespace, lease).execute();
      markReachable();
      return new LeaseRecord(
          namespace, name, holder, acquired.toInstant(), now, now.plusSeconds(seconds), true);
    } catch (ApiException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        markReachable();
        return acquireLease(namespace, name, holder, duration); // changed since: read who holds it
      }
      throw failure(e, "renew Lease " + namespace + "/" + name, false);
    }
  }

  @Override
  public Optional<LeaseRecord> readLease(String namespace, String name) {
    try {
      V1Lease lease = new CoordinationV1Api(client).readNamespacedLease(name, namespace).execute();
      markReachable();
      V1LeaseSpec spec = lease.getSpec();
      if (spec == null
          || spec.getHolderIdentity() == null
          || spec.getHolderIdentity().isEmpty()
          || spec.getRenewTime() == null) {
        return Optional.empty();
      }
      Instant renewed = spec.getRenewTime().toInstant();
      int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
      return Optional.of(
          new LeaseRecord(
              namespace,
              name,
              spec.getHolderIdentity(),
              spec.getAcquireTime() == null ? renewed : spec.getAcquireTime().toInstant(),
              renewed,
              renewed.plusSeconds(seconds),
              false));
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        markReachable();
        return Optional.empty();
      }
      throw failure(e, "read Lease " + namespace + "/" + name, false);
    }
  }

  @Override
  public void releaseLease(String namespace, String name, String holder) {
    CoordinationV1Api leases = new CoordinationV1Api(client);
    try {
      V1Lease lease = leases.readNamespacedLease(name, namespace).execute();
      if (lease.getSpec() == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().holderIdentity(null).renewTime(null);
      leases.replaceNamespacedLease(name, namespace, lease).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404 || e.getCode() == 409) {
        return; // gone, or taken over: nothing to give up
      }
      throw failure(e, "release Lease " + namespace + "/" + name, false);
    }
  }

  @Override
  public dev.weir.engine.cluster.ProxyResponse proxyGet(
      dev.weir.engine.cluster.ProxiedService service,
      String path,
      Map<String, String> parameters,
      Duration timeout) {
    return new KubeServiceProxy(this, client).get(service, path, parameters, timeout);
  }

  @Override
  public void close() {
    for (KubeInformer informer : List.copyOf(informers)) {
      informer.close();
    }
    client.getHttpClient().dispatcher().executorService().shutdown();
    client.getHttpClient().connectionPool().evictAll();
    watchClient.getHttpClient().connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "KubeClusterGateway[" + context + " " + server + "]";
  }
}
