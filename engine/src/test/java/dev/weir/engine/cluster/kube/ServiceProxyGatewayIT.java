package dev.weir.engine.cluster.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ProxiedService;
import dev.weir.engine.cluster.ProxyResponse;
import dev.weir.sandbox.api.ServiceBackend;
import dev.weir.engine.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KubeClusterGateway#proxyGet} against the sandbox API server: what stands behind a Service
 * comes back as it answered, with the path and parameters as sent; the API server's own refusals
 * are {@link ClusterException}s with their reason; a slow Service is a timeout that leaves the
 * cluster reachable.
 */
class ServiceProxyGatewayIT {
  @TempDir Path dir;
  TestCluster cluster;
  KubeClusterGateway viewer;
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir);
    KubeClusterGateway admin = cluster.gateway();
    admin.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "monitoring")),
        ApplyOptions.weir());
    for (String name : List.of("echo", "slow", "idle")) {
      admin.apply(
          Map.of(
              "apiVersion",
              "v1",
              "kind",
              "Service",
              "metadata",
              Map.of("name", name, "namespace", "monitoring"),
              "spec",
              Map.of("ports", List.of(Map.of("name", "web", "port", 9090)))),
          ApplyOptions.weir());
    }
    // answers with what it was asked, as a 418 so that an error status passes through too
    cluster.server.serveService(
        "monitoring",
        "echo",
        9090,
        request ->
            new ServiceBackend.Response(
                418,
                "text/plain",
                (request.method() + " " + request.path() + "?" + request.rawQuery())
                    .getBytes(StandardCharsets.UTF_8)));
    cluster.server.serveService(
        "monitoring",
        "slow",
        9090,
        request -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new ServiceBackend.Response(200, "text/plain", new byte[0]);
        });
    viewer = cluster.viewerGateway();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    cluster.close();
  }

  @Test
  void theServiceAnswersAsItIsWithThePathAndParametersAsSent() {
    ProxyResponse response =
        viewer.proxyGet(
            ProxiedService.of("monitoring", "echo", "web"),
            "api/v1/query",
            Map.of("query", "sum(rate(x{code!~\"5..\"}[1m])) / 2 + 1"),
            Duration.ofSeconds(5));

    assertThat(response.status()).isEqualTo(418);
    assertThat(response.contentType()).isEqualTo("text/plain");
    assertThat(java.net.URLDecoder.decode(response.text(), StandardCharsets.UTF_8))
        .isEqualTo("GET /api/v1/query?query=sum(rate(x{code!~\"5..\"}[1m])) / 2 + 1");
  }

  @Test
  void theApiServersRefusalsAreClusterErrorsWithTheirReason() {
    ClusterException missing =
        catchThrowableOfType(
            ClusterException.class,
            () ->
                viewer.proxyGet(
                    ProxiedService.of("monitoring", "nope", "9090"),
                    "",
                    Map.of(),
                    Duration.ofSeconds(5)));
    ClusterException noEndpoints =
        catchThrowableOfType(
            ClusterException.class,
            () ->
                viewer.proxyGet(
                    ProxiedService.of("monitoring", "idle", "9090"),
                    "",
                    Map.of(),
                    Duration.ofSeconds(5)));

    assertThat(missing.reason()).isEqualTo(ClusterError.Reason.NOT_FOUND);
    assertThat(missing.getMessage()).isEqualTo("services \"nope\" not found");
    assertThat(noEndpoints.reason()).isEqualTo(ClusterError.Reason.SERVER_ERROR);
    assertThat(noEndpoints.getMessage()).isEqualTo("no endpoints available for service \"idle\"");
    assertThat(viewer.status().isReachable()).isTrue();
  }

  @Test
  void aSlowServiceTimesOutWithoutMarkingTheClusterUnreachable() {
    // the proxy's timeout is the HTTP client's, on wall time: 300 ms here
    ClusterException slow =
        catchThrowableOfType(
            ClusterException.class,
            () ->
                viewer.proxyGet(
                    ProxiedService.of("monitoring", "slow", "9090"),
                    "api/v1/query",
                    Map.of("query", "1"),
                    Duration.ofMillis(300)));

    assertThat(slow.reason()).isEqualTo(ClusterError.Reason.TIMEOUT);
    assertThat(slow.getMessage())
        .isEqualTo(
            "GET monitoring/slow:9090/api/v1/query through the service proxy: no answer within"
                + " 300ms");
    assertThat(viewer.status().isReachable()).isTrue();
  }
}
