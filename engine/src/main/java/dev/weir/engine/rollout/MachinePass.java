package dev.weir.engine.rollout;

import dev.weir.engine.rollout.RolloutEvent.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The skeleton both state machines' passes share: one call of {@code next} handles a person's
 * command first (or refuses it, leaving the state as it was), then the level facts, and collects
 * the effects, the events and the earliest wake-up into one {@link Transition}. A pass is used once
 * and discarded; not thread-safe.
 *
 * @param <S> {@link CanaryState} or {@link BlueGreenState}
 */
abstract class MachinePass<S extends RolloutState> {
  protected final RolloutSpec spec;
  protected final Instant now;
  protected final int total;
  protected final List<Effect> effects = new ArrayList<>();
  private final List<PendingEvent> events = new ArrayList<>();
  protected Observation seen;
  private Duration wake;

  private record PendingEvent(
      Reason reason,
      String who,
      String message,
      Map<String, String> metrics,
      AnalysisRef.RunMetadata runMetadata) {
    PendingEvent(Reason reason, String who, String message, Map<String, String> metrics) {
      this(reason, who, message, metrics, AnalysisRef.RunMetadata.NONE);
    }
  }

  MachinePass(RolloutSpec spec, Observation seen, Instant now) {
    this.spec = spec;
    this.seen = seen;
    this.now = now;
    this.total = seen.replicas();
  }

  /** What {@code command} makes of {@code state}. */
  abstract CommandDecision<S> command(S state, ManualCommand command);

  /** The state the level facts (Git, analysis, pods, time) lead {@code state} to. */
  abstract S level(S state);

  /** The transition of {@code state}: the command, if any, then the level facts. */
  final Transition<S> next(S state) {
    S after;
    if (seen.command().isPresent()) {
      switch (command(state, seen.command().get())) {
        case CommandDecision.Refused<S> refused -> {
          return Transition.refuse(state, refused.why());
        }
        case CommandDecision.Taken<S> taken -> {
          seen = seen.withoutCommand();
          after = level(taken.next());
        }
      }
    } else {
      after = level(state);
    }
    return finish(state, after);
  }

  private Transition<S> finish(S before, S after) {
    List<Effect> all = new ArrayList<>(effects);
    for (PendingEvent e : events) {
      all.add(
          new Effect.Emit(
              new RolloutEvent(
                  now,
                  spec.name(),
                  e.reason(),
                  before.describe(),
                  after.describe(),
                  e.who(),
                  e.message(),
                  e.metrics(),
                  e.runMetadata())));
    }
    return new Transition<>(after, all, Optional.ofNullable(wake), Optional.empty());
  }

  /** The command is taken: the rollout goes to {@code next}. */
  final CommandDecision<S> take(S next) {
    return new CommandDecision.Taken<>(next);
  }

  /** The command is refused, saying {@code why}. */
  final CommandDecision<S> refuse(String why) {
    return new CommandDecision.Refused<>(why);
  }

  final void emit(Reason reason, String message) {
    events.add(new PendingEvent(reason, RolloutEvent.ENGINE, message, Map.of()));
  }

  final void emit(Reason reason, String who, String message) {
    events.add(new PendingEvent(reason, who, message, Map.of()));
  }

  final void emit(Reason reason, String message, Map<String, String> metrics) {
    events.add(new PendingEvent(reason, RolloutEvent.ENGINE, message, metrics));
  }

  final void emit(Reason reason, String who, String message, Map<String, String> metrics) {
    events.add(new PendingEvent(reason, who, message, metrics));
  }

  /** An event about the analysis run of {@code ref}: it carries the run's metadata. */
  final void emitAbout(AnalysisRef ref, Reason reason, String message, Map<String, String> metrics) {
    events.add(
        new PendingEvent(reason, RolloutEvent.ENGINE, message, metrics, ref.runMetadata()));
  }

  /** Asks to be called again within {@code delay} (the earliest asked for wins). */
  final void wakeIn(Duration delay) {
    if (wake == null || delay.compareTo(wake) < 0) {
      wake = delay.isNegative() ? Duration.ZERO : delay;
    }
  }
}
