package dev.weir.engine.console;

import java.util.Objects;
import java.util.Optional;

/**
 * Where analyses' queries go, as {@code weir status} and the consoles' header say it.
 *
 * @param kind {@code flag} (given by the user), {@code service-proxy} (found in the cluster and
 *     reached through the API server) or {@code none}
 * @param prometheus the address or the Service; empty for none
 * @param message one line, e.g. {@code metrics: Prometheus monitoring/prometheus-operated:9090
 *     through the API server}
 */
public record MetricsSource(String kind, Optional<String> prometheus, String message) {
  public MetricsSource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(prometheus, "prometheus");
    Objects.requireNonNull(message, "message");
  }
}
