package dev.weir.engine.telemetry;

import dev.weir.engine.time.EngineClock;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.exporter.BasicAuthHttpConnectionFactory;
import io.prometheus.client.exporter.DefaultHttpConnectionFactory;
import io.prometheus.client.exporter.HttpConnectionFactory;
import io.prometheus.client.exporter.PushGateway;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Telemetry} pushed to a Prometheus Pushgateway with {@code simpleclient_pushgateway},
 * grouped by {@code job} and an {@code instance} label naming the operator's machine ({@code
 * user@host}).
 *
 * <p>Design note. Recording only updates in-memory collectors. Pushing happens every {@link
 * TelemetrySettings#interval()} on the clock, and on {@link #pushNow()}, on one background daemon
 * thread with room for one waiting push: a push asked for while one runs and one waits is dropped,
 * never queued without bound (each push sends the latest values anyway). A push that takes longer
 * than {@link TelemetrySettings#timeout()} is cut off by closing its connection. A failing push is
 * logged once when an outage begins and once when pushing works again, never per attempt. So the
 * console is never slowed or broken by the Pushgateway.
 *
 * <p>Metrics: {@code weir_reconcile_duration_seconds} (histogram, by application), {@code
 * weir_drift_resources} (gauge, by application), {@code weir_sync_errors_total} (by application,
 * reason), {@code weir_rollout_phase} (1 for the current phase, by rollout, phase), {@code
 * weir_rollout_canary_weight_percent} (by rollout), {@code weir_analysis_verdicts_total} (by
 * rollout, metric, verdict), {@code weir_telemetry_push_failures_total}.
 *
 * <p>Thread-safe.
 */
public final class PushgatewayTelemetry implements Telemetry, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PushgatewayTelemetry.class);

  /** Where outage and recovery lines go; slf4j by default, collected in tests. */
  interface OutageLog {
    void outage(String line);

    void recovered(String line);
  }

  private final TelemetrySettings settings;
  private final EngineClock clock;
  private final OutageLog log;
  private final WeirMetrics metrics;
  private final CollectorRegistry registry;
  private final PushGateway gateway;
  private final ThreadPoolExecutor pusher;
  private final AtomicReference<HttpURLConnection> inFlight = new AtomicReference<>();
  private final Counter pushFailures;
  private EngineClock.Scheduled schedule;
  private boolean reachable = true;
  private long pushed;
  private long failed;
  private long dropped;
  private int outages;
  private String lastError;

  /** Creates the collectors; nothing is pushed until {@link #start()} or {@link #pushNow()}. */
  public PushgatewayTelemetry(TelemetrySettings settings, EngineClock clock) {
    this(settings, clock, new WeirMetrics());
  }

  /** As {@link #PushgatewayTelemetry(TelemetrySettings, EngineClock)}, pushing {@code metrics}. */
  public PushgatewayTelemetry(TelemetrySettings settings, EngineClock clock, WeirMetrics metrics) {
    this(
        settings,
        clock,
        metrics,
        new OutageLog() {
          @Override
          public void outage(String line) {
            LOG.warn(line);
          }

          @Override
          public void recovered(String line) {
            LOG.info(line);
          }
        });
  }

  PushgatewayTelemetry(TelemetrySettings settings, EngineClock clock, OutageLog log) {
    this(settings, clock, new WeirMetrics(), log);
  }

  private PushgatewayTelemetry(
      TelemetrySettings settings, EngineClock clock, WeirMetrics metrics, OutageLog log) {
    this.metrics = metrics;
    this.registry = metrics.registry;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
    try {
      this.gateway = new PushGateway(settings.pushgateway().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(
          "not a usable Pushgateway address: " + settings.pushgateway(), e);
    }
    HttpConnectionFactory base =
        settings.username().isPresent()
            ? new BasicAuthHttpConnectionFactory(
                settings.username().get(), settings.password().orElse(""))
            : new DefaultHttpConnectionFactory();
    gateway.setConnectionFactory(
        url -> {
          HttpURLConnection connection = base.create(url);
          inFlight.set(connection);
          return connection;
        });
    this.pusher =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1),
            runnable -> {
              Thread thread = new Thread(runnable, "weir-telemetry-push");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pushFailures =
        Counter.build("weir_telemetry_push_failures_total", "Pushes that failed.")
            .register(registry);
  }

  /** Pushes every interval from now on. Idempotent. */
  public synchronized void start() {
    if (schedule == null) {
      schedule = clock.every(settings.interval(), this::pushNow);
    }
  }

  /**
   * Asks for a push now, on the background thread. The future completes with true once pushed, or
   * false when the push failed or was dropped; it never completes exceptionally.
   */
  public CompletableFuture<Boolean> pushNow() {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    try {
      pusher.execute(() -> done.complete(pushOnce()));
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        dropped++;
      }
      done.complete(false);
    }
    return done;
  }

  /** How pushing goes. */
  public synchronized PushHealth health() {
    return new PushHealth(
        reachable, pushed, failed, dropped, outages, Optional.ofNullable(lastError));
  }

  /** Stops pushing; collectors keep their values. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (schedule != null) {
        schedule.cancel();
        schedule = null;
      }
    }
    pusher.shutdownNow();
    HttpURLConnection connection = inFlight.get();
    if (connection != null) {
      connection.disconnect();
    }
  }

  @Override
  public void recordReconcile(String application, Duration duration) {
    metrics.recordReconcile(application, duration);
  }

  @Override
  public void setDrift(String application, int resources) {
    metrics.setDrift(application, resources);
  }

  @Override
  public void recordSyncError(String application, String reason) {
    metrics.recordSyncError(application, reason);
  }

  @Override
  public void setRollout(String rollout, String phase, int canaryWeight) {
    metrics.setRollout(rollout, phase, canaryWeight);
  }

  @Override
  public void recordAnalysisVerdict(String rollout, String metric, String verdict) {
    metrics.recordAnalysisVerdict(rollout, metric, verdict);
  }

  @Override
  public String toString() {
    return "PushgatewayTelemetry[" + settings + "]";
  }

  private boolean pushOnce() {
    AtomicBoolean timedOut = new AtomicBoolean();
    EngineClock.Scheduled watchdog =
        clock.schedule(
            settings.timeout(),
            () -> {
              timedOut.set(true);
              HttpURLConnection connection = inFlight.get();
              if (connection != null) {
                connection.disconnect();
              }
            });
    try {
      gateway.push(registry, settings.job(), Map.of("instance", settings.instance()));
      watchdog.cancel();
      succeeded();
      return true;
    } catch (IOException | RuntimeException e) {
      watchdog.cancel();
      String reason =
          timedOut.get()
              ? "no answer within " + settings.timeout().toMillis() + " ms"
              : e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
      failedWith(reason);
      return false;
    } finally {
      inFlight.set(null);
    }
  }

  private void succeeded() {
    String line = null;
    synchronized (this) {
      pushed++;
      if (!reachable) {
        reachable = true;
        line = "telemetry: pushing to " + settings.pushgateway() + " works again";
      }
    }
    if (line != null) {
      log.recovered(line);
    }
  }

  private void failedWith(String reason) {
    pushFailures.inc();
    String line = null;
    synchronized (this) {
      failed++;
      lastError = reason;
      if (reachable) {
        reachable = false;
        outages++;
        line =
            "telemetry: cannot push to "
                + settings.pushgateway()
                + ": "
                + reason
                + "; the console carries on and retries quietly (logged once per outage)";
      }
    }
    if (line != null) {
      log.outage(line);
    }
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
