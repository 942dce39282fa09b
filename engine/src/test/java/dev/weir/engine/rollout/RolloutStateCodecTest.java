package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.analysis.AnalysisCheckpoint;
import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.analysis.Classification;
import dev.weir.engine.analysis.JudgeSettings;
import dev.weir.engine.analysis.Measurement;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.Observation;
import dev.weir.engine.analysis.ProviderError;
import dev.weir.engine.analysis.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    // a mirror route in force (decision 0040) and an abort holding weight under dynamicStableScale
    World mirrored = ArgoMirrorRouteTest.world();
    states.add(mirrored.commit(World.V2).state);
    World dynamic = ArgoDynamicStableScaleTest.argo(4, ArgoDynamicStableScaleTest.STEPS);
    dynamic.commit(World.V2);
    dynamic.podsStartAtOnce = false;
    states.add(dynamic.command(World.abort()).state);
    World pre =
        BlueGreenMachineTest.blueGreen(
            "prePromotionAnalysis: {templates: [{templateName: success-rate}]},"
                + " postPromotionAnalysis: {templates: [{templateName: latency}]},"
                + " autoPromotionSeconds: 60");
    states.add(pre.commit(World.V2).state);
    states.add(pre.analysis("pre", AnalysisPhase.SUCCESSFUL, "ok", 3, 0).state);
    states.add(pre.advance(Duration.ofMinutes(1)).state);
    World experiment =
        ArgoExperimentMachineTest.argo(
            ArgoExperimentMachineTest.TEMPLATES + "\nduration: 10m\n" + ArgoExperimentMachineTest.ANALYSES);
    experiment.podsStartAtOnce = false;
    states.add(experiment.commit(World.V2).podsReady().state); // Pending: its pods not ready
    experiment.experiments.replaceAll(
        (name, x) -> Workload.of(x.template().orElseThrow(), x.replicas(), x.replicas()));
    states.add(experiment.pass().state); // Running, its analyses started
    states.add(experiment.analysis("-compare", AnalysisPhase.RUNNING, "", 2, 0).state);
    return states.stream();
  }

  @ParameterizedTest
  @MethodSource("states")
  void everyStateSurvivesTheRoundTrip(RolloutState state) {
    String json = RolloutStateCodec.encode(state);
    assertThat(json).doesNotContain("\n");
    assertThat(RolloutStateCodec.decode(json)).isEqualTo(state);
  }

  static final Instant T = Instant.parse("2025-03-01T10:00:00Z");

  /** Counts with a checkpoint of every kind of measurement, NaN and infinities included. */
  static AnalysisCounts countsWithCheckpoints() {
    Verdict noData =
        new Verdict(
            "p99",
            Classification.NODATA,
            Double.NaN,
            0,
            0.2,
            Double.POSITIVE_INFINITY,
            3,
            2,
            JudgeSettings.DEFAULTS,
            "p99: too few samples → NoData");
    List<AnalysisCheckpoint.MetricCheckpoint> metrics =
        List.of(
            new AnalysisCheckpoint.MetricCheckpoint(
                "success-rate",
                AnalysisPhase.RUNNING,
                3,
                2,
                1,
                0,
                0,
                0,
                Optional.of(
                    new Measurement(
                        "success-rate",
                        T.plusSeconds(150),
                        new Observation.Value(new MetricValue.Scalar(0.995)),
                        AnalysisPhase.SUCCESSFUL,
                        Optional.empty(),
                        "success-rate = 0.995: result >= 0.99 met → Successful"))),
            new AnalysisCheckpoint.MetricCheckpoint(
                "by-zone",
                AnalysisPhase.RUNNING,
                1,
                0,
                0,
                1,
                2,
                0,
                Optional.of(
                    new Measurement(
                        "by-zone",
                        T.plusSeconds(90),
                        new Observation.Value(
                            new MetricValue.Vector(List.of(0.5, Double.NaN, 1.0))),
                        AnalysisPhase.INCONCLUSIVE,
                        Optional.empty(),
                        "by-zone: NaN → Inconclusive"))),
            new AnalysisCheckpoint.MetricCheckpoint(
                "errors",
                AnalysisPhase.RUNNING,
                0,
                0,
                0,
                0,
                2,
                2,
                Optional.of(
                    new Measurement(
                        "errors",
                        T.plusSeconds(60),
                        new Observation.Failed(
                            new ProviderError(ProviderError.Reason.TIMEOUT, "no answer in 10s")),
                        AnalysisPhase.ERROR,
                        Optional.empty(),
                        "no answer in 10s"))),
            new AnalysisCheckpoint.MetricCheckpoint(
                "p99",
                AnalysisPhase.SUCCESSFUL,
                1,
                0,
                0,
                1,
                0,
                0,
                Optional.of(
                    new Measurement(
                        "p99",
                        T.plusSeconds(60),
                        new Observation.Samples(new double[0], new double[0]),
                        AnalysisPhase.INCONCLUSIVE,
                        Optional.of(noData),
                        "p99 → NoData"))),
            new AnalysisCheckpoint.MetricCheckpoint(
                "not-yet", AnalysisPhase.RUNNING, 0, 0, 0, 0, 0, 0, Optional.empty()));
    return new AnalysisCounts(
        AnalysisPhase.RUNNING,
        6,
        2,
        1,
        2,
        4,
        "success-rate 0.995",
        List.of(new AnalysisCheckpoint("success-rate", T, metrics)));
  }

  @Test
  void analysisCheckpointsSurviveTheRoundTrip() {
    CanaryState.Progressing analyzing =
        (CanaryState.Progressing)
            CanaryMachineTest.ANALYZING.build().apply(CanaryMachineTest.storefront()).state;
    CanaryState.WaitForAnalysis waiting = (CanaryState.WaitForAnalysis) analyzing.activity();
    RolloutState state =
        new CanaryState.Progressing(
            analyzing.cursor().withBackground(0, countsWithCheckpoints()),
            new CanaryState.WaitForAnalysis(waiting.run(), countsWithCheckpoints()));

    String json = RolloutStateCodec.encode(state);

    assertThat(json).contains("\"checkpoints\"").doesNotContain("\n");
    assertThat(RolloutStateCodec.decode(json)).isEqualTo(state);
  }

  @Test
  void aRecordWrittenBeforeCheckpointsReadsAsCountsWithoutThem() {
    String before =
        """
        {"format":1,"strategy":"canary","state":"Progressing","cursor":{"stable":{"hash":"aaaaaaaaaa",\
        "version":"v2.4.0"},"canary":{"hash":"bbbbbbbbbb","version":"v2.4.1"},"canaryRevision":"r2",\
        "attempt":0,"step":2,"stepWeight":5,"weight":5,"canaryReplicas":1,"headerRoutes":[],\
        "backgroundGeneration":0,"background":{"phase":"RUNNING","measured":2,"successful":2,\
        "failed":0,"inconclusive":0,"error":0,"last":"p99-latency 0.12"},\
        "startedAt":"2025-03-01T10:00:00Z"},"activity":{"kind":"WaitForAnalysis",\
        "run":"storefront-bbbbbbb-0-step-3","counts":{"phase":"RUNNING","measured":3,\
        "successful":3,"failed":0,"inconclusive":0,"error":0,"last":"success-rate 0.995"}}}
        """;

    CanaryState.Progressing state = (CanaryState.Progressing) RolloutStateCodec.decode(before);

    AnalysisCounts counts = ((CanaryState.WaitForAnalysis) state.activity()).counts();
    assertThat(counts)
        .isEqualTo(new AnalysisCounts(AnalysisPhase.RUNNING, 3, 3, 0, 0, 0, "success-rate 0.995"));
    assertThat(counts.checkpoints()).isEmpty();
    assertThat(state.cursor().background().measured()).isEqualTo(2);
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
