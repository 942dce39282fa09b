package dev.weir.engine.rollout;

import java.time.Instant;
import java.util.List;

/** Either strategy's machine, chosen by the spec: what an executor calls. Pure and thread-safe. */
public final class RolloutMachine {
  private RolloutMachine() {}

  /** The state of a rollout without a recorded state. */
  public static RolloutState initial(RolloutSpec spec, Observation seen) {
    return switch (spec.strategy()) {
      case CanaryStrategy canary -> CanaryMachine.initial(seen);
      case BlueGreenStrategy blueGreen -> BlueGreenMachine.initial(seen);
    };
  }

  /**
   * The next transition. A state of the other strategy (the Rollout's strategy changed in Git) is
   * first replaced by the initial state of this one.
   */
  public static Transition<RolloutState> next(
      RolloutState state, RolloutSpec spec, Observation seen, Instant now) {
    return switch (spec.strategy()) {
      case CanaryStrategy canary ->
          widened(
              CanaryMachine.next(
                  state instanceof CanaryState c ? c : CanaryMachine.initial(seen.withoutCommand()),
                  spec,
                  seen,
                  now));
      case BlueGreenStrategy blueGreen ->
          widened(
              BlueGreenMachine.next(
                  state instanceof BlueGreenState b
                      ? b
                      : BlueGreenMachine.initial(seen.withoutCommand()),
                  spec,
                  seen,
                  now));
    };
  }

  private static Transition<RolloutState> widened(Transition<? extends RolloutState> transition) {
    return new Transition<>(
        transition.next(), transition.effects(), transition.wakeAfter(), transition.refused());
  }

  /** The effects that make the cluster match {@code state} again after a crash. */
  public static List<Effect> restore(RolloutState state, RolloutSpec spec, Observation seen) {
    return switch (state) {
      case CanaryState c when spec.strategy() instanceof CanaryStrategy ->
          CanaryMachine.restore(c, spec, seen);
      case BlueGreenState b when spec.strategy() instanceof BlueGreenStrategy ->
          BlueGreenMachine.restore(b, spec, seen);
      default -> List.of();
    };
  }
}
