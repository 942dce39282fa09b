/**
 * The console's own metrics (reconcile durations, drift, sync errors, rollout phases and weights,
 * analysis verdicts): a small recording API, {@link dev.weir.engine.telemetry.Telemetry}, and its
 * Prometheus Pushgateway implementation, which never slows or breaks the console.
 */
package dev.weir.engine.telemetry;
