package dev.weir.engine.telemetry;

import java.time.Duration;

/** Records nothing. */
enum NoopTelemetry implements Telemetry {
  INSTANCE;

  @Override
  public void recordReconcile(String application, Duration duration) {}

  @Override
  public void setDrift(String application, int resources) {}

  @Override
  public void recordSyncError(String application, String reason) {}

  @Override
  public void setRollout(String rollout, String phase, int canaryWeight) {}

  @Override
  public void recordAnalysisVerdict(String rollout, String metric, String verdict) {}
}
