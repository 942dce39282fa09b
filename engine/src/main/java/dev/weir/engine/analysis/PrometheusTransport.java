package dev.weir.engine.analysis;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link PrometheusMetricProvider} reaches Prometheus' HTTP API: straight to its address
 * ({@link HttpPrometheusTransport}) or through the Kubernetes API server's service proxy ({@link
 * ServiceProxyPrometheusTransport}). The provider builds the requests and reads the answers; a
 * transport only carries them.
 *
 * <p>Implementations are thread-safe and never throw for a failure: no answer is a {@link
 * QueryResult.Failed} whose message names the server without a secret.
 */
public interface PrometheusTransport {

  /** Prometheus' answer: its HTTP status and body. */
  record Reply(int status, String body) {
    public Reply {
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * Sends one API call: {@code path} relative to Prometheus' root ({@code api/v1/query}) with its
   * parameters. Blocks for at most {@link #timeout()}.
   */
  QueryResult<Reply> send(String path, Map<String, String> parameters);

  /**
   * As {@link #send(String, Map)}, with a metric's own settings: its timeout instead of {@link
   * #timeout()}, its headers, and TLS verification skipped when {@code options.insecure()} is
   * present (the {@link PrometheusMetricProvider} has checked that the person running Weir allows
   * it). A transport that cannot honour a setting answers {@link QueryResult.Failed} saying so.
   */
  default QueryResult<Reply> send(String path, Map<String, String> parameters, QueryOptions options) {
    if (options.none()) {
      return send(path, parameters);
    }
    return QueryResult.failed(
        ProviderError.Reason.BAD_QUERY,
        describe() + " cannot be sent a metric's own timeout, headers or insecure");
  }

  /**
   * The server as messages name it, without credentials: {@code Prometheus at
   * https://prom.example/} or {@code Prometheus via service proxy monitoring/prometheus:9090}.
   */
  String describe();

  /** How long one call may take. */
  Duration timeout();
}
