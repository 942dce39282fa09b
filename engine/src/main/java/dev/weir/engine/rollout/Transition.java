package dev.weir.engine.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a state machine's {@code next}: the next state, the effects to carry out (in
 * order), when to call again if nothing else happens, and — when the observation carried a command
 * that does not apply in this state — why it was refused (the state is then unchanged). Immutable.
 *
 * @param <S> {@link CanaryState} or {@link BlueGreenState}
 */
public record Transition<S extends RolloutState>(
    S next, List<Effect> effects, Optional<Duration> wakeAfter, Optional<String> refused) {

  public Transition {
    Objects.requireNonNull(next, "next");
    effects = List.copyOf(effects);
    Objects.requireNonNull(wakeAfter, "wakeAfter");
    Objects.requireNonNull(refused, "refused");
  }

  static <S extends RolloutState> Transition<S> stay(S state) {
    return new Transition<>(state, List.of(), Optional.empty(), Optional.empty());
  }

  static <S extends RolloutState> Transition<S> refuse(S state, String why) {
    return new Transition<>(state, List.of(), Optional.empty(), Optional.of(why));
  }

  /** The events among the effects. */
  public List<RolloutEvent> events() {
    return effects.stream()
        .filter(Effect.Emit.class::isInstance)
        .map(e -> ((Effect.Emit) e).event())
        .toList();
  }
}
