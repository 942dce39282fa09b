package dev.weir.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.console.ApplicationDriver;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleSnapshot;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who drives each application, as a person's console shows it: two reconciler replicas (their
 * {@link ShardKeeper}s, reading the Leases through their watch) share four applications on the
 * sandbox API server's Leases; the console's snapshot names the replica holding each one and how
 * fresh its Lease is, then, when one replica stops renewing, that its Leases expired, and then the
 * replica that took them over. Time is the cluster's manual clock; the keepers tick by hand.
 */
class ApplicationDriverIT {
  static final Duration LEASE = Duration.ofSeconds(15);
  static final Set<String> APPS = new TreeSet<>(List.of("checkout", "inventory", "payments", "storefront"));

  @TempDir Path home;
  TestCluster cluster;
  ClusterGateway gateway;
  final List<AutoCloseable> closing = new ArrayList<>();

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
      RepoBuilder.Commit commit = repo.commit("four applications");
      for (String app : APPS) {
        commit.add(
            "apps/" + app + "/application.yaml",
            """
            apiVersion: weir.dev/v1alpha1
            kind: Application
            metadata: {name: %1$s}
            spec:
              source: {path: apps/%1$s}
              destination: {namespace: shop}
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
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    cluster.close();
  }

  /** A replica's keeper, reading the Leases through a watch of its own, as a replica does. */
  record Replica(String pod, ShardKeeper keeper, ShardLeases leases) {}

  Replica replica(String pod) {
    LeaseHolder holder = LeaseHolder.of(pod, "weir reconcile");
    ShardLeases leases = ShardLeases.watch(cluster.gateway(), "weir", () -> {});
    ShardKeeper keeper =
        new ShardKeeper(
            gateway,
            cluster.clock,
            new ShardKeeper.Settings("weir", LEASE, holder.identity(), holder.instance()),
            () -> APPS,
            new ShardKeeper.Listener() {
              @Override
              public void gained(String application) {}

              @Override
              public void lost(String application) {}
            },
            leases);
    closing.add(leases);
    return new Replica(pod, keeper, leases);
  }

  Console console(String user, boolean watch) throws Exception {
    JGitSource git =
        JGitSource.open(
            WorkspaceSpec.of(home.resolve("repo").toString()),
            GitSettings.from(Map.of(), home.resolve(user)),
            cluster.clock);
    Console console =
        Console.open(
            git,
            cluster.gateway(),
            cluster.clock,
            Console.Options.defaults(user, LeaseHolder.of(user + "@laptop", "weir tui")));
    closing.add(git);
    closing.add(console);
    (watch ? console.start() : console.refresh()).get(60, TimeUnit.SECONDS);
    return console;
  }

  /** Ticks each replica once, each reading the Leases only after its watch has seen every write. */
  void tick(Replica... replicas) {
    for (Replica replica : replicas) {
      awaitCaughtUp(replica.leases());
      replica.keeper().tick();
    }
  }

  /** Waits until the watch holds what the API server holds (the watch is asynchronous). */
  void awaitCaughtUp(ShardLeases leases) {
    // listed afresh at each look: a console announcing or releasing meanwhile (decision 0049)
    // changes what the server holds, and a list taken once would never be caught up with
    await(
        () -> leases.all().filter(ShardLeases.read(gateway, "weir").all().orElseThrow()::equals).isPresent(),
        "the Lease watch to catch up");
  }

  static ConsoleSnapshot awaitSnapshot(Console console, Predicate<ConsoleSnapshot> wanted) {
    ConsoleSnapshot[] last = new ConsoleSnapshot[1];
    await(
        () -> {
          last[0] = console.snapshot();
          return wanted.test(last[0]);
        },
        "the console's snapshot");
    return last[0];
  }

  /** Polls the cluster's side (a watch over HTTP) until {@code done}; the outcome never hangs on time. */
  static void await(java.util.function.BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // polling a watch, not timing
    }
  }

  static ApplicationDriver driver(ConsoleSnapshot snapshot, String application) {
    return snapshot.application(application).orElseThrow().driver();
  }

  static boolean drivenBy(ConsoleSnapshot snapshot, Set<String> applications, String pod) {
    return applications.stream()
        .allMatch(
            a ->
                driver(snapshot, a).kind() == ApplicationDriver.Kind.REPLICA
                    && driver(snapshot, a).who().equals(pod));
  }

  @Test
  void theSnapshotNamesTheReplicaThatHoldsEachApplicationAndTheOneThatTakesOver() throws Exception {
    Replica a = replica("weir-0");
    Replica b = replica("weir-1");
    for (int round = 0; round < 3; round++) {
      tick(a, b);
      cluster.clock.advance(Duration.ofSeconds(5));
    }
    Set<String> first = a.keeper().driven();
    Set<String> second = b.keeper().driven();
    assertThat(first).hasSize(2);
    assertThat(second).hasSize(2).doesNotContainAnyElementsOf(first);

    // a person's console in watch mode reads the Leases through its watch
    Console alice = console("alice", true);
    String mine = first.iterator().next();
    String renewed = "driven by replica weir-0 · Lease renewed 5 s ago";
    ConsoleSnapshot shared =
        awaitSnapshot(
            alice,
            s ->
                drivenBy(s, first, "weir-0")
                    && drivenBy(s, second, "weir-1")
                    && driver(s, mine).line().equals(renewed));
    ApplicationDriver one = driver(shared, mine);
    assertThat(one.line()).isEqualTo(renewed);
    assertThat(one.holder()).startsWith("weir-0 (pid ").endsWith(", weir reconcile)");
    assertThat(one.label()).isEqualTo("weir-0");
    assertThat(one.expiresAt()).contains(one.renewedAt().orElseThrow().plus(LEASE));

    // weir-1 stops renewing (killed): its Leases hold until they expire
    tick(a);
    cluster.clock.advance(Duration.ofSeconds(5));
    tick(a);
    String orphan = second.iterator().next();
    // the clock stands still while alice's watch catches up with weir-0's renewal of now
    ConsoleSnapshot stale =
        awaitSnapshot(
            alice,
            s -> driver(s, mine).line().equals("driven by replica weir-0 · Lease renewed 0 s ago"));
    assertThat(driver(stale, orphan).line()).isEqualTo("driven by replica weir-1 · Lease renewed 10 s ago");

    cluster.clock.advance(Duration.ofSeconds(6)); // weir-1's Leases ran out 1 s ago; no tick yet
    ConsoleSnapshot expired =
        awaitSnapshot(
            alice,
            s ->
                driver(s, mine).line().equals("driven by replica weir-0 · Lease renewed 6 s ago")
                    // alice takes orphan back on her clock at the expiry, off the snapshot's thread
                    && driver(s, orphan).kind() == ApplicationDriver.Kind.CONSOLE);
    assertThat(driver(expired, orphan).kind()).isEqualTo(ApplicationDriver.Kind.CONSOLE);
    assertThat(driver(expired, orphan).line())
        .isEqualTo(
            "driven by this console (alice@laptop) · replica weir-1's Lease expired 1 s ago");
    assertThat(drivenBy(expired, first, "weir-0")).isTrue();

    // a console that drives nothing (weir status) names alice's, which announces it (decision
    // 0049), and nobody for what no console announces
    await(
        () ->
            gateway
                .readLease("weir", "weir-console-" + orphan)
                .filter(l -> l.holder().startsWith("alice@laptop (pid "))
                .isPresent(),
        "alice's announcement of " + orphan);
    Console status = console("bob", false);
    ApplicationDriver announced = driver(status.snapshot(), orphan);
    assertThat(announced.kind()).isEqualTo(ApplicationDriver.Kind.CONSOLE);
    assertThat(announced.line()).isEqualTo("driven by alice@laptop's console · announced 0 s ago");
    assertThat(announced.label()).isEqualTo("alice@laptop");
    assertThat(drivenBy(status.snapshot(), first, "weir-0")).isTrue();

    // weir-0 counts one live replica once weir-1's membership has run out, and takes them over
    tick(a);
    cluster.clock.advance(Duration.ofSeconds(1));
    tick(a);
    assertThat(a.keeper().driven()).isEqualTo(APPS);
    String fresh = "driven by replica weir-0 · Lease renewed 0 s ago";
    ConsoleSnapshot takenOver =
        awaitSnapshot(
            alice, s -> drivenBy(s, APPS, "weir-0") && driver(s, orphan).line().equals(fresh));
    assertThat(driver(takenOver, orphan).line()).isEqualTo(fresh);
    Instant now = cluster.clock.instant();
    assertThat(driver(takenOver, orphan).renewedAt()).contains(now);
    // alice yields it to weir-0, and her announcement goes with it
    await(() -> gateway.readLease("weir", "weir-console-" + orphan).isEmpty(), "alice's announcement released");
  }
}
