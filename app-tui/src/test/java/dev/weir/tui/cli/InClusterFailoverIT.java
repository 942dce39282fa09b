package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.time.EngineClock;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The in-cluster reconciler as it runs in a cluster: three real {@code weir reconcile --watch
 * --in-cluster} processes, each configured as a pod is (a service account directory with a token
 * and the CA, {@code KUBERNETES_SERVICE_HOST}/{@code PORT}, no kubeconfig), against the sandbox's
 * API server with its simulated world on real time; 30 applications in Git, one of them a canary.
 *
 * <p>Time in child processes is real, so nothing here depends on how fast they run: every wait
 * polls the API server's state until a condition holds (generously bounded, for a machine under
 * heavy load), and the assertions are on orderings and counts, never on durations. Leases last 10
 * seconds ({@code --lease-duration 10}): short, so that a takeover comes soon, yet renewed in time
 * on a machine whose load is many times its cores.
 */
class InClusterFailoverIT {
  static final Duration PATIENCE = Duration.ofMinutes(6);
  static final int APPLICATIONS = 30;

  @TempDir Path home;
  SandboxApiServer server;
  SandboxWorld world;
  ClusterGateway gateway;
  Path repo;
  Path adminKubeconfig;
  Path account;
  final List<Process> replicas = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server =
        SandboxApiServer.start(SandboxOptions.builder().ephemeral().clock(EngineClock.system()).build());
    world =
        SandboxWorld.attach(
            server,
            new WorldSettings(
                1, Duration.ofMillis(500), 0.5, 3, 20, Duration.ofMinutes(30), Duration.ofMinutes(5),
                Duration.ofSeconds(30)));
    adminKubeconfig = home.resolve("admin.kubeconfig");
    server.writeKubeconfig(adminKubeconfig, server.adminToken());
    gateway =
        KubeClusterGateway.connect(Kubeconfig.fromFile(adminKubeconfig), null, EngineClock.system());
    for (String namespace : List.of("weir", "shop", "fleet")) {
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)),
          ApplyOptions.weir());
    }
    // the service account, as the kubelet mounts it
    account = Files.createDirectories(home.resolve("serviceaccount"));
    server.addToken("weir-sa-token-1", "system:serviceaccount:weir:weir", List.of("system:masters"));
    Files.writeString(account.resolve("token"), "weir-sa-token-1");
    Files.writeString(account.resolve("ca.crt"), server.certificateAuthorityPem().orElseThrow());
    Files.writeString(account.resolve("namespace"), "weir");

    repo = home.resolve("fleet.git");
    try (RepoBuilder git = RepoBuilder.init(repo)) {
      RepoBuilder.Commit commit = git.commit("fleet: 29 applications and the storefront canary");
      for (int i = 0; i < APPLICATIONS - 1; i++) {
        String name = String.format("app-%02d", i);
        commit.add("apps/" + name + "/application.yaml", application(name, "fleet"));
        commit.add(
            "apps/" + name + "/configmap.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\ndata: {owner: " + name + "}\n");
      }
      commit.add("apps/storefront/application.yaml", application("storefront", "shop"));
      for (Map.Entry<String, String> file : storefront("2.4.1").entrySet()) {
        commit.add("apps/storefront/" + file.getKey(), file.getValue());
      }
      commit.add("apps/storefront/rollout.yaml", ROLLOUT);
      commit.create();
    }
    // the cluster runs the stable version; Git's head wants the next one: a canary
    for (Map.Entry<String, String> file : storefront("2.4.0").entrySet()) {
      for (Object document : new Yaml().loadAll(file.getValue())) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = new LinkedHashMap<>((Map<String, Object>) document);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) object.get("metadata"));
        metadata.put("namespace", "shop");
        object.put("metadata", metadata);
        gateway.apply(object, ApplyOptions.weir());
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Process replica : replicas) {
      replica.destroyForcibly();
      replica.waitFor(30, TimeUnit.SECONDS);
    }
    gateway.close();
    world.close();
    server.close();
  }

  static String application(String name, String namespace) {
    return "apiVersion: weir.dev/v1alpha1\nkind: Application\nmetadata: {name: " + name + "}\n"
        + "spec:\n  source: {path: apps/" + name + "}\n  destination: {namespace: " + namespace + "}\n"
        + "  syncPolicy: {automated: {prune: true, selfHeal: true}}\n";
  }

  static final String ROLLOUT =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        targetRef: {kind: Deployment, name: storefront}
        strategy:
          canary:
            trafficRouting:
              gatewayAPI: {httpRoute: storefront}
            stableService: storefront-stable
            canaryService: storefront-canary
            steps:
            - setWeight: 20
            - pause: {}
            - setWeight: 40
            - pause: {}
            - setWeight: 60
            - pause: {duration: 2s}
            - setWeight: 80
            - pause: {}
      """;

  static Map<String, String> storefront(String version) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: storefront, labels: {app.kubernetes.io/name: storefront}}
        spec:
          replicas: 4
          selector: {matchLabels: {app.kubernetes.io/name: storefront}}
          template:
            metadata:
              labels: {app.kubernetes.io/name: storefront, app.kubernetes.io/version: "VERSION"}
            spec:
              containers:
              - name: storefront
                image: registry.example/shop/storefront:VERSION
                ports: [{name: http, containerPort: 8080}]
        """
            .replace("VERSION", version));
    files.put(
        "services.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: storefront-stable}
        spec:
          selector: {app.kubernetes.io/name: storefront}
          ports: [{name: http, port: 80, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: storefront-canary}
        spec:
          selector: {app.kubernetes.io/name: storefront}
          ports: [{name: http, port: 80, targetPort: 8080}]
        """);
    files.put(
        "httproute.yaml",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: storefront}
        spec:
          parentRefs: [{name: shop-gateway}]
          rules:
          - backendRefs:
            - {name: storefront-stable, port: 80, weight: 100}
            - {name: storefront-canary, port: 80, weight: 0}
        """);
    return files;
  }

  /** One replica: the CLI in a JVM of its own, configured as a pod is. */
  Process replica(int index) throws Exception {
    Path dir = Files.createDirectories(home.resolve("replica-" + index));
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-Xmx384m",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.weir.tui.cli.WeirCommand",
            "reconcile",
            "--watch",
            "--in-cluster",
            "--repo",
            repo.toString(),
            "--lease-duration",
            "10",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json");
    Map<String, String> env = builder.environment();
    env.remove("KUBECONFIG");
    env.put("HOME", dir.toString());
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    env.put("XDG_DATA_HOME", dir.resolve("data").toString());
    env.put("KUBERNETES_SERVICE_HOST", server.url().getHost());
    env.put("KUBERNETES_SERVICE_PORT", String.valueOf(server.url().getPort()));
    env.put("WEIR_SERVICEACCOUNT_DIR", account.toString());
    env.put("POD_NAME", "weir-" + index);
    builder.redirectErrorStream(true);
    builder.redirectOutput(dir.resolve("log.jsonl").toFile());
    Process process = builder.start();
    replicas.add(process);
    return process;
  }

  Path log(int index) {
    return home.resolve("replica-" + index).resolve("log.jsonl");
  }

  /** Application → holder identity, of the application Leases held now. */
  Map<String, String> holders() {
    Map<String, String> out = new HashMap<>();
    for (LiveObject lease :
        gateway.list(gateway.resourceType("coordination.k8s.io/v1", "Lease"), "weir", "")) {
      String name = lease.key().name();
      if (name.startsWith("weir-shard-")
          && lease.spec().get("holderIdentity") instanceof String holder
          && !holder.isEmpty()) {
        out.put(name.substring("weir-shard-".length()), holder);
      }
    }
    return out;
  }

  Map<String, Object> record() {
    return gateway
        .get(new ResourceKey("", "ConfigMap", "shop", "storefront-rollout"))
        .map(o -> o.object().get("data") instanceof Map<?, ?> m ? castMap(m) : Map.<String, Object>of())
        .orElse(Map.of());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** The HTTPRoute's weights: stable, canary. */
  List<Long> weights() {
    LiveObject route =
        gateway.get(new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront")).orElseThrow();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules = (List<Map<String, Object>>) route.spec().get("rules");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> backends = (List<Map<String, Object>>) rules.getFirst().get("backendRefs");
    return backends.stream().map(b -> ((Number) b.get("weight")).longValue()).toList();
  }

  /**
   * The rollout's Kubernetes Events of {@code reason} ({@code Weight}, {@code Started} …): the
   * canary weight each one moved to (its "to" annotation reads {@code Paused at step 4, 40%}).
   */
  List<String> events(String reason) {
    Pattern percent = Pattern.compile("(\\d+)%$");
    return gateway.list(gateway.resourceType("v1", "Event"), "shop", "").stream()
        .filter(e -> reason.equals(e.object().get("reason")))
        .filter(e -> "storefront".equals(e.labels().get("rollouts.weir.dev/rollout")))
        .map(e -> String.valueOf(e.annotations().get("rollouts.weir.dev/to")))
        .map(to -> percent.matcher(to).results().map(m -> m.group(1)).findFirst().orElse(to))
        .toList();
  }

  static <T> T await(String what, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Optional<T> found;
      try {
        found = probe.get();
      } catch (RuntimeException e) {
        found = Optional.empty(); // the API server under load: ask again
      }
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(250).toNanos()); // polling the API server, not timing
    }
  }

  static void awaitTrue(String what, Supplier<Boolean> condition) {
    await(what, () -> condition.get() ? Optional.of(true) : Optional.empty());
  }

  CliRun weir(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--repo", repo.toString(), "--kubeconfig", adminKubeconfig.toString()));
    return CliRun.weir(home.resolve("console"), all.toArray(String[]::new));
  }

  int replicaHolding(String application) {
    long pid = LeaseHolder.parse(holders().get(application)).pid();
    for (int i = 0; i < replicas.size(); i++) {
      if (replicas.get(i).pid() == pid) {
        return i;
      }
    }
    throw new AssertionError(application + " is held by no replica of this test: " + holders().get(application));
  }

  void startReplicasAndAwaitTheSpread() throws Exception {
    for (int i = 0; i < 3; i++) {
      replica(i);
    }
    awaitTrue(
        "30 applications spread 10, 10, 10 over three replicas",
        () -> {
          Map<String, String> held = holders();
          Map<String, Long> counts =
              held.values().stream().collect(Collectors.groupingBy(h -> h, Collectors.counting()));
          return held.size() == APPLICATIONS && counts.size() == 3 && counts.values().stream().allMatch(c -> c == 10);
        });
  }

  /**
   * Awaits the rollout's record paused at {@code weight} and then the route carrying it: the
   * executor writes its state first and acts after (a crash between the two is repaired by the
   * next runner), so the record can read 80% a moment before the HTTPRoute does.
   */
  void awaitPausedAt(String weight) {
    awaitTrue(
        "the canary paused at " + weight + "%",
        () -> "Paused".equals(record().get("phase")) && weight.equals(record().get("weight")));
    long canary = Long.parseLong(weight);
    awaitTrue("the HTTPRoute at " + weight + "%", () -> weights().equals(List.of(100 - canary, canary)));
  }

  @Test
  void theReplicaDrivingACanaryIsKilledAndAnotherCarriesItOnFromItsStepApplyingNothingTwice() throws Exception {
    startReplicasAndAwaitTheSpread();
    awaitPausedAt("20");
    assertThat(weights()).containsExactly(80L, 20L);
    CliRun promote = weir("rollout", "promote", "storefront");
    assertThat(promote.exitCode()).as(promote.out() + promote.err()).isZero();
    awaitPausedAt("40");
    assertThat(weights()).containsExactly(60L, 40L);
    String stepBefore = String.valueOf(record().get("step"));

    int victim = replicaHolding("storefront");
    String victimHolder = holders().get("storefront");
    replicas.get(victim).destroyForcibly(); // SIGKILL: no Lease given up, nothing closed
    assertThat(replicas.get(victim).waitFor(60, TimeUnit.SECONDS)).isTrue();

    String successor =
        await(
            "another replica holding storefront",
            () -> Optional.ofNullable(holders().get("storefront")).filter(h -> !h.equals(victimHolder)));
    int heir = replicaHolding("storefront");
    assertThat(heir).isNotEqualTo(victim);
    assertThat(replicas.get(heir).isAlive()).isTrue();
    // the survivors share all 30: 15 each
    awaitTrue(
        "the survivors holding 15 each",
        () -> {
          Map<String, Long> counts =
              holders().values().stream().collect(Collectors.groupingBy(h -> h, Collectors.counting()));
          return counts.size() == 2 && counts.values().stream().allMatch(c -> c == 15) && !counts.containsKey(victimHolder);
        });
    // the canary stands where it stood: same step, same weights, not started again
    assertThat(record().get("step")).hasToString(stepBefore);
    assertThat(record().get("weight")).isEqualTo("40");
    assertThat(weights()).containsExactly(60L, 40L);

    // the successor drives it on: promote to 60, then the timed pause it alone can end
    CliRun again = weir("rollout", "promote", "storefront");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    awaitPausedAt("80");
    assertThat(weights()).containsExactly(20L, 80L);
    assertThat(holders().get("storefront")).isEqualTo(successor);
    String successorLog = Files.readString(log(heir), StandardCharsets.UTF_8);
    assertThat(successorLog).contains("\"message\":\"shard: took storefront\"");

    // nothing applied twice: one Started, and each weight once, in order
    awaitTrue("the events of the pass to 80% recorded", () -> events("Weight").contains("80"));
    assertThat(events("Started")).hasSize(1);
    List<String> weightsApplied = events("Weight");
    assertThat(weightsApplied).containsExactlyInAnyOrder("20", "40", "60", "80");
    // every replica logged JSON, one object per line; Git's revision of storefront synced once
    long syncs = 0;
    for (int i = 0; i < 3; i++) {
      for (String line : Files.readAllLines(log(i), StandardCharsets.UTF_8)) {
        assertThat(line).as("replica %d's log", i).startsWith("{").endsWith("}");
        if (line.contains("\"application\":\"storefront\"") && line.contains("synced storefront to")) {
          syncs++;
        }
      }
    }
    // at most once: the replica killed with SIGKILL may take its last log lines with it, so the
    // count of lines proves no second sync, not the first (the Events above, kept by the cluster,
    // prove each step was applied exactly once)
    assertThat(syncs).isLessThanOrEqualTo(1);
  }

  @Test
  void aConsolesAbortReachesTheDrivingReplicaAndTrafficIsBackOnStable() throws Exception {
    startReplicasAndAwaitTheSpread();
    awaitPausedAt("20");
    int driver = replicaHolding("storefront");
    CliRun abort = weir("rollout", "abort", "storefront", "--reason", "error budget burning");
    assertThat(abort.exitCode()).as(abort.out() + abort.err()).isZero();
    awaitTrue("traffic back on stable", () -> weights().equals(List.of(100L, 0L)));
    awaitTrue("the rollout recorded Aborted", () -> "Aborted".equals(record().get("phase")));
    // the driving replica saw the command through the cluster: its own view of the rollout (its
    // /metrics, from the runner that drives it) is Aborted, and it keeps it so
    String listening = await("the driver's listen line", () -> listenPort(driver));
    String metrics =
        await(
            "the driver's metrics saying Aborted",
            () -> {
              String text = get("http://127.0.0.1:" + listening + "/metrics").body();
              return text.contains("weir_rollout_phase{rollout=\"storefront\",phase=\"ABORTED\",} 1.0")
                  ? Optional.of(text)
                  : Optional.empty();
            });
    assertThat(replicaHolding("storefront")).isEqualTo(driver);
    assertThat(weights()).containsExactly(100L, 0L);
    assertThat(record().get("phase")).isEqualTo("Aborted");
    assertThat(metrics).contains("weir_rollout_canary_weight_percent{rollout=\"storefront\",} 0.0");
    // and that it holds storefront
    assertThat(metrics).containsPattern("weir_application_lease_held\\{application=\"storefront\",[^}]*} 1.0");
    assertThat(metrics).contains("weir_live_replicas 3.0");
    assertThat(get("http://127.0.0.1:" + listening + "/readyz").statusCode()).isEqualTo(200);
    assertThat(get("http://127.0.0.1:" + listening + "/healthz").statusCode()).isEqualTo(200);
  }

  static HttpResponse<String> get(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Optional<String> listenPort(int index) {
    try {
      Matcher m =
          Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(log(index)));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
