package dev.weir.engine.cluster.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError;
import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.Informer;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.FaultProxy;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway against the sandbox API server, through a kubeconfig file, over HTTPS. */
class KubeClusterGatewayIT {
  @TempDir static Path dir;
  static TestCluster cluster;
  static KubeClusterGateway gateway;
  static final AtomicInteger namespaces = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    gateway = cluster.gateway();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void gatewaysOfAProcessSharingDiscoveryReuseItAndAskAfreshForAKindNotFound() throws Exception {
    KubeClusterGateway.shareDiscovery(java.time.Duration.ofMinutes(1));
    try {
      TestCluster own = new TestCluster(dir.resolve("own-cluster"));
      try (KubeClusterGateway first = own.gateway()) {
        first.resourceType("apps/v1", "Deployment");
      }
      own.close(); // from now on, nothing answers at its address
      try (KubeClusterGateway second = own.gateway()) {
        assertThat(second.resourceType("apps/v1", "Deployment").plural())
            .as("the first gateway's discovery")
            .isEqualTo("deployments");
        assertThatThrownBy(
                () -> second.resourceType("example.com/v1", "Widget"))
            .as("a kind not found is discovered afresh: the server is asked, and is gone")
            .isInstanceOf(dev.weir.engine.cluster.ClusterException.class)
            .hasMessageNotContaining("does not serve kind");
      }
    } finally {
      KubeClusterGateway.shareDiscovery(java.time.Duration.ZERO);
    }
  }

