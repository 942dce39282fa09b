package dev.weir.tui.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleLauncher;
import dev.weir.engine.console.ConsoleSettings;
import dev.weir.engine.console.RepositorySettings;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.time.EngineClock;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * The in-cluster reconciler at scale ({@code ./build bench-shard}, docs/benchmarks.md): a
 * repository of 1,000 applications, three real {@code weir reconcile --watch --in-cluster}
 * processes configured as pods are (as {@link InClusterFailoverIT} starts them), the sandbox's API
 * server and world in this JVM. It measures, in wall time:
 *
 * <ol>
 *   <li>the first start: until the Leases are spread and every application is synced;
 *   <li>a console's abort of a canary (a console opened in this JVM, through the façade) until
 *       traffic is on stable, and until the replica driving the rollout shows it Aborted on its
 *       {@code /metrics};
 *   <li>one Git commit changing every application but the canary's (a ConfigMap value each) until
 *       every one of them is applied and recorded synced at the new revision in the cluster, with
 *       Git polled every {@code --git-poll} seconds;
 *   <li>SIGKILL of the replica holding the most Leases (its applications' ConfigMaps then changed
 *       by hand, a drift only their driver heals) until a survivor holds each of them, and until
 *       each is healed.
 * </ol>
 *
 * <p>Every figure is taken by polling the API server (every 100 ms, 20 ms for the abort), so a
 * figure is at most that much late. Not a test: nothing is asserted, figures are printed with the
 * machine's cores and load average. Options: {@code --applications N} (1000), {@code --replicas N}
 * (3), {@code --lease-duration S} (15, the default of a replica), {@code --git-poll S} (15), {@code
 * --aborts N} (5), {@code --replica-heap SIZE} (512m), {@code --keep} (keep the directory).
 */
