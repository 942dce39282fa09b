package dev.weir.engine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxObjects;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.metrics.SandboxQuery;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.engine.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The sandbox world's budget: 50 applications, 5,000 objects and 10,000 simulated requests per
 * second in under 10 % of one core and under 200 MB of heap. Each application has a Deployment of
 * four replicas (its ReplicaSet and pods), a stable and a canary Service, an HTTPRoute splitting
 * 200 requests per second 90/10 over them, and 91 ConfigMaps: 100 objects each.
 *
 * <p>{@code oneSecondOfSandboxTime} is the world's steady-state cost of one second (controllers
 * idle, traffic drawn for 50 routes, 10,000 requests): under 100 ms per operation is under 10 % of
 * one core. {@code scrapeMetrics} is one Prometheus scrape of {@code /metrics}' body, {@code
 * analysisQuery} one p99 query over five minutes. The fork runs with {@code -Xmx200m}; the setup
 * prints the heap retained by the server and the world after 30 minutes of history.
 *
 * <p>Run: {@code ./build bench SandboxWorldBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx200m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class SandboxWorldBenchmark {
  static final int APPLICATIONS = 50;
  static final int CONFIG_MAPS = 91;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManualClock clock;
  private SandboxApiServer server;
  private SandboxWorld world;
  private SandboxQuery analysisQuery;

  @Setup(Level.Trial)
  public void start() throws Exception {
    long before = usedHeapAfterGc();
    clock = new ManualClock();
    server =
        SandboxApiServer.start(
            SandboxOptions.builder().https(false).ephemeral().clock(clock).build());
    world = SandboxWorld.attach(server, WorldSettings.defaults().withSeed(1));
    SandboxObjects objects = server.objects();
    apply(objects, "apiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n");
    for (int a = 0; a < APPLICATIONS; a++) {
      String app = "app" + a;
      apply(objects, application(app));
      for (int c = 0; c < CONFIG_MAPS; c++) {
        apply(
            objects,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s-config-%d, namespace: bench}\ndata: {KEY: \"value %d\", OTHER: \"%s\"}\n"
                .formatted(app, c, c, app));
      }
    }
    // settle, then fill the whole retention (30 minutes) of history
    for (int s = 0; s < 1800; s++) {
      clock.advance(Duration.ofSeconds(1));
    }
    long objectCount = 0;
    for (String[] kind :
        new String[][] {
          {"apps/v1", "Deployment"},
          {"apps/v1", "ReplicaSet"},
          {"v1", "Pod"},
          {"v1", "Service"},
          {"gateway.networking.k8s.io/v1", "HTTPRoute"},
          {"v1", "ConfigMap"}
        }) {
      objectCount += objects.list(kind[0], kind[1], "bench").size();
    }
    double rate =
        SandboxQuery.parse("sum(rate(http_requests_total[1m]))")
            .evaluate(world.metrics(), clock.instant().getEpochSecond())
            .getFirst()
            .value();
    analysisQuery =
        SandboxQuery.parse(
            "histogram_quantile(0.99,"
                + " sum(rate(http_request_duration_seconds_bucket{service=\"app7\"}[5m])) by (le))");
    long after = usedHeapAfterGc();
    System.out.printf(
        "%nsandbox world: %,d objects in namespace bench, %,.0f requests per second simulated;"
            + " heap retained by the server and the world with 30 minutes of history: %,.1f MB%n",
        objectCount, rate, (after - before) / 1e6);
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    server.close();
  }

  @Benchmark
  public void oneSecondOfSandboxTime() {
    clock.advance(Duration.ofSeconds(1));
  }

  @Benchmark
  public int scrapeMetrics() {
    return world.metrics().exposition().length();
  }

  // the query parsed once, as the drills' SandboxMetricProvider caches it: this is its evaluation
  @Benchmark
  public Object analysisQuery() {
    return analysisQuery.evaluate(world.metrics(), clock.instant().getEpochSecond());
  }

  private static String application(String app) {
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: %1$s, namespace: bench}
    spec:
      replicas: 4
      selector: {matchLabels: {app: %1$s}}
      template:
        metadata:
          labels: {app: %1$s, app.kubernetes.io/version: "1.0.0"}
          annotations: {sandbox.weir.dev/error-rate: "0.01", sandbox.weir.dev/latency-p50: 80ms}
        spec: {containers: [{name: app, image: "registry.example/%1$s:1.0.0"}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: %1$s-stable, namespace: bench}
    spec: {selector: {app: %1$s}, ports: [{port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: %1$s-canary, namespace: bench}
    spec: {selector: {app: %1$s}, ports: [{port: 80}]}
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata:
      name: %1$s
      namespace: bench
      annotations: {sandbox.weir.dev/request-rate: "200"}
    spec:
      rules:
      - backendRefs: [{name: %1$s-stable, port: 80, weight: 90}, {name: %1$s-canary, port: 80, weight: 10}]
    """
        .formatted(app);
  }

  private static void apply(SandboxObjects objects, String yaml) {
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document instanceof Map<?, ?>) {
        objects.apply((ObjectNode) JSON.valueToTree(document), "weir", true);
      }
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
