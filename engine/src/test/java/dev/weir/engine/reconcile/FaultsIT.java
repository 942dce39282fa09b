package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ClusterError.Reason;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.testkit.DesiredStates;
import dev.weir.engine.testkit.FaultProxy;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An API server that goes away mid-sync, answers slowly, or refuses. */
class FaultsIT {
  static final String REV1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  @TempDir static Path dir;
  static TestCluster cluster;
  static KubeClusterGateway direct;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"));
    direct = cluster.gateway();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static String objects(String ns) {
    StringBuilder yaml =
        new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n");
    for (String name : List.of("a", "b", "c")) {
      yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ")
          .append(name)
          .append("}\ndata: {k: v}\n");
    }
    return yaml.toString();
  }

  @Test
  void theApiServerGoingDownMidSyncStopsTheSyncAndTheNextSyncResumesWithoutReapplying(
      @TempDir Path own) throws Exception {
    try (FaultProxy proxy = new FaultProxy(cluster.server.url().getPort())) {
      KubeClusterGateway gateway =
          cluster.gateway(
              proxy.rewrite(cluster.kubeconfig, own.resolve("kubeconfig")),
              KubeClusterGateway.Options.defaults());
      Reconciler reconciler =
          new Reconciler(
              gateway,
              cluster.clock,
              LeaseHolder.of("fault", "test"),
              Reconciler.Options.defaults());
      Application app = DesiredStates.application("down", "down", SyncPolicy.MANUAL, List.of());
      DesiredState state = DesiredStates.of(app, REV1, objects("down"));

      List<String> log = new ArrayList<>();
      SyncResult interrupted =
          reconciler.sync(
              SyncTarget.of(state),
              SyncRequest.manual(),
              "test",
              LiveSource.direct(gateway),
              r -> {
                log.add(r.describe());
                if (r.describe().equals("created ConfigMap down/a")) {
                  proxy.down();
                }
              });
      assertThat(interrupted.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
      assertThat(interrupted.unreachable()).isTrue();
      assertThat(log.subList(0, 2))
          .containsExactly("created Namespace down", "created ConfigMap down/a");
      assertThat(log.get(2)).startsWith("failed ConfigMap down/b: cannot reach the API server");
      assertThat(log.get(3))
          .isEqualTo("not attempted ConfigMap down/c: stopped after ConfigMap down/b failed");
      assertThat(gateway.status().isReachable()).isFalse();
      String versionOfA =
          direct.get(new ResourceKey("", "ConfigMap", "down", "a")).orElseThrow().resourceVersion();

      proxy.up();
      log.clear();
      SyncResult resumed =
          reconciler.sync(
              SyncTarget.of(state),
              SyncRequest.manual(),
              "test",
              LiveSource.direct(gateway),
              r -> log.add(r.describe()));
      assertThat(resumed.outcome()).as(resumed.message()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
      assertThat(log)
          .containsExactly(
              "created ConfigMap down/b",
              "created ConfigMap down/c",
              "skipped ConfigMap down/a: in sync",
              "skipped Namespace down: in sync");
      assertThat(
              direct
                  .get(new ResourceKey("", "ConfigMap", "down", "a"))
                  .orElseThrow()
                  .resourceVersion())
          .as("what was applied before the outage is not written again")
          .isEqualTo(versionOfA);
      assertThat(gateway.status().isReachable()).isTrue();
    }
  }

  @Test
  void aSlowApiServerFailsTheStepWithATimeoutAndNothingAfterIt(@TempDir Path own) throws Exception {
    try (FaultProxy proxy = new FaultProxy(cluster.server.url().getPort())) {
      KubeClusterGateway gateway =
          cluster.gateway(
              proxy.rewrite(cluster.kubeconfig, own.resolve("kubeconfig")),
              KubeClusterGateway.Options.defaults().withRequestTimeout(Duration.ofMillis(400)));
      Reconciler reconciler =
          new Reconciler(
              gateway,
              cluster.clock,
              LeaseHolder.of("fault", "test"),
              Reconciler.Options.defaults());
      Application app = DesiredStates.application("slow", "slow", SyncPolicy.MANUAL, List.of());
      List<String> log = new ArrayList<>();
      SyncResult result =
          reconciler.sync(
              SyncTarget.of(DesiredStates.of(app, REV1, objects("slow"))),
              SyncRequest.manual(),
              "test",
              LiveSource.direct(gateway),
              r -> {
                log.add(r.describe());
                if (r.describe().equals("created ConfigMap slow/a")) {
                  proxy.hold();
                }
              });
      proxy.release();
      assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
      assertThat(result.resources().get(2).error().orElseThrow().reason())
          .isEqualTo(Reason.TIMEOUT);
      assertThat(log.get(2))
          .startsWith("failed ConfigMap slow/b: ")
          .contains("did not answer in time");
      assertThat(log.get(3))
          .isEqualTo("not attempted ConfigMap slow/c: stopped after ConfigMap slow/b failed");
    }
  }

  @Test
  void aUserWithoutRightsIsRefusedNamingTheVerbTheResourceAndTheUser() {
    direct.apply(
        java.util.Map.of(
            "apiVersion", "v1", "kind", "Namespace", "metadata", java.util.Map.of("name", "ro")),
        dev.weir.engine.cluster.ApplyOptions.weir());
    KubeClusterGateway viewer = cluster.viewerGateway();
    Application app = DesiredStates.application("ro", "ro", SyncPolicy.MANUAL, List.of());
    SyncPlan plan =
        new Reconciler(
                viewer,
                cluster.clock,
                LeaseHolder.of("viewer", "test"),
                Reconciler.Options.defaults())
            .plan(
                SyncTarget.of(DesiredStates.of(app, REV1, objects("ro"))),
                SyncRequest.manual(),
                LiveSource.direct(viewer))
            .plan();
    assertThat(plan.applies()).hasSize(4);

    SyncResult result = new SyncExecutor(viewer, cluster.clock).execute(plan, r -> {});
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
    ResourceResult first = result.resources().getFirst();
    assertThat(first.error().orElseThrow().reason()).isEqualTo(Reason.FORBIDDEN);
    assertThat(first.message())
        .isEqualTo(
            "namespaces \"ro\" is forbidden: User \"viewer\" cannot patch resource \"namespaces\""
                + " in API group \"\" at the cluster scope");

    SyncResult refused =
        new Reconciler(
                viewer,
                cluster.clock,
                LeaseHolder.of("viewer", "test"),
                Reconciler.Options.defaults())
            .sync(
                SyncTarget.of(DesiredStates.of(app, REV1, objects("ro"))),
                SyncRequest.manual(),
                "viewer",
                LiveSource.direct(viewer),
                r -> {});
    assertThat(refused.outcome()).isEqualTo(SyncResult.Outcome.BLOCKED);
    assertThat(refused.message())
        .contains("could not take the Lease")
        .contains("User \"viewer\" cannot");
  }
}
