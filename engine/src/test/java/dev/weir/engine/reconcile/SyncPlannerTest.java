package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.testkit.DesiredStates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure sync decision, case by case, as in SyncPlanner's Javadoc. */
class SyncPlannerTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  static final String REV = "3f2a1c9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  static final String OBJECTS =
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, annotations: {weir.dev/sync-wave: "1"}}
      spec: {replicas: 1}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      data: {a: b}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec: {ports: [{port: 80}]}
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com, namespace: ""}
      spec: {group: example.com}
      ---
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w, annotations: {weir.dev/sync-wave: "-1"}}
      spec: {size: 2}
      """;

  record Case(
      String name,
      SyncPolicy policy,
      SyncRequest request,
      Map<String, ResourceDiff.Status> statuses,
      Set<String> leftovers,
      Optional<Freeze> freeze,
      List<Hotfix> hotfixes,
      List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ResourceKey key(String text) {
    // "Kind ns/name" or "group/Kind ns/name"
    String[] parts = text.split(" ");
    String kindPart = parts[0];
    String group = kindPart.contains("/") ? kindPart.substring(0, kindPart.indexOf('/')) : "";
    String kind = kindPart.contains("/") ? kindPart.substring(kindPart.indexOf('/') + 1) : kindPart;
    String[] where = parts[1].split("/");
    return where.length == 1
        ? new ResourceKey(group, kind, "", where[0])
        : new ResourceKey(group, kind, where[0], where[1]);
  }

  static final Map<String, ResourceDiff.Status> ALL_MISSING = Map.of();

  static Stream<Case> cases() {
    SyncRequest manual = SyncRequest.manual();
    Instant until = NOW.plus(Duration.ofMinutes(30));
    return Stream.of(
        new Case(
            "everything missing: namespaces and CRDs first, then waves, then kinds",
            SyncPolicy.MANUAL,
            manual,
            ALL_MISSING,
            Set.of(),
            Optional.empty(),
            List.of(),
            List.of(
                "create Namespace shop (wave 0)",
                "create apiextensions.k8s.io/CustomResourceDefinition widgets.example.com (wave 0)",
                "create example.com/Widget shop/w (wave -1)",
                "create ConfigMap shop/settings (wave 0)",
                "create Service shop/web (wave 0)",
                "create apps/Deployment shop/web (wave 1)")),
        new Case(
            "in sync objects are skipped",
            SyncPolicy.MANUAL,
            manual,
            Map.of(
                "Namespace shop",
                ResourceDiff.Status.SYNCED,
                "ConfigMap shop/settings",
                ResourceDiff.Status.SYNCED,
                "Service shop/web",
                ResourceDiff.Status.MODIFIED,
                "apiextensions.k8s.io/CustomResourceDefinition widgets.example.com",
                ResourceDiff.Status.SYNCED,
                "example.com/Widget shop/w",
                ResourceDiff.Status.SYNCED,
                "apps/Deployment shop/web",
                ResourceDiff.Status.SYNCED),
            Set.of(),
            Optional.empty(),
            List.of(),
            List.of(
                "update Service shop/web (wave 0)",
                "skip ConfigMap shop/settings: in sync",
                "skip Namespace shop: in sync",
                "skip Service shop/web: in sync"
                    .replace(
                        "Service shop/web",
                        "apiextensions.k8s.io/CustomResourceDefinition widgets.example.com"),
                "skip apps/Deployment shop/web: in sync",
                "skip example.com/Widget shop/w: in sync")),
        new Case(
            "a leftover is not pruned without --prune",
            SyncPolicy.MANUAL,
            manual,
            synced(),
            Set.of("ConfigMap shop/old"),
            Optional.empty(),
            List.of(),
            List.of("skip ConfigMap shop/old: not in Git; prune is off (--prune)")),
        new Case(
            "a leftover is pruned with --prune when few",
            SyncPolicy.MANUAL,
            manual.withPrune(true),
            synced(),
            Set.of("ConfigMap shop/old"),
            Optional.empty(),
            List.of(),
            List.of("prune ConfigMap shop/old")),
        new Case(
            "automated sync prunes as the application says",
            new SyncPolicy(true, true, false, false),
            SyncRequest.automated(SyncRequest.Trigger.AUTOMATED),
            synced(),
            Set.of("ConfigMap shop/old", "apps/Deployment shop/old"),
            Optional.empty(),
            List.of(),
            List.of("prune apps/Deployment shop/old", "prune ConfigMap shop/old")),
        new Case(
            "a freeze blocks automated sync",
            new SyncPolicy(true, true, true, false),
            SyncRequest.automated(SyncRequest.Trigger.SELF_HEAL),
            ALL_MISSING,
            Set.of(),
            Optional.of(new Freeze("incident", "alice", NOW, until)),
            List.of(),
            List.of("blocked: shop-app is frozen by alice until " + until + ": incident")),
        new Case(
            "a freeze does not stop a person",
            SyncPolicy.MANUAL,
            manual,
            with(synced(), "Namespace shop", ResourceDiff.Status.MODIFIED),
            Set.of(),
            Optional.of(new Freeze("incident", "alice", NOW, until)),
            List.of(),
            null),
        new Case(
            "an expired freeze holds nothing",
            new SyncPolicy(true, false, false, false),
            SyncRequest.automated(SyncRequest.Trigger.AUTOMATED),
            synced(),
            Set.of("ConfigMap shop/old"),
            Optional.of(
                new Freeze("incident", "alice", NOW.minusSeconds(3600), NOW.minusSeconds(1))),
            List.of(),
            List.of(
                "skip ConfigMap shop/old: not in Git; prune is off (syncPolicy.automated.prune)")),
        new Case(
            "hotfixes: a whole object is skipped, a field is kept",
            SyncPolicy.MANUAL,
            manual,
            Map.of(
                "Namespace shop",
                ResourceDiff.Status.SYNCED,
                "ConfigMap shop/settings",
                ResourceDiff.Status.MODIFIED,
                "apiextensions.k8s.io/CustomResourceDefinition widgets.example.com",
                ResourceDiff.Status.SYNCED,
                "example.com/Widget shop/w",
                ResourceDiff.Status.SYNCED,
                "Service shop/web",
                ResourceDiff.Status.SYNCED,
                "apps/Deployment shop/web",
                ResourceDiff.Status.MODIFIED),
            Set.of(),
            Optional.empty(),
            List.of(
                new Hotfix(key("ConfigMap shop/settings"), "", "hand fix", "alice", NOW, until),
                new Hotfix(
                    key("apps/Deployment shop/web"),
                    "/spec/replicas",
                    "scaled",
                    "alice",
                    NOW,
                    until)),
            List.of(
                "update apps/Deployment shop/web (wave 1), keeping hotfixed /spec/replicas",
                "skip ConfigMap shop/settings: hotfix on ConfigMap shop/settings by alice until "
                    + until
                    + ": hand fix (backport pending)")));
  }

  static Map<String, ResourceDiff.Status> with(
      Map<String, ResourceDiff.Status> base, String key, ResourceDiff.Status status) {
    Map<String, ResourceDiff.Status> copy = new java.util.HashMap<>(base);
    copy.put(key, status);
    return copy;
  }

  static Map<String, ResourceDiff.Status> synced() {
    return Map.of(
        "Namespace shop",
        ResourceDiff.Status.SYNCED,
        "ConfigMap shop/settings",
        ResourceDiff.Status.SYNCED,
        "apiextensions.k8s.io/CustomResourceDefinition widgets.example.com",
        ResourceDiff.Status.SYNCED,
        "example.com/Widget shop/w",
        ResourceDiff.Status.SYNCED,
        "Service shop/web",
        ResourceDiff.Status.SYNCED,
        "apps/Deployment shop/web",
        ResourceDiff.Status.SYNCED);
  }

  static PlanInput input(Case c) {
    Application app = DesiredStates.application("shop-app", "shop", c.policy(), List.of());
    DesiredState desired = DesiredStates.of(app, REV, OBJECTS);
    List<ResourceDiff> diffs = new ArrayList<>();
    Set<ResourceKey> tracked = new HashSet<>();
    for (ResourceKey key : desired.resources().keySet()) {
      String label = key.toString();
      ResourceDiff.Status status = c.statuses().getOrDefault(label, ResourceDiff.Status.MISSING);
      diffs.add(new ResourceDiff(key, status, List.of(), "", ""));
      if (status != ResourceDiff.Status.MISSING) {
        tracked.add(key);
      }
    }
    for (String leftover : c.leftovers()) {
      diffs.add(new ResourceDiff(key(leftover), ResourceDiff.Status.EXTRA, List.of(), "", ""));
      tracked.add(key(leftover));
    }
    diffs.sort(java.util.Comparator.comparing(ResourceDiff::key));
    return new PlanInput(
        app,
        REV,
        List.of(),
        Optional.of(desired),
        new ApplicationDiff(app.name(), REV, diffs, List.of()),
        tracked,
        Set.of(),
        c.hotfixes(),
        c.freeze(),
        NOW,
        c.request());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    SyncPlan plan = SyncPlanner.plan(input(c));
    if (c.expected() == null) {
      assertThat(plan.blocked()).isFalse();
      assertThat(plan.applies())
          .extracting(SyncStep.Apply::key)
          .containsExactly(key("Namespace shop"));
      return;
    }
    List<String> lines =
        plan.describe().stream()
            .filter(l -> !l.endsWith(": in sync") || c.name().startsWith("in sync"))
            .toList();
    assertThat(lines).containsExactlyElementsOf(c.expected());
  }

  @Test
  void wavesGroupAppliesSoTheExecutorCanWaitBetweenThem() {
    SyncPlan plan = SyncPlanner.plan(input(cases().findFirst().orElseThrow()));
    assertThat(plan.applies()).extracting(SyncStep.Apply::group).containsExactly(0, 0, 1, 2, 2, 3);
  }

  @Test
  void aPruneOfMoreThanTheAllowedShareWaitsForAConfirmation() {
    Case many =
        new Case(
            "many",
            SyncPolicy.MANUAL,
            SyncRequest.manual().withPrune(true),
            synced(),
            Set.of(
                "ConfigMap shop/o1",
                "ConfigMap shop/o2",
                "ConfigMap shop/o3",
                "ConfigMap shop/o4",
                "ConfigMap shop/o5",
                "ConfigMap shop/o6",
                "ConfigMap shop/o7"),
            Optional.empty(),
            List.of(),
            List.of());
    SyncPlan plan = SyncPlanner.plan(input(many));
    assertThat(plan.prunes()).isEmpty();
    assertThat(plan.confirmation())
        .isEqualTo(
            "the prune would delete 7 of the 13 objects of shop-app (54%), more than 50%; confirm"
                + " it to prune");
    SyncPlan confirmed =
        SyncPlanner.plan(
            input(
                new Case(
                    "many",
                    SyncPolicy.MANUAL,
                    SyncRequest.manual().withPrune(true).withPruneConfirmed(true),
                    many.statuses(),
                    many.leftovers(),
                    Optional.empty(),
                    List.of(),
                    List.of())));
    assertThat(confirmed.prunes()).hasSize(7);
  }

  @Test
  void aFailedRenderOrAnEmptyOneBlocksEverything() {
    Application app =
        DesiredStates.application(
            "shop-app", "shop", new SyncPolicy(true, true, true, false), List.of());
    PlanInput failed =
        new PlanInput(
            app,
            REV,
            List.of("apps/shop/a.yaml:1:1: bad"),
            Optional.empty(),
            new ApplicationDiff(
                app.name(),
                REV,
                List.of(
                    new ResourceDiff(
                        key("ConfigMap shop/old"), ResourceDiff.Status.EXTRA, List.of(), "", "")),
                List.of()),
            Set.of(key("ConfigMap shop/old")),
            Set.of(),
            List.of(),
            Optional.empty(),
            NOW,
            SyncRequest.manual().withPrune(true));
    assertThat(SyncPlanner.plan(failed).describe())
        .containsExactly(
            "blocked: render failed at 3f2a1c9: apps/shop/a.yaml:1:1: bad; nothing is applied or"
                + " pruned");
    PlanInput empty =
        new PlanInput(
            app,
            REV,
            List.of(),
            Optional.of(DesiredStates.of(app, REV, "")),
            failed.diff(),
            failed.trackedLive(),
            Set.of(),
            List.of(),
            Optional.empty(),
            NOW,
            SyncRequest.manual().withPrune(true));
    assertThat(SyncPlanner.plan(empty).blocked()).isTrue();
    assertThat(SyncPlanner.plan(empty).steps()).isEmpty();
  }

  @Test
  void plansAndTheirInputsNeverPrintASecretsValue() {
    Application app = DesiredStates.application("vault", "shop", SyncPolicy.MANUAL, List.of());
    DesiredState desired = DesiredStates.of(app, REV,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n");
    ResourceKey key = new ResourceKey("", "Secret", "shop", "db");
    PlanInput input = new PlanInput(app, REV, List.of(), Optional.of(desired),
        new ApplicationDiff(app.name(), REV, List.of(new ResourceDiff(key, ResourceDiff.Status.MISSING, List.of(), "", "")), List.of()),
        Set.of(), Set.of(), List.of(), Optional.empty(), NOW, SyncRequest.manual());
    SyncPlan plan = SyncPlanner.plan(input);
    assertThat(plan.applies()).hasSize(1);
    assertThat(plan.toString() + input + SyncTarget.of(desired)).doesNotContain("hunter2");
  }
}
