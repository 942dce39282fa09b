package dev.weir.engine.rollout;

import static dev.weir.engine.rollout.World.V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.traffic.MirrorRoute;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Argo Rollouts' {@code setMirrorRoute} step (docs/features/traffic-management/mirroring.md), played
 * by the canary machine: "the mirror route is added", "if the match is omitted the route is
 * removed", and managed routes are "removed at the end of the rollout or when it is aborted".
 */
class ArgoMirrorRouteTest {
  static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        replicas: 4
        workloadRef: {apiVersion: apps/v1, kind: Deployment, name: storefront}
        strategy:
          canary:
            canaryService: storefront-canary
            stableService: storefront-stable
            scaleDownDelaySeconds: 0
            trafficRouting:
              managedRoutes: [{name: mirror-get}, {name: mirror-all}]
              plugins:
                argoproj-labs/gatewayAPI: {httpRoute: storefront}
            steps:
            - setCanaryScale: {weight: 25}
            - setMirrorRoute:
                name: mirror-get
                percentage: 35
                match: [{method: {exact: GET}, path: {prefix: /api}}]
            - setMirrorRoute: {name: mirror-all, match: [{path: {prefix: /}}]}
            - pause: {duration: 1m}
            - setMirrorRoute: {name: mirror-all}
            - setWeight: 20
            - pause: {}
      """;

  static World world() {
    return World.of(Apps.storefront(ROLLOUT), 4);
  }

  static List<String> described(List<MirrorRoute> routes) {
    return routes.stream().map(r -> r.name() + " " + r.percentage() + "%").toList();
  }

  @Test
  void mirrorRoutesAreAddedAndRemovedByTheStepsAndTrafficStaysOnStable() {
    World w = world();
    w.commit(V2);

    assertThat(described(w.mirrors)).containsExactly("mirror-get 35%", "mirror-all 100%");
    assertThat(w.weight).as("mirrored requests are copies: the weight is untouched").isZero();
    assertThat(w.secondary.replicas()).as("setCanaryScale gives the copies pods").isEqualTo(1);
    assertThat(w.mirrors.getFirst().matches().getFirst().method().orElseThrow().value())
        .isEqualTo("GET");
    assertThat(w.messages())
        .anyMatch(m -> m.contains("35% of requests matching mirror-get mirrored to the canary"));

    w.advance(Duration.ofMinutes(1));
    assertThat(described(w.mirrors))
        .as("a setMirrorRoute without match removes the route")
        .containsExactly("mirror-get 35%");
    assertThat(w.weight).isEqualTo(20);
    assertThat(w.messages()).anyMatch(m -> m.contains("mirror route mirror-all removed"));

    w.command(World.promote());
    assertThat(w.mirrors).as("removed at the end of the rollout").isEmpty();
    assertThat(w.weight).isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
  }

  @Test
  void anAbortRemovesTheMirrorRoutesWithTheWeight() {
    World w = world();
    w.commit(V2);
    assertThat(w.mirrors).hasSize(2);

    w.command(World.abort());
    assertThat(w.mirrors).isEmpty();
    assertThat(w.weight).isZero();
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);
  }
}
