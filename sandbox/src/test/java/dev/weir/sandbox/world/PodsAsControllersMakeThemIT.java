package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.engine.time.ManualClock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Pods as controllers make them, seen through the real kubectl and client-java: a deleted pod is
 * replaced by one with a new name, and {@code kubectl logs} shows what the pod's version served.
 */
class PodsAsControllersMakeThemIT {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  SandboxApiServer server;
  Path kubeconfig;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    // over HTTPS, as kubectl sends its token only there
    server = SandboxApiServer.start(SandboxOptions.builder().ephemeral().clock(clock).build());
    SandboxWorld.attach(server, WorldSettings.defaults().withSeed(7));
    kubeconfig = dir.resolve("kubeconfig");
    server.writeKubeconfig(kubeconfig, server.adminToken());
    for (Object document :
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .loadAll(
                WorldFixture.NAMESPACE
                    + "---\n"
                    + WorldFixture.deployment("web", 2, "1.0.0", "20%", "100ms")
                    + "---\n"
                    + WorldFixture.service("web", "web"))) {
      server.objects().apply(WorldFixture.JSON.valueToTree(document), "weir", true);
    }
    advance(10);
    assertThat(readyPods()).hasSize(2);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  void advance(int seconds) {
    for (int s = 0; s < seconds; s++) {
      clock.advance(Duration.ofSeconds(1));
    }
  }

  List<ObjectNode> list() {
    return server.objects().list("v1", "Pod", "shop");
  }

  Set<String> readyPods() {
    Set<String> names = new TreeSet<>();
    for (ObjectNode pod : list()) {
      if (Kubelet.ready(pod)) {
        names.add(Meta.name(pod));
      }
    }
    return names;
  }

  Set<String> pods() {
    Set<String> names = new TreeSet<>();
    list().forEach(p -> names.add(Meta.name(p)));
    return names;
  }

  @Test
  void kubectlDeleteOfAPodGetsAReplacementWithANewNameAndKubectlLogsShowsItsRequests()
      throws Exception {
    Optional<Path> kubectl = findOnPath("kubectl");
    Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not on PATH");
    List<String> before = new ArrayList<>(pods());
    String victim = before.get(0);
    String survivor = before.get(1);

    Run delete = kubectl(kubectl.get(), "delete", "pod", victim, "-n", "shop", "--wait=false");
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    advance(1);
    Set<String> after = pods();
    assertThat(after).hasSize(2).contains(survivor).doesNotContain(victim);
    String replacement = after.stream().filter(p -> !p.equals(survivor)).findFirst().orElseThrow();
    assertThat(replacement).startsWith(victim.substring(0, victim.lastIndexOf('-') + 1));

    Run waiting = kubectl(kubectl.get(), "logs", replacement, "-n", "shop");
    assertThat(waiting.exitCode()).isEqualTo(1);
    assertThat(waiting.err())
        .contains("container \"web\" in pod \"" + replacement + "\" is waiting to start")
        .contains("ContainerCreating");

    advance(30);
    Run logs = kubectl(kubectl.get(), "logs", survivor, "-n", "shop");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out())
        .contains(" INFO  container web started from registry.example/shop/web:1.0.0")
        .containsPattern(
            " INFO  web: \\d+ requests? answered 200, \\d+ ms on average \\(version 1.0.0\\)")
        .contains(" ERROR web: request failed with 500 Internal Server Error (version 1.0.0)");
    Run tail = kubectl(kubectl.get(), "logs", survivor, "-n", "shop", "--tail=1", "--timestamps");
    assertThat(tail.out().lines().toList()).hasSize(1);
    assertThat(tail.out())
        .matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.0{9}Z \\d{4}-.*");
  }

  @Test
  void clientJavaReadsAPodsLogAndSeesTheReplacementOfADeletedPod() throws Exception {
    CoreV1Api core = new CoreV1Api(client());
    List<String> before = new ArrayList<>(pods());
    core.deleteNamespacedPod(before.get(1), "shop").execute();
    advance(30);

    Set<String> names = new TreeSet<>();
    core.listNamespacedPod("shop")
        .execute()
        .getItems()
        .forEach(p -> names.add(p.getMetadata().getName()));
    assertThat(names).hasSize(2).contains(before.get(0)).doesNotContain(before.get(1));

    String log = core.readNamespacedPodLog(before.get(0), "shop").container("web").execute();
    assertThat(log).contains("requests answered 200").contains("(version 1.0.0)");
    long served = 0;
    for (String line : log.lines().toList()) {
      if (line.contains(" requests answered 200") || line.contains(" request answered 200")) {
        served += Long.parseLong(line.replaceAll(".* web: (\\d+) requests? answered.*", "$1"));
      }
    }
    assertThat(served).as("a pod logs its share of the version's requests").isPositive();

    try {
      core.readNamespacedPodLog("no-such-pod", "shop").execute();
      throw new AssertionError("expected a 404");
    } catch (ApiException e) {
      assertThat(e.getCode()).isEqualTo(404);
      assertThat(e.getResponseBody()).contains("pods \\\"no-such-pod\\\" not found");
    }
  }

  private ApiClient client() throws IOException {
    try (Reader reader = Files.newBufferedReader(kubeconfig)) {
      return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
  }

  private Run kubectl(Path kubectl, String... args) throws Exception {
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
      throw new AssertionError("kubectl did not finish in 60 s");
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<Path> findOnPath(String name) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
