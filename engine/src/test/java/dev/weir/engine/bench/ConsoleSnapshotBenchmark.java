package dev.weir.engine.bench;

import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleOpening;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

/**
 * The console façade's snapshots (issue 11). Run: {@code ./build bench ConsoleSnapshotBenchmark -f
 * 1 -wi 2 -i 3}.
 *
 * <ul>
 *   <li>{@code firstLoadingSnapshotAfterSubscribe}: a face opens a console ({@link
 *       ConsoleOpening}, over a local repository and the sandbox's kubeconfig) and subscribes; one
 *       op ends when its listener, on its own thread, holds the first snapshot (marked loading).
 *       Opening itself is held back, as a slow clone would hold it. Target: under 100 ms.
 *   <li>{@code snapshotOf500ApplicationsAnd50Rollouts}: {@link Console#snapshot()} of a console
 *       that has read 500 applications (a Deployment and a Service each, 50 of them with a canary
 *       Rollout, synced so that their rollouts are driven) from Git and compared them with the
 *       sandbox API server. Target: under 20 ms.
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class ConsoleSnapshotBenchmark {

  @State(Scope.Benchmark)
  public static class Opening {
    Path dir;
    TestCluster cluster;
    WorkspaceSpec spec;
    GitSettings settings;
    Kubeconfig kubeconfig;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      dir = Files.createTempDirectory("weir-bench-opening");
      cluster = new TestCluster(dir.resolve("cluster"));
      try (RepoBuilder repo = RepoBuilder.init(dir.resolve("repo"))) {
        repo.commit("one application").add("apps/web/application.yaml", application(0)).create();
      }
      spec = WorkspaceSpec.of(dir.resolve("repo").toString());
      settings = GitSettings.from(Map.of(), dir.resolve("home"));
      kubeconfig = Kubeconfig.fromFile(cluster.kubeconfig);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      cluster.close();
    }
  }

  @State(Scope.Benchmark)
  public static class Loaded {
    @org.openjdk.jmh.annotations.Param({"500"})
    int applications;

    @org.openjdk.jmh.annotations.Param({"50"})
    int rollouts;

    /**
     * Whether each application has a replica's Lease ({@code weir-shard-app-N}, held) in the
     * {@code weir} namespace, as in a fleet the in-cluster replicas drive: the snapshot then says
     * who drives each one.
     */
    @org.openjdk.jmh.annotations.Param({"false", "true"})
    boolean leases;

    Path dir;
    TestCluster cluster;
    GitSource git;
    Console console;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      dir = Files.createTempDirectory("weir-bench-snapshot");
      cluster = new TestCluster(dir.resolve("cluster"));
      try (RepoBuilder repo = RepoBuilder.init(dir.resolve("repo"))) {
        RepoBuilder.Commit commit = repo.commit(applications + " applications");
        for (int i = 0; i < applications; i++) {
          commit.add("apps/app-" + i + "/application.yaml", application(i));
          commit.add("apps/app-" + i + "/workload.yaml", workload(i));
          if (i < rollouts) {
            commit.add("apps/app-" + i + "/rollout.yaml", rollout(i));
          }
        }
        commit.create();
      }
      if (leases) {
        var gateway = cluster.gateway();
        gateway.apply(
            Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "weir")),
            dev.weir.engine.cluster.ApplyOptions.weir());
        for (int i = 0; i < applications; i++) {
          gateway.acquireLease("weir", "weir-shard-app-" + i, "weir-" + (i % 3), java.time.Duration.ofHours(1));
        }
      }
      git =
          JGitSource.open(
              WorkspaceSpec.of(dir.resolve("repo").toString()),
              GitSettings.from(Map.of(), dir.resolve("home")),
              cluster.clock);
      console =
          Console.open(
              git,
              cluster.gateway(),
              cluster.clock,
              Console.Options.defaults("bench", LeaseHolder.of("bench@host", "benchmark")),
              null,
              Runnable::run);
      long started = System.nanoTime();
      console.refresh().join();
      for (int i = 0; i < rollouts; i++) { // a rollout shows once its Deployment is in the cluster
        var synced = console.sync("app-" + i, Console.SyncOptions.plain()).join();
        if (!synced.ok()) {
          throw new IllegalStateException("benchmark setup: " + synced.message());
        }
      }
      var refreshed = console.refresh().join();
      ConsoleSnapshot snapshot = console.snapshot();
      long withRollouts =
          snapshot.applications().stream().filter(a -> !a.rollouts().isEmpty()).count();
      int rolloutCount =
          snapshot.applications().stream().mapToInt(a -> a.rollouts().size()).sum();
      int nodes = snapshot.applications().stream().mapToInt(a -> a.tree().size()).sum();
      System.out.printf(
          "%nsetup: %s in %d ms; %d applications, %d with rollouts (%d rollouts), %d tree nodes%n",
          refreshed.message(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          snapshot.applications().size(),
          withRollouts,
          rolloutCount,
          nodes);
      long driven =
          snapshot.applications().stream().filter(a -> a.driver().kind() == dev.weir.engine.console.ApplicationDriver.Kind.REPLICA).count();
      System.out.printf("setup: %d applications driven by a replica%n", driven);
      if (leases && driven != applications) {
        throw new IllegalStateException("benchmark setup: the Leases were not read: " + snapshot.applications().getFirst().driver());
      }
      if (snapshot.applications().size() != applications || rolloutCount != rollouts) {
        throw new IllegalStateException("benchmark repository did not load: " + refreshed);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      console.close();
      git.close();
      cluster.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ConsoleSnapshot firstLoadingSnapshotAfterSubscribe(Opening state) throws Exception {
    CompletableFuture<Void> proceed = new CompletableFuture<>();
    ConsoleOpening opening =
        ConsoleOpening.open(
            steps -> {
              proceed.join();
              throw new IllegalStateException("benchmark: opening stops here");
            },
            state.spec,
            state.settings,
            state.kubeconfig,
            null,
            state.cluster.clock);
    CompletableFuture<ConsoleSnapshot> first = new CompletableFuture<>();
    opening.subscribe(first::complete);
    ConsoleSnapshot snapshot = first.get(10, TimeUnit.SECONDS);
    opening.close();
    proceed.complete(null);
    if (!snapshot.isLoading()) {
      throw new IllegalStateException("the first snapshot is not marked loading: " + snapshot);
    }
    return snapshot;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ConsoleSnapshot snapshotOf500ApplicationsAnd50Rollouts(Loaded state) {
    return state.console.snapshot();
  }

  static String application(int i) {
    return """
    apiVersion: weir.dev/v1alpha1
    kind: Application
    metadata: {name: app-%1$d}
    spec:
      source: {path: apps/app-%1$d}
      destination: {namespace: team-%2$d}
      syncPolicy: {automated: {prune: true, selfHeal: true}}
    """
        .formatted(i, i % 20);
  }

  static String workload(int i) {
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: app-%1$d}
    spec:
      replicas: 2
      selector: {matchLabels: {app: app-%1$d}}
      template:
        metadata: {labels: {app: app-%1$d}}
        spec:
          containers:
          - {name: app, image: "registry.example.com/app-%1$d:1.0.0"}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: app-%1$d}
    spec:
      selector: {app: app-%1$d}
      ports: [{name: http, port: 80, targetPort: 8080}]
    """
        .formatted(i);
  }

  static String rollout(int i) {
    return """
    apiVersion: weir.dev/v1alpha1
    kind: Rollout
    metadata: {name: app-%1$d}
    spec:
      targetRef: {kind: Deployment, name: app-%1$d}
      strategy:
        canary:
          steps:
          - setWeight: 20
          - pause: {}
          - setWeight: 50
          - pause: {duration: 5m}
    """
        .formatted(i);
  }
}
