package dev.weir.engine.rollout;

import java.util.Objects;
import java.util.Optional;

/**
 * What a person asks of a rollout, from the CLI or a console, with who asked and why (for the
 * events and the audit log). Immutable.
 */
public sealed interface ManualCommand
    permits ManualCommand.Promote,
        ManualCommand.PromoteFull,
        ManualCommand.Pause,
        ManualCommand.Resume,
        ManualCommand.Abort,
        ManualCommand.Retry,
        ManualCommand.SetWeight,
        ManualCommand.Rollback {

  /** The person (a user name, or {@code weir} for the engine itself). */
  String who();

  /** Why, in their words; may be empty. */
  String why();

  /** The verb as typed on the command line: {@code promote}, {@code set-weight 50} … */
  String verb();

  /** Go past the current step (canary) or switch to the preview (blue/green). */
  record Promote(String who, String why) implements ManualCommand {
    public Promote {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String verb() {
      return "promote";
    }
  }

  /** Skip every remaining step and analysis: make the new version stable now. */
  record PromoteFull(String who, String why) implements ManualCommand {
    public PromoteFull {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String verb() {
      return "promote --full";
    }
  }

  /** Hold the rollout where it is until resumed. Analysis keeps running and can still abort. */
  record Pause(String who, String why) implements ManualCommand {
    public Pause {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String verb() {
      return "pause";
    }
  }

  /** Continue a paused rollout (a held weight returns to the steps' weight). */
  record Resume(String who, String why) implements ManualCommand {
    public Resume {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String verb() {
      return "resume";
    }
  }

  /** All traffic back to stable at once; the new version scaled down. */
  record Abort(String who, String why) implements ManualCommand {
    public Abort {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String verb() {
      return "abort";
    }
  }

  /** Start an aborted rollout again from its first step. */
  record Retry(String who, String why) implements ManualCommand {
    public Retry {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String verb() {
      return "retry";
    }
  }

  /** The traffic slider: send {@code weight} percent to the canary and hold it until resumed. */
  record SetWeight(int weight, String who, String why) implements ManualCommand {
    public SetWeight {
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException("weight must be within 0..100, got " + weight);
      }
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String verb() {
      return "set-weight " + weight;
    }
  }

  /**
   * Put Git's template (just restored to an earlier revision by {@code weir rollback}) back in
   * front of users at once, skipping every step and analysis: traffic to stable, the canary or
   * preview down, and the stable Deployment (the active color) on the restored template — an
   * instant switch back when blue/green still keeps that color scaled. A person's decision in an
   * incident, so it is not gated by analysis. {@code revision} is the revision rolled back to
   * (empty: Git's head as the rollout sees it): the flags the canary touched end as they are there.
   */
  record Rollback(String who, String why, Optional<String> revision) implements ManualCommand {
    public Rollback {
      Objects.requireNonNull(who, "who");
      Objects.requireNonNull(why, "why");
      Objects.requireNonNull(revision, "revision");
    }

    /** A rollback to Git's head as the rollout sees it. */
    public Rollback(String who, String why) {
      this(who, why, Optional.empty());
    }

    @Override
    public String verb() {
      return "rollback";
    }
  }
}
