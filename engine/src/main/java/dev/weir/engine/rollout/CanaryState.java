package dev.weir.engine.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a canary rollout stands: the input and output of {@link CanaryMachine#next}. Immutable and
 * safe to hand to any thread.
 *
 * <ul>
 *   <li>{@link Steady}: one version, no canary (phase Healthy).
 *   <li>{@link Progressing}: walking the steps; the current step's {@link Activity} says what it
 *       waits for (pods, time, analysis).
 *   <li>{@link Paused}: held by a person, an inconclusive analysis or a set weight; the activity
 *       goes on underneath (time passes, analysis runs and can still abort).
 *   <li>{@link Promoting}: the stable Deployment is taking the new template; traffic returns to it
 *       once it is ready.
 *   <li>{@link Aborted}: traffic back on stable, canary scaled down; stays until retried, or until
 *       Git changes.
 * </ul>
 */
public sealed interface CanaryState extends RolloutState
    permits CanaryState.Steady,
        CanaryState.Progressing,
        CanaryState.Paused,
        CanaryState.Promoting,
        CanaryState.Aborted {

  /** What the current step waits for. */
  sealed interface Activity
      permits WaitForWeight, WaitForTime, WaitForAnalysis, WaitForExperiment {}

  /** A {@code setWeight} step: the canary's pods must be ready before the weight is written. */
  record WaitForWeight() implements Activity {}

  /** A {@code pause} step: until {@code until}, or until promoted when empty. */
  record WaitForTime(Optional<Instant> until) implements Activity {
    public WaitForTime {
      Objects.requireNonNull(until, "until");
    }
  }

  /** An {@code analysis} step: the run {@code run} must end Successful. */
  record WaitForAnalysis(String run, AnalysisCounts counts) implements Activity {
    public WaitForAnalysis {
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(counts, "counts");
    }
  }

  /**
   * An Argo {@code experiment} step: its workloads start; once their pods are ready ({@code
   * running} set) its analyses run, and it ends when {@code duration} has passed since and the
   * analyses it waits for are Successful. {@code runs} holds each analysis's run and its counts as
   * last seen, by analysis name (empty until running).
   */
  record WaitForExperiment(Optional<Instant> running, java.util.Map<String, ExperimentRun> runs)
      implements Activity {
    public WaitForExperiment {
      Objects.requireNonNull(running, "running");
      runs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(runs));
    }

    /** The run of an experiment's analysis, and where it stood. */
    public record ExperimentRun(String run, AnalysisCounts counts) {
      public ExperimentRun {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(counts, "counts");
      }
    }
  }

  /** Why a rollout is paused. */
  enum PauseReason {
    /** A person paused it. */
    MANUAL,
    /** An analysis was inconclusive: a person must promote (resume) or abort. */
    INCONCLUSIVE,
    /** A person set the weight; it holds until resumed. */
    WEIGHT_HELD
  }

  /**
   * No canary: everything runs {@code stable}.
   *
   * @param flagRestores the flag restores owed by the rollback or cancellation that ended the
   *     canary in this state ({@link Effect.RestoreFlags}, idempotent; one per revision the flags go
   *     back to), kept until a pass has seen them carried out: re-asserted by {@link
   *     CanaryMachine#restore} when a console resumes the recorded state (the one that recorded it
   *     died before committing them), then forgotten by the next pass, so that later flag edits are
   *     never reverted by them. Empty otherwise.
   */
  record Steady(
      PodTemplateRef stable,
      Optional<String> stableRevision,
      String note,
      List<Effect.RestoreFlags> flagRestores)
      implements CanaryState {
    public Steady {
      Objects.requireNonNull(stable, "stable");
      Objects.requireNonNull(stableRevision, "stableRevision");
      Objects.requireNonNull(note, "note");
      flagRestores = List.copyOf(flagRestores);
    }

    /** Steady on {@code stable}, owing no flag restore. */
    public Steady(PodTemplateRef stable, Optional<String> stableRevision, String note) {
      this(stable, stableRevision, note, List.of());
    }

    @Override
    public String describe() {
      return "Healthy on " + stable.version();
    }
  }

  /** Walking the steps. */
  record Progressing(CanaryCursor cursor, Activity activity) implements CanaryState {
    public Progressing {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(activity, "activity");
    }

    @Override
    public String describe() {
      return (activity instanceof WaitForTime ? "Paused" : "Progressing")
          + " at step "
          + (cursor.step() + 1)
          + ", "
          + cursor.weight()
          + "%";
    }
  }

  /**
   * Held. {@code heldWeight} is the weight a person set ({@link PauseReason#WEIGHT_HELD}); {@code
   * note} says who paused it and why, or what was inconclusive.
   */
  record Paused(
      CanaryCursor cursor,
      Activity activity,
      PauseReason reason,
      OptionalInt heldWeight,
      String note,
      Instant since)
      implements CanaryState {
    public Paused {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(activity, "activity");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(heldWeight, "heldWeight");
      Objects.requireNonNull(note, "note");
      Objects.requireNonNull(since, "since");
    }

    @Override
    public String describe() {
      return "Paused at step " + (cursor.step() + 1) + ", " + cursor.weight() + "%";
    }
  }

  /** The stable Deployment is taking the canary's template. */
  record Promoting(CanaryCursor cursor, Instant since) implements CanaryState {
    public Promoting {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(since, "since");
    }

    @Override
    public String describe() {
      return "Promoting " + cursor.canary().version();
    }
  }

  /**
   * Traffic is back on stable. {@code automatic} when an analysis failed (phase Degraded), not when
   * a person aborted (phase Aborted); {@code message} is the one line shown everywhere.
   */
  record Aborted(CanaryCursor cursor, boolean automatic, String message, Instant at)
      implements CanaryState {
    public Aborted {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String describe() {
      return (automatic ? "Degraded" : "Aborted") + " at step " + (cursor.step() + 1);
    }
  }
}
