package dev.weir.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.LeaseRecord;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's console in watch mode announces each application it drives with a Lease {@code
 * weir-console-<application>} in the replicas' namespace (decision 0049), and the other consoles
 * and {@code weir status} (a one-shot console) show it: {@code driven by alice@laptop's console ·
 * announced 3 s ago}. On the sandbox API server's Leases; time is the cluster's manual clock.
 */
class ConsoleAnnouncesItsApplicationsIT {
  static final Duration LEASE = Duration.ofSeconds(60);
  static final String ANNOUNCEMENT = "weir-console-storefront";

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
      RepoBuilder.Commit commit = repo.commit("storefront, synced by hand");
      commit.add(
          "apps/storefront/application.yaml",
          """
          apiVersion: weir.dev/v1alpha1
          kind: Application
          metadata: {name: storefront}
          spec:
            source: {path: apps/storefront}
            destination: {namespace: shop}
          """);
      commit.add(
          "apps/storefront/config.yaml",
          """
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: storefront}
          data: {colour: blue}
          """);
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

  @Test
  void othersSeeAliceDriveStorefrontUntilSheCloses() throws Exception {
    Console alice = console("alice", true);
    String identity = awaitAnnouncement("alice@laptop");
    assertThat(identity).startsWith("alice@laptop (pid ").contains("weir tui");

    // bob's console drives it too (consoles do not yield to each other) and says so
    Console bob = console("bob", true);
    ConsoleSnapshot beside =
        awaitSnapshot(bob, s -> driver(s).line().contains("alice@laptop's console drives it too"));
    assertThat(driver(beside).kind()).isEqualTo(ApplicationDriver.Kind.CONSOLE);
    assertThat(driver(beside).line())
        .startsWith("driven by this console (bob@laptop) · alice@laptop's console drives it too · announced ");

    // weir status (a one-shot console) names alice's console
    cluster.clock.advance(Duration.ofSeconds(3));
    ApplicationDriver shown = driver(console("status", false).snapshot());
    assertThat(shown.kind()).isEqualTo(ApplicationDriver.Kind.CONSOLE);
    assertThat(shown.who()).isEqualTo("alice@laptop");
    assertThat(shown.holder()).isEqualTo(LeaseHolder.parse(identity).describe());
    assertThat(shown.line()).matches("driven by alice@laptop's console · announced \\d+ s ago");
    assertThat(shown.expiresAt()).isPresent();

    // alice closes: released at once, not after it runs out
    alice.close();
    assertThat(gateway.readLease("weir", ANNOUNCEMENT).map(LeaseRecord::holder))
        .as("alice's announcement after she closed")
        .satisfiesAnyOf(h -> assertThat(h).isEmpty(), h -> assertThat(h.get()).doesNotStartWith("alice@"));
    ApplicationDriver after = driver(console("status-after", false).snapshot());
    assertThat(after.line()).doesNotContain("alice@laptop");
  }

  @Test
  void aConsoleThatDiedIsShownAsNobodyOnceItsAnnouncementRunsOut() throws Exception {
    // alice's process died after renewing its announcement: nobody released it
    LeaseHolder alice = LeaseHolder.of("alice@laptop", "weir tui");
    assertThat(
            gateway.acquireLease("weir", ANNOUNCEMENT, alice.identity(), Duration.ofSeconds(30)).acquired())
        .isTrue();
    cluster.clock.advance(Duration.ofSeconds(20));
    ApplicationDriver still = driver(console("status", false).snapshot());
    assertThat(still.line()).isEqualTo("driven by alice@laptop's console · announced 20 s ago");

    cluster.clock.advance(Duration.ofSeconds(11));
    ApplicationDriver gone = driver(console("status-later", false).snapshot());
    assertThat(gone.kind()).isEqualTo(ApplicationDriver.Kind.NOBODY);
    assertThat(gone.line())
        .isEqualTo(
            "nobody drives storefront: no reconciler replica holds its Lease and this console does not drive it");
  }

  @Test
  void aReplicaTakingTheApplicationMakesAliceYieldAndHerAnnouncementGo() throws Exception {
    Console alice = console("alice", true);
    awaitAnnouncement("alice@laptop");

    assertThat(gateway.acquireLease("weir", "weir-shard-storefront", "weir-0", LEASE).acquired()).isTrue();
    await(() -> gateway.readLease("weir", ANNOUNCEMENT).isEmpty(), "alice's announcement released");
    ConsoleSnapshot yielded =
        awaitSnapshot(alice, s -> driver(s).kind() == ApplicationDriver.Kind.REPLICA);
    assertThat(driver(yielded).who()).isEqualTo("weir-0");
    ApplicationDriver shown = driver(console("status", false).snapshot());
    assertThat(shown.kind()).isEqualTo(ApplicationDriver.Kind.REPLICA);
    assertThat(shown.who()).isEqualTo("weir-0");
    // and a tick later she still does not announce it
    cluster.clock.advance(Duration.ofSeconds(11));
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(gateway.readLease("weir", ANNOUNCEMENT)).isEmpty();
  }

  static ApplicationDriver driver(ConsoleSnapshot snapshot) {
    return snapshot.application("storefront").orElseThrow().driver();
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
            gateway,
            cluster.clock,
            Console.Options.defaults(user, LeaseHolder.of(user + "@laptop", "weir tui")));
    closing.add(git);
    closing.add(console);
    (watch ? console.start() : console.refresh()).get(60, TimeUnit.SECONDS);
    return console;
  }

  /** Awaits {@code who}'s console's announcement of storefront, the clock moved a second at a time. */
  String awaitAnnouncement(String who) {
    String[] holder = new String[1];
    awaitAdvancing(
        () -> {
          Optional<LeaseRecord> lease = gateway.readLease("weir", ANNOUNCEMENT);
          holder[0] = lease.map(LeaseRecord::holder).orElse("");
          return holder[0].startsWith(who + " (pid ");
        },
        "alice's announcement of storefront");
    return holder[0];
  }

  static ConsoleSnapshot awaitSnapshot(Console console, Predicate<ConsoleSnapshot> wanted) {
    ConsoleSnapshot[] last = new ConsoleSnapshot[1];
    await(
        () -> {
          last[0] = console.snapshot();
          return last[0] != null
              && last[0].application("storefront").isPresent()
              && wanted.test(last[0]);
        },
        "the console's snapshot");
    return last[0];
  }

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
