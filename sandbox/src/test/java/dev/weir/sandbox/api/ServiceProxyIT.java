package dev.weir.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sandbox.metrics.SandboxPrometheus;
import dev.weir.sandbox.metrics.TrafficMetrics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox API server's service proxy ({@code /api/v1/namespaces/NS/services/NAME:PORT/proxy/})
 * through the kubectl on PATH ({@code get --raw}, {@code create --raw}): what stands behind a
 * Service answers, authenticated and authorised like any API path, and the refusals read as
 * kube-apiserver's.
 */
class ServiceProxyIT {
  private static final String SERVICES =
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: monitoring}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: prometheus, namespace: monitoring}
      spec:
        ports: [{name: web, port: 9090}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: grafana, namespace: monitoring}
      spec:
        ports: [{name: http, port: 3000}]
      """;
  private static final String PROXY = "/api/v1/namespaces/monitoring/services/";

  @TempDir Path dir;
  Path kubectl;
  SandboxFixture sandbox;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    Optional<Path> found = Optional.empty();
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, "kubectl"))) {
        found = Optional.of(Path.of(entry, "kubectl"));
        break;
      }
    }
    Assumptions.assumeTrue(found.isPresent(), "kubectl is not on PATH (e.g. /usr/bin/kubectl)");
    kubectl = found.get();
    sandbox = new SandboxFixture(dir);
    Files.writeString(dir.resolve("services.yaml"), SERVICES);
    Run applied = kubectl(sandbox.kubeconfig, "apply", "--server-side", "-f", "services.yaml");
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    sandbox.server.serveService(
        "monitoring",
        "prometheus",
        9090,
        new SandboxPrometheus(new TrafficMetrics(1, 60), sandbox.clock));
  }

  @AfterEach
  void stop() throws IOException {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void aReadOnlyUserQueriesWhatStandsBehindTheServiceByPortNumberOrName() throws Exception {
    Run query =
        kubectl(
            sandbox.viewerKubeconfig,
            "get",
            "--raw",
            PROXY + "prometheus:9090/proxy/api/v1/query?query=1");
    Run ready =
        kubectl(sandbox.viewerKubeconfig, "get", "--raw", PROXY + "prometheus:web/proxy/-/ready");

    assertThat(query.exitCode()).as(query.err()).isZero();
    assertThat(query.out())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":"
                + "{\"resultType\":\"scalar\",\"result\":[1767261600,\"1\"]}}");
    assertThat(ready.exitCode()).as(ready.err()).isZero();
    assertThat(ready.out()).isEqualTo("Prometheus Server is Ready.\n");
  }

  @Test
  void refusalsAreTheApiServersOwn() throws Exception {
    Files.writeString(dir.resolve("query"), "query=1");
    Run missing = kubectl(sandbox.viewerKubeconfig, "get", "--raw", PROXY + "nope:9090/proxy/");
    Run noEndpoints =
        kubectl(sandbox.viewerKubeconfig, "get", "--raw", PROXY + "grafana:3000/proxy/");
    Run wrongPort =
        kubectl(sandbox.viewerKubeconfig, "get", "--raw", PROXY + "prometheus:9091/proxy/");
    Run post =
        kubectl(
            sandbox.viewerKubeconfig,
            "create",
            "--raw",
            PROXY + "prometheus:9090/proxy/api/v1/query",
            "-f",
            "query");
    Path stranger =
        Files.writeString(
            dir.resolve("stranger"),
            Files.readString(sandbox.viewerKubeconfig)
                .replace(sandbox.server.readOnlyToken(), "not-a-token"));
    Run unauthorized = kubectl(stranger, "get", "--raw", PROXY + "prometheus:9090/proxy/-/ready");

    assertThat(missing.err()).contains("services \"nope\" not found");
    assertThat(noEndpoints.err()).contains("no endpoints available for service \"grafana\"");
    assertThat(wrongPort.err()).contains("no endpoints available for service \"prometheus\"");
    assertThat(post.err())
        .contains(
            "services \"prometheus\" is forbidden: User \"viewer\" cannot create resource"
                + " \"services/proxy\" in API group \"\" in the namespace \"monitoring\"");
    assertThat(unauthorized.err()).contains("Unauthorized");
    assertThat(List.of(missing, noEndpoints, wrongPort, post, unauthorized))
        .allSatisfy(run -> assertThat(run.exitCode()).isEqualTo(1));
  }

  private Run kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    builder.environment().remove("KUBECONFIG");
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static String read(java.io.InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
