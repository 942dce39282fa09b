package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Argo Rollouts' {@code spec.paused} (docs: features/specification.md, "Pause the rollout"): a
 * canary under way holds while Git says paused, and goes on once Git no longer does; a person's
 * pause is not Git's to lift.
 */
class GitPauseTest {
  record Case(String name, boolean paused, String state, Optional<String> command) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("a running canary is paused by Git", true, "progressing", Optional.of("pause")),
        new Case("Git's pause is lifted by Git", false, "paused by git", Optional.of("resume")),
        new Case("a person's pause stays", false, "paused by alice", Optional.empty()),
        new Case("an already paused canary is left", true, "paused by git", Optional.empty()),
        new Case("nothing runs: nothing to pause", true, "steady", Optional.empty()),
        new Case("not paused, running: nothing to do", false, "progressing", Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void specPausedHoldsAndReleasesOnlyItsOwnPause(Case c) {
    RolloutSpec declared = World.of(Apps.storefront(RolloutSpecParserTest.DESIGN_EXAMPLE)).spec;
    RolloutSpec spec =
        new RolloutSpec(
            declared.application(),
            declared.name(),
            declared.namespace(),
            declared.target(),
            declared.strategy(),
            declared.source(),
            false,
            c.paused());
    Instant now = Instant.parse("2026-01-01T10:00:00Z");
    CanaryCursor cursor = CanaryCursor.start(World.V1, Optional.of("r1"), World.V2, "r2", 1, now);
    RolloutState state =
        switch (c.state()) {
          case "progressing" ->
              new CanaryState.Progressing(cursor, new CanaryState.WaitForWeight());
          case "steady" -> new CanaryState.Steady(World.V1, Optional.of("r1"), "");
          default ->
              new CanaryState.Paused(
                  cursor,
                  new CanaryState.WaitForWeight(),
                  CanaryState.PauseReason.MANUAL,
                  OptionalInt.empty(),
                  "paused by " + (c.state().endsWith("git") ? GitPause.WHO : "alice"),
                  now);
        };

    assertThat(GitPause.command(spec, state).map(ManualCommand::verb)).isEqualTo(c.command());
  }
}
