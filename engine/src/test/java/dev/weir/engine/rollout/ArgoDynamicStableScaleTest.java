package dev.weir.engine.rollout;

import static dev.weir.engine.rollout.World.V1;
import static dev.weir.engine.rollout.World.V2;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Argo Rollouts' {@code canary.dynamicStableScale: true} (docs/features/canary.md, "Dynamic Stable
 * Scale (with Traffic Routing)"): "the stable ReplicaSet is scaled down as traffic shifts to the
 * canary" — stable pods = ceil(replicas × (100 − weight) / 100), {@code
 * CalculateReplicaCountsForTrafficRoutedCanary} — and "when aborting, the stable is scaled back up
 * before traffic shifts back to it", the canary's weight following the stable pods' availability
 * ({@code calculateDesiredWeightOnAbortOrStableRollback}). A person's {@code weir rollback} to the
 * stable version is Argo's "stable rollback" and waits likewise (decision 0048); without {@code
 * dynamicStableScale} it stays one instant switch.
 */
class ArgoDynamicStableScaleTest {
  static World argo(int replicas, String steps) {
    return ArgoCanaryPodsTest.argo(
        ArgoCanaryPodsTest.NGINX + "\ndynamicStableScale: true\nabortScaleDownDelaySeconds: 60",
        "",
        replicas,
        steps);
  }

  static final String STEPS =
      """
      - setWeight: 25
      - pause: {}
      - setWeight: 50
      - pause: {}
      - setWeight: 90
      - pause: {}""";

  @ParameterizedTest(name = "replicas {0}, after {1} promotions: weight {2}%, stable {3}, canary {4}")
  @CsvSource({
    "10, 0, 25, 8, 3",
    "10, 1, 50, 5, 5",
    "10, 2, 90, 1, 9",
    "3, 0, 25, 3, 1",
    "3, 1, 50, 2, 2",
    "4, 2, 90, 1, 4",
  })
  void theStableShrinksAsTheCanaryWeightRises(
      int replicas, int promotions, int weight, int stable, int canary) {
    World w = argo(replicas, STEPS);
    w.commit(V2);
    for (int i = 0; i < promotions; i++) {
      w.command(World.promote());
    }
    assertThat(w.weight).isEqualTo(weight);
    assertThat(w.stable.replicas()).as("stable pods").isEqualTo(stable);
    assertThat(w.secondary.replicas()).as("canary pods").isEqualTo(canary);
  }

  @Test
  void withoutDynamicStableScaleTheStableKeepsAllItsPods() {
    World w = ArgoCanaryPodsTest.argo(ArgoCanaryPodsTest.NGINX, "", 10, STEPS);
    w.commit(V2);
    w.command(World.promote());
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.stable.replicas()).isEqualTo(10);
  }

  @Test
  void anAbortScalesTheStableUpFirstAndTheTrafficFollowsItsReadyPods() {
    World w = argo(4, STEPS);
    w.commit(V2);
    w.command(World.promote());
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.stable.replicas()).isEqualTo(2);
    w.podsStartAtOnce = false;

    w.command(World.abort());
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(w.stable.replicas()).as("the stable Deployment is asked for all its pods").isEqualTo(4);
    assertThat(w.weight).as("only 2 of 4 stable pods are ready: the canary keeps 50%").isEqualTo(50);
    assertThat(w.secondary.replicas()).as("the canary keeps its pods meanwhile").isEqualTo(2);
    assertThat(w.messages())
        .anyMatch(m -> m.contains("stable scaled back to 4 pods first (dynamicStableScale)"));

    w.stable = Workload.of(V1, 4, 3);
    w.pass();
    assertThat(w.weight).as("3 of 4 ready: 25% stays on the canary").isEqualTo(25);

    w.podsReady();
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).as("abortScaleDownDelaySeconds still applies").isEqualTo(2);
    w.advance(Duration.ofSeconds(60));
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);
  }

  @Test
  void aLowerWeightWaitsForTheStablePodsItNeeds() {
    World w =
        argo(
            4,
            """
            - setWeight: 75
            - pause: {}
            - setWeight: 25
            - pause: {}""");
    w.commit(V2);
    assertThat(w.stable.replicas()).isEqualTo(1);
    w.podsStartAtOnce = false;

    w.command(World.promote());
    assertThat(w.stable.replicas()).as("ceil(4 × 75%) stable pods asked for first").isEqualTo(3);
    assertThat(w.weight).as("not before they are ready").isEqualTo(75);

    w.podsReady();
    assertThat(w.weight).isEqualTo(25);
    assertThat(w.secondary.replicas()).isEqualTo(1);
  }

  @Test
  void aPersonsRollbackScalesTheStableUpFirstAndTheTrafficFollowsItsReadyPods() {
    World w = argo(4, STEPS);
    w.commit(V2);
    w.command(World.promote());
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.stable.replicas()).isEqualTo(2);
    w.podsStartAtOnce = false;
    w.gitOnly(V1); // the rollback's restore commit

    w.command(World.rollback());
    assertThat(w.last.refused()).isEmpty();
    assertThat(w.stable.replicas()).as("the stable Deployment is asked for all its pods").isEqualTo(4);
    assertThat(w.weight).as("only 2 of 4 stable pods are ready: the canary keeps 50%").isEqualTo(50);
    assertThat(w.secondary.replicas()).as("the canary keeps its pods meanwhile").isEqualTo(2);
    assertThat(w.runningAnalyses).isEmpty();
    assertThat(w.messages())
        .contains("rolled back to v2.4.0 (was v2.4.1) by alice: bad release")
        .anyMatch(m -> m.contains("stable scaled back to 4 pods first (dynamicStableScale)"));

    w.stable = Workload.of(V1, 4, 3);
    w.pass();
    assertThat(w.weight).as("3 of 4 ready: 25% stays on the canary").isEqualTo(25);
    assertThat(w.secondary.replicas()).isEqualTo(2);

    w.podsReady();
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).as("the canary goes once its traffic has").isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(w.status().line())
        .isEqualTo("storefront  Healthy  rolled back to v2.4.0 (was v2.4.1) by alice: bad release");
  }

  @Test
  void aRollbackWithAllStablePodsReadyIsOneSwitch() {
    World w = argo(4, STEPS);
    w.commit(V2);
    w.command(World.promote());
    w.stable = Workload.of(V1, 4, 4); // e.g. the stable side already scaled back by hand
    w.gitOnly(V1);

    w.command(World.rollback());
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
  }

  @Test
  void withoutDynamicStableScaleARollbackIsOneSwitch() {
    World w = ArgoCanaryPodsTest.argo(ArgoCanaryPodsTest.NGINX, "", 4, STEPS);
    w.commit(V2);
    w.command(World.promote());
    w.podsStartAtOnce = false;
    w.gitOnly(V1);

    w.command(World.rollback());
    assertThat(w.last.effects().getFirst()).isEqualTo(new Effect.SetWeight(0));
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
  }
}
