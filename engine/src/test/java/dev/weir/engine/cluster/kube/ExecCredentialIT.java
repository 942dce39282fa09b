package dev.weir.engine.cluster.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real exec credential plugin (a shell script) whose tokens expire and are revoked: the gateway
 * runs it lazily, keeps its token until the credential's expiry on the engine clock, and runs it
 * again when the token expired or the server answered 401.
 */
class ExecCredentialIT {
  private static final Duration LIFETIME = Duration.ofMinutes(10);

  @TempDir Path dir;
  TestCluster cluster;
  Path plugin;
  Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    for (int n = 1; n <= 5; n++) {
      cluster.server.addToken("token-" + n, "ci-bot", List.of("system:masters"));
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    plugin = bin.resolve("token-plugin");
    // hands out token-1, token-2, … numbered by a counter file; each expires at the time in the
    // file "expiry"; fails as an expired SSO login would while the file "fail" exists
    Files.writeString(
        plugin,
        """
        #!/bin/sh
        here=$(dirname "$0")
        n=$(cat "$here/counter" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo "$n" > "$here/counter"
        if [ -f "$here/fail" ]; then
          echo "login expired: run 'sso login' (token-$n was not issued)" >&2
          echo "second line" >&2
          exit 3
        fi
        cat <<JSON
        {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
         "status":{"token":"token-$n","expirationTimestamp":"$(cat "$here/expiry")"}}
        JSON
        """);
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
    expireIn(LIFETIME);
    String ca =
        Base64.getEncoder()
            .encodeToString(
                cluster
                    .server
                    .certificateAuthorityPem()
                    .orElseThrow()
                    .getBytes(StandardCharsets.US_ASCII));
    kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            current-context: eks
            clusters:
            - name: eks
              cluster: {server: "%s", certificate-authority-data: %s}
            contexts:
            - name: eks
              context: {cluster: eks, user: ci-bot, namespace: default}
            users:
            - name: ci-bot
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/token-plugin
                  interactiveMode: Never
            """
                .formatted(cluster.server.url(), ca));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private void expireIn(Duration lifetime) throws Exception {
    Files.writeString(
        plugin.resolveSibling("expiry"), cluster.clock.instant().plus(lifetime).toString());
  }

  private int runs() throws Exception {
    Path counter = plugin.resolveSibling("counter");
    return Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0;
  }

  private KubeClusterGateway gateway() {
    return cluster.gateway(
        kubeconfig,
        new KubeClusterGateway.Options(
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            Duration.ZERO));
  }

  private void createConfigMap(String name) {
    cluster
        .gateway()
        .apply(
            Map.of(
                "apiVersion", "v1",
                "kind", "ConfigMap",
                "metadata", Map.of("name", name, "namespace", "default")),
            ApplyOptions.weir());
  }

  private static final ResourceKey DEFAULT = new ResourceKey("", "Namespace", "", "default");

  @Test
  void thePluginRunsAtTheFirstRequestAndAgainOnlyOnceItsCredentialExpired() throws Exception {
    KubeClusterGateway gateway = gateway();
    assertThat(runs()).as("connecting runs no plugin").isZero();

    assertThat(gateway.get(DEFAULT)).isPresent();
    assertThat(gateway.get(DEFAULT)).isPresent();
    assertThat(runs()).as("the token is kept while it is valid").isEqualTo(1);

    cluster.clock.advance(LIFETIME.minusSeconds(1));
    assertThat(gateway.get(DEFAULT)).isPresent();
    assertThat(runs()).isEqualTo(1);

    expireIn(Duration.ofSeconds(1).plus(LIFETIME));
    cluster.clock.advance(Duration.ofSeconds(1));
    assertThat(gateway.get(DEFAULT)).isPresent();
    assertThat(runs()).as("expired on the engine clock: run again").isEqualTo(2);
  }

  @Test
  void aTokenTheServerRevokedIsReplacedAndTheRequestRetriedOnce() throws Exception {
    KubeClusterGateway gateway = gateway();
    assertThat(gateway.get(DEFAULT)).isPresent();
    assertThat(runs()).isEqualTo(1);

    cluster.server.revokeToken("token-1");
    LiveObject applied =
        gateway.apply(
            Map.of(
                "apiVersion", "v1",
                "kind", "ConfigMap",
                "metadata", Map.of("name", "after-rotation")),
            ApplyOptions.weir());

    assertThat(applied.key().name()).isEqualTo("after-rotation");
    assertThat(runs()).as("401 → the plugin ran again → the request succeeded").isEqualTo(2);
    assertThat(gateway.status().isReachable()).isTrue();
  }

  @Test
  void aFailingPluginIsOneLineNamingItsCommandAndItsFirstStderrLine() throws Exception {
    KubeClusterGateway gateway = gateway();
    assertThat(gateway.get(DEFAULT)).isPresent();
    Files.writeString(plugin.resolveSibling("fail"), "");
    cluster.clock.advance(LIFETIME);

    assertThatThrownBy(() -> gateway.get(DEFAULT))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the kubeconfig's exec plugin "
                          + plugin
                          + " failed (exit 3): login expired: run 'sso login'"
                          + " (token-2 was not issued)");
            });
    assertThat(gateway.status().isReachable())
        .as("the API server did nothing wrong")
        .isTrue();

    Files.delete(plugin.resolveSibling("fail"));
    expireIn(LIFETIME);
    assertThat(gateway.get(DEFAULT)).as("a fixed login works at the next request").isPresent();
  }

  @Test
  void anInformerReconnectsWithAFreshTokenAfterItsTokenWasRevoked() throws Exception {
    KubeClusterGateway gateway = gateway();
    BlockingQueue<LiveObject> seen = new LinkedBlockingQueue<>();
    CountDownLatch synced = new CountDownLatch(1);
    Informer informer =
        gateway.inform(
            gateway.resourceType("v1", "ConfigMap"),
            "default",
            "",
            new Informer.Listener() {
              @Override
              public void onUpsert(LiveObject object) {
                seen.add(object);
              }

              @Override
              public void onSynced(dev.weir.engine.cluster.ResourceType type) {
                synced.countDown();
              }
            });
    assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
    // an event after the list comes through the watch: the server has the watch (and its timeout)
    createConfigMap("seen-by-the-first-watch");
    assertThat(seen.poll(30, TimeUnit.SECONDS).key().name()).isEqualTo("seen-by-the-first-watch");
    assertThat(runs()).isEqualTo(1);

    cluster.server.revokeToken("token-1");
    cluster.clock.advance(Duration.ofMinutes(1)); // the server ends the watch: the informer resumes
    createConfigMap("seen-after-reconnect");

    LiveObject object = seen.poll(30, TimeUnit.SECONDS);
    assertThat(object).isNotNull();
    assertThat(object.key().name()).isEqualTo("seen-after-reconnect");
    assertThat(runs()).as("the resumed watch got a 401 and a fresh token").isEqualTo(2);
    informer.close();
  }
}
