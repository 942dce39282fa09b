package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.testkit.DesiredStates;
import dev.weir.engine.testkit.TestCluster;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two syncs of one application by the same user on the same host — two {@code weir sync} runs on a
 * shared bastion, each its own process with its own gateway — against one sandbox API server. The
 * first is held mid-sync (inside its step callback, Lease taken, half its objects applied) so the
 * second runs while it really is in flight; no sleeps.
 */
class LeaseIT {
  static final String REV1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String REV2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  static final ResourceKey WEB = new ResourceKey("apps", "Deployment", "shop", "web");
  static final ResourceKey SETTINGS = new ResourceKey("", "ConfigMap", "shop", "settings");

  @TempDir Path dir;
  TestCluster cluster;
  // the reported case word for word: same user, same host, same program
  final LeaseHolder firstHolder = LeaseHolder.forThisProcess("alice", "weir sync");
  final LeaseHolder secondHolder = LeaseHolder.forThisProcess("alice", "weir sync");
  Reconciler first;
  Reconciler second;
  KubeClusterGateway look;
  final Application app =
      DesiredStates.application("storefront", "shop", SyncPolicy.MANUAL, List.of());

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    first =
        new Reconciler(
            cluster.gateway(), cluster.clock, firstHolder, Reconciler.Options.defaults());
    second =
        new Reconciler(
            cluster.gateway(), cluster.clock, secondHolder, Reconciler.Options.defaults());
    look = cluster.gateway();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  static String shop(int replicas) {
    return """
    apiVersion: v1
    kind: Namespace
    metadata: {name: shop}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings}
    data: {mode: fast}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      annotations: {weir.dev/sync-wave: "1"}
    spec:
      replicas: %d
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - {name: app, image: "shop:1"}
    """
        .formatted(replicas);
  }

  DesiredState desired(String revision, int replicas) {
    return DesiredStates.of(app, revision, shop(replicas));
  }

  SyncResult sync(Reconciler reconciler, DesiredState state, List<String> steps) {
    return reconciler.sync(
        SyncTarget.of(state),
        SyncRequest.manual(),
        "alice",
        LiveSource.direct(reconciler.gateway()),
        r -> steps.add(r.describe()));
  }

