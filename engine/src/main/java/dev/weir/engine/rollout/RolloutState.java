package dev.weir.engine.rollout;

/**
 * Where a rollout stands: {@link CanaryState} or {@link BlueGreenState}. Everything needed to go on
 * after a crash is in it, so it is what the executor writes to the cluster before acting.
 * Immutable.
 */
public sealed interface RolloutState permits CanaryState, BlueGreenState {
  /** One line for timelines: {@code Paused at step 2/7, 5%}. */
  String describe();
}
