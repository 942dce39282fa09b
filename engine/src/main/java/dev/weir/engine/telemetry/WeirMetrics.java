package dev.weir.engine.telemetry;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weir's own metrics in one Prometheus registry: what a console pushes to a Pushgateway ({@link
 * PushgatewayTelemetry}) and what the in-cluster reconciler serves on {@code /metrics}, the same
 * names either way.
 *
 * <p>Metrics: {@code weir_reconcile_duration_seconds} (histogram, by application), {@code
 * weir_drift_resources} (gauge, by application), {@code weir_sync_errors_total} (by application,
 * reason), {@code weir_rollout_phase} (1 for the current phase, by rollout, phase), {@code
 * weir_rollout_canary_weight_percent} (by rollout), {@code weir_analysis_verdicts_total} (by
 * rollout, metric, verdict); for a replica of the in-cluster reconciler also {@code
 * weir_application_lease_held} (1 when this replica holds the application's Lease, by application
 * and holder), {@code weir_live_replicas} and {@code weir_queue_depth} (applications with a sync or
 * comparison waiting).
 *
 * <p>Thread-safe.
 */
public final class WeirMetrics implements Telemetry {
  final CollectorRegistry registry = new CollectorRegistry();
  private final Map<String, String> rolloutPhases = new ConcurrentHashMap<>();
  private final Histogram reconcileDuration =
      Histogram.build("weir_reconcile_duration_seconds", "Duration of one reconcile pass.")
          .labelNames("application")
          .buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
          .register(registry);
  private final Gauge drift =
      Gauge.build("weir_drift_resources", "Resources that differ from Git.")
          .labelNames("application")
          .register(registry);
  private final Counter syncErrors =
      Counter.build("weir_sync_errors_total", "Failed syncs.")
          .labelNames("application", "reason")
          .register(registry);
  private final Gauge rolloutPhase =
      Gauge.build("weir_rollout_phase", "1 for the rollout's current phase, 0 for others seen.")
          .labelNames("rollout", "phase")
          .register(registry);
  private final Gauge rolloutWeight =
      Gauge.build("weir_rollout_canary_weight_percent", "Traffic weight of the canary.")
          .labelNames("rollout")
          .register(registry);
  private final Counter verdicts =
      Counter.build("weir_analysis_verdicts_total", "Analysis verdicts.")
          .labelNames("rollout", "metric", "verdict")
          .register(registry);
  private final Gauge leaseHeld =
      Gauge.build(
              "weir_application_lease_held",
              "1 when this replica holds the application's Lease (drives it), 0 when another does.")
          .labelNames("application", "holder")
          .register(registry);
  private final Gauge liveReplicas =
      Gauge.build("weir_live_replicas", "Live reconciler replicas, this one included.")
          .register(registry);
  private final Gauge queueDepth =
      Gauge.build(
              "weir_queue_depth",
              "Applications this replica drives with an automated sync or a comparison waiting.")
          .register(registry);

  @Override
  public void recordReconcile(String application, Duration duration) {
    reconcileDuration.labels(application).observe(duration.toNanos() / 1e9);
  }

  @Override
  public void setDrift(String application, int resources) {
    drift.labels(application).set(resources);
  }

  @Override
  public void recordSyncError(String application, String reason) {
    syncErrors.labels(application, reason).inc();
  }

  @Override
  public void setRollout(String rollout, String phase, int canaryWeight) {
    String previous = rolloutPhases.put(rollout, phase);
    if (previous != null && !previous.equals(phase)) {
      rolloutPhase.labels(rollout, previous).set(0);
    }
    rolloutPhase.labels(rollout, phase).set(1);
    rolloutWeight.labels(rollout).set(canaryWeight);
  }

  @Override
  public void recordAnalysisVerdict(String rollout, String metric, String verdict) {
    verdicts.labels(rollout, metric, verdict).inc();
  }

  /**
   * Who holds each application's Lease now ({@code holders}: application → holder identity), 1
   * for those {@code self} holds; applications no one holds are left out.
   */
  public void setLeases(String self, Map<String, String> holders, int live, int queued) {
    leaseHeld.clear();
    holders.forEach((app, holder) -> leaseHeld.labels(app, holder).set(holder.equals(self) ? 1 : 0));
    liveReplicas.set(live);
    queueDepth.set(queued);
  }

  /** Every metric in Prometheus' text exposition format (version 0.0.4). */
  public String exposition() {
    StringWriter out = new StringWriter();
    try {
      TextFormat.write004(out, registry.metricFamilySamples());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
