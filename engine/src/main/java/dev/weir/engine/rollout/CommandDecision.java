package dev.weir.engine.rollout;

import java.util.Objects;

/**
 * What a state machine makes of a person's command: taken, with the state it leads to, or refused,
 * with why (the state is then unchanged). Immutable.
 *
 * @param <S> {@link CanaryState} or {@link BlueGreenState}
 */
sealed interface CommandDecision<S extends RolloutState>
    permits CommandDecision.Taken, CommandDecision.Refused {

  /** The command applies: the rollout goes to {@code next}, then the level facts are looked at. */
  record Taken<S extends RolloutState>(S next) implements CommandDecision<S> {
    public Taken {
      Objects.requireNonNull(next, "next");
    }
  }

  /** The command does not apply in this state, e.g. {@code already paused: …}. */
  record Refused<S extends RolloutState>(String why) implements CommandDecision<S> {
    public Refused {
      Objects.requireNonNull(why, "why");
    }
  }
}
