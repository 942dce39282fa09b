package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.diff.FieldChange;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.testkit.DesiredStates;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compare and sync against the sandbox API server through client-java, as in production. */
class ReconcilerIT {
  static final String REV1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String REV2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  @TempDir static Path dir;
  static TestCluster cluster;
  static KubeClusterGateway gateway;
  static Reconciler reconciler;
  static final AtomicInteger counter = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    gateway = cluster.gateway();
    reconciler =
        new Reconciler(
            gateway,
            cluster.clock,
            LeaseHolder.of("alice@bastion", "test"),
            Reconciler.Options.defaults());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static String shop(String ns, int replicas, String image, boolean withSettings) {
    return """
    apiVersion: v1
    kind: Namespace
    metadata: {name: %1$s}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      annotations: {weir.dev/sync-wave: "1"}
    spec:
      replicas: %2$d
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: app
            image: %3$s
            ports: [{containerPort: 8080}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      selector: {app: web}
      ports: [{port: 80, targetPort: 8080}]
    """
            .formatted(ns, replicas, image)
        + (withSettings
            ? """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {mode: fast}
            """
            : "");
  }

  static DesiredState desired(Application app, String rev, String yaml) {
    return DesiredStates.of(app, rev, yaml);
  }

  static Application app(String ns, SyncPolicy policy) {
    return DesiredStates.application("shop-" + ns, ns, policy, List.of());
  }

  static String fresh() {
    return "rc-" + counter.incrementAndGet();
  }

  SyncResult sync(DesiredState state, SyncRequest request, List<String> log) {
    return reconciler.sync(
        SyncTarget.of(state),
        request,
        "alice",
        LiveSource.direct(gateway),
        r -> log.add(r.describe()));
  }

  @Test
  void aSyncCreatesNamespacesFirstThenByWaveAndKindAndTracksWhatItApplies() {
    String ns = fresh();
    Application app = app(ns, SyncPolicy.MANUAL);
    List<String> log = new ArrayList<>();
    SyncResult result =
        sync(desired(app, REV1, shop(ns, 2, "shop:1", true)), SyncRequest.manual(), log);

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(log)
        .containsExactly(
            "created Namespace " + ns,
            "created ConfigMap " + ns + "/settings",
            "created Service " + ns + "/web",
            "created apps/Deployment " + ns + "/web");
    assertThat(result.message()).isEqualTo("synced shop-" + ns + " to 1111111: 4 created");
    LiveObject web = gateway.get(new ResourceKey("apps", "Deployment", ns, "web")).orElseThrow();
    assertThat(web.labels()).containsEntry("app.kubernetes.io/managed-by", "weir");
    assertThat(web.annotations()).containsEntry("weir.dev/application", "shop-" + ns);

    Comparison again =
        reconciler.compare(
            desired(app, REV1, shop(ns, 2, "shop:1", true)),
            reconciler.state(app),
            LiveSource.direct(gateway));
    assertThat(again.diff().hasDrift())
        .as("defaults the server added (Service type, clusterIP, protocol) are not drift")
        .isFalse();
    assertThat(reconciler.state(app).lastSync().orElseThrow().message())
        .isEqualTo(result.message());
  }

  @Test
  void driftIsAttributedToTheManagerWhoMadeItAndAManualSyncWithoutForceNamesTheConflict() {
    String ns = fresh();
    Application app = app(ns, SyncPolicy.MANUAL);
    DesiredState state = desired(app, REV1, shop(ns, 2, "shop:1", false));
    sync(state, SyncRequest.manual(), new ArrayList<>());
    cluster.clock.advance(java.time.Duration.ofMinutes(42));
    gateway.apply(
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", "web", "namespace", ns),
            "spec",
            Map.of("replicas", 5)),
        new ApplyOptions("kubectl-edit", true, false));

    Comparison comparison =
        reconciler.compare(state, reconciler.state(app), LiveSource.direct(gateway));
    ResourceDiff web = comparison.diff().drifted().getFirst();
    assertThat(web.key()).isEqualTo(new ResourceKey("apps", "Deployment", ns, "web"));
    assertThat(web.changes())
        .extracting(c -> c.describe(ZoneOffset.UTC))
        .containsExactly("kubectl-edit changed spec.replicas 2→5 at 10:42");

