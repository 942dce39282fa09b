package dev.weir.engine.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.sandbox.metrics.SandboxPrometheus;
import dev.weir.sandbox.metrics.TrafficMetrics;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which Prometheus discovery finds, as {@code weir status} says it: Services made in a sandbox API
 * server and reached by a read-only user through client-java; a Service "answers" when the
 * sandbox's Prometheus API stands behind it (as pods would), and otherwise the API server's proxy
 * says it has no endpoints.
 */
class PrometheusDiscoveryTest {
  @TempDir Path dir;

  /**
   * A Service: {@code namespace/name}, its ports ({@code name=number}, the first one served) and
   * whether it answers.
   */
  record Service(String namespace, String name, List<String> ports, boolean answers) {
    static Service up(String namespace, String name, String... ports) {
      return new Service(namespace, name, List.of(ports), true);
    }

    static Service down(String namespace, String name, String... ports) {
      return new Service(namespace, name, List.of(ports), false);
    }

    int served() {
      return ports.stream()
          .map(p -> Integer.parseInt(p.substring(p.indexOf('=') + 1)))
          .filter(p -> p == 9090 || p == 80)
          .findFirst()
          .orElseThrow();
    }
  }

  record Case(String name, List<Service> services, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "the Prometheus Operator's Service is taken before the chart's",
            List.of(
                Service.up("monitoring", "kube-prometheus-stack-prometheus", "http-web=9090"),
                Service.up("monitoring", "prometheus-operated", "web=9090")),
            "prometheus via service proxy monitoring/prometheus-operated:9090"),
        new Case(
            "the community chart's prometheus-server, on its port 80",
            List.of(Service.up("prometheus", "prometheus-server", "http=80")),
            "prometheus via service proxy prometheus/prometheus-server:80"),
        new Case(
            "a usual namespace beats a team's own Prometheus",
            List.of(
                Service.up("team-a", "prometheus-operated", "web=9090"),
                Service.up("observability", "prometheus", "web=9090")),
            "prometheus via service proxy observability/prometheus:9090"),
        new Case(
            "found in any namespace when none of the usual has one",
            List.of(Service.up("metrics-system", "prometheus", "web=9090")),
            "prometheus via service proxy metrics-system/prometheus:9090"),
        new Case(
            "port 9090 is taken among several",
            List.of(
                Service.up("monitoring", "prometheus", "grpc=10901", "reloader=8080", "api=9090")),
            "prometheus via service proxy monitoring/prometheus:9090"),
        new Case(
            "one that does not answer is passed over",
            List.of(
                Service.down("monitoring", "prometheus-operated", "web=9090"),
                Service.up("monitoring", "prometheus-server", "http=80")),
            "prometheus via service proxy monitoring/prometheus-server:80"),
        new Case(
            "none answering says why",
            List.of(Service.down("monitoring", "prometheus-operated", "web=9090")),
            "none usable: cannot reach Prometheus via service proxy"
                + " monitoring/prometheus-operated:9090: no endpoints available for service"
                + " \"prometheus-operated\" (analyses will be Inconclusive; give --prometheus"
                + " URL)"),
        new Case(
            "names not looked for are not guessed at",
            List.of(
                Service.up("monitoring", "thanos-query", "http=9090"),
                Service.up("monitoring", "grafana", "http=80")),
            "none found (analyses will be Inconclusive; give --prometheus URL)"),
        new Case(
            "no Service at all",
            List.of(),
            "none found (analyses will be Inconclusive; give --prometheus URL)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void discoveryFindsTheUsualServiceOrSaysWhyNot(Case c) throws Exception {
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      ClusterGateway admin = cluster.gateway();
      Set<String> namespaces = new LinkedHashSet<>();
      c.services().forEach(s -> namespaces.add(s.namespace()));
      for (String namespace : namespaces) {
        admin.apply(
            Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)),
            ApplyOptions.weir());
      }
      for (Service service : c.services()) {
        admin.apply(
            Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Service",
                "metadata",
                Map.of("name", service.name(), "namespace", service.namespace()),
                "spec",
                Map.of("ports", ports(service))),
            ApplyOptions.weir());
        if (service.answers()) {
          cluster.server.serveService(
              service.namespace(),
              service.name(),
              service.served(),
              new SandboxPrometheus(new TrafficMetrics(1, 60), cluster.clock));
        }
      }

      PrometheusSelection selection =
          PrometheusSelection.discovering(
              cluster.viewerGateway(), PrometheusAccess.none(), cluster.clock);

      assertThat(selection.describe()).isEqualTo(c.expected());
    }
  }

  private static List<Map<String, Object>> ports(Service service) {
    List<Map<String, Object>> ports = new ArrayList<>();
    for (String port : service.ports()) {
      int equals = port.indexOf('=');
      ports.add(
          Map.of(
              "name",
              port.substring(0, equals),
              "port",
              Integer.parseInt(port.substring(equals + 1))));
    }
    return ports;
  }
}
