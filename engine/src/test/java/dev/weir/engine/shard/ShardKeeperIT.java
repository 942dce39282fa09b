package dev.weir.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas sharing applications on the sandbox's Leases, their ticks driven by hand and time by
 * the cluster's manual clock: each application held by one replica, spread evenly, and a dead
 * replica's applications taken once its Leases expire.
 */
class ShardKeeperIT {
  static final Duration LEASE = Duration.ofSeconds(15);

  @TempDir Path home;
  TestCluster cluster;
  ClusterGateway gateway;
  final Set<String> apps =
      IntStream.range(0, 30).mapToObj(i -> "app-" + i).collect(Collectors.toCollection(TreeSet::new));
  final List<ShardKeeper> keepers = new ArrayList<>();
  final List<String> gains = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(home.resolve("cluster"));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "weir")),
        ApplyOptions.weir());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  ShardKeeper replica(String pod) {
    LeaseHolder holder = LeaseHolder.of(pod, "weir reconcile");
    ShardKeeper keeper =
        new ShardKeeper(
            cluster.gateway(),
            cluster.clock,
            new ShardKeeper.Settings("weir", LEASE, holder.identity(), holder.instance()),
            () -> apps,
            new ShardKeeper.Listener() {
              @Override
              public void gained(String application) {
                gains.add(pod + " " + application);
              }

              @Override
              public void lost(String application) {}
            });
    keepers.add(keeper);
    return keeper;
  }

  void tickAll(int rounds) {
    for (int i = 0; i < rounds; i++) {
      keepers.forEach(ShardKeeper::tick);
      cluster.clock.advance(Duration.ofSeconds(5));
    }
  }

  @Test
  void threeReplicasHoldTenApplicationsEachAndNoApplicationTwice() {
    ShardKeeper a = replica("weir-0");
    ShardKeeper b = replica("weir-1");
    ShardKeeper c = replica("weir-2");
    tickAll(3);
    assertThat(a.driven()).hasSize(10);
    assertThat(b.driven()).hasSize(10);
    assertThat(c.driven()).hasSize(10);
    Set<String> all = new TreeSet<>(a.driven());
    all.addAll(b.driven());
    all.addAll(c.driven());
    assertThat(all).isEqualTo(apps);
    assertThat(a.holders()).hasSize(30);
    assertThat(a.liveMembers()).isEqualTo(3);
  }

  @Test
  void aDeadReplicasApplicationsGoToTheOthersOnlyAfterItsLeasesExpire() {
    ShardKeeper a = replica("weir-0");
    ShardKeeper b = replica("weir-1");
    ShardKeeper dead = replica("weir-2");
    tickAll(3);
    Set<String> orphaned = dead.driven();
    assertThat(orphaned).hasSize(10);
    keepers.remove(dead); // it stops ticking: killed, its Leases left as they were
    a.tick();
    b.tick();
    assertThat(a.driven()).doesNotContainAnyElementsOf(orphaned);
    assertThat(b.driven()).doesNotContainAnyElementsOf(orphaned);

    tickAll(4); // 20 s: past the 15 s lease
    assertThat(a.driven()).hasSize(15);
    assertThat(b.driven()).hasSize(15);
    Set<String> taken = new TreeSet<>(a.driven());
    taken.addAll(b.driven());
    assertThat(taken).containsAll(orphaned);
  }

  @Test
  void aLeaseIsRenewedAtTheVersionListedAndNeverTakenBackFromWhoeverTookItSince() {
    ResourceType leases = gateway.resourceType("coordination.k8s.io/v1", "Lease");
    assertThat(gateway.acquireLease("weir", "weir-shard-x", "weir-0", LEASE).acquired()).isTrue();
    LiveObject listed = gateway.list(leases, "weir", "").getFirst();
    cluster.clock.advance(Duration.ofSeconds(5));
    LeaseRecord renewed = gateway.renewLease("weir", "weir-shard-x", "weir-0", LEASE, listed);
    assertThat(renewed.acquired()).isTrue();
    assertThat(gateway.readLease("weir", "weir-shard-x").orElseThrow().expiresAt())
        .isEqualTo(cluster.clock.instant().plus(LEASE));

    // weir-0 stalls past its Lease; weir-1 takes it; weir-0 then renews from what it listed before
    cluster.clock.advance(LEASE.plusSeconds(1));
    assertThat(gateway.acquireLease("weir", "weir-shard-x", "weir-1", LEASE).acquired()).isTrue();
    LeaseRecord stale = gateway.renewLease("weir", "weir-shard-x", "weir-0", LEASE, listed);
    assertThat(stale.acquired()).isFalse();
    assertThat(stale.holder()).isEqualTo("weir-1");
    assertThat(gateway.readLease("weir", "weir-shard-x").orElseThrow().holder()).isEqualTo("weir-1");
  }

  @Test
  void aReplicaThatClosesGivesItsApplicationsUpAtOnce() {
    ShardKeeper a = replica("weir-0");
    ShardKeeper b = replica("weir-1");
    tickAll(3);
    Set<String> released = a.driven();
    keepers.remove(a);
    a.close();
    assertThat(a.driven()).isEmpty();
    cluster.clock.advance(Duration.ofSeconds(1)); // well within the lease
    b.tick(); // b counts one live replica once a's membership is gone
    b.tick();
    assertThat(b.driven()).containsAll(released).hasSize(30);
  }

  @Test
  void aReplicaThatCannotRenewStopsDrivingBeforeItsLeasesRunOut() {
    ShardKeeper a = replica("weir-0");
    tickAll(1); // taken at 0 s for 15 s; now 5 s
    assertThat(a.driven()).hasSize(30);
    // no renewal (the API server is away, the thread stalls): it drives until the Lease ends
    cluster.clock.advance(Duration.ofSeconds(9));
    assertThat(a.drives("app-1")).isTrue();
    cluster.clock.advance(Duration.ofSeconds(1));
    assertThat(a.drives("app-1")).isFalse();
    assertThat(a.driven()).isEmpty();
  }
}
