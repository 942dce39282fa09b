package dev.weir.engine.rollout;

import java.util.Optional;

/**
 * Argo Rollouts' {@code spec.paused} as Weir honours it: while Git says {@code paused: true} a
 * canary under way is paused where it stands (as if a person had paused it, the analyses going on),
 * and once Git says otherwise that pause — and only that one — is resumed. A rollout paused by a
 * person stays paused whatever Git says. Pure.
 */
final class GitPause {
  /** Who pauses a rollout whose Rollout says {@code spec.paused: true}. */
  static final String WHO = "Git (spec.paused)";

  private GitPause() {}

  /** The command a pass without a person's command carries out for {@code spec.paused}, if any. */
  static Optional<ManualCommand> command(RolloutSpec spec, RolloutState state) {
    if (spec.paused() && state instanceof CanaryState.Progressing) {
      return Optional.of(new ManualCommand.Pause(WHO, ""));
    }
    if (!spec.paused()
        && state instanceof CanaryState.Paused paused
        && paused.reason() == CanaryState.PauseReason.MANUAL
        && paused.note().startsWith("paused by " + WHO)) {
      return Optional.of(new ManualCommand.Resume(WHO, ""));
    }
    return Optional.empty();
  }
}
