package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.weir.sandbox.api.ObjectChange;
import dev.weir.sandbox.api.SandboxApiException;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxObjects;
import dev.weir.sandbox.metrics.Fault;
import dev.weir.sandbox.metrics.SandboxPrometheus;
import dev.weir.sandbox.metrics.TrafficMetrics;
import dev.weir.sandbox.traffic.Endpoint;
import dev.weir.sandbox.traffic.NamespaceTraffic;
import dev.weir.sandbox.traffic.TrafficFlow;
import dev.weir.engine.time.EngineClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's simulated world, attached to a running {@link SandboxApiServer} in the same
 * process: controllers that act on the server's objects as Kubernetes' would (Deployments,
 * ReplicaSets, StatefulSets, DaemonSets, Jobs, the kubelet), a request stream per service split by
 * the routing rules, and the metrics of that traffic — on a Prometheus {@code /metrics} endpoint of
 * the server (behind the API's token or client certificate, {@link SandboxApiServer#route}), through
 * a Prometheus-compatible query API behind the Service {@code monitoring/prometheus} ({@link
 * SandboxPrometheus}, reached through the API server's service proxy) and through {@link
 * #metrics()} (which the drills' {@code SandboxMetricProvider} answers analysis queries from).
 *
 * <pre>{@code
 * SandboxApiServer server = SandboxApiServer.start(options);
 * SandboxWorld world = SandboxWorld.attach(server, WorldSettings.defaults().withSeed(42));
 * // kubectl apply a Deployment: ReplicaSets and pods appear, become Ready, serve traffic
 * }</pre>
 *
 * <p>Design note: the world is level-based and driven by the server's change events and the
 * server's {@link EngineClock}. A change marks the objects whose controllers must look again; one
 * clock task drains those marks in a stable order, each controller reading the current objects and
 * writing only differences (a write that changes nothing is no event, so passes converge). Pods
 * become Ready at times drawn from the seed; traffic is simulated once per second of sandbox time
 * from the namespaces' routing tables, which are rebuilt only when a Service, pod or router
 * changed. Everything random is drawn from (seed, what, when), so the same seed and the same clock
 * give the same world, byte for byte. In-flight state beyond the objects (metric counters and
 * recent history, injected faults) is kept in the server's state file ({@link
 * SandboxApiServer#keepState}), so a restart comes back where it was.
 *
 * <p>Thread-safe. Controller passes and traffic run on the clock's thread(s), one at a time;
 * accessors may be called from any thread. Closing stops the world (the server keeps running);
 * closing the server closes the world first.
 */
public final class SandboxWorld implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxWorld.class);
  private static final String STATE = "world";
  private static final int STATE_FORMAT = 1;
  private static final int KEPT_EVENTS = 1000;
  private static final Set<String> TRAFFIC_KINDS =
      Set.of(
          "Service",
          "Pod",
          "HTTPRoute",
          "VirtualService",
          "DestinationRule",
          "TrafficSplit",
          "Ingress");
  private static final String FLAGS_LABEL = "weir.dev/flagd";

  private final SandboxApiServer server;
  private final SandboxObjects objects;
  private final EngineClock clock;
  private final WorldSettings settings;
  private final TrafficMetrics metrics;
  private final Object lane = new Object();
  private final ConcurrentLinkedQueue<WorkKey> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainArmed = new AtomicBoolean();
  private final Map<WorkKey, Instant> timers = new ConcurrentHashMap<>();
  private final Set<String> dirtyNamespaces = ConcurrentHashMap.newKeySet();
  private final Map<String, NamespaceTraffic> traffic = new ConcurrentHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final ArrayDeque<WorldEvent> recent = new ArrayDeque<>();
  private final List<Consumer<WorldEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> reportedProblems = ConcurrentHashMap.newKeySet();
  private final Context context = new Context();
  private final DeploymentController deployments;
  private final ReplicaSetController replicaSets;
  private final StatefulSetController statefulSets;
  private final DaemonSetController daemonSets;
  private final JobController jobs;
  private final Kubelet kubelet;
  private final AutoCloseable subscription;
  private final List<EngineClock.Scheduled> ticks = new ArrayList<>();
  private volatile boolean closed;

  private SandboxWorld(SandboxApiServer server, WorldSettings settings) {
    this.server = server;
    this.objects = server.objects();
    this.clock = server.clock();
    this.settings = settings;
    this.metrics =
        new TrafficMetrics(settings.seed(), (int) settings.metricRetention().toSeconds());
    this.deployments = new DeploymentController(context);
    this.replicaSets = new ReplicaSetController(context);
    this.statefulSets = new StatefulSetController(context);
    this.daemonSets = new DaemonSetController(context);
    this.jobs = new JobController(context);
    this.kubelet = new Kubelet(context);
    this.subscription = objects.subscribe(this::changed);
  }

  /**
   * Starts the world on {@code server}: restores its in-flight state from the server's state file
   * (when it was saved with the same seed), looks at every existing workload and pod, serves {@code
   * /metrics} on the server's port (to callers the API authenticates) and simulates traffic from
   * the next second on. Time while the sandbox was not running had no traffic.
   */
  public static SandboxWorld attach(SandboxApiServer server, WorldSettings settings) {
    SandboxWorld world = new SandboxWorld(server, settings);
    world.start();
    return world;
  }

  private void start() {
    Optional<JsonNode> saved = server.savedState(STATE);
    if (saved.isPresent()
        && saved.get().path("format").asInt() == STATE_FORMAT
        && saved.get().path("seed").asLong() == settings.seed()) {
      long savedLast = saved.get().path("metrics").path("lastSecond").asLong(Long.MIN_VALUE);
      long now = clock.instant().getEpochSecond();
      // sandbox time may have gone back since the save (a sped-up run ended): history moves back
      // too
      long shift = savedLast != Long.MIN_VALUE && savedLast > now ? now - savedLast : 0;
      metrics.restore(saved.get().path("metrics"), shift);
      for (JsonNode fault : saved.get().path("faults")) {
        faults.add(
            new Fault(
                fault.path("namespace").asText(),
                fault.path("service").asText(),
                fault.path("latencyFactor").asDouble(1),
                fault.path("extraErrorRate").asDouble(0),
                Instant.parse(fault.path("until").asText())));
      }
    }
    server.keepState(STATE, this::state);
    server.route("/metrics", this::serveMetrics);
    server.serveLogs(new ContainerLogs(this));
    SandboxPrometheus.install(server, metrics);
    server.onClose(this::close);
    for (WorkKey.Kind kind : WorkKey.Kind.values()) {
      for (ObjectNode object : objects.list(kind.apiVersion, kind.kind, null)) {
        pending.add(new WorkKey(kind, Meta.namespace(object), Meta.name(object)));
      }
    }
    objects.list("v1", "Namespace", null).forEach(n -> dirtyNamespaces.add(Meta.name(n)));
    armDrain();
    ticks.add(clock.every(Duration.ofSeconds(1), this::tick));
    ticks.add(clock.every(settings.saveInterval(), server::requestSave));
  }

  /** The simulated traffic's metrics. */
  public TrafficMetrics metrics() {
    return metrics;
  }

  public WorldSettings settings() {
    return settings;
  }

  /** The traffic of {@code namespace} as it stands: entries, flows and ready endpoints. */
  public NamespaceTraffic traffic(String namespace) {
    synchronized (lane) {
      return trafficOf(namespace);
    }
  }

  /** The ready endpoints of a Service (empty when it has none or does not exist). */
  public List<Endpoint> endpoints(String namespace, String service) {
    return traffic(namespace).endpoints().getOrDefault(service, List.of());
  }

  /** Injects a fault (replacing one on the same entry); it ends by itself at its {@code until}. */
  public void inject(Fault fault) {
    faults.removeIf(
        f -> f.namespace().equals(fault.namespace()) && f.service().equals(fault.service()));
    faults.add(fault);
    emit(
        fault.namespace(),
        "service " + fault.namespace() + "/" + fault.service(),
        "fault injected: latency ×"
            + TrafficMetricsText.number(fault.latencyFactor())
            + (fault.extraErrorRate() > 0
                ? ", +" + TrafficMetricsText.percent(fault.extraErrorRate()) + " errors"
                : "")
            + " until "
            + fault.until(),
        "incident drill");
    server.requestSave();
  }

  /** The faults in effect. */
  public List<Fault> faults() {
    return List.copyOf(faults);
  }

  /** The most recent events (at most 1,000), oldest first. */
  public List<WorldEvent> recentEvents() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  /** Hands every new event to {@code listener} (on the thread that made it) until closed. */
  public AutoCloseable subscribe(Consumer<WorldEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * {@code settings} with the seed the world on {@code server} last ran with (from the state file),
   * so that a restarted sandbox keeps its counters and draws; {@code settings} as given when there
   * is none.
   */
  public static WorldSettings withSavedSeed(SandboxApiServer server, WorldSettings settings) {
    return server
        .savedState(STATE)
        .filter(s -> s.path("format").asInt() == STATE_FORMAT && s.has("seed"))
        .map(s -> settings.withSeed(s.path("seed").asLong()))
        .orElse(settings);
  }

  /**
   * Stops the controllers and the traffic, after the pass in progress; the server and its objects
   * stay.
   */
  @Override
  public void close() {
    synchronized (lane) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ticks.forEach(EngineClock.Scheduled::cancel);
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("unsubscribing the world: {}", e.getMessage());
    }
  }

  // ---- events from the store ----

  private void changed(ObjectChange change) {
    if (closed) {
      return;
    }
    String kind = change.kind();
    String namespace = change.namespace();
    if (TRAFFIC_KINDS.contains(kind) || kind.equals("ConfigMap") && servesFlags(change.object())) {
      dirtyNamespaces.add(namespace);
    }
    if (kind.equals("Namespace")) {
      dirtyNamespaces.add(change.name());
    }
    WorkKey.Kind workKind = WorkKey.Kind.of(kind);
    if (workKind == null || !change.apiVersion().equals(workKind.apiVersion)) {
      return;
    }
    if (change.type() != ObjectChange.Type.DELETED) {
      pending.add(new WorkKey(workKind, namespace, change.name()));
    }
    if (workKind == WorkKey.Kind.REPLICA_SET || workKind == WorkKey.Kind.POD) {
      JsonNode object = change.object();
      for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
        WorkKey.Kind ownerKind = WorkKey.Kind.of(owner.path("kind").asText());
        if (ownerKind != null && owner.path("controller").asBoolean(false)) {
          pending.add(new WorkKey(ownerKind, namespace, owner.path("name").asText()));
        }
      }
    }
    armDrain();
  }

  /** A ConfigMap an in-cluster flagd serves: its flags split the traffic of pods naming them. */
  private static boolean servesFlags(JsonNode configMap) {
    return configMap != null
        && "true".equals(configMap.path("metadata").path("labels").path(FLAGS_LABEL).asText());
  }

  private void armDrain() {
    if (!closed && drainArmed.compareAndSet(false, true)) {
      clock.schedule(Duration.ZERO, this::drain);
    }
  }

  private void drain() {
    drainArmed.set(false);
    if (closed) {
      return;
    }
    synchronized (lane) {
      TreeSet<WorkKey> keys = new TreeSet<>();
      for (WorkKey key; (key = pending.poll()) != null; ) {
        keys.add(key);
      }
      for (WorkKey key : keys) {
        try {
          switch (key.kind()) {
            case DEPLOYMENT -> deployments.reconcile(key);
            case REPLICA_SET -> replicaSets.reconcile(key);
            case STATEFUL_SET -> statefulSets.reconcile(key);
            case DAEMON_SET -> daemonSets.reconcile(key);
            case JOB -> jobs.reconcile(key);
            case POD -> kubelet.reconcile(key);
          }
        } catch (SandboxApiException e) {
          if (e.conflict()) {
            pending.add(key);
            armDrain();
          } else if (!e.notFound()) {
            LOG.warn("sandbox controller for {}: {}", key, e.getMessage());
          }
        } catch (RuntimeException e) {
          LOG.warn("sandbox controller for {} failed", key, e);
        }
      }
    }
  }

  // ---- traffic ----

  private void tick() {
    if (closed) {
      return;
    }
    long now = clock.instant().getEpochSecond();
    synchronized (lane) {
      long last = metrics.lastSecond();
      if (last == Long.MIN_VALUE || now - last > settings.metricRetention().toSeconds()) {
        last = now - 1;
      }
      faults.removeIf(f -> !f.until().isAfter(clock.instant()));
      List<TrafficFlow> flows = new ArrayList<>();
      for (String namespace : new TreeSet<>(namespaces())) {
        flows.addAll(trafficOf(namespace).flows());
      }
      for (long second = last + 1; second <= now; second++) {
        Instant at = Instant.ofEpochSecond(second);
        metrics.simulate(
            second, flows, (namespace, service) -> activeFault(namespace, service, at));
      }
    }
  }

  private Set<String> namespaces() {
    Set<String> all = new HashSet<>(traffic.keySet());
    all.addAll(dirtyNamespaces);
    return all;
  }

  private Fault activeFault(String namespace, String service, Instant at) {
    for (Fault fault : faults) {
      if (fault.namespace().equals(namespace)
          && fault.service().equals(service)
          && at.isBefore(fault.until())) {
        return fault;
      }
    }
    return null;
  }

  private NamespaceTraffic trafficOf(String namespace) {
    if (dirtyNamespaces.remove(namespace) || !traffic.containsKey(namespace)) {
      NamespaceTraffic built =
          NamespaceTraffic.build(
              namespace,
              new NamespaceTraffic.Inputs(
                  objects.list("v1", "Service", namespace),
                  objects.list("v1", "Pod", namespace),
                  listIfServed("gateway.networking.k8s.io/v1", "HTTPRoute", namespace),
                  listIfServed("networking.istio.io/v1", "VirtualService", namespace),
                  listIfServed("split.smi-spec.io/v1alpha4", "TrafficSplit", namespace),
                  listIfServed("networking.k8s.io/v1", "Ingress", namespace),
                  objects.list("v1", "ConfigMap", namespace).stream()
                      .filter(SandboxWorld::servesFlags)
                      .toList(),
                  listIfServed("networking.istio.io/v1", "DestinationRule", namespace)),
              settings.requestRate(),
              problem -> {
                if (reportedProblems.add(problem)) {
                  emit(
                      namespace,
                      "annotation",
                      "ignored a sandbox annotation: " + problem,
                      "default used");
                }
              });
      if (built.entries().isEmpty() && built.endpoints().isEmpty()) {
        traffic.remove(namespace);
      } else {
        traffic.put(namespace, built);
      }
      return built;
    }
    return traffic.get(namespace);
  }

  private List<ObjectNode> listIfServed(String apiVersion, String kind, String namespace) {
    if (objects.kinds().byKind(apiVersion, kind).isEmpty()) {
      return List.of();
    }
    return objects.list(apiVersion, kind, namespace);
  }

  private void serveMetrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = metrics.exposition().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  // ---- state ----

  private JsonNode state() {
    ObjectNode state = Meta.NODES.objectNode();
    state.put("format", STATE_FORMAT);
    state.put("seed", settings.seed());
    state.set("metrics", metrics.save((int) settings.keptHistory().toSeconds()));
    ArrayNode list = state.putArray("faults");
    for (Fault fault : faults) {
      ObjectNode entry = list.addObject();
      entry.put("namespace", fault.namespace());
      entry.put("service", fault.service());
      entry.put("latencyFactor", fault.latencyFactor());
      entry.put("extraErrorRate", fault.extraErrorRate());
      entry.put("until", fault.until().toString());
    }
    return state;
  }

  // ---- events ----

  private void emit(String application, String object, String what, String why) {
    WorldEvent event = new WorldEvent(clock.instant(), application, object, what, why);
    synchronized (recent) {
      recent.addLast(event);
      while (recent.size() > KEPT_EVENTS) {
        recent.removeFirst();
      }
    }
    for (Consumer<WorldEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("a world event listener failed", e);
      }
    }
  }

  private String applicationOf(JsonNode object) {
    String application = Meta.annotations(object).get(Meta.APPLICATION);
    if (application != null) {
      return application;
    }
    for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
      WorkKey.Kind kind = WorkKey.Kind.of(owner.path("kind").asText());
      if (kind != null) {
        Optional<ObjectNode> found =
            objects.get(
                kind.apiVersion, kind.kind, Meta.namespace(object), owner.path("name").asText());
        if (found.isPresent()) {
          return applicationOf(found.get());
        }
      }
    }
    return Meta.namespace(object);
  }

  private final class Context implements WorldContext {
    @Override
    public SandboxObjects objects() {
      return objects;
    }

    @Override
    public WorldSettings settings() {
      return settings;
    }

    @Override
    public Instant now() {
      return clock.instant();
    }

    @Override
    public void emit(JsonNode object, String what, String why) {
      SandboxWorld.this.emit(applicationOf(object), Meta.describe(object), what, why);
    }

    @Override
    public void wakeAt(WorkKey key, Instant when) {
      Instant now = clock.instant();
      if (!when.isAfter(now)) {
        enqueue(key);
        return;
      }
      Instant[] armed = {null};
      timers.compute(
          key,
          (k, existing) -> {
            if (existing != null && !existing.isAfter(when) && existing.isAfter(now)) {
              return existing;
            }
            armed[0] = when;
            return when;
          });
      if (armed[0] != null) {
        clock.schedule(
            Duration.between(now, when),
            () -> {
              if (timers.remove(key, when)) {
                enqueue(key);
              }
            });
      }
    }

    @Override
    public void enqueue(WorkKey key) {
      pending.add(key);
      armDrain();
    }

    @Override
    public boolean writeStatus(ObjectNode object, ObjectNode status, String manager) {
      if (status.equals(object.path("status"))) {
        return false;
      }
      object.set("status", status);
      try {
        objects.updateStatus(object, manager);
        return true;
      } catch (SandboxApiException e) {
        if (e.conflict()) {
          WorkKey.Kind kind = WorkKey.Kind.of(object.path("kind").asText());
          if (kind != null) {
            enqueue(new WorkKey(kind, Meta.namespace(object), Meta.name(object)));
          }
          return false;
        }
        if (e.notFound()) {
          return false;
        }
        throw e;
      }
    }
  }

  /** For tests: the keys waiting, by kind. */
  Map<WorkKey.Kind, Integer> pendingByKind() {
    Map<WorkKey.Kind, Integer> counts = new TreeMap<>();
    pending.forEach(k -> counts.merge(k.kind(), 1, Integer::sum));
    return counts;
  }
}
