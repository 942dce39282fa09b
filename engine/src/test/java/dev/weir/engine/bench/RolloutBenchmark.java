package dev.weir.engine.bench;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.ProviderError;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.yaml.snakeyaml.Yaml;

/**
 * 200 concurrent canaries driven by one {@link RolloutExecutor} against the sandbox API server
 * (HTTPS, client-java, in this JVM), each at its analysis step with weight 5. Run: {@code ./build
 * bench RolloutBenchmark}.
 *
 * <p>One op: every canary's metric turns bad and the engine clock reaches the next measurement;
 * the op ends when all 200 HTTPRoutes have canary weight 0 written to the cluster. The figure
 * asked for is printed per iteration: for each rollout, the time from its provider answering the
 * failing value to the API server acknowledging its HTTPRoute with weight 0 (the analysis interval
 * itself is not part of it: the clock jumps). Target: under 1 s for every one of the 200.
 *
 * <p>{@code -jvmArgsAppend -Dbench.trace=true} also prints, per iteration, the API requests that
 * ended between the first failing answer and the last weight 0: what competed with the rollbacks.
 */
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RolloutBenchmark {

  @State(Scope.Benchmark)
  public static class Fleet {
    /** How many canaries one engine drives. */
    @org.openjdk.jmh.annotations.Param({"200"})
    int rollouts;

    /** The sandbox over HTTPS (as the console reaches it) or plain HTTP (to see what TLS costs). */
    @org.openjdk.jmh.annotations.Param({"true"})
    boolean https;

    Path dir;
    TestCluster cluster;
    ClusterGateway gateway;
    Timed timed;
    ExecutorService threads;
    RolloutExecutor executor;
    final Map<String, Long> badAnsweredAt = new ConcurrentHashMap<>();
    final Map<String, Long> weightZeroAt = new ConcurrentHashMap<>();
    volatile boolean bad;
    CountDownLatch rolledBack;
    int round;

    @Setup(Level.Iteration)
    public void fleetAtTheAnalysisStep() throws Exception {
      dir = Files.createTempDirectory("rollout-bench");
      cluster = new TestCluster(dir.resolve("cluster"), new ManualClock(),
          dev.weir.sandbox.api.SandboxOptions.builder().ephemeral().https(https));
      timed = new Timed(cluster.gateway(), weightZeroAt);
      gateway = timed;
      threads = Executors.newVirtualThreadPerTaskExecutor();
      bad = false;
      badAnsweredAt.clear();
      weightZeroAt.clear();
      rolledBack = new CountDownLatch(rollouts);
      MetricProvider metrics = new MetricProvider() {
        @Override
        public QueryResult<MetricValue> instant(String query, Instant at) {
          if (bad) {
            badAnsweredAt.putIfAbsent(app(query), System.nanoTime());
            return new QueryResult.Ok<>(new MetricValue.Scalar(0.91));
          }
          return new QueryResult.Ok<>(new MetricValue.Scalar(0.995));
        }

        @Override
        public QueryResult<List<TimeSeries>> range(String query, Instant start, Instant end, Duration step) {
          return new QueryResult.Failed<>(new ProviderError(ProviderError.Reason.SERVER_ERROR, "not used"));
        }
      };
      executor = new RolloutExecutor(gateway, metrics, cluster.clock, threads, Duration.ZERO);
      gateway.apply(Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "bench")),
          ApplyOptions.weir());
      List<DesiredState> v2 = new ArrayList<>();
      for (int i = 0; i < rollouts; i++) {
        DesiredState v1 = app(i, "1.0.0");
        for (Manifest m : v1.resources().values()) {
          gateway.apply(m.object(), ApplyOptions.weir());
        }
        v2.add(app(i, "1.1.0"));
        executor.track(v1);
      }
      podsReady();
      v2.forEach(executor::track);
      waitFor(s -> s.step() == 1 && s.phase() == RolloutPhase.PROGRESSING);
      podsReady();
      executor.reconcile();
      waitFor(s -> s.step() == 2 && s.analysis().map(a -> a.measured() >= 1).orElse(false));
      executor.addListener(event -> {
        if (event.reason() == dev.weir.engine.rollout.RolloutEvent.Reason.ROLLED_BACK) {
          rolledBack.countDown();
        }
      });
    }

    void podsReady() {
      for (LiveObject d : gateway.list(gateway.resourceType("apps/v1", "Deployment"), "bench", "")) {
        long replicas = d.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
        gateway.patchStatus(d.key(), Map.of("observedGeneration", d.generation(), "replicas", replicas,
            "updatedReplicas", replicas, "readyReplicas", replicas, "availableReplicas", replicas), "bench");
      }
    }

    void waitFor(java.util.function.Predicate<RolloutStatus> reached) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      int polls = 0;
      while (System.nanoTime() < deadline) {
        List<RolloutStatus> statuses = executor.statuses();
        if (statuses.size() == rollouts && statuses.stream().allMatch(reached)) {
          return;
        }
        Thread.sleep(100); // set-up only; the measured op waits on a latch
        if (++polls % 50 == 0) {
          executor.reconcile();
        }
      }
      throw new IllegalStateException("the fleet did not get ready: " + executor.statuses().getFirst());
    }

    @TearDown(Level.Iteration)
    public void report() throws Exception {
      List<Long> millis = new ArrayList<>();
      for (var entry : weightZeroAt.entrySet()) {
        Long answered = badAnsweredAt.get(entry.getKey());
        if (answered != null) {
          millis.add(TimeUnit.NANOSECONDS.toMillis(entry.getValue() - answered));
        }
      }
      millis.sort(null);
      if (Boolean.getBoolean("bench.trace") && !weightZeroAt.isEmpty()) {
        long last = weightZeroAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long first = badAnsweredAt.values().stream().mapToLong(Long::longValue).min().orElse(last);
        System.out.printf("%n  requests ended within the %d ms to the last weight 0: %s%n",
            TimeUnit.NANOSECONDS.toMillis(last - first), timed.callsBefore(last));
      }
      if (!millis.isEmpty()) {
        System.out.printf("%n  failed measurement -> weight 0 written, %d rollouts: p50 %d ms, p90 %d ms, max %d ms%n",
            millis.size(), millis.get(millis.size() / 2), millis.get(millis.size() * 9 / 10), millis.getLast());
      }
      executor.close();
      threads.shutdown();
      threads.awaitTermination(30, TimeUnit.SECONDS);
      cluster.close();
    }
  }

  @Benchmark
  public void failedMeasurementToWeightZeroFor200(Fleet fleet) throws InterruptedException {
    fleet.bad = true;
    fleet.timed.armed = true;
    fleet.cluster.clock.advance(Duration.ofMinutes(1));
    if (!fleet.rolledBack.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(fleet.rolledBack.getCount() + " rollouts not rolled back");
    }
  }

  static String app(String query) {
    int start = query.indexOf("app=\"") + 5;
    return query.substring(start, query.indexOf('"', start));
  }

  static DesiredState app(int i, String version) {
    String name = "app-" + i;
    String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: NAME, namespace: bench}
        spec:
          replicas: 2
          selector: {matchLabels: {app: NAME}}
          template:
            metadata: {labels: {app: NAME, app.kubernetes.io/version: "VERSION"}}
            spec: {containers: [{name: app, image: "shop/NAME:VERSION"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: NAME-stable, namespace: bench}
        spec: {selector: {app: NAME}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: NAME-canary, namespace: bench}
        spec: {selector: {app: NAME}, ports: [{port: 80}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: NAME, namespace: bench}
        spec:
          rules:
          - backendRefs: [{name: NAME-stable, port: 80, weight: 100}, {name: NAME-canary, port: 80, weight: 0}]
        ---
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate}
        spec:
          metrics:
          - name: success-rate
            interval: 1m
            count: 5
            failureLimit: 0
            successCondition: result >= 0.99
            provider: {prometheus: {query: 'ok{app="NAME"}'}}
        ---
        apiVersion: weir.dev/v1alpha1
        kind: Rollout
        metadata: {name: NAME}
        spec:
          targetRef: {kind: Deployment, name: NAME}
          strategy:
            canary:
              trafficRouting: {gatewayAPI: {httpRoute: NAME}}
              stableService: NAME-stable
              canaryService: NAME-canary
              steps:
              - setWeight: 5
              - analysis: {templates: [{templateName: success-rate}]}
              - setWeight: 50
        """.replace("NAME", name).replace("VERSION", version);
    TreeMap<ResourceKey, Manifest> resources = new TreeMap<>();
    List<Manifest> configuration = new ArrayList<>();
    for (Object document : new Yaml().loadAll(yaml)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) document;
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
      String apiVersion = String.valueOf(object.get("apiVersion"));
      boolean weir = apiVersion.startsWith("weir.dev/");
      Manifest manifest = new Manifest(ResourceKey.of(apiVersion, String.valueOf(object.get("kind")),
          weir ? "" : "bench", String.valueOf(metadata.get("name"))), apiVersion, object,
          SourceLocation.ofFile("apps/" + name + "/all.yaml"));
      if (weir) {
        configuration.add(manifest);
      } else {
        resources.put(manifest.key(), manifest);
      }
    }
    Application application = new Application(name, "apps/" + name, "bench", "", null, null,
        SourceLocation.ofFile("apps/" + name + "/app.yaml"));
    return new DesiredState(application, version, resources, configuration);
  }

  /** The real gateway, noting when each HTTPRoute's canary weight 0 is acknowledged by the API server. */
  static final class Timed implements ClusterGateway {
    private final ClusterGateway delegate;
    private final Map<String, Long> weightZeroAt;
    volatile boolean armed;

    Timed(ClusterGateway delegate, Map<String, Long> weightZeroAt) {
      this.delegate = delegate;
      this.weightZeroAt = weightZeroAt;
    }

    /** Every request while armed: what, and when it started and ended (nanoTime). */
    record Call(String what, long start, long end) {}

    final java.util.Queue<Call> calls = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void note(String what, long start) {
      if (armed) {
        calls.add(new Call(what, start, System.nanoTime()));
      }
    }

    /** Requests by kind that ended before {@code until}. */
    Map<String, Long> callsBefore(long until) {
      Map<String, Long> out = new TreeMap<>();
      for (Call call : calls) {
        if (call.end() <= until) {
          out.merge(call.what(), 1L, Long::sum);
        }
      }
      return out;
    }

    @Override
    public LiveObject apply(Map<String, Object> object, ApplyOptions options) {
      long start = System.nanoTime();
      LiveObject stored = delegate.apply(object, options);
      note("apply " + object.get("kind"), start);
      if (armed && "HTTPRoute".equals(object.get("kind"))) {
        String name = stored.key().name();
        var router = dev.weir.engine.traffic.TrafficRouter.of(
            new dev.weir.engine.traffic.TrafficRoutingSpec.GatewayApi(name), "bench", name + "-stable",
            name + "-canary");
        if (router.weight(Map.of(stored.key(), stored.object())).orElse(-1) == 0) {
          weightZeroAt.putIfAbsent(name, System.nanoTime());
        }
      }
      return stored;
    }

    @Override
    public String context() {
      return delegate.context();
    }

    @Override
    public String defaultNamespace() {
      return delegate.defaultNamespace();
    }

    @Override
    public ClusterStatus status() {
      return delegate.status();
    }

    @Override
    public ResourceType resourceType(String apiVersion, String kind) {
      return delegate.resourceType(apiVersion, kind);
    }

    @Override
    public ResourceType resourceType(ResourceKey key) {
      return delegate.resourceType(key);
    }

    @Override
    public List<ResourceType> resourceTypes() {
      return delegate.resourceTypes();
    }

    @Override
    public Optional<LiveObject> get(ResourceKey key) {
      long start = System.nanoTime();
      Optional<LiveObject> got = delegate.get(key);
      note("get " + key.kind(), start);
      return got;
    }

    @Override
    public List<LiveObject> list(ResourceType type, String namespace, String labelSelector) {
      return delegate.list(type, namespace, labelSelector);
    }

    @Override
    public boolean delete(ResourceKey key, boolean dryRun) {
      long start = System.nanoTime();
      boolean deleted = delegate.delete(key, dryRun);
      note("delete " + key.kind(), start);
      return deleted;
    }

    @Override
    public LiveObject patchStatus(ResourceKey key, Map<String, Object> patch, String fieldManager) {
      return delegate.patchStatus(key, patch, fieldManager);
    }

    @Override
    public Informer inform(ResourceType type, String namespace, String labelSelector, Informer.Listener listener) {
      return delegate.inform(type, namespace, labelSelector, listener);
    }

    @Override
    public LeaseRecord acquireLease(String namespace, String name, String holder, Duration duration) {
      return delegate.acquireLease(namespace, name, holder, duration);
    }

    @Override
    public Optional<LeaseRecord> readLease(String namespace, String name) {
      return delegate.readLease(namespace, name);
    }

    @Override
    public void releaseLease(String namespace, String name, String holder) {
      delegate.releaseLease(namespace, name, holder);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
