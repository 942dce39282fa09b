package dev.weir.tui.cli;

import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.time.EngineClock;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --prometheus URL [--prometheus-ca FILE]}: the Prometheus that analyses query. Without it,
 * a metric's own {@code provider.prometheus.address}, else the cluster's Prometheus found through
 * the API server's service proxy ({@link PrometheusSelection}). Credentials for a Prometheus given
 * by address come from {@code WEIR_PROMETHEUS_TOKEN(_FILE)} or {@code WEIR_PROMETHEUS_USERNAME} and
 * {@code WEIR_PROMETHEUS_PASSWORD(_FILE)}, its CA from {@code --prometheus-ca} or {@code
 * WEIR_PROMETHEUS_CA_FILE}.
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
              + " always verified.")
  Path prometheusCa;

  /**
   * The selection for a session on {@code gateway}.
   *
   * @throws CommandException exit 2 with one line for a bad URL or bad credentials settings
   */
  PrometheusSelection selection(
      ClusterGateway gateway, CliEnvironment environment, EngineClock clock) {
    return selection(this, gateway, environment, clock);
  }

  /** As {@link #selection}, for a command without these options ({@code options} null). */
  static PrometheusSelection selection(
      MetricsOptions options,
      ClusterGateway gateway,
      CliEnvironment environment,
      EngineClock clock) {
    Optional<Path> ca =
        options == null ? Optional.empty() : Optional.ofNullable(options.prometheusCa);
    PrometheusAccess access;
    try {
      access = PrometheusAccess.fromEnvironment(environment.variables(), ca);
    } catch (IllegalArgumentException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    if (options == null || options.prometheus == null) {
      return PrometheusSelection.discovering(gateway, access, clock);
    }
    URI address;
    try {
      address = new URI(options.prometheus.strip());
    } catch (URISyntaxException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--prometheus: not a URL: " + e.getReason());
    }
    try {
      return PrometheusSelection.given(address, access, clock);
    } catch (IllegalArgumentException e) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--prometheus: " + e.getMessage());
    }
  }
}