final class ShardBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(20);

  private int applications = 1000;
  private int replicaCount = 3;
  private int leaseDuration = 15;
  private int gitPoll = 15;
  private int aborts = 5;
  private String replicaHeap = "512m";
  private boolean keep;

  private Path home;
  private SandboxApiServer server;
  private SandboxWorld world;
  private ClusterGateway gateway;
  private Path repo;
  private Path adminKubeconfig;
  private Path account;
  private final List<Process> replicas = new ArrayList<>();
  private final List<String> rows = new ArrayList<>();
  private final Instant began = Instant.now();

  public static void main(String[] args) throws Exception {
    ShardBench bench = new ShardBench();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--applications" -> bench.applications = Integer.parseInt(args[++i]);
        case "--replicas" -> bench.replicaCount = Integer.parseInt(args[++i]);
        case "--lease-duration" -> bench.leaseDuration = Integer.parseInt(args[++i]);
        case "--git-poll" -> bench.gitPoll = Integer.parseInt(args[++i]);
        case "--aborts" -> bench.aborts = Integer.parseInt(args[++i]);
        case "--replica-heap" -> bench.replicaHeap = args[++i];
        case "--keep" -> bench.keep = true;
        default -> {
          System.err.println(
              "usage: ShardBench [--applications N] [--replicas N] [--lease-duration S]"
                  + " [--git-poll S] [--aborts N] [--replica-heap SIZE] [--keep]");
          System.exit(2);
        }
      }
    }
    // interrupted (Ctrl+C): the replicas end with the bench
    Thread stopping = new Thread(bench::stop);
    Runtime.getRuntime().addShutdownHook(stopping);
    try {
      bench.run();
    } finally {
      Runtime.getRuntime().removeShutdownHook(stopping);
      bench.stop();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    say(
        "%d applications, %d replicas, lease %d s, Git polled every %d s; %d cores, load %s",
        applications, replicaCount, leaseDuration, gitPoll, Runtime.getRuntime().availableProcessors(), load());
    startCluster();
    String first = writeRepository();
    long t0 = System.nanoTime();
    for (int i = 0; i < replicaCount; i++) {
      replica(i);
    }
    int quota = (applications + replicaCount - 1) / replicaCount;
    await(
        "the Leases spread",
        () -> {
          Map<String, Long> counts = counts(holders());
          return counts.values().stream().mapToLong(c -> c).sum() == applications
              && counts.size() == replicaCount
              && counts.values().stream().allMatch(c -> c <= quota);
        },
        100);
    long spread = System.nanoTime() - t0;
    await("every application synced at " + shortRev(first), () -> synced(first, "1").size() == applications - 1, 250);
    long allSynced = System.nanoTime() - t0;
    row("first start: Leases spread " + counts(holders()).values(), spread);
    row("first start: every application synced", allSynced);

    measureAborts();
    measureGitChange();
    measureFailover();

    System.out.println();
    System.out.printf(
        "%d applications, %d replicas, lease %d s, Git polled every %d s; %d cores; load average at the end %s%n",
        applications, replicaCount, leaseDuration, gitPoll, Runtime.getRuntime().availableProcessors(), load());
    System.out.println("| measure | seconds |");
    System.out.println("|---|---|");
    rows.forEach(System.out::println);
  }

  // ---- the phases ----

  private void measureAborts() throws Exception {
    ConsoleSettings settings =
        ConsoleSettings.of(
            RepositorySettings.of(
                repo.toString(),
                Map.of("XDG_CACHE_HOME", home.resolve("console/cache").toString()),
                home.resolve("console")),
            List.of(adminKubeconfig),
            Optional.empty(),
            "bench console");
    long opening = System.nanoTime();
    try (ConsoleLauncher.LaunchedConsole launched = ConsoleLauncher.open(settings)) {
      CommandResult refreshed = launched.console().refresh().join();
      say("console opened and compared in %.1f s: %s", seconds(System.nanoTime() - opening), refreshed.message());
      List<Long> toStable = new ArrayList<>();
      List<Long> answered = new ArrayList<>();
      List<Long> toDriver = new ArrayList<>();
      for (int i = 0; i < aborts; i++) {
        await(
            "the canary paused at 20%",
            () -> "Paused".equals(record().get("phase")) && "20".equals(record().get("weight")),
            100);
        int driver = replicaHolding("storefront");
        String port = listenPort(driver).orElseThrow();
        long start = System.nanoTime();
        var abort = launched.console().abort("storefront", Optional.empty(), "shard bench");
        await(
            "traffic on stable",
            () -> {
              if (abort.isDone() && !abort.join().ok()) {
                throw new AbortRefused(abort.join().message());
              }
              return weights().equals(List.of(100L, 0L));
            },
            20);
        long stable = System.nanoTime() - start;
        CommandResult result = abort.join();
        long done = System.nanoTime() - start;
        await(
            "the driver seeing the abort",
            () ->
                metrics(port)
                    .contains("weir_rollout_phase{rollout=\"storefront\",phase=\"ABORTED\",} 1.0"),
            20);
        long seen = System.nanoTime() - start;
        say(
            "abort %d: traffic on stable %.3f s, command answered %.3f s, driver (weir-%d) Aborted %.3f s: %s",
            i + 1, seconds(stable), seconds(done), driver, seconds(seen), result.message());
        toStable.add(stable);
        answered.add(done);
        toDriver.add(seen);
        if (i + 1 < aborts) {
          CommandResult retried = launched.console().retry("storefront", Optional.empty(), "shard bench").join();
          if (!retried.ok()) {
            throw new IllegalStateException("retry: " + retried.message());
          }
        }
      }
      rowOf("console abort → traffic on stable (" + aborts + " runs)", toStable);
      rowOf("console abort → the command answered", answered);
      rowOf("console abort → the driving replica's /metrics Aborted", toDriver);
    }
  }

  private void measureGitChange() {
    String second;
    try (RepoBuilder git = RepoBuilder.open(repo)) {
      RepoBuilder.Commit commit = git.commit("fleet: every application's settings, revision 2").at(Instant.now());
      for (int i = 0; i < applications - 1; i++) {
        commit.add("apps/" + name(i) + "/configmap.yaml", configMap(name(i), "2"));
      }
      second = commit.create();
    }
    long start = System.nanoTime();
    Map<String, String> holdersBefore = holders();
    Map<String, Long> firstSeen = new HashMap<>();
    await(
        "every application synced at " + shortRev(second),
        () -> {
          Set<String> done = synced(second, "2");
          long now = System.nanoTime() - start;
          done.forEach(app -> firstSeen.putIfAbsent(app, now));
          return done.size() == applications - 1;
        },
        100);
    long all = System.nanoTime() - start;
    List<Long> times = new ArrayList<>(firstSeen.values());
    rowOf("Git commit → each application applied and synced (" + (applications - 1) + ")", times);
    row("Git commit → every application applied and synced", all);
    // per replica: its first and its last; the first is about when it fetched
    Map<String, List<Long>> byReplica = new TreeMap<>();
    firstSeen.forEach(
        (app, t) ->
            byReplica
                .computeIfAbsent(replicaName(holdersBefore.getOrDefault(app, "?")), k -> new ArrayList<>())
                .add(t));
    byReplica.forEach(
        (replica, ts) -> {
          long lo = ts.stream().mapToLong(t -> t).min().orElse(0);
          long hi = ts.stream().mapToLong(t -> t).max().orElse(0);
          rows.add(
              String.format(
                  "| %s: %d applications, first %.1f, last %.1f: **%.1f s from its first to its last** | %.1f |",
                  replica, ts.size(), seconds(lo), seconds(hi), seconds(hi - lo), seconds(hi)));
        });
  }

  private void measureFailover() throws Exception {
    Map<String, String> held = holders();
    String victimHolder =
        counts(held).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    int victim = replicaIndex(victimHolder);
    Set<String> victims =
        held.entrySet().stream()
            .filter(e -> e.getValue().equals(victimHolder) && !e.getKey().equals("storefront"))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    boolean storefrontToo = victimHolder.equals(held.get("storefront"));
    long start = System.nanoTime();
    replicas.get(victim).destroyForcibly(); // SIGKILL: no Lease given up
    replicas.get(victim).waitFor(60, TimeUnit.SECONDS);
    long killed = System.nanoTime() - start;
    // a drift only their driver heals: every one of its ConfigMaps changed by hand
    ResourceType configMaps = gateway.resourceType("v1", "ConfigMap");
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (String app : victims) {
        pool.submit(
            () ->
                gateway.apply(
                    Map.of(
                        "apiVersion", "v1",
                        "kind", "ConfigMap",
                        "metadata", Map.of("name", app, "namespace", "fleet"),
                        "data", Map.of("revision", "drifted")),
                    new ApplyOptions("kubectl-edit", true, false)));
      }
    }
    long drifted = System.nanoTime() - start;
    say(
        "killed weir-%d (%d applications%s) in %.1f s; drifted their ConfigMaps by %.1f s",
        victim, victims.size(), storefrontToo ? " and storefront" : "", seconds(killed), seconds(drifted));
    Map<String, Long> takenAt = new HashMap<>();
    await(
        "the survivors holding every application of weir-" + victim,
        () -> {
          Map<String, String> now = holders();
          long t = System.nanoTime() - start;
          for (String app : victims) {
            String holder = now.get(app);
            if (holder != null && !holder.equals(victimHolder)) {
              takenAt.putIfAbsent(app, t);
            }
          }
          return takenAt.keySet().containsAll(victims);
        },
        100);
    long allTaken = System.nanoTime() - start;
    Map<String, Long> healedAt = new HashMap<>();
    await(
        "every application of weir-" + victim + " healed",
        () -> {
          long t = System.nanoTime() - start;
          for (LiveObject map : gateway.list(configMaps, "fleet", "")) {
            String name = map.key().name();
            if (victims.contains(name)
                && map.object().get("data") instanceof Map<?, ?> data
                && !"drifted".equals(data.get("revision"))) {
              healedAt.putIfAbsent(name, t);
            }
          }
          return healedAt.keySet().containsAll(victims);
        },
        100);
    long allHealed = System.nanoTime() - start;
    Map<String, Long> after = counts(holders());
    rowOf("SIGKILL → each of its " + victims.size() + " applications held by a survivor", new ArrayList<>(takenAt.values()));
    row("SIGKILL → all of them held by survivors " + after.values(), allTaken);
    rowOf("SIGKILL → each of them healed by its new driver", new ArrayList<>(healedAt.values()));
    row("SIGKILL → all of them healed", allHealed);
  }

  // ---- the world ----

  private void startCluster() throws Exception {
    home = Files.createTempDirectory("weir-shard-bench");
    server = SandboxApiServer.start(SandboxOptions.builder().ephemeral().clock(EngineClock.system()).build());
    world =
        SandboxWorld.attach(
            server,
            new WorldSettings(
                1, Duration.ofMillis(500), 0.5, 3, 20, Duration.ofMinutes(30), Duration.ofMinutes(5),
                Duration.ofSeconds(30)));
    adminKubeconfig = home.resolve("admin.kubeconfig");
    server.writeKubeconfig(adminKubeconfig, server.adminToken());
    gateway = KubeClusterGateway.connect(Kubeconfig.fromFile(adminKubeconfig), null, EngineClock.system());
    for (String namespace : List.of("weir", "shop", "fleet")) {
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)),
          ApplyOptions.weir());
    }
    account = Files.createDirectories(home.resolve("serviceaccount"));
    server.addToken("weir-sa-token-1", "system:serviceaccount:weir:weir", List.of("system:masters"));
    Files.writeString(account.resolve("token"), "weir-sa-token-1");
    Files.writeString(account.resolve("ca.crt"), server.certificateAuthorityPem().orElseThrow());
    Files.writeString(account.resolve("namespace"), "weir");
    say("sandbox API server at %s, directory %s", server.url(), home);
  }

  /** Writes the repository (N - 1 applications and the storefront canary); its first commit. */
  private String writeRepository() {
    repo = home.resolve("fleet.git");
    String first;
    try (RepoBuilder git = RepoBuilder.init(repo)) {
      RepoBuilder.Commit commit =
          git.commit("fleet: " + (applications - 1) + " applications and the storefront canary").at(Instant.now());
      for (int i = 0; i < applications - 1; i++) {
        String name = name(i);
        commit.add("apps/" + name + "/application.yaml", InClusterFailoverIT.application(name, "fleet"));
        commit.add("apps/" + name + "/configmap.yaml", configMap(name, "1"));
        commit.add("apps/" + name + "/deployment.yaml", deployment(name));
      }
      commit.add("apps/storefront/application.yaml", InClusterFailoverIT.application("storefront", "shop"));
      for (Map.Entry<String, String> file : InClusterFailoverIT.storefront("2.4.1").entrySet()) {
        commit.add("apps/storefront/" + file.getKey(), file.getValue());
      }
      commit.add("apps/storefront/rollout.yaml", InClusterFailoverIT.ROLLOUT);
      first = commit.create();
    }
    // the cluster runs the stable version of the storefront; Git's head wants the next: a canary
    for (Map.Entry<String, String> file : InClusterFailoverIT.storefront("2.4.0").entrySet()) {
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
    return first;
  }

  static String name(int i) {
    return String.format("app-%04d", i);
  }

  static String configMap(String name, String revision) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n"
        + "data: {owner: " + name + ", revision: \"" + revision + "\"}\n";
  }

  static String deployment(String name) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: NAME, labels: {app.kubernetes.io/name: NAME}}
        spec:
          replicas: 1
          selector: {matchLabels: {app.kubernetes.io/name: NAME}}
          template:
            metadata: {labels: {app.kubernetes.io/name: NAME}}
            spec:
              containers:
              - {name: app, image: registry.example/fleet/NAME:1.0.0}
        """
        .replace("NAME", name);
  }

  /** One replica: the CLI in a JVM of its own, configured as a pod is. */
  private void replica(int index) throws IOException {
    Path dir = Files.createDirectories(home.resolve("replica-" + index));
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + replicaHeap,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.weir.tui.cli.WeirCommand",
            "reconcile",
            "--watch",
            "--in-cluster",
            "--repo",
            repo.toString(),
            "--lease-duration",
            String.valueOf(leaseDuration),
            "--git-poll",
            String.valueOf(gitPoll),
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
    replicas.add(builder.start());
  }

  private synchronized void stop() {
    for (Process replica : replicas) {
      replica.destroyForcibly();
    }
    for (Process replica : replicas) {
      try {
        replica.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (gateway != null) {
        gateway.close();
      }
      if (world != null) {
        world.close();
      }
      if (server != null) {
        server.close();
      }
    } catch (Exception e) {
      System.err.println("closing: " + e.getMessage());
    }
    if (home != null && !keep) {
      try (var paths = Files.walk(home)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not delete " + home + ": " + e.getMessage());
      }
    }
  }

  // ---- reading the cluster ----

  /** Application → holder identity, of the application Leases held now. */
  private Map<String, String> holders() {
    Map<String, String> out = new HashMap<>();
    for (LiveObject lease : gateway.list(gateway.resourceType("coordination.k8s.io/v1", "Lease"), "weir", "")) {
      String name = lease.key().name();
      if (name.startsWith("weir-shard-")
          && lease.spec().get("holderIdentity") instanceof String holder
          && !holder.isEmpty()
          && lease.spec().get("renewTime") instanceof String renewed
          && lease.spec().get("leaseDurationSeconds") instanceof Number seconds
          && Instant.parse(renewed).plusSeconds(seconds.longValue()).isAfter(Instant.now())) {
        out.put(name.substring("weir-shard-".length()), holder);
      }
    }
    return out;
  }

  private static Map<String, Long> counts(Map<String, String> holders) {
    return holders.values().stream().collect(Collectors.groupingBy(h -> h, TreeMap::new, Collectors.counting()));
  }

  /**
   * The fleet applications whose ConfigMap has {@code value} and whose kept state says the last
   * sync was at {@code revision}.
   */
  private Set<String> synced(String revision, String value) {
    Set<String> applied = new TreeSet<>();
    Set<String> recorded = new TreeSet<>();
    for (LiveObject map : gateway.list(gateway.resourceType("v1", "ConfigMap"), "fleet", "")) {
      String name = map.key().name();
      if (!(map.object().get("data") instanceof Map<?, ?> data)) {
        continue;
      }
      if (name.startsWith("app-") && value.equals(data.get("revision"))) {
        applied.add(name);
      } else if (name.startsWith("weir-state-app-") && data.get("state.json") instanceof String state) {
        try {
          JsonNode last = JSON.readTree(state).path("lastSync");
          if (revision.equals(last.path("revision").asText()) && "SUCCEEDED".equalsIgnoreCase(last.path("outcome").asText("SUCCEEDED"))) {
            recorded.add(name.substring("weir-state-".length()));
          }
        } catch (IOException e) {
          // not this one
        }
      }
    }
    applied.retainAll(recorded);
    return applied;
  }

  private Map<String, Object> record() {
    return gateway
        .get(new ResourceKey("", "ConfigMap", "shop", "storefront-rollout"))
        .map(o -> o.object().get("data") instanceof Map<?, ?> m ? InClusterFailoverIT.castMap(m) : Map.<String, Object>of())
        .orElse(Map.of());
  }

  private List<Long> weights() {
    LiveObject route =
        gateway.get(new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront")).orElseThrow();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules = (List<Map<String, Object>>) route.spec().get("rules");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> backends = (List<Map<String, Object>>) rules.getFirst().get("backendRefs");
    return backends.stream().map(b -> ((Number) b.get("weight")).longValue()).toList();
  }

  private int replicaHolding(String application) {
    return replicaIndex(holders().get(application));
  }

  private int replicaIndex(String holder) {
    long pid = LeaseHolder.parse(holder).pid();
    for (int i = 0; i < replicas.size(); i++) {
      if (replicas.get(i).pid() == pid) {
        return i;
      }
    }
    throw new IllegalStateException("held by no replica of this bench: " + holder);
  }

  private String replicaName(String holder) {
    try {
      return "weir-" + replicaIndex(holder);
    } catch (RuntimeException e) {
      return "?";
    }
  }

  private Optional<String> listenPort(int index) {
    try {
      Matcher m =
          Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)")
              .matcher(Files.readString(home.resolve("replica-" + index).resolve("log.jsonl")));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String metrics(String port) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- waiting and printing ----

  /** A command the bench gave was answered with a refusal: no point in waiting for its effect. */
  private static final class AbortRefused extends RuntimeException {
    AbortRefused(String message) {
      super(message);
    }
  }

  private void await(String what, BooleanSupplier condition, long everyMillis) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    long lastWord = System.nanoTime();
    while (true) {
      boolean done;
      try {
        done = condition.getAsBoolean();
      } catch (AbortRefused e) {
        throw new IllegalStateException("the console's abort was not taken: " + e.getMessage());
      } catch (RuntimeException e) {
        done = false; // the API server under load: ask again
      }
      if (done) {
        return;
      }
      for (Process replica : replicas) {
        if (!replica.isAlive() && replica.exitValue() != 137 && replica.exitValue() != 9) {
          throw new IllegalStateException("a replica ended (" + replica.exitValue() + ") while waiting for " + what);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what);
      }
      if (System.nanoTime() - lastWord > Duration.ofSeconds(30).toNanos()) {
        say("still waiting for %s (load %s)", what, load());
        lastWord = System.nanoTime();
      }
      LockSupport.parkNanos(Duration.ofMillis(everyMillis).toNanos());
    }
  }

  private void row(String what, long nanos) {
    rows.add(String.format("| %s | %.1f |", what, seconds(nanos)));
    say("%s: %.1f s (load %s)", what, seconds(nanos), load());
  }

  private void rowOf(String what, List<Long> nanos) {
    List<Long> sorted = nanos.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return;
    }
    String figure =
        String.format(
            "min %.3f, median %.3f, p90 %.3f, max %.3f",
            seconds(sorted.getFirst()),
            seconds(sorted.get((sorted.size() - 1) / 2)),
            seconds(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1))),
            seconds(sorted.getLast()));
    rows.add(String.format("| %s | %s |", what, figure));
    say("%s: %s (load %s)", what, figure, load());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String shortRev(String sha) {
    return sha.substring(0, 7);
  }

  private void say(String format, Object... args) {
    System.out.printf(
        "[%6.1f s] %s%n", Duration.between(began, Instant.now()).toMillis() / 1000.0, String.format(format, args));
    System.out.flush();
  }

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
