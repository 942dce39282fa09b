package dev.weir.engine.rollout;

import static dev.weir.engine.rollout.World.V1;
import static dev.weir.engine.rollout.World.V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.AnalysisPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blue/green machine, driven through {@link World}: active storefront-stable, preview
 * storefront-canary.
 */
class BlueGreenMachineTest {

  static World blueGreen(String options) {
    return World.of(
        Apps.storefront(
            """
            apiVersion: weir.dev/v1alpha1
            kind: Rollout
            metadata: {name: storefront}
            spec:
              targetRef: {kind: Deployment, name: storefront}
              strategy:
                blueGreen: {activeService: storefront-stable, previewService: storefront-canary, %s}
            """
                .formatted(options)));
  }

  static World manual() {
    return blueGreen("autoPromotionEnabled: false, scaleDownDelaySeconds: 30");
  }

  @Test
  void restoreResumesPreAndPostPromotionAnalysisFromTheirRecordedCounts() {
    World w =
        blueGreen(
            "prePromotionAnalysis: {templates: [{templateName: success-rate}]},"
                + " postPromotionAnalysis: {templates: [{templateName: latency}]}");
    AnalysisCounts counts = RolloutStateCodecTest.countsWithCheckpoints();
    BlueGreenState.Previewing previewing = (BlueGreenState.Previewing) w.commit(V2).state;
    BlueGreenState.PrePromotionAnalysis pre =
        (BlueGreenState.PrePromotionAnalysis) previewing.activity();
    BlueGreenState pending =
        new BlueGreenState.Previewing(
            previewing.cursor(), new BlueGreenState.PrePromotionAnalysis(pre.run(), counts));
    BlueGreenState switched =
        new BlueGreenState.Switched(
            previewing.cursor(), w.now, java.util.Optional.of("post-run"), counts);

    for (BlueGreenState recorded : List.of(pending, switched)) {
      Observation seen = w.observation(java.util.Optional.empty());
      assertThat(RolloutMachine.restore(recorded, w.spec, seen))
          .as(recorded.describe())
          .filteredOn(Effect.StartAnalysis.class::isInstance)
          .singleElement()
          .satisfies(e -> assertThat(((Effect.StartAnalysis) e).recorded()).isEqualTo(counts));
    }
  }