  static String namespace() {
    String name = "gw-" + namespaces.incrementAndGet();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", name)),
        ApplyOptions.weir());
    return name;
  }

  static Map<String, Object> configMap(
      String ns, String name, Map<String, Object> labels, String value) {
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        Map.of("name", name, "namespace", ns, "labels", labels),
        "data",
        Map.of("key", value));
  }

  static Map<String, Object> deployment(String ns, String name, Integer replicas) {
    Map<String, Object> spec = new java.util.LinkedHashMap<>();
    if (replicas != null) {
      spec.put("replicas", replicas);
    }
    spec.put("selector", Map.of("matchLabels", Map.of("app", name)));
    spec.put(
        "template",
        Map.of(
            "metadata", Map.of("labels", Map.of("app", name)),
            "spec", Map.of("containers", List.of(Map.of("name", "app", "image", "shop:1")))));
    return Map.of(
        "apiVersion",
        "apps/v1",
        "kind",
        "Deployment",
        "metadata",
        Map.of("name", name, "namespace", ns),
        "spec",
        spec);
  }

  @Test
  void discoveryMapsKindsToTheirResources() {
    ResourceType deployments = gateway.resourceType("apps/v1", "Deployment");
    assertThat(deployments.plural()).isEqualTo("deployments");
    assertThat(deployments.namespaced()).isTrue();
    assertThat(deployments.hasStatus()).isTrue();
    ResourceType namespacesType = gateway.resourceType(new ResourceKey("", "Namespace", "", "x"));
    assertThat(namespacesType.namespaced()).isFalse();
    assertThat(namespacesType.apiVersion()).isEqualTo("v1");
    assertThat(gateway.resourceTypes())
        .extracting(ResourceType::kind)
        .contains("ConfigMap", "Lease", "HTTPRoute");

    assertThatThrownBy(() -> gateway.resourceType("example.com/v1", "Widget"))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the cluster does not serve kind Widget in API group example.com (is its"
                          + " CustomResourceDefinition installed?)");
            });
  }

  @Test
  void applyCreatesTheObjectAndReadsKeepManagedFields() {
    String ns = namespace();
    LiveObject applied =
        gateway.apply(configMap(ns, "settings", Map.of("tier", "web"), "v1"), ApplyOptions.weir());
    assertThat(applied.key()).isEqualTo(new ResourceKey("", "ConfigMap", ns, "settings"));
    assertThat(applied.resourceVersion()).isNotEmpty();

    LiveObject read = gateway.get(applied.key()).orElseThrow();
    assertThat(read.managedFields())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry)
                  .containsEntry("manager", "weir")
                  .containsEntry("operation", "Apply");
              assertThat(entry.get("fieldsV1").toString()).contains("f:data");
            });
    assertThat(read.object().get("data")).isEqualTo(Map.of("key", "v1"));
    assertThat(gateway.get(new ResourceKey("", "ConfigMap", ns, "absent"))).isEmpty();
  }

  @Test
  void dryRunApplyShowsServerDefaultsAndStoresNothing() {
    String ns = namespace();
    LiveObject predicted =
        gateway.apply(deployment(ns, "web", null), ApplyOptions.weir().withDryRun(true));
    assertThat(predicted.at("spec.replicas")).contains(1L);
    assertThat(gateway.get(predicted.key())).isEmpty();
  }

  @Test
  void applyConflictNamesTheOtherManagerAndTheFieldUnlessForced() {
    String ns = namespace();
    gateway.apply(deployment(ns, "web", 2), ApplyOptions.weir());
    gateway.apply(deployment(ns, "web", 5), new ApplyOptions("kubectl-edit", true, false));

    assertThatThrownBy(() -> gateway.apply(deployment(ns, "web", 3), ApplyOptions.weir()))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
              assertThat(e.getMessage())
                  .contains("conflict with \"kubectl-edit\"")
                  .contains(".spec.replicas");
              assertThat(e.error().causes())
                  .extracting(ClusterError.Cause::field)
                  .containsExactly(".spec.replicas");
            });
    LiveObject forced =
        gateway.apply(deployment(ns, "web", 3), ApplyOptions.weir().withForce(true));
    assertThat(forced.at("spec.replicas")).contains(3L);
  }

  @Test
  void aReadOnlyUserIsForbiddenWithVerbResourceAndUserNamed() {
    String ns = namespace();
    KubeClusterGateway viewer = cluster.viewerGateway();
    assertThatThrownBy(() -> viewer.apply(deployment(ns, "web", 1), ApplyOptions.weir()))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.FORBIDDEN);
              assertThat(e.error().httpStatus()).isEqualTo(403);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "deployments.apps \"web\" is forbidden: User \"viewer\" cannot patch resource"
                          + " \"deployments\" in API group \"apps\" in the namespace \""
                          + ns
                          + "\"");
            });
  }

  @Test
  void anInvalidObjectIsRejectedWithTheFieldAndTheReason() {
    String ns = namespace();
    assertThatThrownBy(
            () -> gateway.apply(configMap(ns, "Bad_Name", Map.of(), "x"), ApplyOptions.weir()))
        .isInstanceOfSatisfying(
            ClusterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INVALID);
              assertThat(e.error().causes())
                  .extracting(ClusterError.Cause::field)
                  .contains("metadata.name");
              assertThat(e.getMessage())
                  .startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name");
            });
  }

  @Test
  void deleteRemovesTheObjectAndReportsAnAbsentOne() {
    String ns = namespace();
    LiveObject applied = gateway.apply(configMap(ns, "gone", Map.of(), "x"), ApplyOptions.weir());
    assertThat(gateway.delete(applied.key(), true)).isTrue();
    assertThat(gateway.get(applied.key())).as("a dry-run delete deletes nothing").isPresent();
    assertThat(gateway.delete(applied.key(), false)).isTrue();
    assertThat(gateway.get(applied.key())).isEmpty();
    assertThat(gateway.delete(applied.key(), false)).isFalse();
  }

  @Test
  void listFiltersByLabelAcrossPages() {
    String ns = namespace();
    for (int i = 0; i < 7; i++) {
      gateway.apply(
          configMap(
              ns,
              "cm-" + i,
              Map.of("app.kubernetes.io/managed-by", i % 2 == 0 ? "weir" : "helm"),
              "x"),
          ApplyOptions.weir());
    }
    ResourceType configMaps = gateway.resourceType("v1", "ConfigMap");
    assertThat(gateway.list(configMaps, ns, "app.kubernetes.io/managed-by=weir"))
        .extracting(o -> o.key().name())
        .containsExactlyInAnyOrder("cm-0", "cm-2", "cm-4", "cm-6");
  }

  @Test
  void patchStatusWritesOnlyTheStatusAsAControllerWould() {
    String ns = namespace();
    LiveObject applied = gateway.apply(deployment(ns, "web", 2), ApplyOptions.weir());
    LiveObject updated =
        gateway.patchStatus(
            applied.key(), Map.of("readyReplicas", 2, "observedGeneration", 1), "test-controller");
    assertThat(updated.status())
        .containsEntry("readyReplicas", 2L)
        .containsEntry("observedGeneration", 1L);
    assertThat(updated.at("spec.replicas")).contains(2L);
  }

  @Test
  void informerListsThenFollowsChanges() throws Exception {
    String ns = namespace();
    gateway.apply(configMap(ns, "before", Map.of(), "x"), ApplyOptions.weir());
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (Informer informer =
        gateway.inform(gateway.resourceType("v1", "ConfigMap"), ns, "", recorder(events))) {
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("upsert before");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("synced");
      assertThat(informer.hasSynced()).isTrue();

      gateway.apply(configMap(ns, "after", Map.of(), "x"), ApplyOptions.weir());
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("upsert after");
      gateway.apply(configMap(ns, "after", Map.of(), "y"), ApplyOptions.weir());
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("upsert after");
      assertThat(
              informer
                  .get(new ResourceKey("", "ConfigMap", ns, "after"))
                  .orElseThrow()
                  .object()
                  .get("data"))
          .isEqualTo(Map.of("key", "y"));
      gateway.delete(new ResourceKey("", "ConfigMap", ns, "before"), false);
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("delete before");
      assertThat(informer.objects()).extracting(o -> o.key().name()).containsExactly("after");
    }
  }

  @Test
  void informerReconnectsWithBackoffAfterAnOutageAndResyncsFromAFullList(@TempDir Path own)
      throws Exception {
    String ns = namespace();
    try (FaultProxy proxy = new FaultProxy(cluster.server.url().getPort())) {
      Path config = proxy.rewrite(cluster.kubeconfig, own.resolve("proxied"));
      KubeClusterGateway proxied = cluster.gateway(config, KubeClusterGateway.Options.defaults());
      gateway.apply(configMap(ns, "a", Map.of(), "x"), ApplyOptions.weir());
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      try (Informer informer =
          proxied.inform(proxied.resourceType("v1", "ConfigMap"), ns, "", recorder(events))) {
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("upsert a");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("synced");

        var down = cluster.clock.instant();
        proxy.down();
        assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("error UNREACHABLE");
        assertThat(proxied.status().isReachable()).isFalse();
        assertThat(proxied.status().unreachableSince()).isEqualTo(down);

        // meanwhile the cluster changes; the informer misses the events
        gateway.apply(configMap(ns, "b", Map.of(), "x"), ApplyOptions.weir());
        gateway.delete(new ResourceKey("", "ConfigMap", ns, "a"), false);

        cluster.clock.advance(Duration.ofMillis(500)); // first backoff: still down
        assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("error UNREACHABLE");
        proxy.up();
        cluster.clock.advance(Duration.ofSeconds(1)); // second backoff, doubled
        List<String> resync =
            List.of(
                events.poll(10, TimeUnit.SECONDS),
                events.poll(10, TimeUnit.SECONDS),
                events.poll(10, TimeUnit.SECONDS));
        assertThat(resync).containsExactly("delete a", "upsert b", "synced");
        assertThat(proxied.status().isReachable()).isTrue();
        assertThat(informer.objects()).extracting(o -> o.key().name()).containsExactly("b");
      }
    }
  }

  @Test
  void aSlowApiServerIsATimeoutAndAnAbsentOneIsUnreachableSinceTheFirstFailure(@TempDir Path own)
      throws Exception {
    try (FaultProxy proxy = new FaultProxy(cluster.server.url().getPort())) {
      Path config = proxy.rewrite(cluster.kubeconfig, own.resolve("proxied"));
      KubeClusterGateway slow =
          cluster.gateway(
              config,
              KubeClusterGateway.Options.defaults().withRequestTimeout(Duration.ofMillis(300)));
      ResourceKey key = new ResourceKey("", "ConfigMap", "default", "x");
      slow.resourceTypes(); // discovery while the server is fast
      proxy.hold();
      assertThatThrownBy(() -> slow.get(key))
          .isInstanceOfSatisfying(
              ClusterException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                assertThat(e.getMessage()).contains("did not answer in time");
              });
      proxy.release();

      var first = cluster.clock.instant();
      proxy.down();
      cluster.clock.advance(Duration.ofSeconds(5));
      assertThatThrownBy(() -> slow.get(key))
          .isInstanceOfSatisfying(
              ClusterException.class, e -> assertThat(e.error().unreachable()).isTrue());
      assertThat(slow.status().unreachableSince()).isEqualTo(first);
      assertThat(slow.status().describe(cluster.clock.instant())).contains("unreachable for 5s");
      proxy.up();
      assertThat(slow.get(key)).isEmpty();
      assertThat(slow.status().isReachable()).isTrue();
    }
  }

  @Test
  void aLeaseIsHeldUntilItExpiresThenAnotherHolderTakesIt() {
    String ns = namespace();
    LeaseRecord alice = gateway.acquireLease(ns, "weir-app-shop", "alice", Duration.ofSeconds(30));
    assertThat(alice.acquired()).isTrue();
    LeaseRecord bob = gateway.acquireLease(ns, "weir-app-shop", "bob", Duration.ofSeconds(30));
    assertThat(bob.acquired()).isFalse();
    assertThat(bob.holder()).isEqualTo("alice");
    assertThat(bob.expiresAt()).isEqualTo(cluster.clock.instant().plusSeconds(30));

    cluster.clock.advance(Duration.ofSeconds(20));
    assertThat(
            gateway.acquireLease(ns, "weir-app-shop", "alice", Duration.ofSeconds(30)).acquired())
        .as("the holder renews")
        .isTrue();
    cluster.clock.advance(Duration.ofSeconds(29));
    assertThat(gateway.acquireLease(ns, "weir-app-shop", "bob", Duration.ofSeconds(30)).acquired())
        .isFalse();
    cluster.clock.advance(Duration.ofSeconds(2));
    assertThat(gateway.acquireLease(ns, "weir-app-shop", "bob", Duration.ofSeconds(30)).acquired())
        .as("a dead holder's Lease expires")
        .isTrue();
    assertThat(gateway.acquireLease(ns, "weir-app-shop", "alice", Duration.ofSeconds(30)).holder())
        .isEqualTo("bob");

    gateway.releaseLease(ns, "weir-app-shop", "bob");
    assertThat(
            gateway.acquireLease(ns, "weir-app-shop", "alice", Duration.ofSeconds(30)).acquired())
        .as("a released Lease is free at once")
        .isTrue();
  }

  static Informer.Listener recorder(BlockingQueue<String> events) {
    return new Informer.Listener() {
      @Override
      public void onUpsert(LiveObject object) {
        events.add("upsert " + object.key().name());
      }

      @Override
      public void onDelete(LiveObject object) {
        events.add("delete " + object.key().name());
      }

      @Override
      public void onSynced(ResourceType type) {
        events.add("synced");
      }

      @Override
      public void onError(ClusterError error) {
        events.add("error " + error.reason() + " " + error.message());
      }
    };
  }
}
