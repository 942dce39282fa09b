package dev.weir.engine.testkit;

import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.sandbox.api.SandboxApiServer;
import dev.weir.engine.sandbox.api.SandboxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

  @Override
  public void close() throws IOException {
    synchronized (this) {
      gateways.forEach(KubeClusterGateway::close);
    }
    server.close();
  }
}
