package dev.weir.engine.rollout;

import static dev.weir.engine.rollout.World.V2;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Argo Rollouts' canary fields about pods (decision 0033), each played by the canary machine as
 * Argo's documentation describes it (docs/features/canary.md, "maxSurge and maxUnavailable",
 * "Dynamic Canary Scale"; docs/features/specification.md for {@code scaleDownDelaySeconds}, {@code
 * abortScaleDownDelaySeconds} and {@code minPodsPerReplicaSet}).
 */
class ArgoCanaryPodsTest {

  static World argo(String canaryFields, String routing, int replicas) {
    return argo(canaryFields, routing, replicas, "- setWeight: 50\n- pause: {}");
  }

  static World argo(String canaryFields, String routing, int replicas, String steps) {
    String rollout =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: storefront}
        spec:
          replicas: REPLICAS
          workloadRef: {apiVersion: apps/v1, kind: Deployment, name: storefront}
          strategy:
            canary:
        ROUTING
        FIELDS
              steps:
        STEPS
        """
            .replace("STEPS", indent(steps))
            .replace("REPLICAS", String.valueOf(replicas))
            .replace("ROUTING", indent(routing))
            .replace("FIELDS", indent(canaryFields));
    return World.of(Apps.storefront(rollout), replicas);
  }

  static String indent(String fields) {
    return fields.lines().map(l -> "      " + l).reduce("", (a, b) -> a + b + "\n").stripTrailing();
  }

  static final String NGINX =
      """
      canaryService: storefront-canary
      stableService: storefront-stable
      trafficRouting: {nginx: {stableIngress: storefront}}""";

  /**
   * Argo: "maxSurge defines the maximum number of replicas the rollout can create to move to the
   * correct ratio set by the last setWeight"; "maxUnavailable: the maximum number of pods that can
   * be unavailable during the update". Without a router the pods move a few at a time, never more
   * than replicas + maxSurge in all, never fewer than replicas - maxUnavailable ready.
   */
  @ParameterizedTest(name = "replicas {0}, maxSurge {1}, maxUnavailable {2}: at most {3} pods, at least {4} ready")
  @CsvSource({
    "4, 1, 0, 5, 4",
    "4, 0, 1, 4, 3",
    "10, '20%', '10%', 12, 9",
    "4, '25%', '25%', 5, 3",
  })
  void aBasicCanaryMovesPodsWithinMaxSurgeAndMaxUnavailable(
      int replicas, String maxSurge, String maxUnavailable, int most, int fewestReady) {
    World w =
        argo(
            "maxSurge: " + quoted(maxSurge) + "\nmaxUnavailable: " + quoted(maxUnavailable),
            "",
            replicas);
    w.podsStartAtOnce = false;
    w.commit(V2);
    List<String> seen = new ArrayList<>();
    for (int pass = 0; pass < 30 && w.weight != 50; pass++) {
      int pods = w.stable.replicas() + w.secondary.replicas();
      int ready = w.stable.ready() + w.secondary.ready();
      seen.add(pods + "/" + ready);
      assertThat(pods).as("pods in all, pass %d: %s", pass, seen).isLessThanOrEqualTo(most);
      assertThat(ready).as("ready pods, pass %d: %s", pass, seen).isGreaterThanOrEqualTo(fewestReady);
      w.podsReady();
    }
    assertThat(w.weight).as("the step's weight is reached once the pods moved").isEqualTo(50);
    assertThat(w.secondary.replicas()).isEqualTo(replicas / 2);
    assertThat(w.stable.replicas()).isEqualTo(replicas - replicas / 2);
    assertThat(w.messages().stream().filter(m -> m.contains("(maxSurge " + maxSurge)))
        .as("the pods moved a few at a time: %s", w.messages())
        .hasSizeGreaterThan(1);
  }

  static String quoted(String value) {
    return value.endsWith("%") ? "\"" + value + "\"" : value;
  }

  /** Without maxSurge/maxUnavailable a basic canary moves its pods as Weir always did. */
  @Test
  void withoutMaxSurgeTheCanaryGrowsFirstAndTheStableShrinksOnceItIsReady() {
    World w = argo("", "", 4);
    w.commit(V2);
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.secondary.replicas()).isEqualTo(2);
    assertThat(w.stable.replicas()).isEqualTo(2);
  }

  /**
   * Argo: "minPodsPerReplicaSet: the minimum number of pods the canary runs whenever it takes
   * traffic" (with a router): 5% of 4 replicas would be 1 pod.
   */
  @Test
  void minPodsPerReplicaSetGivesTheCanaryThatManyPodsAtASmallWeight() {
    World w = argo(NGINX + "\nminPodsPerReplicaSet: 3", "", 4);
    w.commit(V2);
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.secondary.replicas()).isEqualTo(3);
    assertThat(w.stable.replicas()).as("with a router stable keeps all its pods").isEqualTo(4);
  }

  /**
   * Argo: "scaleDownDelaySeconds: adds a delay before scaling down the previous ReplicaSet when
   * using traffic routing (default 30 seconds)": the proxies may still send to those pods. In Weir
   * the pods that lose their traffic at promotion are the canary's.
   */
  @ParameterizedTest(name = "scaleDownDelaySeconds {0}: canary pods kept {1}s after traffic is back on stable")
  @CsvSource({"'', 30", "'scaleDownDelaySeconds: 90', 90", "'scaleDownDelaySeconds: 0', 0"})
  void promotionKeepsTheCanaryPodsForTheScaleDownDelay(String field, int seconds) {
    World w = argo(NGINX + "\n" + field, "", 4);
    w.commit(V2);
    w.command(World.promote());
    assertThat(w.weight).as("traffic back on stable, which now runs v2").isZero();
    assertThat(w.stable.template()).contains(V2);
    if (seconds == 0) {
      assertThat(w.secondary.replicas()).isZero();
      assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
      return;
    }
    assertThat(w.secondary.replicas()).as("canary pods drain").isEqualTo(2);
    assertThat(w.messages())
        .anyMatch(m -> m.contains("scaled down in " + Durations.format(Duration.ofSeconds(seconds))));
    w.advance(Duration.ofSeconds(seconds - 1));
    assertThat(w.secondary.replicas()).isEqualTo(2);
    w.advance(Duration.ofSeconds(1));
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
  }

  /**
   * Argo: "abortScaleDownDelaySeconds: a delay before scaling down the canary pods when the update
   * is aborted (default 30 seconds); 0 means the canary pods are not scaled down".
   */
  @ParameterizedTest(name = "abortScaleDownDelaySeconds {0}")
  @CsvSource({"'', 30", "'abortScaleDownDelaySeconds: 600', 600", "'abortScaleDownDelaySeconds: 0', -1"})
  void anAbortKeepsTheCanaryPodsForTheAbortScaleDownDelay(String field, int seconds) {
    World w = argo(NGINX + "\n" + field, "", 4);
    w.commit(V2);
    w.command(World.abort());
    assertThat(w.weight).as("traffic back on stable at once").isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(w.secondary.replicas()).as("the canary's pods stay up").isEqualTo(2);
    if (seconds < 0) {
      w.advance(Duration.ofHours(5));
      assertThat(w.secondary.replicas()).as("0: never scaled down").isEqualTo(2);
      w.commit(World.V1);
      assertThat(w.secondary.replicas()).as("until Git goes back").isZero();
      return;
    }
    w.advance(Duration.ofSeconds(seconds - 1));
    assertThat(w.secondary.replicas()).isEqualTo(2);
    w.advance(Duration.ofSeconds(1));
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.messages()).anyMatch(m -> m.contains("after the abort (abortScaleDownDelaySeconds)"));
  }

  /** A retry after an abort that kept the canary up reuses its pods. */
  @Test
  void aRetryAfterAnAbortReusesTheCanaryPodsStillUp() {
    World w = argo(NGINX + "\nabortScaleDownDelaySeconds: 0", "", 4);
    w.commit(V2);
    w.command(World.abort());
    w.command(World.retry());
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.secondary.replicas()).isEqualTo(2);
    assertThat(w.phase()).isNotEqualTo(RolloutPhase.ABORTED);
  }
}
