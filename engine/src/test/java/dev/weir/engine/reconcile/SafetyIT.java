package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.testkit.DesiredStates;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must never happen: a failed render, an empty render, a render missing half the objects, a
 * freeze, a hotfix — none of them prunes or overwrites what it must not.
 */
class SafetyIT {
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
            LeaseHolder.of("safety", "test"),
            Reconciler.Options.defaults());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static String configMaps(String ns, String... names) {
    StringBuilder yaml =
        new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n");
    for (String name : names) {
      yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ")
          .append(name)
          .append("}\ndata: {k: v}\n");
    }
    return yaml.toString();
  }

  static Application app(String ns, SyncPolicy policy) {
    return DesiredStates.application("safe-" + ns, ns, policy, List.of());
  }

  static SyncResult sync(SyncTarget target, SyncRequest request) {
    return reconciler.sync(target, request, "test", LiveSource.direct(gateway), r -> {});
  }

  static boolean exists(String ns, String name) {
    return gateway.get(new ResourceKey("", "ConfigMap", ns, name)).isPresent();
  }

  static String fresh() {
    return "safe-" + counter.incrementAndGet();
  }

  static final SyncPolicy AUTOMATED_PRUNE = new SyncPolicy(true, true, true, false);

  @Test
  void aFailedRenderAppliesAndPrunesNothing() {
    String ns = fresh();
    Application app = app(ns, AUTOMATED_PRUNE);
    assertThat(
            sync(
                    SyncTarget.of(DesiredStates.of(app, REV1, configMaps(ns, "a", "b"))),
                    SyncRequest.manual())
                .succeeded())
        .isTrue();

    SyncTarget broken =
        new SyncTarget(
            app,
            REV2,
            Optional.empty(),
            List.of("apps/x/objects.yaml:3:7: mapping values are not allowed here"));
    SyncResult result =
        sync(broken, SyncRequest.automated(SyncRequest.Trigger.AUTOMATED).withPrune(true));

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.BLOCKED);
    assertThat(result.message())
        .isEqualTo(
            "sync of safe-"
                + ns
                + " refused: render failed at 2222222: apps/x/objects.yaml:3:7: mapping values are"
                + " not allowed here; nothing is applied or pruned");
    assertThat(exists(ns, "a")).isTrue();
    assertThat(exists(ns, "b")).isTrue();
  }

  @Test
  void anEmptyRenderNeverPrunesUnlessTheApplicationAllowsItAndEvenThenAsksForConfirmation() {
    String ns = fresh();
    Application app = app(ns, AUTOMATED_PRUNE);
    sync(
        SyncTarget.of(DesiredStates.of(app, REV1, configMaps(ns, "a", "b"))), SyncRequest.manual());

    SyncResult empty =
        sync(
            SyncTarget.of(DesiredStates.of(app, REV2, "")),
            SyncRequest.automated(SyncRequest.Trigger.AUTOMATED));
    assertThat(empty.outcome()).isEqualTo(SyncResult.Outcome.BLOCKED);
    assertThat(empty.message())
        .contains(
            "is empty; refusing to sync (it would prune everything) unless syncPolicy.allowEmpty is"
                + " set");
    assertThat(exists(ns, "a")).isTrue();

    Application allowEmpty =
        DesiredStates.application(
            "safe-" + ns, ns, new SyncPolicy(true, true, true, true), List.of());
    SyncResult allowed =
        sync(
            SyncTarget.of(DesiredStates.of(allowEmpty, REV2, "")),
            SyncRequest.automated(SyncRequest.Trigger.AUTOMATED));
    assertThat(allowed.confirmation())
        .startsWith(
            "the prune would delete 3 of the 3 objects of safe-" + ns + " (100%), more than 50%");
    assertThat(exists(ns, "a")).as("no automatic prune of everything without a person").isTrue();
  }

  @Test
  void aRenderMissingMoreThanHalfTheObjectsAsksForConfirmationBeforePruning() {
    String ns = fresh();
    Application app = app(ns, SyncPolicy.MANUAL);
    sync(
        SyncTarget.of(DesiredStates.of(app, REV1, configMaps(ns, "a", "b", "c", "d", "e"))),
        SyncRequest.manual());
    DesiredState half = DesiredStates.of(app, REV2, configMaps(ns, "a"));

    List<String> log = new ArrayList<>();
    SyncResult unconfirmed =
        reconciler.sync(
            SyncTarget.of(half),
            SyncRequest.manual().withPrune(true),
            "test",
            LiveSource.direct(gateway),
            r -> log.add(r.describe()));
    assertThat(unconfirmed.confirmation())
        .isEqualTo(
            "the prune would delete 4 of the 6 objects of safe-"
                + ns
                + " (67%), more than 50%; confirm it to prune");
    assertThat(log)
        .contains("skipped ConfigMap " + ns + "/c: not in Git; the prune needs a confirmation");
    assertThat(exists(ns, "c")).isTrue();

    SyncResult confirmed =
        sync(SyncTarget.of(half), SyncRequest.manual().withPrune(true).withPruneConfirmed(true));
    assertThat(confirmed.outcome()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(exists(ns, "c")).isFalse();
    assertThat(exists(ns, "a")).isTrue();
  }

  @Test
  void aFreezeStopsAutomatedSyncAndSelfHealButNotAPersonAndEndsByItself() {
    String ns = fresh();
    Application app = app(ns, AUTOMATED_PRUNE);
    sync(SyncTarget.of(DesiredStates.of(app, REV1, configMaps(ns, "a"))), SyncRequest.manual());
    var now = cluster.clock.instant();
    reconciler
        .store()
        .save(
            app,
            reconciler
                .store()
                .load(app)
                .withFreeze(
                    Optional.of(
                        new Freeze(
                            "payment incident", "alice", now, now.plus(Duration.ofMinutes(30))))));
    SyncTarget next = SyncTarget.of(DesiredStates.of(app, REV2, configMaps(ns, "a", "b")));

    for (SyncRequest.Trigger trigger :
        List.of(SyncRequest.Trigger.AUTOMATED, SyncRequest.Trigger.SELF_HEAL)) {
      SyncResult held = sync(next, SyncRequest.automated(trigger));
      assertThat(held.outcome()).isEqualTo(SyncResult.Outcome.BLOCKED);
      assertThat(held.message())
          .contains(
              "is frozen by alice until "
                  + now.plus(Duration.ofMinutes(30))
                  + ": payment incident");
    }
    assertThat(exists(ns, "b")).isFalse();

    cluster.clock.advance(Duration.ofMinutes(31));
    assertThat(sync(next, SyncRequest.automated(SyncRequest.Trigger.AUTOMATED)).outcome())
        .as("the freeze ended by itself")
        .isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(exists(ns, "b")).isTrue();
  }

  @Test
  void aFreezeOfEveryApplicationHoldsThemAll() {
    String ns = fresh();
    Application app = app(ns, AUTOMATED_PRUNE);
    var now = cluster.clock.instant();
    reconciler
        .store()
        .saveGlobalFreeze(
            Optional.of(new Freeze("change freeze", "bob", now, now.plus(Duration.ofMinutes(5)))));
    try {
      SyncResult held =
          sync(
              SyncTarget.of(DesiredStates.of(app, REV1, configMaps(ns, "a"))),
              SyncRequest.automated(SyncRequest.Trigger.AUTOMATED));
      assertThat(held.message()).contains("frozen by bob");
    } finally {
      reconciler.store().saveGlobalFreeze(Optional.empty());
    }
  }

  @Test
  void aHotfixedFieldIsKeptBySelfHealAndAHotfixedObjectIsLeftAlone() {
    String ns = fresh();
    Application app = app(ns, AUTOMATED_PRUNE);
    String yaml =
        configMaps(ns, "a")
            + """
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: app, image: "shop:1"}]}
            """;
    sync(SyncTarget.of(DesiredStates.of(app, REV1, yaml)), SyncRequest.manual());
    ResourceKey web = new ResourceKey("apps", "Deployment", ns, "web");
    ResourceKey a = new ResourceKey("", "ConfigMap", ns, "a");
    gateway.apply(
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", "web", "namespace", ns),
            "spec",
            Map.of("replicas", 6)),
        new ApplyOptions("kubectl-edit", true, false));
    gateway.apply(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Map.of("name", "a", "namespace", ns),
            "data",
            Map.of("k", "hand-fixed")),
        new ApplyOptions("kubectl-edit", true, false));
    var now = cluster.clock.instant();
    reconciler
        .store()
        .save(
            app,
            reconciler
                .store()
                .load(app)
                .withHotfixes(
                    List.of(
                        new Hotfix(
                            web,
                            "/spec/replicas",
                            "scaled up for the incident",
                            "alice",
                            now,
                            now.plus(Duration.ofHours(2))),
                        new Hotfix(
                            a,
                            "",
                            "hand-fixed config",
                            "alice",
                            now,
                            now.plus(Duration.ofHours(2))))));

    DesiredState newImage = DesiredStates.of(app, REV2, yaml.replace("shop:1", "shop:2"));
    Comparison comparison =
        reconciler.compare(newImage, reconciler.state(app), LiveSource.direct(gateway));
    assertThat(comparison.diff().drifted())
        .extracting(d -> d.key().kind())
        .containsExactlyInAnyOrder("Deployment", "ConfigMap");
    assertThat(
            comparison.diff().drifted().stream()
                .filter(d -> d.key().equals(web))
                .findFirst()
                .orElseThrow()
                .changes())
        .as("the hotfixed field is not drift")
        .noneMatch(c -> c.path().toString().equals("spec.replicas"));

    List<String> log = new ArrayList<>();
    SyncResult healed =
        reconciler.sync(
            SyncTarget.of(newImage),
            SyncRequest.automated(SyncRequest.Trigger.SELF_HEAL),
            "self-heal",
            LiveSource.direct(gateway),
            r -> log.add(r.describe()));
    assertThat(healed.outcome()).as(healed.message()).isEqualTo(SyncResult.Outcome.SUCCEEDED);
    assertThat(log)
        .contains(
            "skipped ConfigMap "
                + ns
                + "/a: hotfix on ConfigMap "
                + ns
                + "/a by alice until "
                + now.plus(Duration.ofHours(2))
                + ": hand-fixed config (backport pending)");
    var live = gateway.get(web).orElseThrow();
    assertThat(live.at("spec.replicas")).as("self-heal kept the hotfixed field").contains(6L);
    assertThat(live.object().toString()).contains("shop:2");
    assertThat(gateway.get(a).orElseThrow().object().get("data"))
        .isEqualTo(Map.of("k", "hand-fixed"));

    cluster.clock.advance(Duration.ofHours(3));
    reconciler.sync(
        SyncTarget.of(newImage),
        SyncRequest.automated(SyncRequest.Trigger.SELF_HEAL),
        "self-heal",
        LiveSource.direct(gateway),
        r -> {});
    assertThat(gateway.get(web).orElseThrow().at("spec.replicas"))
        .as("an expired hotfix no longer holds")
        .contains(2L);
  }

  @Test
  void objectsWeirDidNotCreateAreNeverPrunedEvenWithTheSameName() {
    String ns = fresh();
    Application app = app(ns, AUTOMATED_PRUNE);
    sync(SyncTarget.of(DesiredStates.of(app, REV1, configMaps(ns, "a"))), SyncRequest.manual());
    gateway.apply(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Map.of(
                "name",
                "other-app",
                "namespace",
                ns,
                "labels",
                Map.of("app.kubernetes.io/managed-by", "weir"),
                "annotations",
                Map.of("weir.dev/application", "someone-else")),
            "data",
            Map.of("k", "v")),
        new ApplyOptions("weir", false, false));
    gateway.apply(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Map.of("name", "by-hand", "namespace", ns),
            "data",
            Map.of("k", "v")),
        new ApplyOptions("kubectl", false, false));

    sync(
        SyncTarget.of(DesiredStates.of(app, REV2, configMaps(ns, "a"))),
        SyncRequest.manual().withPrune(true).withPruneConfirmed(true));
    assertThat(exists(ns, "other-app")).as("tracked by another application").isTrue();
    assertThat(exists(ns, "by-hand")).as("not tracked").isTrue();
  }
}
