package dev.weir.engine.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pure sharding decision: which applications one replica should hold. */
class ShardPlanTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T12:00:00Z"));
  final Set<String> apps =
      IntStream.range(0, 30).mapToObj(i -> String.format("app-%02d", i)).collect(Collectors.toCollection(TreeSet::new));

  ShardPlan.Holding held(String by) {
    return new ShardPlan.Holding(by, clock.instant().plusSeconds(15));
  }

  @Test
  void aLoneReplicaTakesEveryFreeApplication() {
    var decision = ShardPlan.decide("a", apps, Set.of("a"), Map.of(), clock.instant());
    assertThat(decision.quota()).isEqualTo(30);
    assertThat(decision.acquire()).isEqualTo(apps);
    assertThat(decision.release()).isEmpty();
  }

  @Test
  void replicasStartingTogetherEndUpWithTenEachAndEveryApplicationHeldOnce() {
    Map<String, ShardPlan.Holding> leases = new HashMap<>();
    Set<String> live = Set.of("a", "b", "c");
    // ticks in turn, each acting on what it reads, as replicas do
    for (int round = 0; round < 4; round++) {
      for (String self : live) {
        var decision = ShardPlan.decide(self, apps, live, leases, clock.instant());
        decision.release().forEach(leases::remove);
        decision.acquire().forEach(app -> leases.put(app, held(self)));
        decision.renew().forEach(app -> leases.put(app, held(self)));
      }
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(leases).hasSize(30);
    Map<String, Long> perReplica =
        leases.values().stream().collect(Collectors.groupingBy(ShardPlan.Holding::holder, Collectors.counting()));
    assertThat(perReplica).containsOnly(Map.entry("a", 10L), Map.entry("b", 10L), Map.entry("c", 10L));
  }

  @Test
  void aReplicaAboveItsQuotaReleasesTheSurplusWhenAnotherJoins() {
    Map<String, ShardPlan.Holding> leases = new HashMap<>();
    apps.forEach(app -> leases.put(app, held("a")));
    var decision = ShardPlan.decide("a", apps, Set.of("a", "b"), leases, clock.instant());
    assertThat(decision.quota()).isEqualTo(15);
    assertThat(decision.renew()).hasSize(15);
    assertThat(decision.release()).hasSize(15).doesNotContainAnyElementsOf(decision.renew());
    assertThat(decision.acquire()).isEmpty();
    // b takes nothing held and unexpired, however many a holds
    var b = ShardPlan.decide("b", apps, Set.of("a", "b"), leases, clock.instant());
    assertThat(b.acquire()).isEmpty();
  }

  @Test
  void aDeadReplicasApplicationsAreTakenOnlyOnceItsLeasesExpire() {
    Map<String, ShardPlan.Holding> leases = new HashMap<>();
    apps.stream().limit(10).forEach(app -> leases.put(app, held("dead")));
    apps.stream().skip(10).limit(10).forEach(app -> leases.put(app, held("b")));
    apps.stream().skip(20).forEach(app -> leases.put(app, held("c")));
    // the dead replica's membership is gone, but its Leases still run: nobody takes them
    var early = ShardPlan.decide("b", apps, Set.of("b", "c"), leases, clock.instant());
    assertThat(early.acquire()).isEmpty();
    assertThat(early.renew()).hasSize(10);

    clock.advance(Duration.ofSeconds(15));
    // b's and c's own Leases were renewed meanwhile
    apps.stream().skip(10).limit(10).forEach(app -> leases.put(app, held("b")));
    apps.stream().skip(20).forEach(app -> leases.put(app, held("c")));
    var later = ShardPlan.decide("b", apps, Set.of("b", "c"), leases, clock.instant());
    assertThat(later.quota()).isEqualTo(15);
    assertThat(later.acquire()).hasSize(5).allMatch(app -> leases.get(app).holder().equals("dead"));
    var c = ShardPlan.decide("c", apps, Set.of("b", "c"), leases, clock.instant());
    assertThat(c.acquire()).hasSize(5);
  }

  @Test
  void aHolderWhoseLeaseIsFreeOrExpiredDoesNotCountAsHolding() {
    Map<String, ShardPlan.Holding> leases = new HashMap<>();
    leases.put("app-00", new ShardPlan.Holding("", clock.instant()));
    leases.put("app-01", new ShardPlan.Holding("a", clock.instant().minusSeconds(1)));
    var decision =
        ShardPlan.decide("a", Set.of("app-00", "app-01"), Set.of("a"), leases, clock.instant());
    assertThat(decision.renew()).isEmpty();
    assertThat(decision.acquire()).containsExactlyInAnyOrder("app-00", "app-01");
  }

  @Test
  void noApplicationsMeansNothingToHold() {
    var decision = ShardPlan.decide("a", Set.of(), Set.of("a", "b"), Map.of(), clock.instant());
    assertThat(decision.quota()).isZero();
    assertThat(decision.acquire()).isEmpty();
  }

  @Test
  void eachApplicationRanksTheReplicasTheSameWayEverywhere() {
    Set<String> members = Set.of("a", "b", "c");
    for (String app : apps) {
      Set<Integer> ranks =
          members.stream().map(m -> ShardPlan.rank(app, m, members)).collect(Collectors.toSet());
      assertThat(ranks).containsExactlyInAnyOrder(0, 1, 2);
    }
  }
}
