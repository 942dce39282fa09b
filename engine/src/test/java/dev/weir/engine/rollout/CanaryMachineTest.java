package dev.weir.engine.rollout;

import static dev.weir.engine.rollout.World.V1;
import static dev.weir.engine.rollout.World.V2;
import static dev.weir.engine.rollout.World.V3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.AnalysisPhase;
import dev.weir.engine.traffic.HeaderRoute;
import dev.weir.engine.traffic.RouteMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canary machine, driven through {@link World}. The spec is DESIGN.md's storefront: 1 setWeight
 * 5, 2 pause 2m, 3 analysis success-rate, 4 setWeight 25, 5 pause (until promoted), 6 setWeight 50,
 * 7 pause 5m, with background analysis latency.
 */
class CanaryMachineTest {

  static World storefront() {
    return storefront(4);
  }

  static final String STOREFRONT =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        targetRef: {kind: Deployment, name: storefront}
        strategy:
          canary:
            trafficRouting: {gatewayAPI: {httpRoute: storefront}}
            stableService: storefront-stable
            canaryService: storefront-canary
            analysis: {templates: [{templateName: latency}]}
            steps:
            - setWeight: 5
            - pause: {duration: 2m}
            - analysis: {templates: [{templateName: success-rate}], args: [{name: service, value: storefront-canary}]}
            - setWeight: 25
            - pause: {}
            - setWeight: 50
            - pause: {duration: 5m}
      """;

  static World storefront(int replicas) {
    return World.of(Apps.storefront(STOREFRONT), replicas);
  }

  /**
   * A world at step {@code step} (1-based) of the storefront at 10 replicas, where each step waits.
   */
  static World atStep(int step) {
    World w = storefront(10);
    w.podsStartAtOnce = false;
    w.commit(V2);
    if (step >= 2) {
      w.podsReady();
    }
    if (step >= 3) {
      w.advance(Duration.ofMinutes(2));
    }
    if (step >= 4) {
      w.analysis("step-3", AnalysisPhase.SUCCESSFUL, "5 of 5 successful", 5, 0);
    }
    if (step >= 5) {
      w.podsReady();
    }
    if (step >= 6) {
      w.command(World.promote());
    }
    if (step >= 7) {
      w.podsReady();
    }
    assertThat(w.status().step()).isEqualTo(step);
    return w;
  }

  @Test
  void aGoodCanaryWalksEveryStepAndPromotes() {
    World w = storefront();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);

    w.commit(V2);
    assertThat(w.status().message()).isEqualTo("v2.4.1 canary at 5%, step 2/7: paused, 2m left");
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(w.weight).isEqualTo(5);
    assertThat(w.secondary).isEqualTo(Workload.of(V2, 1, 1));
    assertThat(w.runningAnalyses).singleElement().asString().contains("background");

    w.advance(Duration.ofMinutes(2));
    assertThat(w.status().message())
        .startsWith("v2.4.1 canary at 5%, step 3/7: analysis success-rate");
    w.analysis("step-3", AnalysisPhase.RUNNING, "", 2, 0);
    assertThat(w.status().analysis()).get().extracting(AnalysisCounts::measured).isEqualTo(2);
    w.analysis("step-3", AnalysisPhase.SUCCESSFUL, "5 of 5 successful", 5, 0);
    assertThat(w.weight).isEqualTo(25);
    assertThat(w.status().message())
        .isEqualTo("v2.4.1 canary at 25%, step 5/7: paused until promoted");

    w.advance(Duration.ofHours(5));
    assertThat(w.status().step()).as("an indefinite pause waits for a person").isEqualTo(5);

    w.command(World.promote());
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.secondary.replicas()).isEqualTo(2);
    assertThat(w.status().message()).isEqualTo("v2.4.1 canary at 50%, step 7/7: paused, 5m left");

    w.advance(Duration.ofMinutes(5));
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(w.status().message()).isEqualTo("v2.4.1 promoted: 100% on stable");
    assertThat(w.weight).isZero();
    assertThat(w.stable).isEqualTo(Workload.of(V2, 4, 4));
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.runningAnalyses).isEmpty();
    assertThat(w.messages())
        .contains(
            "v2.4.1 rollout started beside v2.4.0: 7 steps over HTTPRoute storefront",
            "canary weight 0% → 5% (1 of 1 canary pods ready)",
            "step 2/7: pause 2m, canary at 5%",
            "step 3/7: analysis success-rate started, canary at 5%",
            "step 3/7 analysis success-rate Successful: 5 measured (last: 5 of 5 successful)",
            "promoted past step 5/7 by alice",
            "v2.4.1 promoting: the stable Deployment takes the new template; the canary keeps 50%"
                + " until it is ready",
            "v2.4.1 promoted: 100% on stable");
  }

  @Test
  void theWeightRisesOnlyOnceTheCanaryPodsAreReady() {
    World w = storefront(10);
    w.podsStartAtOnce = false;
    w.commit(V2);
    assertThat(w.secondary).isEqualTo(Workload.of(V2, 1, 0));
    assertThat(w.weight).isZero();
    assertThat(w.status().message())
        .isEqualTo("v2.4.1 canary at 0%, step 1/7: setWeight 5, waiting for canary pods");
    w.advance(Duration.ofHours(1));
    assertThat(w.weight).isZero();

    w.podsReady();
    assertThat(w.weight).isEqualTo(5);
    assertThat(w.status().step()).isEqualTo(2);
  }

  // ---- every step kind ----------------------------------------------------------------------

  record StepCase(
      String name,
      String steps,
      List<Effect> expectedEffects,
      RolloutPhase phase,
      String message,
      Optional<Duration> wake) {}

  static Stream<StepCase> stepKinds() {
    return Stream.of(
        new StepCase(
            "setWeight scales the canary first, then waits for its pods",
            "[{setWeight: 50}]",
            List.of(new Effect.ScaleCanary(V2, 2)),
            RolloutPhase.PROGRESSING,
            "v2.4.1 canary at 0%, step 1/2: setWeight 50, waiting for canary pods",
            Optional.empty()),
        new StepCase(
            "pause with a duration wakes up when it ends",
            "[{pause: {duration: 90s}}]",
            List.of(),
            RolloutPhase.PAUSED,
            "v2.4.1 canary at 0%, step 1/2: paused, 1m30s left",
            Optional.of(Duration.ofSeconds(90))),
        new StepCase(
            "pause without a duration waits for a person",
            "[{pause: {}}]",
            List.of(),
            RolloutPhase.PAUSED,
            "v2.4.1 canary at 0%, step 1/2: paused until promoted",
            Optional.empty()),
        new StepCase(
            "analysis starts a run named after the step",
            "[{analysis: {templates: [{templateName: success-rate}]}}]",
            List.of(
                new Effect.StartAnalysis(
                    "storefront-" + V2.hash().substring(0, 7) + "-0-step-1",
                    AnalysisRef.of("success-rate"))),
            RolloutPhase.PROGRESSING,
            "v2.4.1 canary at 0%, step 1/2: analysis success-rate, 0 measured",
            Optional.empty()),
        new StepCase(
            "setCanaryScale sizes the canary and goes on at once",
            "[{setCanaryScale: {replicas: 3}}]",
            List.of(new Effect.ScaleCanary(V2, 3)),
            RolloutPhase.PAUSED,
            "v2.4.1 canary at 0%, step 2/2: paused until promoted",
            Optional.empty()),
        new StepCase(
            "setHeaderRoute routes matching requests to the canary and goes on at once",
            "[{setHeaderRoute: {name: beta, match: [{headerName: X-Beta, headerValue: {exact:"
                + " 'yes'}}]}}]",
            List.of(
                new Effect.SetHeaderRoutes(
                    List.of(
                        new HeaderRoute(
                            "beta",
                            List.of(
                                new RouteMatch.Header(
                                    "X-Beta", RouteMatch.MatchType.EXACT, "yes")))))),
            RolloutPhase.PAUSED,
            "v2.4.1 canary at 0%, step 2/2: paused until promoted",
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stepKinds")
  void everyStepKind(StepCase c) {
    String steps = c.steps().replace("]", ", {pause: {}}]");
    if (c.steps().endsWith("]}}]")) {
      steps = c.steps().substring(0, c.steps().length() - 1) + ", {pause: {}}]";
    }
    World w =
        World.of(
            Apps.storefront(
                RolloutSpecParserTest.canaryWith(
                    "trafficRouting: {istio: {virtualService: {name: storefront}}}", steps)));
    w.podsStartAtOnce = false;

    w.commit(V2);

    assertThat(w.last.effects().stream().filter(e -> !(e instanceof Effect.Emit)).toList())
        .containsExactlyElementsOf(c.expectedEffects());
    assertThat(w.phase()).isEqualTo(c.phase());
    assertThat(w.status().message()).isEqualTo(c.message());
    assertThat(w.last.wakeAfter()).isEqualTo(c.wake());
  }

  @Test
  void aTimedPauseEndsWhenItsTimeHasCome() {
    World w = atStep(2);
    w.advance(Duration.ofSeconds(119));
    assertThat(w.status().step()).isEqualTo(2);
    assertThat(w.status().message()).endsWith("paused, 1s left");
    w.advance(Duration.ofSeconds(1));
    assertThat(w.status().step()).isEqualTo(3);
  }

  record ReplicaCase(
      int total, int weight, OptionalInt scaleReplicas, OptionalInt scaleWeight, int canary) {}

  static Stream<ReplicaCase> replicas() {
    OptionalInt none = OptionalInt.empty();
    return Stream.of(
        new ReplicaCase(4, 5, none, none, 1),
        new ReplicaCase(4, 25, none, none, 1),
        new ReplicaCase(4, 50, none, none, 2),
        new ReplicaCase(10, 33, none, none, 4),
        new ReplicaCase(4, 0, none, none, 0),
        new ReplicaCase(4, 100, none, none, 4),
        new ReplicaCase(4, 50, OptionalInt.of(3), none, 3),
        new ReplicaCase(4, 5, none, OptionalInt.of(50), 2));
  }

  @ParameterizedTest
  @MethodSource("replicas")
  void canaryReplicasFollowTheJavadocTable(ReplicaCase c) {
    assertThat(
            CanaryMachine.canaryReplicas(c.total(), c.weight(), c.scaleReplicas(), c.scaleWeight()))
        .isEqualTo(c.canary());
  }

  @Test
  void withoutARouterTheStableGivesUpThePodsTheCanaryGets() {
    World w =
        World.of(
            Apps.storefront(RolloutSpecParserTest.canaryWith("", "[{setWeight: 50}, {pause: {}}]")),
            4);
    w.commit(V2);
    w.pass();
    assertThat(w.secondary.replicas()).isEqualTo(2);
    assertThat(w.stable).isEqualTo(Workload.of(V1, 2, 2));

    w.command(World.abort());
    assertThat(w.stable).isEqualTo(Workload.of(V1, 4, 4));
    assertThat(w.secondary.replicas()).isZero();
  }

  // ---- commands in every phase --------------------------------------------------------------

  record Given(String name, UnaryOperator<World> build) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final Given HEALTHY = new Given("Healthy", w -> w);
  static final Given WAITING_FOR_PODS =
      new Given(
          "Progressing, waiting for pods",
          w -> {
            w.podsStartAtOnce = false;
            return w.commit(V2);
          });
  static final Given TIMED_PAUSE = new Given("Paused at a timed pause", w -> w.commit(V2));
  static final Given ANALYZING =
      new Given("Progressing, analysing", w -> w.commit(V2).advance(Duration.ofMinutes(2)));
  static final Given INDEFINITE_PAUSE =
      new Given(
          "Paused until promoted",
          w ->
              ANALYZING
                  .build()
                  .apply(w)
                  .analysis("step-3", AnalysisPhase.SUCCESSFUL, "5 of 5 successful", 5, 0));
  static final Given PAUSED_BY_A_PERSON =
      new Given("Paused by a person", w -> w.commit(V2).command(World.pause()));
  static final Given INCONCLUSIVE =
      new Given(
          "Paused, analysis inconclusive",
          w ->
              ANALYZING
                  .build()
                  .apply(w)
                  .analysis("step-3", AnalysisPhase.INCONCLUSIVE, "success-rate: no data", 5, 0));
  static final Given WEIGHT_HELD =
      new Given("Paused, weight held", w -> w.commit(V2).command(World.setWeight(50)).pass());
  static final Given PROMOTING =
      new Given(
          "Promoting",
          w -> {
            INDEFINITE_PAUSE.build().apply(w);
            w.podsStartAtOnce = false;
            return w.command(World.promoteFull());
          });
  static final Given DEGRADED =
      new Given(
          "Degraded",
          w ->
              ANALYZING
                  .build()
                  .apply(w)
                  .analysis("step-3", AnalysisPhase.FAILED, "success-rate 0.91 < 0.99", 2, 2));
  static final Given ABORTED = new Given("Aborted", w -> w.commit(V2).command(World.abort()));

  record CommandCase(Given given, ManualCommand command, String expected) {}

  /**
   * Expected outcomes, after the command and one more pass: {@code refused: …} (the state is
   * unchanged) or {@code Phase: message fragment}.
   */
  static Stream<CommandCase> commandsInEveryPhase() {
    List<CommandCase> cases = new ArrayList<>();
    add(
        cases,
        HEALTHY,
        "refused: nothing to promote: storefront is Healthy on v2.4.0",
        "refused: nothing to promote: storefront is Healthy on v2.4.0",
        "refused: nothing to pause: storefront is Healthy on v2.4.0",
        "refused: nothing to resume: storefront is Healthy on v2.4.0",
        "refused: nothing to abort: storefront is Healthy on v2.4.0",
        "refused: only an aborted rollout can be retried; storefront is Healthy on v2.4.0",
        "refused: no canary to set a weight on: storefront is Healthy on v2.4.0");
    add(
        cases,
        WAITING_FOR_PODS,
        "Paused: step 2/7: paused, 2m left",
        "Progressing: v2.4.1 promoting",
        "Paused: step 1/7: paused by alice: checking dashboards",
        "refused: not paused: storefront is progressing at step 1/7",
        "Aborted: v2.4.1 aborted by alice at step 1/7: pager went off",
        "refused: only an aborted rollout can be retried; storefront is progressing at step 1/7",
        "Paused: v2.4.1 canary at 0%, step 1/7: weight held at 50% by alice: more traffic for the"
            + " experiment");
    add(
        cases,
        TIMED_PAUSE,
        "Progressing: v2.4.1 canary at 5%, step 3/7: analysis success-rate",
        "Healthy: v2.4.1 promoted: 100% on stable",
        "Paused: step 2/7: paused by alice",
        "Progressing: v2.4.1 canary at 5%, step 3/7: analysis success-rate",
        "Aborted: v2.4.1 aborted by alice at step 2/7: pager went off",
        "refused: only an aborted rollout can be retried; storefront is progressing at step 2/7",
        "Paused: v2.4.1 canary at 50%, step 2/7: weight held at 50% by alice");
    add(
        cases,
        ANALYZING,
        "Paused: v2.4.1 canary at 25%, step 5/7: paused until promoted",
        "Healthy: v2.4.1 promoted: 100% on stable",
        "Paused: step 3/7: paused by alice",
        "refused: not paused: storefront is progressing at step 3/7",
        "Aborted: v2.4.1 aborted by alice at step 3/7",
        "refused: only an aborted rollout can be retried",
        "Paused: v2.4.1 canary at 50%, step 3/7: weight held at 50% by alice");
    add(
        cases,
        INDEFINITE_PAUSE,
        "Paused: v2.4.1 canary at 50%, step 7/7: paused, 5m left",
        "Healthy: v2.4.1 promoted: 100% on stable",
        "Paused: step 5/7: paused by alice",
        "Paused: v2.4.1 canary at 50%, step 7/7: paused, 5m left",
        "Aborted: v2.4.1 aborted by alice at step 5/7",
        "refused: only an aborted rollout can be retried",
        "Paused: v2.4.1 canary at 50%, step 5/7: weight held at 50% by alice");
    add(
        cases,
        PAUSED_BY_A_PERSON,
        "Progressing: v2.4.1 canary at 5%, step 3/7: analysis success-rate",
        "Healthy: v2.4.1 promoted",
        "refused: already paused: paused by alice: checking dashboards",
        "Paused: v2.4.1 canary at 5%, step 2/7: paused, 2m left",
        "Aborted: v2.4.1 aborted by alice at step 2/7",
        "refused: only an aborted rollout can be retried; storefront is paused at step 2/7",
        "Paused: v2.4.1 canary at 50%, step 2/7: weight held at 50% by alice");
    add(
        cases,
        INCONCLUSIVE,
        "Paused: v2.4.1 canary at 25%, step 5/7: paused until promoted",
        "Healthy: v2.4.1 promoted",
        "refused: already paused: analysis success-rate inconclusive at step 3/7: success-rate: no"
            + " data",
        "Paused: v2.4.1 canary at 25%, step 5/7: paused until promoted",
        "Aborted: v2.4.1 aborted by alice at step 3/7",
        "refused: only an aborted rollout can be retried",
        "Paused: v2.4.1 canary at 50%, step 3/7: analysis success-rate inconclusive at step 3/7:"
            + " success-rate: no data; promote or resume to go on, abort to roll back; weight held"
            + " at 50% by alice");
    add(
        cases,
        WEIGHT_HELD,
        "Progressing: v2.4.1 canary at 5%, step 3/7: analysis success-rate",
        "Healthy: v2.4.1 promoted",
        "refused: already paused: weight held at 50% by alice",
        "Paused: v2.4.1 canary at 5%, step 2/7: paused, 2m left",
        "Aborted: v2.4.1 aborted by alice at step 2/7",
        "refused: only an aborted rollout can be retried",
        "Paused: v2.4.1 canary at 50%, step 2/7: weight held at 50% by alice");
    add(
        cases,
        PROMOTING,
        "refused: already promoting v2.4.1",
        "refused: already promoting v2.4.1",
        "refused: nothing to pause: storefront is promoting v2.4.1",
        "refused: nothing to resume: storefront is promoting v2.4.1",
        "Aborted: v2.4.1 aborted by alice while promoting: pager went off",
        "refused: only an aborted rollout can be retried; storefront is promoting v2.4.1",
        "refused: no canary to set a weight on: storefront is promoting v2.4.1");
    add(
        cases,
        DEGRADED,
        "refused: v2.4.1 was aborted; retry to start it again, or promote --full to make it stable"
            + " anyway",
        "Healthy: v2.4.1 promoted",
        "refused: nothing to pause: storefront is Degraded: v2.4.1 rolled back: success-rate 0.91 <"
            + " 0.99 at step 3",
        "refused: v2.4.1 was aborted; retry to start it again",
        "refused: already aborted: v2.4.1 rolled back: success-rate 0.91 < 0.99 at step 3",
        "Paused: v2.4.1 canary at 5%, step 2/7: paused, 2m left",
        "refused: no canary to set a weight on: storefront is Degraded");
    add(
        cases,
        ABORTED,
        "refused: v2.4.1 was aborted; retry to start it again",
        "Healthy: v2.4.1 promoted",
        "refused: nothing to pause: storefront is Aborted: v2.4.1 aborted by alice at step 2/7:"
            + " pager went off",
        "refused: v2.4.1 was aborted; retry to start it again",
        "refused: already aborted: v2.4.1 aborted by alice at step 2/7: pager went off",
        "Paused: v2.4.1 canary at 5%, step 2/7: paused, 2m left",
        "refused: no canary to set a weight on: storefront is Aborted");
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
    World w = c.given().build().apply(storefront());
    RolloutState before = w.state;

    w.command(c.command());

    if (c.expected().startsWith("refused: ")) {
      assertThat(w.last.refused())
          .hasValueSatisfying(
              r ->
                  assertThat(r)
                      .startsWith(c.expected().substring("refused: ".length()))
                      .as("a refusal is one line")
                      .doesNotContain("\n"));
      assertThat(w.state).as("a refused command changes nothing").isEqualTo(before);
      assertThat(w.last.effects()).isEmpty();
      return;
    }
    assertThat(w.last.refused()).isEmpty();
    w.pass();
    String phase = c.expected().substring(0, c.expected().indexOf(':'));
    assertThat(w.phase().word()).isEqualTo(phase);
    assertThat(w.status().message()).contains(c.expected().substring(phase.length() + 2));
  }

  @Test
  void setWeightHoldsUntilResumeAndThenReturnsToTheStepsWeight() {
    World w = atStep(2);
    w.command(World.setWeight(40)).podsReady();
    assertThat(w.weight).isEqualTo(40);
    w.advance(Duration.ofMinutes(30));
    assertThat(w.weight).as("held while time passes").isEqualTo(40);
    assertThat(w.status().step()).isEqualTo(2);
    assertThat(w.messages())
        .contains(
            "canary weight set to 40% by alice, held until resume: more traffic for the"
                + " experiment");

    w.command(World.resume());
    assertThat(w.weight).isEqualTo(5);
    assertThat(w.status().step()).as("the timed pause had ended meanwhile").isEqualTo(3);
  }

  @Test
  void abortSendsAllTrafficToStableAtOnceBeforeScalingTheCanaryDown() {
    World w = atStep(6);
    w.podsReady();
    assertThat(w.weight).isEqualTo(50);

    w.command(World.abort());

    List<Effect> effects = w.last.effects();
    assertThat(effects.getFirst()).isEqualTo(new Effect.SetWeight(0));
    assertThat(effects).contains(new Effect.ScaleCanary(V2, 0));
    assertThat(effects.indexOf(new Effect.SetWeight(0)))
        .isLessThan(effects.indexOf(new Effect.ScaleCanary(V2, 0)));
    assertThat(w.runningAnalyses).isEmpty();
    assertThat(w.status().line())
        .isEqualTo("storefront  Aborted  v2.4.1 aborted by alice at step 7/7: pager went off");
  }

  // ---- analysis failure at every step -------------------------------------------------------

  static IntStream everyStep() {
    return IntStream.rangeClosed(1, 7);
  }

  @ParameterizedTest(name = "background analysis fails at step {0}")
  @MethodSource("everyStep")
  void aFailedBackgroundAnalysisRollsBackAtOnceAtEveryStep(int step) {
    World w = atStep(step);

    w.analysis("background", AnalysisPhase.FAILED, "p99-latency 0.41 >= 0.3", 3, 3);

    assertThat(w.phase()).isEqualTo(RolloutPhase.DEGRADED);
    assertThat(w.status().message())
        .isEqualTo(
            "v2.4.1 rolled back: p99-latency 0.41 >= 0.3 (background analysis) at step " + step);
    assertThat(w.last.effects().getFirst()).isEqualTo(new Effect.SetWeight(0));
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.stable).isEqualTo(Workload.of(V1, 10, 10));
    assertThat(w.runningAnalyses).isEmpty();
    assertThat(w.status().revertTo()).contains("r1");
    RolloutEvent event = w.events.getLast();
    assertThat(event.reason()).isEqualTo(RolloutEvent.Reason.ROLLED_BACK);
    assertThat(event.to()).isEqualTo("Degraded at step " + step);
  }

  @ParameterizedTest(name = "background analysis errors at step {0}")
  @MethodSource("everyStep")
  void aBackgroundAnalysisErrorAlsoRollsBack(int step) {
    World w = atStep(step);
    w.analysis(
        "background", AnalysisPhase.ERROR, "p99-latency: Prometheus unreachable 5 times", 0, 0);
    assertThat(w.phase()).isEqualTo(RolloutPhase.DEGRADED);
    assertThat(w.weight).isZero();
  }

  @ParameterizedTest(name = "background analysis inconclusive at step {0}")
  @MethodSource("everyStep")
  void anInconclusiveBackgroundAnalysisPausesAndNeverPromotes(int step) {
    World w = atStep(step);
    w.analysis("background", AnalysisPhase.INCONCLUSIVE, "p99-latency: no data", 3, 0);
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    w.advance(Duration.ofHours(2)).podsReady();
    assertThat(w.status().step()).as("nothing moves while inconclusive").isEqualTo(step);
    assertThat(w.stable.template()).contains(V1);

    w.command(World.resume());
    assertThat(w.last.effects())
        .as("a fresh background run")
        .anyMatch(
            e -> e instanceof Effect.StartAnalysis start && start.run().endsWith("background-1"));
  }

  @Test
  void aFailedStepAnalysisRollsBackWithTheMetricInOneLine() {
    World w = atStep(3);
    w.analysis("step-3", AnalysisPhase.FAILED, "success-rate 0.91 < 0.99", 2, 2);

    assertThat(w.status().line())
        .isEqualTo("storefront  Degraded  v2.4.1 rolled back: success-rate 0.91 < 0.99 at step 3");
    RolloutEvent event = w.events.getLast();
    assertThat(event.metrics()).containsEntry("success-rate", "0.91");
    assertThat(event.from()).isEqualTo("Progressing at step 3, 5%");
    assertThat(w.events)
        .anyMatch(
            e ->
                e.reason() == RolloutEvent.Reason.ANALYSIS_MEASURED
                    && e.metrics().containsKey("success-rate"));
  }

  @Test
  void aFailureWhilePausedByAPersonStillRollsBack() {
    World w = atStep(3).command(World.pause());
    w.analysis("step-3", AnalysisPhase.FAILED, "success-rate 0.91 < 0.99", 2, 2);
    assertThat(w.phase()).isEqualTo(RolloutPhase.DEGRADED);
  }

  // ---- Git --------------------------------------------------------------------------------

  @ParameterizedTest(name = "new commit at step {0}")
  @MethodSource("everyStep")
  void aNewCommitSupersedesTheCanaryFromStepOne(int step) {
    World w = atStep(step);
    w.podsStartAtOnce = true;

    w.commit(V3);

    assertThat(w.messages())
        .contains("v2.4.2 supersedes v2.4.1 at step " + step + "/7: starting again from step 1");
    assertThat(w.status().newVersion()).contains("v2.4.2");
    assertThat(w.status().step()).isEqualTo(2);
    assertThat(w.secondary).isEqualTo(Workload.of(V3, 1, 1));
    assertThat(w.stable.template()).contains(V1);
    assertThat(w.runningAnalyses).allMatch(r -> r.contains(V3.hash().substring(0, 7)));
  }

  @Test
  void aNewCommitAfterARollbackStartsAFreshCanary() {
    World w = storefront();
    DEGRADED.build().apply(w);
    w.commit(V3);
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(w.status().newVersion()).contains("v2.4.2");
    assertThat(w.messages()).contains("v2.4.2 supersedes aborted v2.4.1: starting from step 1");
  }

  @Test
  void aRollbackAfterAFullPromotionPutsTheRestoredVersionOnStableAtOnceWithoutSteps() {
    World w = storefront();
    w.commit(V2).command(World.promoteFull()).podsReady();
    assertThat(w.status().line()).startsWith("storefront  Healthy  v2.4.1 promoted");
    w.commit(V1);
    assertThat(w.status().message()).as("Git's revert alone starts a canary").contains("canary at");

    w.command(World.rollback());

    assertThat(w.last.effects()).contains(new Effect.UpdateStable(V1, 4), new Effect.SetWeight(0));
    assertThat(w.stable).isEqualTo(Workload.of(V1, 4, 4));
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.weight).isZero();
    assertThat(w.runningAnalyses).isEmpty();
    assertThat(w.status().line())
        .isEqualTo(
            "storefront  Healthy  rolled back to v2.4.0 (was v2.4.1) by alice: bad release");
    assertThat(w.messages()).contains("rolled back to v2.4.0 (was v2.4.1) by alice: bad release");
  }

  @ParameterizedTest(name = "rollback at step {0}")
  @MethodSource("everyStep")
  void aRollbackWhileTheCanaryRunsSendsAllTrafficToTheRestoredStableFirst(int step) {
    World w = atStep(step);
    w.gitOnly(V1);

    w.command(World.rollback());

    assertThat(w.last.refused()).isEmpty();
    assertThat(w.last.effects().getFirst()).isEqualTo(new Effect.SetWeight(0));
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).isZero();
    assertThat(w.stable.template()).contains(V1);
    assertThat(w.runningAnalyses).isEmpty();
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
  }

  @Test
  void aRollbackToWhatStableAlreadyRunsIsRefused() {
    World w = storefront();
    w.command(World.rollback());
    assertThat(w.last.refused()).contains("nothing to roll back: storefront runs v2.4.0");
  }

  @Test
  void aBackgroundAnalysisWithAStartingStepStartsOnlyWhenTheCanaryReachesIt() {
    World w =
        World.of(
            Apps.storefront(
                RolloutSpecParserTest.canaryWith(
                    "trafficRouting: {istio: {virtualService: {name: storefront}}}\n      "
                        + "analysis: {templates: [{templateName: latency}], startingStep: 1}",
                    "[{setWeight: 5}, {pause: {duration: 2m}}, {setWeight: 50}, {pause: {}}]")));
    w.podsStartAtOnce = false;

    w.commit(V2);
    assertThat(w.runningAnalyses)
        .as("no canary pods, no canary traffic: nothing to measure yet")
        .isEmpty();

    w.podsReady();
    assertThat(w.weight).isEqualTo(5);
    assertThat(w.runningAnalyses).singleElement().asString().contains("background");
    assertThat(w.messages()).contains("background analysis latency started at step 2/4");
  }

  static World withDeadlineAbort(boolean abort) {
    World w =
        World.of(
            Apps.storefront(
                RolloutSpecParserTest.canaryWith(
                        "trafficRouting: {istio: {virtualService: {name: storefront}}}",
                        "[{setWeight: 5}, {pause: {}}]")
                    .replace("\n  strategy:", "\n  progressDeadlineAbort: " + abort + "\n  strategy:")));
    w.podsStartAtOnce = false;
    return w.commit(V2);
  }

  @Test
  void canaryPodsPastTheirProgressDeadlineRollBackWhenTheRolloutSaysSo() {
    World w = withDeadlineAbort(true);
    assertThat(w.status().message()).contains("waiting for canary pods");

    w.secondary = w.secondary.withStalled(true);
    w.pass();

    assertThat(w.phase()).isEqualTo(RolloutPhase.DEGRADED);
    assertThat(w.status().message())
        .isEqualTo(
            "v2.4.1 rolled back: its pods did not become ready before the progress deadline"
                + " (progressDeadlineAbort) at step 1/2");
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).isZero();
  }

  @Test
  void withoutProgressDeadlineAbortAStalledCanaryKeepsWaiting() {
    World w = withDeadlineAbort(false);
    w.secondary = w.secondary.withStalled(true);
    w.pass();
    assertThat(w.phase()).isEqualTo(RolloutPhase.PROGRESSING);
    assertThat(w.status().message()).contains("waiting for canary pods");
  }

  @Test
  void gitGoingBackToStableCancelsTheCanary() {
    World w = atStep(4);
    w.commit(V1);
    assertThat(w.phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(w.status().message()).isEqualTo("v2.4.1 cancelled: Git is back on v2.4.0");
    assertThat(w.weight).isZero();
    assertThat(w.secondary.replicas()).isZero();
  }

  @Test
  void aRevertInGitAfterARollbackMakesItHealthyAgain() {
    World w = storefront();
    DEGRADED.build().apply(w);
    w.commit(V1);
    assertThat(w.status().line())
        .isEqualTo("storefront  Healthy  Git is back on v2.4.0 after v2.4.1 was rolled back");
  }

  @Test
  void retryStartsOverWithFreshAnalysisRuns() {
    World w = storefront();
    DEGRADED.build().apply(w);
    w.command(World.retry());
    w.advance(Duration.ofMinutes(2));
    assertThat(w.runningAnalyses).anyMatch(r -> r.endsWith("-1-step-3"));
    assertThat(w.messages()).contains("v2.4.1 retried by alice from step 1 (attempt 2)");
  }

  // ---- crash and resume -------------------------------------------------------------------

  @Test
  void restoreReassertsWeightsReplicasAndRunsOfARecordedState() {
    World w = atStep(3);
    List<Effect> effects = RolloutMachine.restore(w.state, w.spec, w.observation(Optional.empty()));
    assertThat(effects)
        .containsExactly(
            new Effect.ScaleCanary(V2, 1),
            new Effect.SetWeight(5),
            new Effect.UpdateStable(V1, 10),
            new Effect.StartAnalysis(
                "storefront-" + V2.hash().substring(0, 7) + "-0-background-0",
                AnalysisRef.of("latency")),
            new Effect.StartAnalysis(
                "storefront-" + V2.hash().substring(0, 7) + "-0-step-3",
                new AnalysisRef(List.of("success-rate"), Map.of("service", "storefront-canary"))));
  }

  @Test
  void restoreResumesTheRunsOfARecordedStateFromTheirRecordedCounts() {
    World w = atStep(3);
    CanaryState.Progressing recorded = (CanaryState.Progressing) w.state;
    AnalysisCounts counts = RolloutStateCodecTest.countsWithCheckpoints();
    CanaryState resumed =
        new CanaryState.Progressing(
            recorded.cursor().withBackground(0, counts),
            new CanaryState.WaitForAnalysis(
                ((CanaryState.WaitForAnalysis) recorded.activity()).run(), counts));

    List<Effect> effects = RolloutMachine.restore(resumed, w.spec, w.observation(Optional.empty()));

    assertThat(effects)
        .filteredOn(Effect.StartAnalysis.class::isInstance)
        .hasSize(2)
        .allSatisfy(e -> assertThat(((Effect.StartAnalysis) e).recorded()).isEqualTo(counts));
  }

  /** The executor decides a rollback from the Deployments as last seen, without reading them. */
  @ParameterizedTest(name = "{0} analysis")
  @MethodSource("failedRuns")
  void aFailedAnalysisRollsBackTheSameWhateverTheDeploymentsShow(String runPart) {
    World w = atStep(3);
    CanaryState before = (CanaryState) w.state;
    String run =
        w.runningAnalyses.stream().filter(r -> r.contains(runPart)).findFirst().orElseThrow();
    w.analyses.put(
        run,
        new AnalysisStatus(
            run,
            new AnalysisCounts(AnalysisPhase.FAILED, 2, 0, 2, 0, 0, "success-rate 0.91"),
            "success-rate 0.91 < 0.99",
            Map.of("success-rate", "0.91")));
    Observation seen = w.observation(Optional.empty());

    Transition<CanaryState> decided = CanaryMachine.next(before, w.spec, seen, w.now);

    assertThat(decided.next()).isInstanceOf(CanaryState.Aborted.class);
    assertThat(decided.effects().getFirst()).isEqualTo(new Effect.SetWeight(0));
    for (Workload stable : List.of(Workload.ABSENT, seen.stable())) {
      for (Workload secondary : List.of(Workload.ABSENT, seen.secondary(), seen.stable())) {
        Observation other =
            new Observation(
                seen.desired(),
                seen.revision(),
                seen.replicas(),
                stable,
                secondary,
                seen.analyses(),
                Optional.empty());
        assertThat(CanaryMachine.next(before, w.spec, other, w.now)).isEqualTo(decided);
      }
    }
  }

  static Stream<String> failedRuns() {
    return Stream.of("step-3", "background");
  }

  @Test
  void theSameInputsGiveTheSameTransition() {
    World w = atStep(3);
    Observation seen = w.observation(Optional.empty());
    assertThat(CanaryMachine.next((CanaryState) w.state, w.spec, seen, w.now))
        .isEqualTo(CanaryMachine.next((CanaryState) w.state, w.spec, seen, w.now));
  }

  @Test
  void aFreshRolloutAdoptsWhatTheStableDeploymentRuns() {
    World w = storefront();
    assertThat(w.state).isEqualTo(new CanaryState.Steady(V1, Optional.of("r1"), ""));
  }
}
