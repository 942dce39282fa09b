package dev.weir.engine.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a rollout's timeline and of the audit log: when, from which state to which, why, and
 * the metric values that decided it. Immutable.
 *
 * @param from the state before, described ({@code Paused at step 2/7, 5%})
 * @param to the state after
 * @param who the person who asked, or {@code weir} when the engine decided
 * @param metrics metric values behind the decision ({@code success-rate → 0.91}), may be empty
 * @param runMetadata for an event about an analysis run, its {@code analysisRunMetadata}: labels
 *     and annotations the Kubernetes Event carries (decision 0041)
 */
public record RolloutEvent(
    Instant at,
    String rollout,
    Reason reason,
    String from,
    String to,
    String who,
    String message,
    Map<String, String> metrics,
    AnalysisRef.RunMetadata runMetadata) {

  /** Who the engine is in events it decides itself. */
  public static final String ENGINE = "weir";

  /** Why a transition happened. */
  public enum Reason {
    STARTED,
    STEP,
    WEIGHT,
    CANARY_SCALED,
    HEADER_ROUTE,
    PAUSED,
    RESUMED,
    ANALYSIS_STARTED,
    ANALYSIS_MEASURED,
    ANALYSIS_SUCCESSFUL,
    ANALYSIS_INCONCLUSIVE,
    ROLLED_BACK,
    ABORTED,
    RETRIED,
    SUPERSEDED,
    CANCELLED,
    PROMOTING,
    PROMOTED,
    SWITCHED,
    SCALED_DOWN,
    REFUSED
  }

  public RolloutEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(message, "message");
    metrics = Map.copyOf(metrics);
    Objects.requireNonNull(runMetadata, "runMetadata");
  }

  /** An event about no analysis run in particular. */
  public RolloutEvent(
      Instant at,
      String rollout,
      Reason reason,
      String from,
      String to,
      String who,
      String message,
      Map<String, String> metrics) {
    this(at, rollout, reason, from, to, who, message, metrics, AnalysisRef.RunMetadata.NONE);
  }

  /** {@code 2026-01-01T10:02:00Z storefront ROLLED_BACK: v2 rolled back: …}. */
  @Override
  public String toString() {
    return at + " " + rollout + " " + reason + ": " + message;
  }
}
