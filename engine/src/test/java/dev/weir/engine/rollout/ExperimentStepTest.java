package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.ExperimentSettings;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.RouteMatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code experiment} step: parsed with one clear line per problem, then walked by the canary
 * machine (the segment's header route to B, waiting until a person concludes).
 */
class ExperimentStepTest {
  static final String STEPS =
      """
      - experiment:
          name: new-checkout
          segment:
            match:
            - headerName: x-segment
              headerValue: {exact: beta}
          conversions:
            successes: sum(conversions_total{service="storefront",rollouts_weir_dev_pod_template_hash="{{variant.hash}}"})
            trials: sum(http_requests_total{service="storefront",rollouts_weir_dev_pod_template_hash="{{variant.hash}}",code="200"})
          alpha: 0.01
          maxSamples: 20000
          maxDuration: 2h
      """;

  static String rollout(String steps) {
    return RolloutSpecParserTest.canaryWith(
        "trafficRouting: {gatewayAPI: {httpRoute: storefront}}", "\n" + steps);
  }

  @Test
  void anExperimentStepIsParsed() {
    var all = RolloutSpecParser.parseAll(Apps.storefront(rollout(STEPS)));
    assertThat(all.errors()).isEmpty();
    CanaryStep step = all.rollouts().getFirst().canary().steps().getFirst();
    assertThat(step).isInstanceOf(CanaryStep.Experiment.class);
    ExperimentSpec spec = ((CanaryStep.Experiment) step).experiment();
    assertThat(spec.name()).isEqualTo("new-checkout");
    assertThat(spec.segment())
        .isEqualTo(
            new ExperimentSegment.Route(
                new HeaderRoute(
                    "new-checkout",
                    List.of(
                        new RouteMatch.Header("x-segment", RouteMatch.MatchType.EXACT, "beta")))));
    assertThat(spec.settings())
        .isEqualTo(
            new ExperimentSettings(0.01, 0.02, 20_000, Optional.of(Duration.ofHours(2)), 100));
    assertThat(step.describe()).isEqualTo("experiment new-checkout (header x-segment = beta → B)");
    assertThat(
            ExperimentSpec.forVariant(spec.trialsQuery(), new PodTemplateRef("abc123", "v2.4.1")))
        .isEqualTo(
            "sum(http_requests_total{service=\"storefront\",rollouts_weir_dev_pod_template_hash="
                + "\"abc123\",code=\"200\"})");
  }

  @Test
  void aBadExperimentStepNamesEachField() {
    String bad =
        """
        - experiment:
            name: new-checkout
            segment: {match: []}
            conversions: {successes: x}
            alpha: 5
            maxSamples: many
        """;
    var errors =
        RolloutSpecParser.parseAll(Apps.storefront(rollout(bad))).errors().stream()
            .map(RolloutSpecError::toString)
            .toList();
    String at = "apps/storefront/rollout.yaml:1:1: spec.strategy.canary.steps[0].experiment.";
    assertThat(errors)
        .containsExactly(
            at + "segment.match: must be a non-empty list of matches",
            at + "conversions.trials: missing",
            at + "alpha: must be a number between 0 and 1 (exclusive), got 5",
            at + "maxSamples: must be a whole number, 1 or more, got \"many\"");
  }

  @Test
  void aRouterWithoutHeaderMatchesCannotCarryASegment() {
    String text =
        RolloutSpecParserTest.canaryWith("", "\n" + STEPS); // replica ratio: no router
    assertThat(RolloutSpecParser.parseAll(Apps.storefront(text)).errors().getFirst().toString())
        .contains("experiment.segment: ")
        .contains("cannot route by header or cookie");
  }

  @Test
  void theMachineSendsTheSegmentToBAndWaitsUntilConcluded() {
    World w = World.of(Apps.storefront(rollout(STEPS + "- setWeight: 100\n")));
    w.commit(World.V2);
    assertThat(w.last.effects())
        .contains(
            new Effect.SetHeaderRoutes(
                List.of(
                    new HeaderRoute(
                        "new-checkout",
                        List.of(
                            new RouteMatch.Header(
                                "x-segment", RouteMatch.MatchType.EXACT, "beta"))))));
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(w.status().message())
        .isEqualTo(
            "v2.4.1 canary at 0%, step 1/2: experiment new-checkout running (header x-segment ="
                + " beta → B), until concluded");
    assertThat(w.messages())
        .anyMatch(
            m ->
                m.equals(
                    "step 1/2: experiment new-checkout started: header x-segment = beta → v2.4.1"
                        + " (B), the rest on v2.4.0 (A); waits for weir experiment conclude"));
    // time alone never ends it: only a conclusion (promote or abort) does
    w.advance(Duration.ofHours(5));
    assertThat(w.status().step()).isEqualTo(1);
    w.command(World.promoteFull());
    assertThat(w.phase()).isNotEqualTo(RolloutPhase.PAUSED);
  }
}
