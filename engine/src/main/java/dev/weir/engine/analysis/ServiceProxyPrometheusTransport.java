package dev.weir.engine.analysis;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ProxiedService;
import dev.weir.engine.cluster.ProxyResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * {@link PrometheusTransport} through the Kubernetes API server's service proxy ({@link
 * ClusterGateway#proxyGet}), with the kubeconfig's own credentials: what lets an SRE on a laptop
 * query the cluster's Prometheus with no port-forward and no address of its own. Queries go as
 * GETs, which need only {@code get} on {@code services/proxy}.
 *
 * <p>Thread-safe.
 */
public final class ServiceProxyPrometheusTransport implements PrometheusTransport {
  private final ClusterGateway gateway;
  private final ProxiedService service;
  private final Duration timeout;
  private final String where;

  public ServiceProxyPrometheusTransport(
      ClusterGateway gateway, ProxiedService service, Duration timeout) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.service = Objects.requireNonNull(service, "service");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.where = "Prometheus via service proxy " + service;
  }

  /** The Service queried. */
  public ProxiedService service() {
    return service;
  }

  @Override
  public String describe() {
    return where;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public QueryResult<Reply> send(String path, Map<String, String> parameters) {
    return send(path, parameters, QueryOptions.NONE);
  }

  /**
   * A metric's timeout is honoured. Its headers (and the {@code Authorization} of its {@code
   * authentication}) are refused: the API server's proxy is reached
   * with the kubeconfig's credentials and would not pass an {@code Authorization} on. Its {@code
   * insecure} has nothing to skip here: the TLS is the API server's, verified as the kubeconfig
   * says.
   */
  @Override
  public QueryResult<Reply> send(
      String path, Map<String, String> parameters, QueryOptions options) {
    if (!options.headers().isEmpty()) {
      return QueryResult.failed(
          ProviderError.Reason.BAD_QUERY,
          "provider.prometheus.headers and authentication cannot be sent through the API server's service proxy ("
              + where
              + "); give the metric a provider.prometheus.address, or run Weir with"
              + " --prometheus URL");
    }
    ProxyResponse response;
    try {
      response =
          gateway.proxyGet(service, path, parameters, options.timeout().orElse(timeout));
    } catch (ClusterException e) {
      ProviderError.Reason reason =
          switch (e.reason()) {
            case TIMEOUT -> ProviderError.Reason.TIMEOUT;
            case UNAUTHORIZED, FORBIDDEN -> ProviderError.Reason.UNAUTHORIZED;
            case SERVER_ERROR -> ProviderError.Reason.SERVER_ERROR;
            case UNREACHABLE, NOT_FOUND, CONFIGURATION -> ProviderError.Reason.UNREACHABLE;
            default -> ProviderError.Reason.BAD_RESPONSE;
          };
      return QueryResult.failed(reason, "cannot reach " + where + ": " + e.getMessage());
    }
    return QueryResult.ok(new Reply(response.status(), response.text()));
  }

  @Override
  public String toString() {
    return "ServiceProxyPrometheusTransport[" + service + " on " + gateway.context() + "]";
  }
}
