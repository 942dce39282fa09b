package dev.weir.engine.testkit;

import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A sandbox Kubernetes API server on loopback (HTTPS, in memory, on a {@link ManualClock}) and
 * gateways built the production way: client-java through a kubeconfig file the server wrote.
 */
public final class TestCluster implements AutoCloseable {
  public final ManualClock clock;
  public final SandboxApiServer server;
  public final Path kubeconfig;
  public final Path viewerKubeconfig;
  private final List<KubeClusterGateway> gateways = new ArrayList<>();

  public TestCluster(Path directory) throws IOException {
    this(directory, new ManualClock(), SandboxOptions.builder().ephemeral());
  }

  public TestCluster(Path directory, ManualClock clock, SandboxOptions.Builder options)
      throws IOException {
    this.clock = clock;
    Files.createDirectories(directory);
    server = SandboxApiServer.start(options.clock(clock).build());
    kubeconfig = directory.resolve("kubeconfig");
    viewerKubeconfig = directory.resolve("viewer-kubeconfig");
    server.writeKubeconfig(kubeconfig, server.adminToken());
    server.writeKubeconfig(viewerKubeconfig, server.readOnlyToken());
  }

  /** A gateway for the admin user, as the engine builds one. Closed with the cluster. */
  public KubeClusterGateway gateway() {
    return gateway(kubeconfig, KubeClusterGateway.Options.defaults());
  }

  /** A gateway for the read-only user {@code viewer}. */
  public KubeClusterGateway viewerGateway() {
    return gateway(viewerKubeconfig, KubeClusterGateway.Options.defaults());
  }

  public synchronized KubeClusterGateway gateway(Path file, KubeClusterGateway.Options options) {
    KubeClusterGateway gateway =
        KubeClusterGateway.connect(Kubeconfig.fromFile(file), null, clock, options);
    gateways.add(gateway);
    return gateway;
  }

  /**
   * Writes one kubeconfig with a context per cluster (named by the map's keys, in order; the first
   * is current), each authenticating as that cluster's admin, as a kubeconfig that {@code aws eks
   * update-kubeconfig} grew over time would.
   */
  public static Path writeContexts(Path file, Map<String, TestCluster> clusters)
      throws IOException {
    StringBuilder clusterEntries = new StringBuilder("clusters:\n");
    StringBuilder users = new StringBuilder("users:\n");
    StringBuilder contexts = new StringBuilder("contexts:\n");
    for (Map.Entry<String, TestCluster> entry : clusters.entrySet()) {
      String name = entry.getKey();
      SandboxApiServer server = entry.getValue().server;
      String ca =
          Base64.getEncoder()
              .encodeToString(
                  server.certificateAuthorityPem().orElseThrow().getBytes(StandardCharsets.US_ASCII));
      clusterEntries
          .append("- name: ").append(name).append("-cluster\n  cluster:\n    server: ")
          .append(server.url()).append("\n    certificate-authority-data: ").append(ca).append('\n');
      users
          .append("- name: ").append(name).append("-admin\n  user:\n    token: \"")
          .append(server.adminToken()).append("\"\n");
      contexts
          .append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name)
          .append("-cluster\n    user: ").append(name).append("-admin\n    namespace: default\n");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(
        file,
        "apiVersion: v1\nkind: Config\ncurrent-context: "
            + clusters.keySet().iterator().next()
            + "\n"
            + clusterEntries
            + users
            + contexts);
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      gateways.forEach(KubeClusterGateway::close);
    }
    server.close();
  }
}
