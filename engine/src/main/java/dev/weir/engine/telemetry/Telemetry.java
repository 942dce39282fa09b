package dev.weir.engine.telemetry;

import java.time.Duration;

/**
 * What the engine records about itself. Calls are cheap, never block on the network and never
 * throw; implementations are thread-safe. Label values are application, rollout and metric names,
 * never secrets.
 */
public interface Telemetry {

  /** One reconcile pass of {@code application} took {@code duration}. */
  void recordReconcile(String application, Duration duration);

  /** {@code application} now has {@code resources} resources that differ from Git. */
  void setDrift(String application, int resources);

  /**
   * A sync of {@code application} failed; {@code reason} is a short fixed word (e.g. {@code
   * Forbidden}).
   */
  void recordSyncError(String application, String reason);

  /**
   * {@code rollout} is in {@code phase} (Progressing, Paused, Healthy, Degraded, Aborted) with
   * {@code canaryWeight}%.
   */
  void setRollout(String rollout, String phase, int canaryWeight);

  /**
   * An analysis measurement or run of {@code rollout} ended with {@code verdict} for {@code
   * metric}.
   */
  void recordAnalysisVerdict(String rollout, String metric, String verdict);

  /** Telemetry that records nothing: for tests and when no Pushgateway is configured. */
  static Telemetry noop() {
    return NoopTelemetry.INSTANCE;
  }
}
