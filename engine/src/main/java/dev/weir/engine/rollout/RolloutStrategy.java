package dev.weir.engine.rollout;

/** A rollout's strategy: {@link CanaryStrategy} or {@link BlueGreenStrategy}. Immutable. */
public sealed interface RolloutStrategy permits CanaryStrategy, BlueGreenStrategy {}
