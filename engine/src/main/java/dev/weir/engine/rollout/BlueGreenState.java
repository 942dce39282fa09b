package dev.weir.engine.rollout;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a blue/green rollout stands: the input and output of {@link BlueGreenMachine#next}.
 * Immutable.
 *
 * <ul>
 *   <li>{@link Steady}: one version, behind the active Service (Healthy).
 *   <li>{@link Previewing}: the new version runs in {@code <target>-preview} behind the preview
 *       Service, waiting for its pods, its pre-promotion analysis, then promotion.
 *   <li>{@link Paused}: held by a person or an inconclusive analysis.
 *   <li>{@link Switched}: the active Service selects the new version; the previous one stays scaled
 *       until the scale-down delay has passed and the post-promotion analysis succeeded, so a
 *       rollback is one switch back.
 *   <li>{@link ScalingDown}: the stable Deployment takes the new template; then the preview
 *       Deployment goes to 0.
 *   <li>{@link Aborted}: active on the previous version, preview scaled down.
 * </ul>
 */
public sealed interface BlueGreenState extends RolloutState
    permits BlueGreenState.Steady,
        BlueGreenState.Previewing,
        BlueGreenState.Paused,
        BlueGreenState.Switched,
        BlueGreenState.ScalingDown,
        BlueGreenState.Aborted {

  /** What a preview waits for. */
  sealed interface Activity permits WaitForPreview, PrePromotionAnalysis, AwaitPromotion {}

  /** The preview's pods must be ready. */
  record WaitForPreview() implements Activity {}

  /** The pre-promotion analysis must end Successful. */
  record PrePromotionAnalysis(String run, AnalysisCounts counts) implements Activity {
    public PrePromotionAnalysis {
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(counts, "counts");
    }
  }

  /** Ready: promoted automatically at {@code autoAt}, or by a person when empty. */
  record AwaitPromotion(Optional<Instant> autoAt) implements Activity {
    public AwaitPromotion {
      Objects.requireNonNull(autoAt, "autoAt");
    }
  }

  /** One version behind the active Service. */
  record Steady(PodTemplateRef active, Optional<String> activeRevision, String note)
      implements BlueGreenState {
    public Steady {
      Objects.requireNonNull(active, "active");
      Objects.requireNonNull(activeRevision, "activeRevision");
      Objects.requireNonNull(note, "note");
    }

    @Override
    public String describe() {
      return "Healthy on " + active.version();
    }
  }

  /** The new version in preview. */
  record Previewing(BlueGreenCursor cursor, Activity activity) implements BlueGreenState {
    public Previewing {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(activity, "activity");
    }

    @Override
    public String describe() {
      return (activity instanceof AwaitPromotion(Optional<Instant> at) && at.isEmpty()
              ? "Paused"
              : "Progressing")
          + ", "
          + cursor.preview().version()
          + " in preview";
    }
  }

  /** Held; {@code inconclusive} when an analysis asks a person to decide. */
  record Paused(
      BlueGreenCursor cursor, Activity activity, boolean inconclusive, String note, Instant since)
      implements BlueGreenState {
    public Paused {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(activity, "activity");
      Objects.requireNonNull(note, "note");
      Objects.requireNonNull(since, "since");
    }

    @Override
    public String describe() {
      return "Paused, " + cursor.preview().version() + " in preview";
    }
  }

  /**
   * Active on the new version since {@code at}; {@code postRun} is the post-promotion analysis run
   * (empty when there is none or it was skipped) and {@code postCounts} its latest counts.
   */
  record Switched(
      BlueGreenCursor cursor, Instant at, Optional<String> postRun, AnalysisCounts postCounts)
      implements BlueGreenState {
    public Switched {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(postRun, "postRun");
      Objects.requireNonNull(postCounts, "postCounts");
    }

    @Override
    public String describe() {
      return "Switched to "
          + cursor.preview().version()
          + ", "
          + cursor.active().version()
          + " still scaled";
    }
  }

  /** The previous version is being replaced in the stable Deployment. */
  record ScalingDown(BlueGreenCursor cursor, Instant since) implements BlueGreenState {
    public ScalingDown {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(since, "since");
    }

    @Override
    public String describe() {
      return "Scaling down " + cursor.active().version();
    }
  }

  /** Back on the previous version; {@code automatic} when an analysis failed. */
  record Aborted(BlueGreenCursor cursor, boolean automatic, String message, Instant at)
      implements BlueGreenState {
    public Aborted {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String describe() {
      return (automatic ? "Degraded" : "Aborted") + ", active on " + cursor.active().version();
    }
  }
}
