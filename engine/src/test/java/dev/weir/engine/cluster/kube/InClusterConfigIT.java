package dev.weir.engine.cluster.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's way to its own cluster, against the sandbox's API server over HTTPS: a service account
 * directory (token, CA, namespace) made by the test, the host and port as the kubelet gives them
 * in the environment.
 */
class InClusterConfigIT {
  static final ResourceKey DEFAULT = new ResourceKey("", "Namespace", "", "default");

  @TempDir Path home;
  TestCluster cluster;
  Path account;
  Map<String, String> environment;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(home.resolve("cluster"));
    account = Files.createDirectories(home.resolve("serviceaccount"));
    Files.writeString(account.resolve("ca.crt"), cluster.server.certificateAuthorityPem().orElseThrow());
    Files.writeString(account.resolve("namespace"), "weir\n");
    cluster.server.addToken("first-token-0123", "system:serviceaccount:weir:weir", List.of("system:masters"));
    rotate("first-token-0123");
    environment =
        Map.of(
            "KUBERNETES_SERVICE_HOST", cluster.server.url().getHost(),
            "KUBERNETES_SERVICE_PORT", String.valueOf(cluster.server.url().getPort()),
            "WEIR_SERVICEACCOUNT_DIR", account.toString());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** As the kubelet does: a new file swapped in, never a half-written one. */
  void rotate(String token) throws Exception {
    Path next = account.resolve("token.next");
    Files.writeString(next, token + "\n");
    Files.move(next, account.resolve("token"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  KubeClusterGateway connect() {
    InClusterConfig config = InClusterConfig.fromEnvironment(environment).orElseThrow();
    return KubeClusterGateway.connect(Kubeconfig.inCluster(config), null, cluster.clock);
  }

  @Test
  void theServiceAccountReachesTheClusterWithTlsVerifiedInItsOwnNamespace() {
    try (KubeClusterGateway gateway = connect()) {
      assertThat(gateway.get(DEFAULT)).isPresent();
      assertThat(gateway.defaultNamespace()).isEqualTo("weir");
      assertThat(gateway.context()).isEqualTo("in-cluster");
    }
  }

  @Test
  void aRotatedTokenIsReadAgainSoRequestsGoOnAfterTheOldOneIsRevoked() throws Exception {
    try (KubeClusterGateway gateway = connect()) {
      assertThat(gateway.get(DEFAULT)).isPresent();
      cluster.server.addToken("second-token-4567", "system:serviceaccount:weir:weir", List.of("system:masters"));
      rotate("second-token-4567");
      assertThat(cluster.server.revokeToken("first-token-0123")).isTrue();
      assertThat(gateway.get(DEFAULT)).isPresent();
    }
  }

  @Test
  void aCaThatDidNotSignTheServerFailsTheConnectionNotSilentlyTrusted() throws Exception {
    try (TestCluster other = new TestCluster(home.resolve("other"))) {
      Files.writeString(account.resolve("ca.crt"), other.server.certificateAuthorityPem().orElseThrow());
      try (KubeClusterGateway gateway = connect()) {
        assertThatThrownBy(() -> gateway.get(DEFAULT)).isInstanceOf(ClusterException.class);
      }
    }
  }

  @Test
  void aMissingTokenIsOneLineNamingTheFileAndTheVariable() throws Exception {
    Files.delete(account.resolve("token"));
    InClusterConfig config = InClusterConfig.fromEnvironment(environment).orElseThrow();
    assertThatThrownBy(() -> Kubeconfig.inCluster(config))
        .isInstanceOf(ClusterException.class)
        .satisfies(e -> assertThat(((ClusterException) e).error().reason()).isEqualTo(ClusterError.Reason.CONFIGURATION))
        .hasMessageContaining(account.resolve("token").toString())
        .hasMessageContaining("WEIR_SERVICEACCOUNT_DIR");
  }

  @Test
  void outsideAPodThereIsNoInClusterConfiguration() {
    assertThat(InClusterConfig.fromEnvironment(Map.of("HOME", "/home/alice"))).isEmpty();
    assertThat(InClusterConfig.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1")).orElseThrow().server())
        .isEqualTo("https://[fd00::1]:443");
  }
}
