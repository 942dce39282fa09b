package dev.weir.engine.bench;

import com.google.gson.reflect.TypeToken;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.Watch;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
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
 * The sandbox API server's budget, measured through client-java over HTTPS as the engine uses it:
 * listing 5,000 deployments (target under 100 ms), a watch delivering 5,000 events (target at least
 * 5,000 events per second, i.e. under 1,000 ms per operation), and the heap of 10,000 stored
 * objects (target at most 200 MB: the fork runs with {@code -Xmx200m} for the server, the client
 * and JMH together, and the setup prints the heap the objects retain).
 *
 * <p>Run: {@code ./build bench SandboxApiBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx200m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class SandboxApiBenchmark {
  private static final int OBJECTS = 5_000;

  private SandboxApiServer server;
  private Path directory;
  private ApiClient client;
  private AppsV1Api apps;
  private CoreV1Api core;
  private String watchFrom;

  @Setup(Level.Trial)
  public void start() throws Exception {
    directory = Files.createTempDirectory("sandbox-bench");
    long before = usedHeapAfterGc();
    server =
        SandboxApiServer.start(
            SandboxOptions.builder().ephemeral().eventWindow(3 * OBJECTS).build());
    Path kubeconfig = directory.resolve("kubeconfig");
    server.writeKubeconfig(kubeconfig, server.adminToken());
    try (Reader reader = Files.newBufferedReader(kubeconfig)) {
      client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
    client.setHttpClient(
        client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
    apps = new AppsV1Api(client);
    core = new CoreV1Api(client);
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("bench"))).execute();
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("events"))).execute();
    watchFrom = core.listNamespacedConfigMap("events").execute().getMetadata().getResourceVersion();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      int n = i;
      writes.add(
          pool.submit(
              () -> apps.createNamespacedDeployment("bench", deployment("web-" + n)).execute()));
      writes.add(
          pool.submit(
              () ->
                  core.createNamespacedConfigMap(
                          "events",
                          new V1ConfigMap()
                              .metadata(
                                  new V1ObjectMeta()
                                      .name("settings-" + n)
                                      .labels(Map.of("app", "shop")))
                              .data(Map.of("feature.checkout", "on", "feature.search", "off")))
                      .execute()));
    }
    for (Future<?> write : writes) {
      write.get();
    }
    pool.shutdown();
    long after = usedHeapAfterGc();
    System.out.printf(
        "%nsandbox heap retained by %,d objects (%,d deployments, %,d config maps, their events):"
            + " %.1f MB%n",
        2 * OBJECTS, OBJECTS, OBJECTS, (after - before) / 1024.0 / 1024.0);
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    server.close();
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }

  /** client-java lists 5,000 deployments (decoding included). */
  @Benchmark
  public int listFiveThousandDeployments() throws Exception {
    return apps.listNamespacedDeployment("bench").execute().getItems().size();
  }

  /** The same list as raw bytes: the server and transport without client-java's decoding. */
  @Benchmark
  public int listFiveThousandDeploymentsRawBytes() throws Exception {
    Request request =
        new Request.Builder()
            .url(server.url() + "/apis/apps/v1/namespaces/bench/deployments")
            .header("Authorization", "Bearer " + server.adminToken())
            .build();
    try (Response response = client.getHttpClient().newCall(request).execute()) {
      return response.body().bytes().length;
    }
  }

  /** A client-java watch receives 5,000 events (resumed from before they happened). */
  @Benchmark
  public int watchFiveThousandEvents() throws Exception {
    int received = 0;
    try (Watch<V1ConfigMap> watch =
        Watch.createWatch(
            client,
            core.listNamespacedConfigMap("events")
                .watch(true)
                .resourceVersion(watchFrom)
                .buildCall(null),
            new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType())) {
      while (received < OBJECTS) {
        watch.next();
        received++;
      }
    }
    return received;
  }

  private static V1Deployment deployment(String name) {
    Map<String, String> labels = Map.of("app", name, "team", "payments");
    return new V1Deployment()
        .metadata(
            new V1ObjectMeta()
                .name(name)
                .labels(labels)
                .annotations(Map.of("weir.dev/app", "storefront")))
        .spec(
            new V1DeploymentSpec()
                .replicas(3)
                .selector(new V1LabelSelector().matchLabels(labels))
                .template(
                    new V1PodTemplateSpec()
                        .metadata(new V1ObjectMeta().labels(labels))
                        .spec(
                            new V1PodSpec()
                                .containers(
                                    List.of(
                                        new V1Container()
                                            .name("app")
                                            .image("registry.example/shop/" + name + ":1.4.2")
                                            .ports(
                                                List.of(
                                                    new V1ContainerPort()
                                                        .containerPort(8080)
                                                        .name("http")))
                                            .env(
                                                List.of(
                                                    new V1EnvVar().name("LOG_LEVEL").value("info"),
                                                    new V1EnvVar()
                                                        .name("REGION")
                                                        .value("eu-west-1"))))))));
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
