package dev.weir.engine.rollout;

import static dev.weir.engine.rollout.World.V2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.AnalysisPhase;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The canary machine playing Argo's {@code experiment} step as docs/features/experiment.md
 * describes its lifecycle (decision 0045): workloads first, analyses once their pods are ready,
 * "if an AnalysisRun fails or errors, the Experiment will end prematurely", "will not complete
 * until [requiredForCompletion] AnalysisRuns have completed", "once an Experiment is complete, the
 * ReplicaSets will be scaled to zero, and any incomplete AnalysisRuns will be terminated".
 */
class ArgoExperimentMachineTest {

  static World argo(String experiment) {
    String rollout =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: storefront}
        spec:
          replicas: 4
          workloadRef: {apiVersion: apps/v1, kind: Deployment, name: storefront}
          strategy:
            canary:
              steps:
              - setWeight: 25
              - experiment:
        EXPERIMENT
              - pause: {}
        """
            .replace(
                "EXPERIMENT",
                experiment.lines().map(l -> "          " + l).reduce((a, b) -> a + "\n" + b).orElseThrow());
    return World.of(Apps.storefront(rollout), 4);
  }

  static final String ANALYSES =
      """
        analyses:
        - name: compare
          templateName: success-rate
          requiredForCompletion: true
          args: [{name: service, value: "{{templates.canary.podTemplateHash}}"}]
        - name: watch
          templateName: latency""";

  static final String TEMPLATES =
      """
        templates:
        - {name: baseline, specRef: stable}
        - {name: canary, specRef: canary, replicas: 2}""";

  @Test
  void theAnalysesStartOnlyOnceEveryWorkloadHasItsPodsReady() {
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES);
    w.podsStartAtOnce = false;
    w.commit(V2).podsReady();

    assertThat(w.experiments).containsOnlyKeys("storefront-exp2-baseline", "storefront-exp2-canary");
    assertThat(w.experiments.get("storefront-exp2-canary").replicas()).isEqualTo(2);
    assertThat(w.runningAnalyses).as("Pending: no analysis yet").isEmpty();
    assertThat(w.status().message()).endsWith("experiment, waiting for its pods");

    w.experiments.replaceAll((name, x) -> Workload.of(x.template().orElseThrow(), x.replicas(), x.replicas()));
    w.pass();

    assertThat(w.runningAnalyses)
        .containsExactly("storefront-" + V2.hash().substring(0, 7) + "-0-step-2-compare",
            "storefront-" + V2.hash().substring(0, 7) + "-0-step-2-watch");
    assertThat(w.wakeAt).contains(w.now.plus(Duration.ofMinutes(10)));
  }

  @Test
  void withoutDurationItEndsWhenTheRequiredAnalysisIsSuccessfulAndStopsTheOthers() {
    World w = argo(TEMPLATES + "\n" + ANALYSES);
    w.commit(V2);
    w.advance(Duration.ofHours(2));
    assertThat(w.experiments).as("the required analysis has not completed").hasSize(2);

    w.analysis("-compare", AnalysisPhase.SUCCESSFUL, "", 5, 0);

    assertThat(w.experiments).as("its workloads deleted as the step ends").isEmpty();
    assertThat(w.runningAnalyses).as("the incomplete run is terminated").isEmpty();
    assertThat(w.status().message()).endsWith("paused until promoted");
    assertThat(w.events)
        .extracting(RolloutEvent::message)
        .anySatisfy(m -> assertThat(m).startsWith("step 2/3: experiment passed: compare Successful"));
  }

  @Test
  void aFailedAnalysisAbortsTheRolloutAndEndsTheExperiment() {
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES);
    w.commit(V2);

    w.analysis("-watch", AnalysisPhase.FAILED, "p99-latency 0.41 >= 0.3", 1, 1);

    assertThat(w.phase()).isEqualTo(RolloutPhase.DEGRADED);
    assertThat(w.status().message())
        .isEqualTo("v2.4.1 rolled back: experiment analysis watch: p99-latency 0.41 >= 0.3 at step 2");
    assertThat(w.experiments).isEmpty();
    assertThat(w.runningAnalyses).isEmpty();
    assertThat(w.weight).isZero();
  }

  @Test
  void anInconclusiveAnalysisPausesAndResumeGoesPastTheStep() {
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES);
    w.commit(V2);

    w.analysis("-compare", AnalysisPhase.INCONCLUSIVE, "no data", 1, 0);
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(w.experiments).as("held, not ended").hasSize(2);

    w.command(new ManualCommand.Resume("alice", ""));

    assertThat(w.experiments).isEmpty();
    assertThat(w.status().message()).endsWith("paused until promoted");
  }

  @Test
  void aPersonsAbortOrPromotionEndsTheExperiment() {
    World aborted = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES).commit(V2);
    aborted.command(new ManualCommand.Abort("alice", "wrong build"));
    assertThat(aborted.experiments).isEmpty();
    assertThat(aborted.runningAnalyses).isEmpty();

    World promoted = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES).commit(V2);
    promoted.command(new ManualCommand.Promote("alice", ""));
    assertThat(promoted.experiments).isEmpty();
    assertThat(promoted.status().message()).endsWith("paused until promoted");
  }

  @Test
  void aResumedConsoleReassertsTheExperimentUnderWayOrDeletesOneThatEnded() {
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES).commit(V2);
    var during = RolloutMachine.restore(w.state, w.spec, w.observation(Optional.empty()));
    assertThat(during)
        .filteredOn(e -> e instanceof Effect.RunExperiment)
        .hasSize(2);
    assertThat(during)
        .filteredOn(e -> e instanceof Effect.EndExperiments)
        .containsExactly(
            new Effect.EndExperiments(
                java.util.Set.of("storefront-exp2-baseline", "storefront-exp2-canary")));
    assertThat(during).filteredOn(e -> e instanceof Effect.StartAnalysis).hasSize(2);

    w.advance(Duration.ofMinutes(10)).analysis("-compare", AnalysisPhase.SUCCESSFUL, "", 5, 0);
    var after = RolloutMachine.restore(w.state, w.spec, w.observation(Optional.empty()));
    assertThat(after).contains(new Effect.EndExperiments(java.util.Set.of()));
    assertThat(after).noneMatch(e -> e instanceof Effect.RunExperiment);
  }

  @Test
  void aWorkloadPastItsProgressDeadlineFailsTheExperimentAndTheRollout() {
    // Argo: "If a ReplicaSet does not become available within spec.progressDeadlineSeconds, the
    // Experiment will fail"; the Deployment's own deadline says so here
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES);
    w.podsStartAtOnce = false;
    w.commit(V2).podsReady();
    w.experiments.computeIfPresent("storefront-exp2-canary", (name, x) -> x.withStalled(true));

    w.pass();

    assertThat(w.phase()).isEqualTo(RolloutPhase.DEGRADED);
    assertThat(w.status().message())
        .isEqualTo(
            "v2.4.1 rolled back: experiment workload storefront-exp2-canary did not become ready"
                + " before its progress deadline at step 2");
    assertThat(w.experiments).isEmpty();
  }

  @Test
  void theFacesShowTheExperimentsAnalysesWithTheirOwnPodHash() {
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES).commit(V2);
    String canaryPods = w.experiments.get("storefront-exp2-canary").template().orElseThrow().hash();

    assertThat(RolloutViews.slots(w.spec, w.state))
        .extracting(slot -> slot.name() + " " + slot.ref().args())
        .containsExactly("step 2 compare {service=" + canaryPods + "}", "step 2 watch {}");
  }

  @Test
  void pausedByAPersonTheExperimentStillStartsButTheStepEndsOnlyAfterTheResume() {
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES);
    w.podsStartAtOnce = false;
    w.commit(V2).podsReady();
    w.command(new ManualCommand.Pause("alice", "lunch"));
    w.experiments.replaceAll((name, x) -> Workload.of(x.template().orElseThrow(), x.replicas(), x.replicas()));

    w.pass();
    assertThat(w.runningAnalyses).as("the experiment goes on underneath").hasSize(2);
    w.advance(Duration.ofMinutes(15)).analysis("-compare", AnalysisPhase.SUCCESSFUL, "", 5, 0);
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(w.experiments).as("held with the rollout").hasSize(2);

    w.command(new ManualCommand.Resume("alice", ""));

    assertThat(w.experiments).isEmpty();
    assertThat(w.status().message()).endsWith("paused until promoted");
  }

  @Test
  void theExperimentsPodsCarryHashesOfTheirOwn() {
    World w = argo(TEMPLATES + "\nduration: 10m\n" + ANALYSES).commit(V2);

    assertThat(w.experiments.values())
        .extracting(x -> x.template().orElseThrow().hash())
        .doesNotHaveDuplicates()
        .doesNotContain(World.V1.hash(), V2.hash());
  }
}
