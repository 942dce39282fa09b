package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --prometheus URL [--prometheus-ca FILE]}: the Prometheus that analyses query. Without it,
 * a metric's own {@code provider.prometheus.address}, else the cluster's Prometheus found through
 * the API server's service proxy (chosen by the engine's console launcher). Credentials for a Prometheus given
 * by address come from {@code WEIR_PROMETHEUS_TOKEN(_FILE)} or {@code WEIR_PROMETHEUS_USERNAME} and
 * {@code WEIR_PROMETHEUS_PASSWORD(_FILE)}, its CA from {@code --prometheus-ca} or {@code
 * WEIR_PROMETHEUS_CA_FILE}; a template's {@code insecure: true} is honoured only with {@code
 * WEIR_PROMETHEUS_ALLOW_INSECURE=true} (decision 0037).
 */
final class MetricsOptions {

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      description =
          "The Prometheus analyses query (beats a template's provider.prometheus.address). Without"
              + " it Weir finds the cluster's Prometheus (prometheus-operated, prometheus-server,"
              + " prometheus, kube-prometheus-stack-prometheus; in monitoring, prometheus,"
              + " observability or any namespace) and queries it through the API server's service"
              + " proxy with the kubeconfig's credentials. Credentials:"
              + " WEIR_PROMETHEUS_TOKEN(_FILE), or WEIR_PROMETHEUS_USERNAME with"
              + " WEIR_PROMETHEUS_PASSWORD(_FILE).")
  String prometheus;

  @Option(
      names = "--prometheus-ca",
      paramLabel = "FILE",
      description =
          "Trust the certificates in this PEM file (a private CA) for --prometheus and template"
              + " addresses, instead of the JDK's (also WEIR_PROMETHEUS_CA_FILE). Host names are"
              + " always verified, except for a template metric that says insecure: true when"
              + " WEIR_PROMETHEUS_ALLOW_INSECURE=true is set.")
  Path prometheusCa;

  /** {@code settings}, choosing the Prometheus these options name (or, without one, discovery). */
  ConsoleSettings applyTo(ConsoleSettings settings) {
    return settings.withMetrics(Optional.ofNullable(prometheus), Optional.ofNullable(prometheusCa));
  }
}
