package dev.weir.engine.cluster.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.sandbox.api.SandboxApiServer.ClientCertificate;
import dev.weir.engine.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-certificate authentication through a kubeconfig, as kube-apiserver does it: user = the
 * subject's CN, groups = its O values, a certificate of another CA is a 401.
 */
class ClientCertificateIT {
  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private static Map<String, Object> configMap(String name) {
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        Map.of("name", name, "namespace", "default"),
        "data",
        Map.of("tier", "web"));
  }

  private ResourceType configMaps(KubeClusterGateway gateway) {
    return gateway.resourceType("v1", "ConfigMap");
  }

  @Test
  void certificateDataInTheKubeconfigAuthenticatesTheSubjectAndItsGroups() throws Exception {
    ClientCertificate alice =
        cluster.server.issueClientCertificate("alice", List.of("system:masters", "sre"));
    Path kubeconfig = dir.resolve("alice-kubeconfig");
    cluster.server.writeKubeconfig(kubeconfig, alice);
    assertThat(Files.readString(kubeconfig))
        .contains("client-certificate-data: ", "client-key-data: ")
        .doesNotContain("token");

    KubeClusterGateway gateway = cluster.gateway(kubeconfig, KubeClusterGateway.Options.defaults());
    LiveObject applied = gateway.apply(configMap("settings"), ApplyOptions.weir());

    assertThat(applied.key()).isEqualTo(new ResourceKey("", "ConfigMap", "default", "settings"));
    assertThat(gateway.list(configMaps(gateway), "default", null))
        .extracting(o -> o.key().name())
        .contains("settings");
    assertThat(gateway.get(new ResourceKey("", "Namespace", "", "kube-system"))).isPresent();
  }

  @Test
  void certificateFilesAreReadRelativeToTheKubeconfigAndAUserWithoutRightsGetsRbacsMessage()
      throws Exception {
    ClientCertificate bob = cluster.server.issueClientCertificate("bob", List.of("developers"));
    Path config = Files.createDirectories(dir.resolve("kube"));
    Files.createDirectories(config.resolve("certs"));
    Files.writeString(config.resolve("certs/bob.crt"), bob.certificatePem());
    Files.writeString(config.resolve("certs/bob.key"), bob.keyPem());
    String ca =
        Base64.getEncoder()
            .encodeToString(
                cluster
                    .server
                    .certificateAuthorityPem()
                    .orElseThrow()
                    .getBytes(StandardCharsets.US_ASCII));
    Path kubeconfig =
        Files.writeString(
            config.resolve("config"),
            """
            apiVersion: v1
            kind: Config
            current-context: bob
            clusters:
            - name: sandbox
              cluster: {server: "%s", certificate-authority-data: %s}
            contexts:
            - name: bob
              context: {cluster: sandbox, user: bob, namespace: default}
            users:
            - name: bob
              user:
                client-certificate: certs/bob.crt
                client-key: certs/bob.key
            """
                .formatted(cluster.server.url(), ca));

    KubeClusterGateway gateway = cluster.gateway(kubeconfig, KubeClusterGateway.Options.defaults());

    assertThat(gateway.list(configMaps(gateway), "default", null)).isEmpty();
    assertThatThrownBy(() -> gateway.apply(configMap("settings"), ApplyOptions.weir()))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.FORBIDDEN);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "configmaps \"settings\" is forbidden: User \"bob\" cannot patch resource"
                          + " \"configmaps\" in API group \"\" in the namespace \"default\"");
            });
  }

  @Test
  void aCertificateOfAnotherCaIsUnauthorized() throws Exception {
    ClientCertificate stranger;
    try (TestCluster other = new TestCluster(dir.resolve("other"))) {
      stranger = other.server.issueClientCertificate("mallory", List.of("system:masters"));
    }
    Path kubeconfig = dir.resolve("stranger-kubeconfig");
    cluster.server.writeKubeconfig(kubeconfig, stranger);
    KubeClusterGateway gateway = cluster.gateway(kubeconfig, KubeClusterGateway.Options.defaults());

    assertThatThrownBy(() -> gateway.get(new ResourceKey("", "Namespace", "", "default")))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED));
    assertThat(gateway.status().isReachable()).as("a 401 is an answer").isTrue();
  }
}
