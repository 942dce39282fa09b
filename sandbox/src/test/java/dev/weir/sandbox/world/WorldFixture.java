package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxObjects;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.engine.time.ManualClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** A sandbox API server on a manual clock with the world attached; objects written in-process. */
final class WorldFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final ManualClock clock;
  final SandboxApiServer server;
  final SandboxWorld world;
  final List<WorldEvent> events = new ArrayList<>();

  WorldFixture(WorldSettings settings) throws IOException {
    this(settings, new ManualClock(), null);
  }

  WorldFixture(WorldSettings settings, ManualClock clock, Path stateFile) throws IOException {
    this(settings, clock, stateFile, false);
  }

  /**
   * Over HTTPS when {@code https}: the server's CA is then {@code
   * server.certificateAuthorityPem()}.
   */
  WorldFixture(WorldSettings settings, ManualClock clock, Path stateFile, boolean https)
      throws IOException {
    this.clock = clock;
    SandboxOptions.Builder options = SandboxOptions.builder().https(https).clock(clock);
    if (stateFile == null) {
      options.ephemeral();
    } else {
      options.stateFile(stateFile);
    }
    server = SandboxApiServer.start(options.build());
    world = SandboxWorld.attach(server, settings);
    world.subscribe(events::add);
  }

  SandboxObjects objects() {
    return server.objects();
  }

  /** Applies every document of {@code yaml} as field manager {@code weir}. */
  void apply(String yaml) {
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document instanceof Map<?, ?>) {
        objects().apply((ObjectNode) JSON.valueToTree(document), "weir", true);
      }
    }
  }

  ObjectNode get(String apiVersion, String kind, String namespace, String name) {
    return objects().get(apiVersion, kind, namespace, name).orElseThrow();
  }

  List<ObjectNode> list(String apiVersion, String kind, String namespace) {
    return objects().list(apiVersion, kind, namespace);
  }

  /**
   * {@code GET /metrics} over plain HTTP as a scraper does, with the {@code Authorization} header
   * {@code authorization} (none when null).
   */
  HttpResponse<String> scrape(String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve("/metrics"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** {@link #scrape(String)} with the read-only user's token, as a Prometheus is configured. */
  HttpResponse<String> scrape() throws IOException, InterruptedException {
    return scrape("Bearer " + server.readOnlyToken());
  }

  void advance(Duration duration) {
    // in one-second steps, as the clock of a running sandbox would move
    for (long s = 0; s < duration.toSeconds(); s++) {
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  static String deployment(
      String name, int replicas, String version, String errorRate, String latency) {
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: %1$s
      namespace: shop
      annotations: {weir.dev/application: %1$s}
    spec:
      replicas: %2$d
      selector:
        matchLabels: {app.kubernetes.io/name: %1$s}
      template:
        metadata:
          labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/version: "%3$s"}
          annotations:
            sandbox.weir.dev/error-rate: "%4$s"
            sandbox.weir.dev/latency-p50: %5$s
        spec:
          containers:
          - name: %1$s
            image: registry.example/shop/%1$s:%3$s
    """
        .formatted(name, replicas, version, errorRate, latency);
  }

  static String service(String name, String selector) {
    return """
    apiVersion: v1
    kind: Service
    metadata: {name: %s, namespace: shop}
    spec:
      selector: {app.kubernetes.io/name: %s}
      ports: [{port: 80}]
    """
        .formatted(name, selector);
  }

  static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";

  /** Namespace shop: storefront 2.4.0 (4 replicas) and checkout 1.4.2 (3), each with its Service. */
  void deployShop() {
    apply(NAMESPACE);
    apply(deployment("storefront", 4, "2.4.0", "0.002", "110ms"));
    apply(service("storefront", "storefront"));
    apply(deployment("checkout", 3, "1.4.2", "0.001", "80ms"));
    apply(service("checkout", "checkout"));
  }

  /** Rolls storefront to 2.4.1, slower and failing more. */
  void rollStorefront() {
    apply(deployment("storefront", 4, "2.4.1", "0.08", "180ms"));
  }
}
