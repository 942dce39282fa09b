package dev.weir.engine.analysis;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.ProxiedService;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the cluster's Prometheus among its Services, to be queried through the API server's service
 * proxy with the kubeconfig's credentials, as Lens does: no port-forward, no address to know.
 *
 * <p>The usual Services are looked for — {@link #NAMES} ({@code prometheus-operated} of the
 * Prometheus Operator, {@code prometheus-server} of the community chart, {@code prometheus}, {@code
 * kube-prometheus-stack-prometheus}) — first in the usual namespaces ({@link #NAMESPACES}: {@code
 * monitoring}, {@code prometheus}, {@code observability}), then in any other, namespace by name.
 * Within a namespace the names are taken in that order. Each candidate's port is 9090 when it has
 * one, else one named {@code web}, {@code http-web} or {@code http}, else its first. Candidates are
 * tried in turn with one query ({@code 1}) through the proxy; the first that answers as Prometheus
 * does is the one. When the user may not list Services in every namespace, the usual namespaces are
 * listed one by one.
 *
 * <p>Thread-safe (stateless); {@link #find} blocks on the cluster (one list, one query per
 * candidate tried).
 */
public final class PrometheusDiscovery {
  /** The Service names looked for, most likely first. */
  public static final List<String> NAMES =
      List.of(
          "prometheus-operated",
          "prometheus-server",
          "prometheus",
          "kube-prometheus-stack-prometheus");

  /** The namespaces looked in first, in order. */
  public static final List<String> NAMESPACES =
      List.of("monitoring", "prometheus", "observability");

  private static final int MAX_TRIED = 5;

  private PrometheusDiscovery() {}

  /**
   * What discovery found: the Service to query, or why there is none.
   *
   * @param service the Prometheus found
   * @param problems one line per candidate that did not answer, or why none could be looked for
   */
  public record Found(Optional<ProxiedService> service, List<String> problems) {
    public Found {
      problems = List.copyOf(problems);
    }
  }

  /** The candidates among {@code services}, best first (pure; see the class' Javadoc). */
  public static List<ProxiedService> candidates(List<LiveObject> services) {
    List<LiveObject> matching = new ArrayList<>();
    for (LiveObject service : services) {
      if (NAMES.contains(service.key().name()) && port(service).isPresent()) {
        matching.add(service);
      }
    }
    matching.sort(
        Comparator.comparingInt((LiveObject s) -> rank(NAMESPACES, s.key().namespace()))
            .thenComparing(s -> s.key().namespace())
            .thenComparingInt(s -> rank(NAMES, s.key().name())));
    List<ProxiedService> out = new ArrayList<>();
    for (LiveObject service : matching) {
      Map<String, Object> port = port(service).orElseThrow();
      String number = String.valueOf(((Number) port.get("port")).longValue());
      String name = port.get("name") instanceof String s ? s : "";
      boolean https = name.startsWith("https") || number.equals("443");
      out.add(new ProxiedService(service.key().namespace(), service.key().name(), number, https));
    }
    return out;
  }

  /**
   * Lists the cluster's Services and tries the candidates in turn (at most five), each with one
   * query through the service proxy taking at most {@code timeout}.
   */
  public static Found find(ClusterGateway gateway, Instant now, Duration timeout) {
    List<String> problems = new ArrayList<>();
    List<LiveObject> services = services(gateway, problems);
    List<ProxiedService> candidates = candidates(services);
    if (candidates.isEmpty() && problems.isEmpty()) {
      problems.add(
          "no Service named "
              + String.join(", ", NAMES)
              + " in "
              + String.join(", ", NAMESPACES)
              + " or any other namespace");
    }
    for (ProxiedService candidate : candidates.subList(0, Math.min(MAX_TRIED, candidates.size()))) {
      PrometheusMetricProvider provider =
          new PrometheusMetricProvider(
              new ServiceProxyPrometheusTransport(gateway, candidate, timeout));
      switch (provider.instant("1", now)) {
        case QueryResult.Ok<MetricValue> ok -> {
          return new Found(Optional.of(candidate), problems);
        }
        case QueryResult.Failed<MetricValue> failed -> problems.add(failed.error().message());
      }
    }
    return new Found(Optional.empty(), problems);
  }

  private static List<LiveObject> services(ClusterGateway gateway, List<String> problems) {
    ResourceType type;
    try {
      type = gateway.resourceType("v1", "Service");
    } catch (ClusterException e) {
      problems.add("cannot list Services: " + e.getMessage());
      return List.of();
    }
    try {
      return gateway.list(type, "", "");
    } catch (ClusterException e) {
      if (e.reason() != ClusterError.Reason.FORBIDDEN) {
        problems.add("cannot list Services: " + e.getMessage());
        return List.of();
      }
    }
    // not allowed to list every namespace: the usual ones, each on its own
    List<LiveObject> services = new ArrayList<>();
    for (String namespace : NAMESPACES) {
      try {
        services.addAll(gateway.list(type, namespace, ""));
      } catch (ClusterException e) {
        if (e.reason() != ClusterError.Reason.FORBIDDEN
            && e.reason() != ClusterError.Reason.NOT_FOUND) {
          problems.add("cannot list Services in " + namespace + ": " + e.getMessage());
        }
      }
    }
    if (services.isEmpty() && problems.isEmpty()) {
      problems.add(
          "may not list Services in every namespace, and found none in "
              + String.join(", ", NAMESPACES));
    }
    return services;
  }

  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> port(LiveObject service) {
    Object raw = service.at("spec.ports").orElse(List.of());
    if (!(raw instanceof List<?> ports) || ports.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> chosen = null;
    for (String wanted : List.of("9090", "web", "http-web", "http")) {
      for (Object entry : ports) {
        if (entry instanceof Map<?, ?> port
            && (port.get("port") instanceof Number n && wanted.equals(String.valueOf(n.longValue()))
                || wanted.equals(port.get("name")))) {
          chosen = (Map<String, Object>) port;
          break;
        }
      }
      if (chosen != null) {
        break;
      }
    }
    if (chosen == null && ports.getFirst() instanceof Map<?, ?> first) {
      chosen = (Map<String, Object>) first;
    }
    return chosen == null || !(chosen.get("port") instanceof Number)
        ? Optional.empty()
        : Optional.of(chosen);
  }

  private static int rank(List<String> order, String value) {
    int index = order.indexOf(value);
    return index < 0 ? order.size() : index;
  }
}