  @Test
  void aSecondSyncByTheSameUserOnTheSameHostIsRefusedNamingTheHolderAndChangesNothing()
      throws Exception {
    assertThat(firstHolder.describe()).isEqualTo(secondHolder.describe());
    assertThat(firstHolder.identity())
        .as("the same user, host, process and program, yet two holders")
        .isNotEqualTo(secondHolder.identity());

    CountDownLatch midSync = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    List<String> firstSteps = new CopyOnWriteArrayList<>();
    CompletableFuture<SyncResult> firstSync =
        CompletableFuture.supplyAsync(
            () ->
                first.sync(
                    SyncTarget.of(desired(REV1, 2)),
                    SyncRequest.manual(),
                    "alice",
                    LiveSource.direct(first.gateway()),
                    r -> {
                      firstSteps.add(r.describe());
                      if (r.key().equals(SETTINGS)) {
                        midSync.countDown();
                        await(goOn); // the first sync stands here, Lease held, web not applied yet
                      }
                    }));
    assertThat(midSync.await(60, TimeUnit.SECONDS))
        .as("the first sync reached its second step")
        .isTrue();
    String settingsVersion = look.get(SETTINGS).orElseThrow().resourceVersion();

    List<String> secondSteps = new CopyOnWriteArrayList<>();
    SyncResult refused = sync(second, desired(REV2, 5), secondSteps);

    String host = InetAddress.getLocalHost().getHostName();
    long pid = ProcessHandle.current().pid();
    assertThat(refused.outcome()).isEqualTo(SyncResult.Outcome.BLOCKED);
    assertThat(refused.message())
        .startsWith(
            "sync of storefront refused: storefront is being synced by alice@"
                + host
                + " (pid "
                + pid
                + ", weir sync) since 2026-01-01T10:00:00Z; try again when it finishes");
    assertThat(refused.message()).doesNotContain(firstHolder.instance());
    assertThat(secondSteps).as("no plan was made, nothing was applied").isEmpty();
    assertThat(refused.resources()).isEmpty();
    assertThat(look.get(WEB)).as("the second sync created nothing").isEmpty();
    assertThat(look.get(SETTINGS).orElseThrow().resourceVersion()).isEqualTo(settingsVersion);

    // well past the Lease's 30 s: the first sync renews it while it runs
    for (int i = 0; i < 9; i++) {
      cluster.clock.advance(Duration.ofSeconds(5));
    }
    SyncResult stillRefused = sync(second, desired(REV2, 5), secondSteps);
    assertThat(stillRefused.message())
        .as("a renewed Lease still says since when it is held")
        .contains(
            "being synced by alice@"
                + host
                + " (pid "
                + pid
                + ", weir sync) since 2026-01-01T10:00:00Z");
    assertThat(secondSteps).isEmpty();

    goOn.countDown();
    SyncResult done = firstSync.get(60, TimeUnit.SECONDS);
    assertThat(done.outcome()).as(done.message()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(firstSteps)
        .containsExactly(
            "created Namespace shop",
            "created ConfigMap shop/settings",
            "created apps/Deployment shop/web");
    assertThat(look.readLease("shop", "weir-app-storefront")).as("given up at the end").isEmpty();

    SyncResult after = sync(second, desired(REV2, 5), secondSteps);
    assertThat(after.outcome()).as(after.message()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(secondSteps)
        .as("planned once the Lease was its own: against what the first sync left")
        .containsExactly(
            "configured apps/Deployment shop/web",
            "skipped ConfigMap shop/settings: in sync",
            "skipped Namespace shop: in sync");
    assertThat(replicas()).isEqualTo(5);
  }

  @Test
  void aSecondSyncThroughTheSameReconcilerWhileTheFirstRunsIsRefused() throws Exception {
    CountDownLatch midSync = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    CompletableFuture<SyncResult> firstSync =
        CompletableFuture.supplyAsync(
            () ->
                first.sync(
                    SyncTarget.of(desired(REV1, 2)),
                    SyncRequest.manual(),
                    "alice",
                    LiveSource.direct(first.gateway()),
                    r -> {
                      midSync.countDown();
                      await(goOn);
                    }));
    assertThat(midSync.await(60, TimeUnit.SECONDS)).isTrue();

    List<String> steps = new CopyOnWriteArrayList<>();
    SyncResult refused = sync(first, desired(REV2, 5), steps);

    assertThat(refused.outcome()).isEqualTo(SyncResult.Outcome.BLOCKED);
    assertThat(refused.message())
        .contains("storefront is being synced by " + firstHolder.describe() + " already");
    assertThat(steps).isEmpty();
    goOn.countDown();
    assertThat(firstSync.get(60, TimeUnit.SECONDS).outcome())
        .isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(replicas()).isEqualTo(2);
  }

  @Test
  void aLeaseAnEarlierVersionHoldsIsReadAsItWasWrittenAndWaitedFor() {
    assertThat(sync(first, desired(REV1, 2), new CopyOnWriteArrayList<>()).outcome())
        .isEqualTo(SyncResult.Outcome.SUCCEEDED);
    // what Weir before process identities wrote: two of these took each other's Lease as their own
    look.acquireLease("shop", "weir-app-storefront", "root@bastion (sync)", Duration.ofSeconds(30));

    List<String> steps = new CopyOnWriteArrayList<>();
    SyncResult refused = sync(second, desired(REV2, 5), steps);

    assertThat(refused.outcome()).isEqualTo(SyncResult.Outcome.BLOCKED);
    assertThat(refused.message())
        .contains(
            "storefront is being synced by root@bastion (sync) since 2026-01-01T10:00:00Z; try"
                + " again when it finishes");
    assertThat(steps).isEmpty();
    assertThat(look.readLease("shop", "weir-app-storefront").orElseThrow().holderIdentity())
        .isEqualTo(new LeaseHolder("root@bastion", 0, "sync", ""));
    assertThat(replicas()).isEqualTo(2);

    cluster.clock.advance(Duration.ofSeconds(31));
    assertThat(sync(second, desired(REV2, 5), steps).outcome())
        .as("an old holder that died: its Lease expires")
        .isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(steps).first().isEqualTo("configured apps/Deployment shop/web");
  }

  int replicas() {
    return ((Number) look.get(WEB).orElseThrow().at("spec.replicas").orElseThrow()).intValue();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the test did not let the first sync go on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
