package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.weir.engine.testkit.RepoBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir render} on hostile repositories, as the reports describe them, with the real kubectl
 * on the PATH: no file of the operator is printed, no request leaves unless {@code
 * --allow-remote-bases} says so.
 */
class RenderHostileRepositoryIT {
  @TempDir Path home;
  private Path origin;
  private Path privateKey;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(
        dev.weir.engine.manifest.ExternalTools.fromEnvironment().find("kubectl").isPresent(),
        "kubectl is not on the PATH: install kubectl to run these tests");
    origin = home.resolve("hostile.git");
    privateKey = home.resolve(".ssh/id_rsa");
    Files.createDirectories(privateKey.getParent());
    Files.writeString(privateKey, "-----BEGIN OPENSSH PRIVATE KEY----- weir-test-secret\n");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestURI().toString());
      byte[] body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String application(String name, String path) {
    return "apiVersion: weir.dev/v1alpha1\nkind: Application\nmetadata:\n  name: \"" + name + "\"\n"
        + "spec:\n  source:\n    path: \"" + path + "\"\n  destination: {namespace: shop}\n";
  }

  @Test
  void aPathThatIsAKustomizeFlagPrintsOneLineAndNoPrivateKey() {
    String flag = "--load-restrictor=LoadRestrictionsNone";
    try (RepoBuilder repo = RepoBuilder.init(origin)) {
      repo.commit("hostile")
          .add("weir/apps.yaml", application("inject", flag))
          .add(flag + "/kustomization.yaml", "resources: [../base-inj]\n")
          .add("base-inj/kustomization.yaml", "resources: []\n")
          .add("kustomization.yaml",
              "configMapGenerator:\n- name: loot\n  files: [id_rsa=" + privateKey + ", passwd=/etc/passwd]\n")
          .create();
    }

    CliRun run = CliRun.weir(home, "render", "--repo", origin.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip())
        .isEqualTo("weir/apps.yaml:7:11: Application inject: spec.source.path must not have a directory starting with"
            + " '-': --load-restrictor=LoadRestrictionsNone");
    assertThat(run.out() + run.err()).doesNotContain("weir-test-secret", "root:x:0");
  }

  @Test
  void aRemoteResourceIsRefusedUnlessAllowedOnTheCommandLine() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/latest/meta-data/iam/security-credentials/role";
    try (RepoBuilder repo = RepoBuilder.init(origin)) {
      repo.commit("remote")
          .add("weir/apps.yaml", application("web", "apps/web"))
          .add("apps/web/kustomization.yaml", "resources:\n- " + url + "\n")
          .create();
    }

    CliRun refused = CliRun.weir(home, "render", "--repo", origin.toString());

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err().strip())
        .isEqualTo("apps/web/kustomization.yaml:2:3: resources[0] " + url + " is remote: Weir renders without network"
            + " access (vendor it into the repository, or let the operator allow remote sources)");
    assertThat(requests).isEmpty();

    CliRun allowed = CliRun.weir(home, "render", "--repo", origin.toString(), "--allow-remote-bases");

    assertThat(allowed.err()).isEmpty();
    assertThat(allowed.exitCode()).isZero();
    assertThat(allowed.out()).contains("name: fetched", "namespace: shop");
    assertThat(requests).containsExactly("/latest/meta-data/iam/security-credentials/role");
  }
}
