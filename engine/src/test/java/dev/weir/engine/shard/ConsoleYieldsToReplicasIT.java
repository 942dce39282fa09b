package dev.weir.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.console.ApplicationDriver;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's console in watch mode beside the in-cluster replicas (decision 0046): it leaves to a
 * replica every application whose Lease that replica holds — no automated sync, no self-heal, no
 * rollout driven, as two drivers would race — while still showing it live, and takes it back once
 * the Lease runs out unrenewed. On the sandbox API server's Leases; time is the cluster's manual
 * clock.
 */
class ConsoleYieldsToReplicasIT {
  static final Duration LEASE = Duration.ofSeconds(60);

  @TempDir Path home;
  TestCluster cluster;
  ClusterGateway gateway;
  JGitSource git;
  Console alice;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(home.resolve("cluster"));
    gateway = cluster.gateway();
    for (String namespace : List.of("weir", "shop")) {
      gateway.apply(
          Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)),
          ApplyOptions.weir());
    }
    try (RepoBuilder repo = RepoBuilder.init(home.resolve("repo"))) {
      RepoBuilder.Commit commit = repo.commit("two applications, synced automatically");
      for (String app : List.of("inventory", "storefront")) {
        commit.add(
            "apps/" + app + "/application.yaml",
            """
            apiVersion: weir.dev/v1alpha1
            kind: Application
            metadata: {name: %1$s}
            spec:
              source: {path: apps/%1$s}
              destination: {namespace: shop}
              syncPolicy: {automated: {prune: true, selfHeal: true}}
            """
                .formatted(app));
        commit.add(
            "apps/" + app + "/config.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: %1$s}
            data: {colour: blue}
            """
                .formatted(app));
      }
      commit.create();
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (alice != null) {
      alice.close();
    }
    if (git != null) {
      git.close();
    }
    cluster.close();
  }

  @Test
  void aWatchingConsoleLeavesToAReplicaWhatItsLeaseHoldsAndTakesItBackWhenTheLeaseRunsOut()
      throws Exception {
    // replica weir-0 holds storefront's Lease before the console starts
    assertThat(gateway.acquireLease("weir", "weir-shard-storefront", "weir-0", LEASE).acquired()).isTrue();
    ResourceKey storefront = new ResourceKey("", "ConfigMap", "shop", "storefront");
    ResourceKey inventory = new ResourceKey("", "ConfigMap", "shop", "inventory");

    git =
        JGitSource.open(
            WorkspaceSpec.of(home.resolve("repo").toString()),
            GitSettings.from(Map.of(), home.resolve("alice")),
            cluster.clock);
    alice =
        Console.open(
            git,
            gateway,
            cluster.clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "weir tui")));
    alice.start().get(60, TimeUnit.SECONDS);

    // the console syncs what nobody else drives at once (its automated sync), and not storefront,
    // from its very first pass: the watch of the Leases had not listed them yet
    awaitAdvancing(() -> gateway.get(inventory).isPresent(), "inventory synced by the console");
    for (int i = 0; i < 3; i++) {
      cluster.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(gateway.get(storefront)).as("storefront is left to weir-0").isEmpty();
    ConsoleSnapshot shared =
        awaitSnapshot(
            s ->
                driver(s, "storefront").kind() == ApplicationDriver.Kind.REPLICA
                    && driver(s, "inventory").kind() == ApplicationDriver.Kind.CONSOLE);
    assertThat(driver(shared, "storefront").who()).isEqualTo("weir-0");
    assertThat(messages(shared, "storefront"))
        .contains("replica weir-0 drives storefront: this console leaves it to the replica");
    assertThat(shared.application("storefront").orElseThrow().sync())
        .as("still compared, and shown live: out of sync, the replica's to sync")
        .isEqualTo(SyncStatus.OutOfSync);

    // weir-0 dies: its Lease is not renewed, and once it has run out the console drives storefront
    cluster.clock.advance(LEASE);
    awaitAdvancing(() -> gateway.get(storefront).isPresent(), "storefront synced once the Lease ran out");
    ConsoleSnapshot taken =
        awaitSnapshot(s -> driver(s, "storefront").kind() == ApplicationDriver.Kind.CONSOLE);
    assertThat(messages(taken, "storefront"))
        .contains("no replica holds storefront's Lease now: this console drives it");
  }

  static ApplicationDriver driver(ConsoleSnapshot snapshot, String application) {
    return snapshot.application(application).orElseThrow().driver();
  }

  static List<String> messages(ConsoleSnapshot snapshot, String application) {
    return snapshot.eventsOf(application).stream().map(ConsoleEvent::message).toList();
  }

  ConsoleSnapshot awaitSnapshot(java.util.function.Predicate<ConsoleSnapshot> wanted) {
    ConsoleSnapshot[] last = new ConsoleSnapshot[1];
    await(
        () -> {
          last[0] = alice.snapshot();
          return wanted.test(last[0]);
        },
        "the console's snapshot");
    return last[0];
  }

  /**
   * Awaits {@code done}, the engine clock moved a second at a time: an automated sync is due at
   * once, on the clock. Each second waits a moment of wall time for the console's threads; on a
   * slow machine more seconds pass, which the 60 s Lease leaves room for.
   */
  void awaitAdvancing(BooleanSupplier done, String what) {
    for (int second = 0; second < 20; second++) {
      long moment = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < moment) {
        if (done.getAsBoolean()) {
          return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      cluster.clock.advance(Duration.ofSeconds(1));
    }
    await(done, what);
  }

  /** Polls the cluster's side (watches over HTTP) until {@code done}; a bound, not a measure. */
  static void await(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
