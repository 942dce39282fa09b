package dev.weir.engine.rollout;

import static dev.weir.engine.rollout.World.V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.rollout.RolloutView.Outcome;
import dev.weir.engine.rollout.RolloutView.StepState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The view a face draws of a rollout, computed from the spec and the state as the machines leave
 * them (no cluster): where the steps are, how the analyses stand — stopped, never Running, once the
 * rollout is aborted — and what it waits for.
 */
class RolloutViewsTest {

  static RolloutView view(World w) {
    return RolloutViews.of(
        w.spec,
        w.state,
        w.status(),
        Optional.empty(),
        Map.of(),
        run -> Optional.empty(),
        Map.of(),
        w.now);
  }

  @Test
  void aCanaryInItsAnalysisStepShowsDoneCurrentAndPendingSteps() {
    World w = CanaryMachineTest.atStep(3);
    w.analysis("step-3", AnalysisPhase.RUNNING, "", 2, 0);

    RolloutView view = view(w);

    assertThat(view.strategy()).isEqualTo(RolloutView.Strategy.CANARY);
    assertThat(view.router())
        .contains(new RolloutView.Router("gatewayAPI", "HTTPRoute shop/storefront"));
    assertThat(view.steps())
        .extracting(RolloutView.Step::state)
        .containsExactly(
            StepState.DONE,
            StepState.DONE,
            StepState.CURRENT,
            StepState.PENDING,
            StepState.PENDING,
            StepState.PENDING,
            StepState.PENDING);
    assertThat(view.steps().get(2).analysis()).contains(Outcome.RUNNING);
    assertThat(view.steps().get(4).analysis()).isEmpty();
    assertThat(view.analyses())
        .extracting(RolloutView.Analysis::name, RolloutView.Analysis::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("step 3", Outcome.RUNNING),
            org.assertj.core.groups.Tuple.tuple("background", Outcome.PENDING));
    assertThat(view.versions())
        .isEqualTo(new RolloutView.Versions("v2.4.0", 95, Optional.of("v2.4.1"), 5));
    assertThat(view.phaseSince()).isPresent();
  }

  @Test
  void anAbortedCanaryShowsItsAnalysesStoppedNotRunning() {
    World w = CanaryMachineTest.atStep(3);
    w.analysis("background", AnalysisPhase.RUNNING, "", 2, 0);
    w.command(World.abort());
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);

    RolloutView view = view(w);

    assertThat(view.analyses()).isNotEmpty();
    assertThat(view.analyses())
        .extracting(RolloutView.Analysis::outcome)
        .containsOnly(Outcome.STOPPED);
    assertThat(view.steps().get(2).state()).isEqualTo(StepState.CURRENT);
    assertThat(view.steps().get(2).analysis()).contains(Outcome.STOPPED);
    assertThat(view.versions().canaryWeight()).isZero();
    assertThat(view.versions().stableWeight()).isEqualTo(100);
  }

  @Test
  void aBlueGreenWaitingForPromoteShowsItsStagesAndWhatItWaitsFor() {
    World w = BlueGreenMachineTest.manual();
    w.commit(V2);

    RolloutView view = view(w);

    assertThat(view.strategy()).isEqualTo(RolloutView.Strategy.BLUE_GREEN);
    assertThat(view.router()).isEmpty();
    assertThat(view.steps())
        .extracting(RolloutView.Step::description, RolloutView.Step::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("preview", StepState.DONE),
            org.assertj.core.groups.Tuple.tuple("promotion (waits for promote)", StepState.CURRENT),
            org.assertj.core.groups.Tuple.tuple("switch", StepState.PENDING),
            org.assertj.core.groups.Tuple.tuple("scale down", StepState.PENDING));
    assertThat(view.blocked()).contains("waiting for promote");
    assertThat(view.versions().canary()).contains("v2.4.1");
  }

  @Test
  void outcomesOfAStoppedRunAreStoppedUnlessItHadEnded() {
    record Case(AnalysisPhase phase, boolean stopped, Outcome expected) {}
    for (Case c :
        List.of(
            new Case(AnalysisPhase.RUNNING, false, Outcome.RUNNING),
            new Case(AnalysisPhase.RUNNING, true, Outcome.STOPPED),
            new Case(AnalysisPhase.PENDING, true, Outcome.STOPPED),
            new Case(AnalysisPhase.INCONCLUSIVE, true, Outcome.STOPPED),
            new Case(AnalysisPhase.INCONCLUSIVE, false, Outcome.INCONCLUSIVE),
            new Case(AnalysisPhase.FAILED, true, Outcome.FAILED),
            new Case(AnalysisPhase.SUCCESSFUL, true, Outcome.SUCCESSFUL))) {
      assertThat(Outcome.of(c.phase(), c.stopped())).as(c.toString()).isEqualTo(c.expected());
    }
  }
}