    List<String> log = new ArrayList<>();
    SyncResult refused = sync(state, SyncRequest.manual(), log);
    assertThat(refused.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
    assertThat(refused.resources().getFirst().error().orElseThrow().reason())
        .isEqualTo(Reason.CONFLICT);
    assertThat(refused.message())
        .contains("conflict with \"kubectl-edit\"")
        .contains(".spec.replicas");

    SyncResult forced = sync(state, SyncRequest.manual().withForce(true), new ArrayList<>());
    assertThat(forced.outcome()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(gateway.get(web.key()).orElseThrow().at("spec.replicas")).contains(2L);
  }

  @Test
  void pruneRemovesOnlyTrackedLeftoversAndOnlyWhenAsked() {
    String ns = fresh();
    Application app = app(ns, SyncPolicy.MANUAL);
    sync(desired(app, REV1, shop(ns, 1, "shop:1", true)), SyncRequest.manual(), new ArrayList<>());
    gateway.apply(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Map.of("name", "hand-made", "namespace", ns),
            "data",
            Map.of("k", "v")),
        new ApplyOptions("kubectl", false, false));
    DesiredState withoutSettings = desired(app, REV2, shop(ns, 1, "shop:1", false));

    Comparison comparison =
        reconciler.compare(withoutSettings, reconciler.state(app), LiveSource.direct(gateway));
    assertThat(comparison.diff().drifted())
        .extracting(ResourceDiff::key, ResourceDiff::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                new ResourceKey("", "ConfigMap", ns, "settings"), ResourceDiff.Status.EXTRA));

    List<String> log = new ArrayList<>();
    SyncResult withoutPrune = sync(withoutSettings, SyncRequest.manual(), log);
    assertThat(log)
        .contains("skipped ConfigMap " + ns + "/settings: not in Git; prune is off (--prune)");
    assertThat(gateway.get(new ResourceKey("", "ConfigMap", ns, "settings"))).isPresent();
    assertThat(withoutPrune.outcome()).isEqualTo(SyncResult.Outcome.NOTHING_TO_DO);

    log.clear();
    SyncResult pruned = sync(withoutSettings, SyncRequest.manual().withPrune(true), log);
    assertThat(pruned.outcome()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(log)
        .containsExactly(
            "pruned ConfigMap " + ns + "/settings",
            "skipped Namespace " + ns + ": in sync",
            "skipped Service " + ns + "/web: in sync",
            "skipped apps/Deployment " + ns + "/web: in sync");
    assertThat(gateway.get(new ResourceKey("", "ConfigMap", ns, "settings"))).isEmpty();
    assertThat(gateway.get(new ResourceKey("", "ConfigMap", ns, "hand-made")))
        .as("never Weir's: never pruned")
        .isPresent();
  }

  @Test
  void aDryRunChecksEveryStepWithTheServerAndChangesNothing() {
    String ns = fresh();
    Application app = app(ns, SyncPolicy.MANUAL);
    sync(
        desired(app, REV1, "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n"),
        SyncRequest.manual(),
        new ArrayList<>());
    List<String> log = new ArrayList<>();
    SyncResult result =
        sync(
            desired(app, REV2, shop(ns, 3, "shop:2", false)),
            SyncRequest.manual().withDryRun(true),
            log);
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.DRY_RUN);
    assertThat(log)
        .containsExactly(
            "would apply Service " + ns + "/web (create)",
            "would apply apps/Deployment " + ns + "/web (create)",
            "skipped Namespace " + ns + ": in sync");
    assertThat(gateway.get(new ResourceKey("apps", "Deployment", ns, "web"))).isEmpty();
  }

  @Test
  void driftedFieldsAreListedPerFieldWithKeyedListsMatchedByName() {
    String ns = fresh();
    Application app = app(ns, SyncPolicy.MANUAL);
    sync(desired(app, REV1, shop(ns, 1, "shop:1", false)), SyncRequest.manual(), new ArrayList<>());
    Comparison comparison =
        reconciler.compare(
            desired(app, REV2, shop(ns, 1, "shop:2", false)),
            reconciler.state(app),
            LiveSource.direct(gateway));
    ResourceDiff web = comparison.diff().drifted().getFirst();
    assertThat(web.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.path().toString())
                  .isEqualTo("spec.template.spec.containers[name=app].image");
              assertThat(c.kind()).isEqualTo(FieldChange.Kind.CHANGED);
              assertThat(c.describe(ZoneOffset.UTC))
                  .isEqualTo("spec.template.spec.containers[name=app].image: shop:1→shop:2 in Git");
            });
  }
}