  @Test
  void withoutAutoPromotionThePreviewWaitsForAPersonThenSwitchesInOneUpdate() {
    World w = manual();
    w.commit(V2);
    assertThat(w.secondary).isEqualTo(Workload.of(V2, 4, 4));
    assertThat(w.preview).isEqualTo(V2);
    assertThat(w.active).isEqualTo(V1);
    assertThat(w.status().line())
        .isEqualTo("storefront  Paused  v2.4.1 in preview, ready; waiting for promote");

    w.advance(Duration.ofHours(3));
    assertThat(w.active).isEqualTo(V1);

    w.command(World.promote());
    assertThat(w.last.effects().stream().filter(e -> e instanceof Effect.SwitchActive).toList())
        .containsExactly(new Effect.SwitchActive(V2));
    assertThat(w.active).isEqualTo(V2);
    assertThat(w.stable).as("the previous version stays scaled").isEqualTo(Workload.of(V1, 4, 4));
    assertThat(w.status().message()).isEqualTo("active on v2.4.1; v2.4.0 scales down in 30s");

    w.advance(Duration.ofSeconds(30));
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(w.stable).isEqualTo(Workload.of(V2, 4, 4));
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.active).isEqualTo(V2);
    assertThat(w.status().message()).isEqualTo("v2.4.1 promoted: active on the stable Deployment");
  }

  @Test
  void withAutoPromotionTheReadyPreviewIsSwitchedToAtOnce() {
    World w = blueGreen("scaleDownDelaySeconds: 30");
    w.podsStartAtOnce = false;
    w.commit(V2);
    assertThat(w.status().message()).isEqualTo("v2.4.1 in preview, waiting for its pods");
    assertThat(w.active).isEqualTo(V1);

    w.podsReady();
    assertThat(w.active).isEqualTo(V2);
    assertThat(w.messages()).contains("v2.4.1 ready in preview; promoting automatically");
  }

  @Test
  void autoPromotionSecondsWaitsThatLongAfterThePreviewIsReady() {
    World w = blueGreen("autoPromotionSeconds: 60");
    w.commit(V2);
    assertThat(w.status().line())
        .isEqualTo("storefront  Progressing  v2.4.1 in preview, auto-promotion in 1m");
    w.advance(Duration.ofSeconds(59));
    assertThat(w.active).isEqualTo(V1);
    w.advance(Duration.ofSeconds(1));
    assertThat(w.active).isEqualTo(V2);
  }

  @Test
  void aFailedPrePromotionAnalysisNeverSwitches() {
    World w = blueGreen("prePromotionAnalysis: {templates: [{templateName: success-rate}]}");
    w.commit(V2);
    assertThat(w.status().message())
        .startsWith("v2.4.1 in preview, pre-promotion analysis success-rate");

    w.analysis("pre", AnalysisPhase.FAILED, "success-rate 0.91 < 0.99", 2, 2);

    assertThat(w.status().line())
        .isEqualTo(
            "storefront  Degraded  v2.4.1 rolled back: success-rate 0.91 < 0.99 (pre-promotion"
                + " analysis)");
    assertThat(w.active).isEqualTo(V1);
    assertThat(w.preview).isEqualTo(V1);
    assertThat(w.secondary.replicas()).isZero();
  }

  @Test
  void anInconclusivePrePromotionAnalysisPausesUntilAPersonDecides() {
    World w = blueGreen("prePromotionAnalysis: {templates: [{templateName: success-rate}]}");
    w.commit(V2).analysis("pre", AnalysisPhase.INCONCLUSIVE, "success-rate: no data", 5, 0);
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    w.advance(Duration.ofHours(1));
    assertThat(w.active).isEqualTo(V1);

    w.command(World.resume());
    assertThat(w.active).as("auto-promotion after a person resumed").isEqualTo(V2);
  }

  @Test
  void aSuccessfulPrePromotionAnalysisPromotes() {
    World w = blueGreen("prePromotionAnalysis: {templates: [{templateName: success-rate}]}");
    w.commit(V2).analysis("pre", AnalysisPhase.SUCCESSFUL, "5 of 5 successful", 5, 0);
    assertThat(w.active).isEqualTo(V2);
  }

  @Test
  void aFailedPostPromotionAnalysisSwitchesBackAtOnce() {
    World w =
        blueGreen(
            "postPromotionAnalysis: {templates: [{templateName: success-rate}]},"
                + " scaleDownDelaySeconds: 30");
    w.commit(V2);
    assertThat(w.active).isEqualTo(V2);
    w.advance(Duration.ofMinutes(10));
    assertThat(w.stable.template())
        .as("kept until the post-promotion analysis succeeds")
        .contains(V1);

    w.analysis("post", AnalysisPhase.FAILED, "success-rate 0.91 < 0.99", 2, 2);

    assertThat(w.last.effects().getFirst()).isEqualTo(new Effect.SwitchActive(V1));
    assertThat(w.active).isEqualTo(V1);
    assertThat(w.status().line())
        .isEqualTo(
            "storefront  Degraded  v2.4.1 rolled back: success-rate 0.91 < 0.99"
                + " (post-promotion analysis); active switched back to v2.4.0");
    assertThat(w.status().revertTo()).contains("r1");
  }

  @Test
  void previewPodsPastTheirProgressDeadlineRollBackWhenTheRolloutSaysSo() {
    World w =
        World.of(
            Apps.storefront(
                """
                apiVersion: weir.dev/v1alpha1
                kind: Rollout
                metadata: {name: storefront}
                spec:
                  targetRef: {kind: Deployment, name: storefront}
                  progressDeadlineAbort: true
                  strategy:
                    blueGreen: {activeService: storefront-stable, autoPromotionEnabled: false}
                """));
    w.podsStartAtOnce = false;
    w.commit(V2);
    w.secondary = w.secondary.withStalled(true);

    w.pass();

    assertThat(w.phase()).isEqualTo(RolloutPhase.DEGRADED);
    assertThat(w.status().message())
        .startsWith("v2.4.1 rolled back: its preview pods did not become ready before the progress");
    assertThat(w.active).as("users never left the active color").isEqualTo(V1);
    assertThat(w.secondary.replicas()).isZero();
  }

  @Test
  void rollbackWithinTheScaleDownDelayIsOneInstantSwitchBack() {
    World w = manual();
    w.commit(V2).command(World.promote());
    w.advance(Duration.ofSeconds(29));
    w.podsStartAtOnce = false;

    w.command(World.abort());

    assertThat(w.last.effects().getFirst()).isEqualTo(new Effect.SwitchActive(V1));
    assertThat(w.active).isEqualTo(V1);
    assertThat(w.stable)
        .as("the previous version never went away")
        .isEqualTo(Workload.of(V1, 4, 4));
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);
  }

  @Test
  void aRollbackWithinTheScaleDownDelayIsOneInstantSwitchBack() {
    World w = manual();
    w.commit(V2).command(World.promote());
    w.advance(Duration.ofSeconds(29));
    w.podsStartAtOnce = false;
    w.gitOnly(V1);

    w.command(World.rollback());

    assertThat(w.last.effects().getFirst()).isEqualTo(new Effect.SwitchActive(V1));
    assertThat(w.active).isEqualTo(V1);
    assertThat(w.stable).as("no pod had to start").isEqualTo(Workload.of(V1, 4, 4));
    assertThat(w.status().line())
        .isEqualTo("storefront  Healthy  rolled back to v2.4.0 by alice: bad release");
  }

  @Test
  void aRollbackAfterTheScaleDownDelayPutsTheRestoredVersionActiveWithoutAPreview() {
    World w = manual();
    w.commit(V2).command(World.promote());
    w.advance(Duration.ofSeconds(30)).podsReady();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
    w.commit(V1);

    w.command(World.rollback());

    assertThat(w.last.effects())
        .contains(new Effect.UpdateStable(V1, 4), new Effect.SwitchActive(V1));
    assertThat(w.active).isEqualTo(V1);
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.status().line())
        .isEqualTo(
            "storefront  Healthy  rolled back to v2.4.0 by alice: bad release (was v2.4.1)");
  }

  @Test
  void afterTheScaleDownDelayAbortIsRefusedAndPointsAtGit() {
    World w = manual();
    w.commit(V2).command(World.promote());
    w.podsStartAtOnce = false;
    w.advance(Duration.ofSeconds(30));

    w.command(World.abort());
    assertThat(w.last.refused())
        .contains(
            "v2.4.0 is already being scaled down; revert the commit in Git to go back"
                + " (weir rollback storefront --to r1)");

    w.podsReady();
    w.command(World.abort());
    assertThat(w.last.refused()).contains("nothing to abort: storefront is Healthy on v2.4.1");
  }

  @Test
  void gitGoingBackWhileSwitchedSwitchesBack() {
    World w = manual();
    w.commit(V2).command(World.promote());
    w.commit(V1);
    assertThat(w.active).isEqualTo(V1);
    assertThat(w.status().line())
        .isEqualTo(
            "storefront  Healthy  v2.4.1 cancelled: Git is back on v2.4.0; active"
                + " switched back");
  }

  // ---- commands in every phase --------------------------------------------------------------

  record Given(String name, UnaryOperator<World> build) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final Given HEALTHY = new Given("Healthy", w -> w);
  static final Given WAITING =
      new Given(
          "Progressing, preview not ready",
          w -> {
            w.podsStartAtOnce = false;
            return w.commit(V2);
          });
  static final Given AWAITING = new Given("Paused, waiting for promote", w -> w.commit(V2));
  static final Given PAUSED =
      new Given("Paused by a person", w -> w.commit(V2).command(World.pause()));
  static final Given SWITCHED = new Given("Switched", w -> w.commit(V2).command(World.promote()));
  static final Given SCALING_DOWN =
      new Given(
          "Scaling down",
          w -> {
            w.commit(V2).command(World.promote());
            w.podsStartAtOnce = false;
            return w.advance(Duration.ofSeconds(30));
          });
  static final Given ABORTED = new Given("Aborted", w -> w.commit(V2).command(World.abort()));

  record CommandCase(Given given, ManualCommand command, String expected) {}

  static Stream<CommandCase> commandsInEveryPhase() {
    List<CommandCase> cases = new ArrayList<>();
    String noWeight =
        "refused: blue/green switches all traffic at once; there is no weight to set (promote or"
            + " abort)";
    add(
        cases,
        HEALTHY,
        "refused: nothing to promote: storefront is Healthy on v2.4.0",
        "refused: nothing to promote: storefront is Healthy on v2.4.0",
        "refused: nothing to pause: storefront is Healthy on v2.4.0",
        "refused: not paused: storefront is Healthy on v2.4.0",
        "refused: nothing to abort: storefront is Healthy on v2.4.0",
        "refused: only an aborted rollout can be retried; storefront is Healthy on v2.4.0",
        noWeight);
    add(
        cases,
        WAITING,
        "refused: v2.4.1 is not ready in preview (0/4 pods); promote once it is",
        "refused: v2.4.1 is not ready in preview (0/4 pods); promote once it is",
        "Paused: v2.4.1 in preview: paused by alice: checking dashboards",
        "refused: not paused: storefront is previewing v2.4.1",
        "Aborted: v2.4.1 aborted by alice: pager went off",
        "refused: only an aborted rollout can be retried; storefront is previewing v2.4.1",
        noWeight);
    add(
        cases,
        AWAITING,
        "Progressing: active on v2.4.1; v2.4.0 scales down in 30s",
        "Progressing: active on v2.4.1; v2.4.0 scales down in 30s",
        "Paused: v2.4.1 in preview: paused by alice",
        "Progressing: active on v2.4.1; v2.4.0 scales down in 30s",
        "Aborted: v2.4.1 aborted by alice: pager went off",
        "refused: only an aborted rollout can be retried; storefront is previewing v2.4.1",
        noWeight);
    add(
        cases,
        PAUSED,
        "Progressing: active on v2.4.1",
        "Progressing: active on v2.4.1",
        "refused: already paused: paused by alice: checking dashboards",
        "Paused: v2.4.1 in preview, ready; waiting for promote",
        "Aborted: v2.4.1 aborted by alice",
        "refused: only an aborted rollout can be retried; storefront is paused with v2.4.1 in"
            + " preview",
        noWeight);
    add(
        cases,
        SWITCHED,
        "refused: nothing to promote: storefront is switched to v2.4.1; v2.4.0 scales down at",
        "Healthy: v2.4.1 promoted: active on the stable Deployment",
        "refused: nothing to pause: storefront is switched to v2.4.1",
        "refused: not paused: storefront is switched to v2.4.1",
        "Aborted: v2.4.1 rolled back by alice: active switched back to v2.4.0: pager went off",
        "refused: only an aborted rollout can be retried; storefront is switched to v2.4.1",
        noWeight);
    add(
        cases,
        SCALING_DOWN,
        "refused: nothing to promote: storefront is scaling down v2.4.0",
        "refused: nothing to promote: storefront is scaling down v2.4.0",
        "refused: nothing to pause: storefront is scaling down v2.4.0",
        "refused: not paused: storefront is scaling down v2.4.0",
        "refused: v2.4.0 is already being scaled down; revert the commit in Git",
        "refused: only an aborted rollout can be retried; storefront is scaling down v2.4.0",
        noWeight);
    add(
        cases,
        ABORTED,
        "refused: nothing to promote: storefront is Aborted: v2.4.1 aborted by alice",
        "refused: nothing to promote: storefront is Aborted",
        "refused: nothing to pause: storefront is Aborted",
        "refused: not paused: storefront is Aborted",
        "refused: already aborted: v2.4.1 aborted by alice: pager went off",
        "Paused: v2.4.1 in preview, ready; waiting for promote",
        noWeight);
    return cases.stream();
  }

  private static void add(List<CommandCase> cases, Given given, String... expected) {
    List<ManualCommand> commands =
        List.of(
            World.promote(),
            World.promoteFull(),
            World.pause(),
            World.resume(),
            World.abort(),
            World.retry(),
            World.setWeight(50));
    for (int i = 0; i < commands.size(); i++) {
      cases.add(new CommandCase(given, commands.get(i), expected[i]));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandsInEveryPhase")
  void everyCommandInEveryPhase(CommandCase c) {
    World w = c.given().build().apply(manual());
    RolloutState before = w.state;

    w.command(c.command());

    if (c.expected().startsWith("refused: ")) {
      assertThat(w.last.refused())
          .hasValueSatisfying(
              r ->
                  assertThat(r)
                      .startsWith(c.expected().substring("refused: ".length()))
                      .doesNotContain("\n"));
      assertThat(w.state).isEqualTo(before);
      assertThat(w.last.effects()).isEmpty();
      return;
    }
    assertThat(w.last.refused()).isEmpty();
    String phase = c.expected().substring(0, c.expected().indexOf(':'));
    assertThat(w.phase().word()).isEqualTo(phase);
    assertThat(w.status().message()).contains(c.expected().substring(phase.length() + 2));
  }

  @Test
  void restoreAfterACrashWhileSwitchedKeepsTheNewVersionActive() {
    World w = manual();
    w.commit(V2).command(World.promote());
    assertThat(RolloutMachine.restore(w.state, w.spec, w.observation(java.util.Optional.empty())))
        .containsExactly(new Effect.ScaleCanary(V2, 4), new Effect.SwitchActive(V2));
  }
}
