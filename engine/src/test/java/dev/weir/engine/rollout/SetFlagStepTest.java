package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.FlagChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code setFlag} step: parsed with one clear line per problem, walked by the canary machine
 * (a flag effect in the same plan as the weights), and undone by an abort or a rollback together
 * with the traffic: every flag the steps reached back as Git had it when the rollout started.
 */
class SetFlagStepTest {
  static final String STEPS =
      """
      - setWeight: 20
      - setFlag: {flag: new-checkout-button, fraction: {"on": 20, "off": 80}}
      - pause: {}
      - setWeight: 50
      - setFlag: {flag: new-checkout-button, variant: "on"}
      - pause: {}
      """;

  static String rollout(String steps) {
    return ExperimentStepTest.rollout(steps);
  }

  @Test
  void aSetFlagStepIsParsed() {
    var all = RolloutSpecParser.parseAll(Apps.storefront(rollout(STEPS)));
    assertThat(all.errors()).isEmpty();
    List<CanaryStep> steps = all.rollouts().getFirst().canary().steps();
    assertThat(steps.get(1))
        .isEqualTo(
            new CanaryStep.SetFlag(
                "new-checkout-button", new FlagChange.SetFractions(Map.of("on", 20, "off", 80))));
    assertThat(steps.get(4))
        .isEqualTo(new CanaryStep.SetFlag("new-checkout-button", new FlagChange.SetDefault("on")));
    assertThat(steps.get(4).describe()).isEqualTo("setFlag new-checkout-button default variant on");
  }

  @Test
  void aBadSetFlagStepNamesEachField() {
    String bad =
        """
        - setFlag: {variant: "on", fraction: {"on": 10, "off": 90}}
        - setFlag: {flag: f, fraction: {"on": 30, "off": 60}}
        - setFlag: {flag: f, variant: "on", percent: 3}
        - setFlag: {flag: f, fraction: {"on": 130}}
        - setFlag: {flag: f, fraction: {on: 20, off: 80}}
        """;
    var errors =
        RolloutSpecParser.parseAll(Apps.storefront(rollout(bad))).errors().stream()
            .map(RolloutSpecError::toString)
            .toList();
    String at = "apps/storefront/rollout.yaml:1:1: spec.strategy.canary.steps[";
    assertThat(errors)
        .containsExactly(
            at + "0].setFlag.flag: missing",
            at + "0].setFlag: give exactly one of variant (the flag's new default) or fraction (its split)",
            at + "1].setFlag.fraction: the percentages must sum to 100, not 90",
            at + "2].setFlag.percent: unknown field; known fields here: flag, fraction, variant",
            at + "3].setFlag.fraction.on: must be within 0..100, got 130",
            at + "4].setFlag.fraction.true: a YAML boolean (on, off, yes, no, true and false"
                + " unquoted read so): quote the variant's name, e.g. \"on\"",
            at + "4].setFlag.fraction.false: a YAML boolean (on, off, yes, no, true and false"
                + " unquoted read so): quote the variant's name, e.g. \"on\"");
  }

