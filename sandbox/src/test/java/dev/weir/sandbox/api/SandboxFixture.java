package dev.weir.sandbox.api;

import dev.weir.engine.time.ManualClock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running sandbox (HTTPS, in memory, manual clock) and client-java clients built from its
 * kubeconfig.
 */
final class SandboxFixture implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final SandboxApiServer server;
  final Path kubeconfig;
  final Path viewerKubeconfig;

  SandboxFixture(Path directory) throws IOException {
    this(directory, SandboxOptions.builder().ephemeral());
  }

  SandboxFixture(Path directory, SandboxOptions.Builder options) throws IOException {
    server = SandboxApiServer.start(options.clock(clock).build());
    kubeconfig = directory.resolve("kubeconfig");
    viewerKubeconfig = directory.resolve("viewer-kubeconfig");
    server.writeKubeconfig(kubeconfig, server.adminToken());
    server.writeKubeconfig(viewerKubeconfig, server.readOnlyToken());
  }

  /** A client for the admin, as the engine builds one: from the kubeconfig file. */
  ApiClient client() throws IOException {
    return client(kubeconfig);
  }

  ApiClient viewer() throws IOException {
    return client(viewerKubeconfig);
  }

  static ApiClient client(Path kubeconfig) throws IOException {
    try (Reader reader = Files.newBufferedReader(kubeconfig)) {
      ApiClient client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
      client.setHttpClient(
          client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
      return client;
    }
  }

  /** Creates a namespace through the API. */
  void namespace(String name) throws Exception {
    new CoreV1Api(client())
        .createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name)))
        .execute();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
