package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir sandbox serve} as a real process, reached by kubectl and by {@code --sandbox} commands. */
class SandboxServeIT {
  @TempDir Path home;

  @Test
  void kubectlReachesTheServedSandboxAndStoppingItSavesTheState() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")) || onPath("kubectl"), "kubectl is not installed");
    Path kubeconfig = home.resolve("sandbox.kubeconfig");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "dev.weir.tui.cli.WeirCommand", "sandbox", "serve", "--kubeconfig", kubeconfig.toString());
    builder.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
    builder.redirectErrorStream(true);
    Process serve = builder.start();
    List<String> printed = new ArrayList<>();
    try (var out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) { // bounded: the process prints four lines, or dies
        printed.add(line);
        if (line.startsWith("Ctrl+C")) {
          break;
        }
      }
      assertThat(printed).anyMatch(l -> l.startsWith("sandbox Kubernetes API at https://127.0.0.1:"));
      assertThat(printed).contains("kubeconfig: " + kubeconfig);

      Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "apply", "-f", "-")
          .redirectErrorStream(true).start();
      try (var stdin = kubectl.getOutputStream()) {
        stdin.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: drill, namespace: default}\ndata: {step: \"1\"}\n"
            .getBytes(StandardCharsets.UTF_8));
      }
      assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String created = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Process get = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get", "configmap", "drill",
          "-o", "jsonpath={.data.step}").redirectErrorStream(true).start();
      assertThat(get.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as(created).isEqualTo("1");
    } finally {
      serve.destroy(); // SIGTERM: the shutdown hook saves and stops
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    Path directory = home.resolve("data/weir/sandbox");
    assertThat(Files.readString(directory.resolve("state.json"))).contains("drill");
    assertThat(directory.resolve("serve.properties")).doesNotExist();
  }

  private static boolean onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }
}