  @Test
  void theFlagMovesWithTheTrafficAndAnAbortRestoresBothInOneAction() {
    World w = World.of(Apps.storefront(rollout(STEPS)));
    w.commit(World.V2);

    assertThat(w.weight).isEqualTo(20);
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "fractional on 20% / off 80%"));
    Effect.SetFlag first = (Effect.SetFlag) w.flagEffects.getFirst();
    assertThat(first.reason())
        .isEqualTo("rollout storefront step 2/6 (setFlag new-checkout-button fractional on 20% / off 80%),"
            + " v2.4.1 beside v2.4.0");
    assertThat(w.messages())
        .contains("step 2/6: flag new-checkout-button → fractional on 20% / off 80% (a commit), canary at 20%");

    w.command(World.promote());
    assertThat(w.weight).isEqualTo(50);
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "default variant on"));

    w.command(World.abort());
    // the abort's one transition: weight 0 first, then the flags back as at the rollout's start
    List<Effect> effects = w.last.effects();
    assertThat(effects.getFirst()).isEqualTo(new Effect.SetWeight(0));
    assertThat(effects)
        .contains(
            new Effect.RestoreFlags(
                "r-v2.4.1", List.of("new-checkout-button"),
                "rollout storefront of v2.4.1 stopped: flags back to Git's at r-v2.4."));
    assertThat(w.weight).isZero();
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "as at r-v2.4.1"));
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);
  }

  @Test
  void aResumedStateReassertsTheFlagsItsStepsSetAndAnAbortedOneTheirRestore() {
    World w = World.of(Apps.storefront(rollout(STEPS)));
    w.commit(World.V2);
    var seen = w.observation(java.util.Optional.empty());

    // a console taking over the recorded state re-asserts the flag (no commit when Git has it)
    assertThat(RolloutMachine.restore(w.state, w.spec, seen))
        .contains(
            new Effect.SetFlag(
                "new-checkout-button",
                new FlagChange.SetFractions(Map.of("on", 20, "off", 80)),
                "rollout storefront step 2/6 (setFlag new-checkout-button fractional on 20% / off 80%),"
                    + " v2.4.1 beside v2.4.0"));

    w.command(World.abort());
    assertThat(RolloutMachine.restore(w.state, w.spec, w.observation(java.util.Optional.empty())))
        .filteredOn(Effect.RestoreFlags.class::isInstance)
        .hasSize(1);
  }

  @Test
  void aRollbackPutsTheFlagsAsTheRevisionRolledBackToHasThemNotAsAtTheRolloutsStart() {
    World w = World.of(Apps.storefront(rollout(STEPS)));
    w.commit(World.V2);
    w.gitOnly(World.V1);
    // weir rollback --to r-older: a revision before the one the rollout started from (r-v2.4.1)
    w.command(new ManualCommand.Rollback("alice", "incident 4711", Optional.of("r-older")));
    assertThat(w.last.effects())
        .filteredOn(Effect.RestoreFlags.class::isInstance)
        .containsExactly(
            new Effect.RestoreFlags(
                "r-older", List.of("new-checkout-button"),
                "rollout storefront of v2.4.1 rolled back by alice: flags as at r-older, the"
                    + " revision rolled back to"));
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "as at r-older"));
    assertThat(w.messages()).contains("rolled back to v2.4.0 by alice: incident 4711");
  }

  @Test
  void aRollbackOwesItsFlagRestoreInItsRecordUntilAPassHasSeenItDone() {
    World w = World.of(Apps.storefront(rollout(STEPS)));
    w.commit(World.V2);
    w.gitOnly(World.V1);
    // no revision named: Git's head as the rollout sees it, the restore commit's
    w.command(new ManualCommand.Rollback("alice", "incident 4711"));
    Effect.RestoreFlags owed =
        new Effect.RestoreFlags(
            "r-v2.4.0", List.of("new-checkout-button"),
            "rollout storefront of v2.4.1 rolled back by alice: flags as at r-v2.4., the revision"
                + " rolled back to");

    assertOwedThenForgotten(w, owed, "as at r-v2.4.0");
  }

  @Test
  void gitBackOnStableCancelsTheCanaryAndOwesItsFlagRestoreTheSameWay() {
    World w = World.of(Apps.storefront(rollout(STEPS)));
    w.commit(World.V2);
    w.commit(World.V1);
    Effect.RestoreFlags owed =
        new Effect.RestoreFlags(
            "r-v2.4.1", List.of("new-checkout-button"),
            "rollout storefront of v2.4.1 stopped: flags back to Git's at r-v2.4.");
    assertThat(w.last.effects()).as("restored in the cancelling pass itself").contains(owed);

    assertOwedThenForgotten(w, owed, "as at r-v2.4.1");
  }

  /**
   * The state {@code w}'s last transition recorded is Steady and owes {@code owed}: read back from
   * its record, a console resuming it carries the restore out (the console that recorded it may
   * have died before committing it); the pass after forgets it, so no later resume reverts a flag
   * edit made since.
   */
  static void assertOwedThenForgotten(World w, Effect.RestoreFlags owed, String flagAfter) {
    RolloutState recorded = w.last.next();
    assertThat(recorded)
        .isInstanceOfSatisfying(
            CanaryState.Steady.class, s -> assertThat(s.flagRestores()).containsExactly(owed));
    RolloutState read = RolloutStateCodec.decode(RolloutStateCodec.encode(recorded));
    assertThat(read).isEqualTo(recorded);
    assertThat(RolloutMachine.restore(read, w.spec, w.observation(Optional.empty())))
        .contains(owed);

    assertThat(w.state)
        .as("the passes after the recorded one")
        .isInstanceOfSatisfying(
            CanaryState.Steady.class, s -> assertThat(s.flagRestores()).isEmpty());
    assertThat(RolloutMachine.restore(w.state, w.spec, w.observation(Optional.empty())))
        .noneMatch(Effect.RestoreFlags.class::isInstance);
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", flagAfter));
  }

  @Test
  void aRecordOfDecision0034OwingOneRestoreStillReads() {
    String owing =
        RolloutStateCodec.encode(new CanaryState.Steady(World.V1, Optional.of("r1"), "cancelled"));
    String json =
        owing.substring(0, owing.length() - 1)
            + ",\"flagRestore\":{\"revision\":\"r0\",\"flags\":[\"f\"],\"reason\":\"why\"}}";
    assertThat(RolloutStateCodec.decode(json))
        .isInstanceOfSatisfying(
            CanaryState.Steady.class,
            s ->
                assertThat(s.flagRestores())
                    .containsExactly(new Effect.RestoreFlags("r0", List.of("f"), "why")));
  }

  @Test
  void aNewVersionSupersedingACanaryOwesItsFlagRestoreInItsRecordUntilAPassHasSeenItDone() {
    World w = World.of(Apps.storefront(rollout(STEPS)));
    w.commit(World.V2);
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "fractional on 20% / off 80%"));

    w.commit(World.V3);
    Effect.RestoreFlags owed =
        new Effect.RestoreFlags(
            "r-v2.4.1", List.of("new-checkout-button"),
            "rollout storefront of v2.4.1 stopped: flags back to Git's at r-v2.4.");
    List<Effect> superseding = w.last.effects();
    assertThat(superseding).as("restored in the superseding pass itself").contains(owed);
    assertThat(superseding.indexOf(owed))
        .as("the old canary's flags back before the new canary's first step")
        .isLessThan(
            superseding.indexOf(superseding.stream().filter(Effect.ScaleCanary.class::isInstance)
                .filter(e -> ((Effect.ScaleCanary) e).template().equals(World.V3)).findFirst().orElseThrow()));
    RolloutState recorded = w.last.next();
    assertThat(recorded)
        .isInstanceOfSatisfying(
            CanaryState.Progressing.class,
            p -> {
              assertThat(p.cursor().canary()).isEqualTo(World.V3);
              assertThat(p.cursor().superseded().owed()).isTrue();
              assertThat(p.cursor().superseded().restores()).containsExactly(owed);
            });
    // a console resuming that record (the one that wrote it died before committing the restore)
    RolloutState read = RolloutStateCodec.decode(RolloutStateCodec.encode(recorded));
    assertThat(read).isEqualTo(recorded);
    assertThat(RolloutMachine.restore(read, w.spec, w.observation(Optional.empty())))
        .contains(owed);

    // the passes after it: the debt forgotten, the basis kept
    assertThat(w.state)
        .isInstanceOfSatisfying(
            CanaryState.Progressing.class,
            p -> {
              assertThat(p.cursor().canary()).isEqualTo(World.V3);
              assertThat(p.cursor().superseded().owed()).isFalse();
              assertThat(p.cursor().superseded().restores()).containsExactly(owed);
            });
    assertThat(RolloutMachine.restore(w.state, w.spec, w.observation(Optional.empty())))
        .noneMatch(Effect.RestoreFlags.class::isInstance);
    assertThat(RolloutStateCodec.decode(RolloutStateCodec.encode(w.state))).isEqualTo(w.state);
    assertThat(w.flags)
        .as("the new canary's own step set the flag again")
        .containsExactly(Map.entry("new-checkout-button", "fractional on 20% / off 80%"));
  }

  @Test
  void theSupersedingCanarysAbortPutsTheFlagBackAsBeforeTheFirstCanaryNotAsAtItsOwnStart() {
    World w = World.of(Apps.storefront(rollout(STEPS)));
    w.commit(World.V2);
    // Git at r-v2.4.2 still has the flag as v2.4.1's step set it: the restore is to r-v2.4.1
    w.commit(World.V3);
    w.command(World.abort());
    assertThat(w.last.effects())
        .filteredOn(Effect.RestoreFlags.class::isInstance)
        .containsExactly(
            new Effect.RestoreFlags(
                "r-v2.4.1", List.of("new-checkout-button"),
                "rollout storefront of v2.4.2 stopped: flags back to Git's at r-v2.4."));
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "as at r-v2.4.1"));
    assertThat(w.phase()).isEqualTo(RolloutPhase.ABORTED);
  }

  @Test
  void eachFlagGoesBackToItsOwnRevisionTheSupersededCanarysOrTheNewCanarysStart() {
    String twoFlags =
        """
        - setFlag: {flag: new-checkout-button, variant: "on"}
        - pause: {}
        - setFlag: {flag: one-click-pay, variant: "on"}
        - pause: {}
        """;
    World w = World.of(Apps.storefront(rollout(twoFlags)));
    w.commit(World.V2); // sets new-checkout-button, waits at step 2
    w.commit(World.V3); // supersedes it: new-checkout-button back as at r-v2.4.1
    w.command(World.promote()); // v2.4.2 sets one-click-pay too, which v2.4.1 never reached
    assertThat(w.flags)
        .containsEntry("new-checkout-button", "default variant on")
        .containsEntry("one-click-pay", "default variant on");

    w.command(World.abort());
    assertThat(w.last.effects())
        .filteredOn(Effect.RestoreFlags.class::isInstance)
        .containsExactly(
            new Effect.RestoreFlags(
                "r-v2.4.1", List.of("new-checkout-button"),
                "rollout storefront of v2.4.2 stopped: flags back to Git's at r-v2.4."),
            new Effect.RestoreFlags(
                "r-v2.4.2", List.of("one-click-pay"),
                "rollout storefront of v2.4.2 stopped: flags back to Git's at r-v2.4."));
    assertThat(w.flags)
        .containsEntry("new-checkout-button", "as at r-v2.4.1")
        .containsEntry("one-click-pay", "as at r-v2.4.2");
  }

  @Test
  void aRolloutWithoutFlagStepsTouchesNoFlag() {
    World w = World.of(Apps.storefront(rollout("- setWeight: 20\n- pause: {}\n")));
    w.commit(World.V2);
    w.command(World.abort());
    assertThat(w.flagEffects).isEmpty();
  }

  static final String FLAG_EXPERIMENT =
      """
      - experiment:
          name: new-checkout
          segment: {flag: new-checkout-button, a: "off", b: "on", percent: 20}
          conversions:
            successes: sum(conversions_total{service="storefront",variant="{{variant.name}}"})
            trials: sum(http_requests_total{service="storefront",variant="{{variant.name}}"})
          maxSamples: 6000
      """;

  @Test
  void anExperimentSegmentedByAFlagSetsItsSplitInsteadOfARoute() {
    var all = RolloutSpecParser.parseAll(Apps.storefront(rollout(FLAG_EXPERIMENT)));
    assertThat(all.errors()).isEmpty();
    CanaryStep.Experiment step = (CanaryStep.Experiment) all.rollouts().getFirst().canary().steps().getFirst();
    ExperimentSpec spec = step.experiment();
    assertThat(spec.segment()).isEqualTo(new ExperimentSegment.Flag("new-checkout-button", "off", "on", 20));
    assertThat(spec.segment().describe()).isEqualTo("flag new-checkout-button = on (20%, fractional)");
    assertThat(spec.forSide(spec.trialsQuery(), new PodTemplateRef("abc", "v2.4.1"), true))
        .isEqualTo("sum(http_requests_total{service=\"storefront\",variant=\"on\"})");
    assertThat(spec.forSide(spec.trialsQuery(), new PodTemplateRef("abc", "v2.4.0"), false))
        .isEqualTo("sum(http_requests_total{service=\"storefront\",variant=\"off\"})");

    World w = World.of(Apps.storefront(rollout(FLAG_EXPERIMENT + "- setWeight: 100\n")));
    w.commit(World.V2);
    assertThat(w.routes).as("no header route: the services split by the flag").isEmpty();
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "fractional on 20% / off 80%"));
    assertThat(w.phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(w.messages())
        .contains("step 1/2: experiment new-checkout started: flag new-checkout-button → on (B) for 20% of"
            + " the users, off (A) for the rest (a commit); waits for weir experiment conclude");

    // keep A: the abort puts the flag back as Git had it before the rollout
    w.command(World.abort());
    assertThat(w.flags).containsExactly(Map.entry("new-checkout-button", "as at r-v2.4.1"));
  }

  @Test
  void aBadFlagSegmentNamesEachField() {
    String bad = FLAG_EXPERIMENT.replace("{flag: new-checkout-button, a: \"off\", b: \"on\", percent: 20}",
        "{flag: new-checkout-button, a: \"on\", b: on, share: 3}");
    var errors = RolloutSpecParser.parseAll(Apps.storefront(rollout(bad))).errors().stream()
        .map(RolloutSpecError::toString)
        .toList();
    String at = "apps/storefront/rollout.yaml:1:1: spec.strategy.canary.steps[0].experiment.segment.";
    assertThat(errors)
        .containsExactly(
            at + "share: unknown field; known fields here: a, b, flag, percent",
            at + "b: a YAML boolean (on, off, yes, no, true and false unquoted read so): quote the"
                + " variant's name, e.g. \"on\"",
            at + "percent: missing; the share of users who get variant b, e.g. 20");
  }
}
