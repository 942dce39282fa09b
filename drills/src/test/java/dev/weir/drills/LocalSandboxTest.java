package dev.weir.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.engine.time.ManualClock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's one sandbox, reached through client-java and the kubeconfig it writes. */
class LocalSandboxTest {
  @TempDir Path data;
  private final ManualClock clock = new ManualClock();

  private SandboxStateLocation location() {
    return new SandboxStateLocation(data.resolve("weir/sandbox"));
  }

  private static CoreV1Api client(Path kubeconfig) throws Exception {
    try (var reader = new FileReader(kubeconfig.toFile())) {
      ApiClient client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
      return new CoreV1Api(client);
    }
  }

  @Test
  void stateWrittenThroughOneAttachIsThereForTheNext() throws Exception {
    try (LocalSandbox sandbox = LocalSandbox.attach(location(), clock)) {
      assertThat(sandbox.server()).isPresent();
      var config = new V1ConfigMap().metadata(new V1ObjectMeta().name("drill")).data(Map.of("step", "1"));
      client(sandbox.kubeconfig()).createNamespacedConfigMap("default", config).execute();
    }
    try (LocalSandbox again = LocalSandbox.attach(location(), clock)) {
      V1ConfigMap read = client(again.kubeconfig()).readNamespacedConfigMap("drill", "default").execute();
      assertThat(read.getData()).containsEntry("step", "1");
    }
  }

  @Test
  void aCommandReachesTheServingProcessInsteadOfStartingASecondServer() throws Exception {
    Path kubeconfig = data.resolve("served.kubeconfig");
    try (LocalSandbox served = LocalSandbox.serve(location(), clock, 0, kubeconfig);
        LocalSandbox reached = LocalSandbox.attach(location(), clock)) {
      assertThat(reached.server()).isEmpty();
      assertThat(reached.url()).isEqualTo(served.url());
      assertThat(reached.kubeconfig()).isEqualTo(kubeconfig.toAbsolutePath());
      assertThat(client(reached.kubeconfig()).listNamespace().execute().getItems())
          .extracting(ns -> ns.getMetadata().getName()).contains("default");
    }
    assertThat(Files.exists(location().directory().resolve("serve.properties"))).isFalse();
  }

  @Test
  void aCommandOfTheServingProcessLeavesTheSandboxServedForOtherProcesses() throws Exception {
    Path kubeconfig = data.resolve("served.kubeconfig");
    try (LocalSandbox served = LocalSandbox.serve(location(), clock, 0, kubeconfig)) {
      // what the serve's warm-up status and forwarded statuses do in its own process
      try (LocalSandbox reached = LocalSandbox.attach(location(), clock)) {
        assertThat(reached.server()).isEmpty();
      }
      assertThat(anotherProcessLocks(location().directory().resolve("sandbox.lock")))
          .as("another process (weir tui) finds the sandbox served, and starts no second one")
          .isEqualTo("held");
      assertThat(Files.exists(location().directory().resolve("serve.properties"))).isTrue();
    }
    assertThat(anotherProcessLocks(location().directory().resolve("sandbox.lock"))).isEqualTo("locked");
  }

  /** What another JVM's {@code tryLock} on {@code file} gets: {@code locked} or {@code held}. */
  private String anotherProcessLocks(Path file) throws Exception {
    Path source = data.resolve("TryLock.java");
    Files.writeString(
        source,
        """
        import java.nio.channels.FileChannel;
        import java.nio.file.Path;
        import java.nio.file.StandardOpenOption;
        class TryLock {
          public static void main(String[] args) throws Exception {
            try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
              System.out.print(c.tryLock() == null ? "held" : "locked");
            }
          }
        }
        """);
    Process other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), source.toString(), file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(other.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(other.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return out.strip();
  }

  @Test
  void aSecondOwnerIsRefusedWithAHint() throws Exception {
    try (LocalSandbox first = LocalSandbox.attach(location(), clock)) {
      assertThatThrownBy(() -> LocalSandbox.attach(location(), clock))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another weir process")
          .hasMessageContaining("weir sandbox serve");
      assertThatThrownBy(() -> LocalSandbox.serve(location(), clock, 0, data.resolve("k")))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
