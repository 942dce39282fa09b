package dev.weir.engine.cluster.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kubeconfig files read as kubectl reads them, and used against the sandbox. */
class KubeconfigIT {
  @TempDir Path dir;

  @Test
  void kubeconfigVariableMergesFilesFirstDefinitionWinsAndSkipsMissingFiles() throws Exception {
    Path first =
        Files.writeString(
            dir.resolve("first"),
            """
            apiVersion: v1
            kind: Config
            current-context: prod
            clusters:
            - name: prod
              cluster: {server: "https://prod.example:6443", certificate-authority: certs/prod-ca.pem}
            contexts:
            - name: prod
              context: {cluster: prod, user: alice, namespace: shop}
            users:
            - name: alice
              user: {token: first}
            """);
    Path second =
        Files.writeString(
            dir.resolve("second"),
            """
            apiVersion: v1
            kind: Config
            current-context: staging
            clusters:
            - name: staging
              cluster: {server: "https://staging.example:6443"}
            contexts:
            - name: staging
              context: {cluster: staging, user: alice}
            - name: prod
              context: {cluster: staging, user: alice, namespace: wrong}
            users:
            - name: alice
              user: {token: second}
            """);
    String variable =
        String.join(
            File.pathSeparator,
            first.toString(),
            dir.resolve("missing").toString(),
            second.toString());

    Kubeconfig config = Kubeconfig.load(Map.of("KUBECONFIG", variable), dir);

    assertThat(config.files()).containsExactly(first, second);
    assertThat(config.contexts()).containsExactly("prod", "staging");
    assertThat(config.currentContext()).as("from the first file that sets it").isEqualTo("prod");
    assertThat(config.namespace("prod"))
        .as("the first definition of a name wins")
        .isEqualTo("shop");
    assertThat(config.namespace("staging")).isEmpty();
    assertThat(config.clientConfig("prod").getCertificateAuthorityFile())
        .as("relative paths resolve against their file's folder")
        .isEqualTo(dir.resolve("certs/prod-ca.pem").toString());
    assertThatThrownBy(() -> config.resolveContext("dev"))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
              assertThat(e.getMessage())
                  .startsWith("no context named 'dev' in ")
                  .endsWith("; known: prod, staging");
            });
  }

  @Test
  void withoutKubeconfigVariableTheHomeConfigIsUsedAndABrokenFileNamesLineAndColumn()
      throws Exception {
    Files.createDirectories(dir.resolve(".kube"));
    Files.writeString(dir.resolve(".kube/config"), "clusters:\n- name: a\n  cluster: {server: [\n");
    assertThatThrownBy(() -> Kubeconfig.load(Map.of(), dir))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> assertThat(e.getMessage()).startsWith(dir.resolve(".kube/config") + ":4:1: "));
  }

  @Test
  void anExecCredentialPluginSuppliesTheTokenAndTlsIsVerifiedWithTheKubeconfigsCa()
      throws Exception {
    try (TestCluster cluster = new TestCluster(dir.resolve("cluster"))) {
      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path plugin = bin.resolve("token-plugin");
      Files.writeString(
          plugin,
          """
          #!/bin/sh
          cat <<JSON
          {"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}
          JSON
          """
              .formatted(cluster.server.adminToken()));
      Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
      String ca =
          Base64.getEncoder()
              .encodeToString(
                  cluster
                      .server
                      .certificateAuthorityPem()
                      .orElseThrow()
                      .getBytes(StandardCharsets.US_ASCII));
      Path config =
          Files.writeString(
              dir.resolve("exec-kubeconfig"),
              """
              apiVersion: v1
              kind: Config
              current-context: eks
              clusters:
              - name: eks
                cluster: {server: "%s", certificate-authority-data: %s}
              contexts:
              - name: eks
                context: {cluster: eks, user: eks-user}
              users:
              - name: eks-user
                user:
                  exec:
                    apiVersion: client.authentication.k8s.io/v1beta1
                    command: ./bin/token-plugin
                    interactiveMode: Never
              """
                  .formatted(cluster.server.url(), ca));

      KubeClusterGateway gateway = cluster.gateway(config, KubeClusterGateway.Options.defaults());
      assertThat(gateway.get(new ResourceKey("", "Namespace", "", "default"))).isPresent();
      assertThat(gateway.context()).isEqualTo("eks");
      assertThat(gateway.defaultNamespace()).isEqualTo("default");

      Path wrongCa =
          Files.writeString(
              dir.resolve("wrong-ca"),
              Files.readString(config)
                  .replace(
                      ca,
                      Base64.getEncoder()
                          .encodeToString(otherCa(dir).getBytes(StandardCharsets.US_ASCII))));
      KubeClusterGateway untrusted =
          cluster.gateway(wrongCa, KubeClusterGateway.Options.defaults());
      assertThatThrownBy(() -> untrusted.get(new ResourceKey("", "Namespace", "", "default")))
          .isInstanceOfSatisfying(
              ClusterException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
                assertThat(e.getMessage()).contains("TLS failed");
              });
    }
  }

  /**
   * The CA of another sandbox: valid PEM, but not the one that signed this server's certificate.
   */
  private static String otherCa(Path dir) throws Exception {
    try (TestCluster other = new TestCluster(dir.resolve("other"))) {
      return other.server.certificateAuthorityPem().orElseThrow();
    }
  }
}
