package dev.weir.engine.bench;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.diff.IgnoreRules;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.diff.ResourceDiffer;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The reconciler's budget (issue 4): the diff of 10,000 live objects against Git under 300 ms; the
 * live state of 10,000 objects in under 150 MB of heap; more than 5,000 watch events processed per
 * second. Live state and watches run through client-java against the sandbox API server over HTTPS,
 * as in production.
 *
 * <p>Run: {@code ./build bench ReconcileBenchmark -f 1 -wi 2 -i 5}. The heap figure is printed by
 * the live-state setup.
 */
public class ReconcileBenchmark {
  static final int OBJECTS = 10_000;

  /** 10,000 Git objects (as a dry run returns them) and their live counterparts, 1% drifted. */
  @State(Scope.Benchmark)
  public static class Pairs {
    final List<ResourceKey> keys = new ArrayList<>();
    final List<Map<String, Object>> git = new ArrayList<>();
    final List<LiveObject> live = new ArrayList<>();

    @Setup(Level.Trial)
    public void build() {
      for (int i = 0; i < OBJECTS; i++) {
        ResourceKey key = new ResourceKey("apps", "Deployment", "shop-" + (i % 20), "web-" + i);
        Map<String, Object> liveObject = deployment(key, "shop:1." + i % 7, 3, true);
        Map<String, Object> gitObject =
            deployment(key, i % 100 == 0 ? "shop:2.0" : "shop:1." + i % 7, 3, false);
        keys.add(key);
        git.add(gitObject);
        live.add(new LiveObject(key, "apps/v1", liveObject));
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(value = 1, jvmArgsAppend = "-Xmx512m")
  public int diffTenThousandLiveObjects(Pairs pairs) {
    int drifted = 0;
    IgnoreRules rules = IgnoreRules.none();
    for (int i = 0; i < OBJECTS; i++) {
      ResourceDiff diff =
          ResourceDiffer.compare(
              pairs.keys.get(i), pairs.git.get(i), true, pairs.live.get(i), rules, "");
      if (diff.drifted()) {
        drifted++;
      }
    }
    if (drifted != OBJECTS / 100) {
      throw new IllegalStateException("expected " + OBJECTS / 100 + " drifted, got " + drifted);
    }
    return drifted;
  }

  /**
   * A sandbox holding 5,000 Deployments and 5,000 ConfigMaps, and informers holding them all: the
   * live state of 10,000 objects. The setup prints the heap the informers' stores retain.
   */
  @State(Scope.Benchmark)
  public static class LiveState {
    Path directory;
    TestCluster cluster;
    KubeClusterGateway gateway;
    ResourceType configMaps;
    final AtomicReference<CountDownLatch> deletions = new AtomicReference<>(new CountDownLatch(0));
    final List<Informer> informers = new ArrayList<>();
    dev.weir.engine.testkit.FaultProxy proxy;

    @Setup(Level.Trial)
    public void start() throws Exception {
      directory = Files.createTempDirectory("reconcile-bench");
      cluster =
          new TestCluster(
              directory,
              new dev.weir.engine.time.ManualClock(),
              dev.weir.sandbox.api.SandboxOptions.builder()
                  .ephemeral()
                  .eventWindow(4 * OBJECTS));
      gateway = cluster.gateway();
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "bench")),
          ApplyOptions.weir());
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "events")),
          ApplyOptions.weir());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < OBJECTS / 2; i++) {
        int n = i;
        writes.add(
            pool.submit(
                () ->
                    gateway.apply(
                        deployment(
                            new ResourceKey("apps", "Deployment", "bench", "web-" + n),
                            "shop:1",
                            3,
                            false),
                        ApplyOptions.weir())));
      }
      createConfigMaps(pool, writes);
      for (Future<?> write : writes) {
        write.get();
      }
      pool.shutdown();
      configMaps = gateway.resourceType("v1", "ConfigMap");

      // the informers watch through a proxy that can hold the stream, so that a measurement sees
      // only the streaming and the informer's work, not the server's
      proxy = new dev.weir.engine.testkit.FaultProxy(cluster.server.url().getPort());
      KubeClusterGateway watching =
          cluster.gateway(
              proxy.rewrite(cluster.kubeconfig, directory.resolve("proxied")),
              KubeClusterGateway.Options.defaults());
      long before = usedHeapAfterGc();
      CountDownLatch synced = new CountDownLatch(2);
      for (ResourceType type : List.of(gateway.resourceType("apps/v1", "Deployment"), configMaps)) {
        informers.add(
            watching.inform(
                type,
                type.kind().equals("ConfigMap") ? "events" : "bench",
                "",
                new Informer.Listener() {
                  @Override
                  public void onSynced(ResourceType t) {
                    synced.countDown();
                  }

                  @Override
                  public void onDelete(LiveObject object) {
                    deletions.get().countDown();
                  }
                }));
      }
      synced.await();
      long after = usedHeapAfterGc();
      int held = informers.stream().mapToInt(Informer::size).sum();
      System.out.printf(
          "%nlive state of %,d objects (%,d Deployments, %,d ConfigMaps) in informers: %.1f MB of"
              + " heap%n",
          held, OBJECTS / 2, OBJECTS / 2, (after - before) / 1024.0 / 1024.0);
    }

    void createConfigMaps(ExecutorService pool, List<Future<?>> writes) {
      for (int i = 0; i < OBJECTS / 2; i++) {
        int n = i;
        writes.add(
            pool.submit(
                () ->
                    gateway.apply(
                        Map.of(
                            "apiVersion",
                            "v1",
                            "kind",
                            "ConfigMap",
                            "metadata",
                            Map.of(
                                "name",
                                "settings-" + n,
                                "namespace",
                                "events",
                                "labels",
                                Map.of("app", "shop")),
                            "data",
                            Map.of("feature.checkout", "on", "feature.search", "off")),
                        ApplyOptions.weir())));
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      informers.forEach(Informer::close);
      proxy.close();
      cluster.close();
    }
  }

  /**
   * Before each measurement: the 5,000 ConfigMaps exist and the informer holds them; then the
   * stream is held and the collection deleted, so that 5,000 DELETED events wait in the stream.
   */
  @State(Scope.Benchmark)
  public static class Queued {
    CountDownLatch done;

    @Setup(Level.Invocation)
    public void queue(LiveState state) throws Exception {
      Informer configMaps = state.informers.get(1);
      if (configMaps.size() != OBJECTS / 2) {
        CountDownLatch never = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writes = new ArrayList<>();
        state.createConfigMaps(pool, writes);
        for (Future<?> write : writes) {
          write.get();
        }
        pool.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (configMaps.size() != OBJECTS / 2 && System.nanoTime() < deadline) {
          never.await(10, TimeUnit.MILLISECONDS); // setup only: lets the informer catch up
        }
      }
      done = new CountDownLatch(OBJECTS / 2);
      state.deletions.set(done);
      state.proxy.hold();
      deleteCollection(state);
    }
  }

  /**
   * The informer processes 5,000 queued watch events (the deletions of 5,000 ConfigMaps): reading
   * the stream, decoding each event, updating the store and telling the listener. Over 5,000 events
   * per second means under 1,000 ms per operation.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
  public long processFiveThousandWatchEvents(LiveState state, Queued queued) throws Exception {
    state.proxy.release();
    if (!queued.done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "the informer saw only " + (OBJECTS / 2 - queued.done.getCount()) + " deletions");
    }
    return queued.done.getCount();
  }

  /** Heap figure only: the live-state setup is what is measured; this keeps its fork alive. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
  public int liveStateOfTenThousandObjects(LiveState state) {
    return state.informers.stream().mapToInt(Informer::size).sum();
  }

  private static void deleteCollection(LiveState state) throws Exception {
    // one DELETE of the collection, as kubectl delete configmaps --all does
    java.net.URI uri =
        java.net.URI.create(state.cluster.server.url() + "/api/v1/namespaces/events/configmaps");
    javax.net.ssl.SSLContext tls = trustAll(state);
    var client = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
    var response =
        client.send(
            java.net.http.HttpRequest.newBuilder(uri)
                .DELETE()
                .header("Authorization", "Bearer " + state.cluster.server.adminToken())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("deletecollection answered " + response.statusCode());
    }
  }

  private static javax.net.ssl.SSLContext trustAll(LiveState state) throws Exception {
    var factory = java.security.cert.CertificateFactory.getInstance("X.509");
    var ca =
        factory.generateCertificate(
            new java.io.ByteArrayInputStream(
                state
                    .cluster
                    .server
                    .certificateAuthorityPem()
                    .orElseThrow()
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    var store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("sandbox", ca);
    var trust =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    var context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  static Map<String, Object> deployment(
      ResourceKey key, String image, int replicas, boolean asServed) {
    Map<String, Object> labels =
        Map.of("app", key.name(), "team", "payments", "app.kubernetes.io/managed-by", "weir");
    Map<String, Object> metadata =
        new java.util.HashMap<>(
            Map.of(
                "name",
                key.name(),
                "namespace",
                key.namespace(),
                "labels",
                labels,
                "annotations",
                Map.of("weir.dev/application", "storefront")));
    if (asServed) {
      metadata.put("uid", java.util.UUID.nameUUIDFromBytes(key.name().getBytes()).toString());
      metadata.put("resourceVersion", "1234");
      metadata.put("generation", 1L);
      metadata.put("creationTimestamp", "2026-01-01T10:00:00Z");
      metadata.put(
          "managedFields",
          List.of(
              Map.of(
                  "manager",
                  "weir",
                  "operation",
                  "Apply",
                  "apiVersion",
                  "apps/v1",
                  "time",
                  "2026-01-01T10:00:00Z",
                  "fieldsType",
                  "FieldsV1",
                  "fieldsV1",
                  Map.of(
                      "f:spec",
                      Map.of(
                          "f:replicas",
                          Map.of(),
                          "f:template",
                          Map.of(
                              "f:spec",
                              Map.of(
                                  "f:containers",
                                  Map.of(
                                      "k:{\"name\":\"app\"}",
                                      Map.of(
                                          ".", Map.of(), "f:image", Map.of(), "f:name",
                                          Map.of())))))))));
    }
    Map<String, Object> object =
        new java.util.HashMap<>(
            Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                metadata,
                "spec",
                Map.of(
                    "replicas", replicas,
                    "selector", Map.of("matchLabels", Map.of("app", key.name())),
                    "template",
                        Map.of(
                            "metadata", Map.of("labels", Map.of("app", key.name())),
                            "spec",
                                Map.of(
                                    "containers",
                                    List.of(
                                        Map.of(
                                            "name",
                                            "app",
                                            "image",
                                            image,
                                            "ports",
                                            List.of(
                                                Map.of("containerPort", 8080, "protocol", "TCP")),
                                            "env",
                                            List.of(
                                                Map.of("name", "REGION", "value", "eu-west-1"),
                                                Map.of("name", "LOG_LEVEL", "value", "info")),
                                            "resources",
                                            Map.of(
                                                "requests",
                                                Map.of("cpu", "100m", "memory", "128Mi")))))))));
    if (asServed) {
      object.put(
          "status",
          Map.of("replicas", replicas, "readyReplicas", replicas, "observedGeneration", 1));
    }
    return object;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
