package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.analysis.AnalysisPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutStateCodecTest {

  /** Every state the table tests reach, and a few more. */
  static Stream<RolloutState> states() {
    List<RolloutState> states = new ArrayList<>();
    for (var given :
        List.of(
            CanaryMachineTest.HEALTHY,
            CanaryMachineTest.WAITING_FOR_PODS,
            CanaryMachineTest.TIMED_PAUSE,
            CanaryMachineTest.ANALYZING,
            CanaryMachineTest.INDEFINITE_PAUSE,
            CanaryMachineTest.PAUSED_BY_A_PERSON,
            CanaryMachineTest.INCONCLUSIVE,
            CanaryMachineTest.WEIGHT_HELD,
            CanaryMachineTest.PROMOTING,
            CanaryMachineTest.DEGRADED,
            CanaryMachineTest.ABORTED)) {
      states.add(given.build().apply(CanaryMachineTest.storefront()).state);
    }
    for (var given :
        List.of(
            BlueGreenMachineTest.HEALTHY,
            BlueGreenMachineTest.WAITING,
            BlueGreenMachineTest.AWAITING,
            BlueGreenMachineTest.PAUSED,
            BlueGreenMachineTest.SWITCHED,
            BlueGreenMachineTest.SCALING_DOWN,
            BlueGreenMachineTest.ABORTED)) {
      states.add(given.build().apply(BlueGreenMachineTest.manual()).state);
    }
    World ab =
        World.of(
            Apps.storefront(
                RolloutSpecParserTest.canaryWith(
                    "trafficRouting: {istio: {virtualService: {name: storefront}}}",
                    "[{setCanaryScale: {replicas: 3}}, {setHeaderRoute: {name: beta, match:"
                        + " [{headerName: X-Beta, headerValue: {regex: 'b.*'}}, {cookieName:"
                        + " beta}]}}, {pause: {}}]")));
    states.add(ab.commit(World.V2).state);
    World pre =
        BlueGreenMachineTest.blueGreen(
            "prePromotionAnalysis: {templates: [{templateName: success-rate}]},"
                + " postPromotionAnalysis: {templates: [{templateName: latency}]},"
                + " autoPromotionSeconds: 60");
    states.add(pre.commit(World.V2).state);
    states.add(pre.analysis("pre", AnalysisPhase.SUCCESSFUL, "ok", 3, 0).state);
    states.add(pre.advance(Duration.ofMinutes(1)).state);
    return states.stream();
  }

  @ParameterizedTest
  @MethodSource("states")
  void everyStateSurvivesTheRoundTrip(RolloutState state) {
    String json = RolloutStateCodec.encode(state);
    assertThat(json).doesNotContain("\n");
    assertThat(RolloutStateCodec.decode(json)).isEqualTo(state);
  }

  @Test
  void aRecordOfAnotherFormatIsReportedNotGuessed() {
    assertThatThrownBy(() -> RolloutStateCodec.decode("{\"format\": 2, \"strategy\": \"canary\"}"))
        .hasMessage("the recorded rollout state has format 2; this Weir reads format 1");
    assertThatThrownBy(
            () ->
                RolloutStateCodec.decode(
                    "{\"format\": 1, \"strategy\": \"canary\", \"state\": \"Steady\"}"))
        .hasMessage("the recorded rollout state cannot be read: stable is missing");
    assertThatThrownBy(() -> RolloutStateCodec.decode("not json"))
        .hasMessageStartingWith("the recorded rollout state is not JSON: ");
  }
}
