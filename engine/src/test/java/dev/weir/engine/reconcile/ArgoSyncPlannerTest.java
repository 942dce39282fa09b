package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import dev.weir.engine.model.SourceSpec;
import dev.weir.engine.model.SyncOptions;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.rollout.RolloutOwnership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Argo CD's sync semantics as the planner decides them, each row citing the page of Argo CD's
 * documentation (https://argo-cd.readthedocs.io/en/stable/…) it follows.
 */
class ArgoSyncPlannerTest {

  record Case(
      String name,
      String documentation,
      List<Map<String, Object>> objects,
      List<Map<String, Object>> hooks,
      SyncOptions options,
      Set<String> missingNamespaces,
      Set<String> noPrune,
      List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Map<String, Object> object(String kind, String name, Map<String, Object> annotations) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", "shop");
    metadata.put("annotations", annotations);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", kind.equals("Job") ? "batch/v1" : "v1");
    object.put("kind", kind);
    object.put("metadata", metadata);
    return object;
  }

  static Stream<Case> cases() {
    SyncOptions argo = SyncOptions.DEFAULT;
    return Stream.of(
        new Case(
            "argocd sync-wave orders applies, negative first",
            "user-guide/sync-waves/",
            List.of(
                object("ConfigMap", "three", Map.of("argocd.argoproj.io/sync-wave", "3")),
                object("ConfigMap", "one", Map.of("argocd.argoproj.io/sync-wave", "1")),
                object("ConfigMap", "minus", Map.of("argocd.argoproj.io/sync-wave", "-1"))),
            List.of(),
            argo,
            Set.of(),
            Set.of(),
            List.of(
                "create ConfigMap shop/minus (wave -1)",
                "create ConfigMap shop/one (wave 1)",
                "create ConfigMap shop/three (wave 3)")),
        new Case(
            "hooks run in their phase, PreSync before PostSync, by wave",
            "user-guide/resource_hooks/",
            List.of(object("ConfigMap", "app", Map.of())),
            List.of(
                object("Job", "smoke", Map.of("argocd.argoproj.io/hook", "PostSync")),
                object(
                    "Job",
                    "migrate",
                    Map.of("argocd.argoproj.io/hook", "PreSync", "argocd.argoproj.io/sync-wave", "2")),
                object("Job", "seed", Map.of("argocd.argoproj.io/hook", "PreSync"))),
            argo,
            Set.of(),
            Set.of(),
            List.of(
                "create ConfigMap shop/app (wave 0)",
                "hook PreSync batch/Job shop/seed (wave 0)",
                "hook PreSync batch/Job shop/migrate (wave 2)",
                "hook PostSync batch/Job shop/smoke (wave 0)")),
        new Case(
            "Replace=true is refused with the reason, nothing applied",
            "user-guide/sync-options/#replace-resource-instead-of-applying-changes",
            List.of(object("ConfigMap", "app", Map.of("argocd.argoproj.io/sync-options", "Replace=true"))),
            List.of(),
            argo,
            Set.of(),
            Set.of(),
            List.of(
                "blocked: ConfigMap shop/app asks argocd.argoproj.io/sync-options: Replace=true,"
                    + " which Weir refuses: it applies objects server-side and never replaces them;"
                    + " remove the option (apps/x.yaml:1:1)")),
        new Case(
            "a missing namespace is refused, saying what to do",
            "user-guide/sync-options/#create-namespace",
            List.of(object("ConfigMap", "app", Map.of())),
            List.of(),
            argo,
            Set.of("shop"),
            Set.of(),
            List.of(
                "blocked: namespace shop does not exist: add a Namespace shop to Git, or set"
                    + " syncPolicy.syncOptions: [CreateNamespace=true]; nothing is applied")),
        new Case(
            "CreateNamespace=true creates the destination namespace first",
            "user-guide/sync-options/#create-namespace",
            List.of(object("ConfigMap", "app", Map.of())),
            List.of(),
            new SyncOptions(true, false),
            Set.of("shop"),
            Set.of(),
            List.of("create Namespace shop (wave 0)", "create ConfigMap shop/app (wave 0)")),
        new Case(
            "Prune=false keeps an object that left Git",
            "user-guide/sync-options/#no-prune-resources",
            List.of(object("ConfigMap", "app", Map.of())),
            List.of(),
            argo,
            Set.of(),
            Set.of("old"),
            List.of(
                "create ConfigMap shop/app (wave 0)",
                "skip ConfigMap shop/old: not in Git; argocd.argoproj.io/sync-options:"
                    + " Prune=false keeps it")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plansAsArgoCdDocumentsIt(Case c) {
    Application app =
        new Application(
            "shop",
            "apps",
            "shop",
            "",
            SyncPolicy.MANUAL,
            List.of(),
            SourceLocation.ofFile("argocd/app.yaml"),
            SourceSpec.RECURSIVE,
            c.options(),
            List.of());
    TreeMap<ResourceKey, Manifest> resources = new TreeMap<>();
    List<ResourceDiff> diffs = new ArrayList<>();
    for (Map<String, Object> object : c.objects()) {
      Manifest manifest = manifest(object);
      resources.put(manifest.key(), manifest);
      diffs.add(new ResourceDiff(manifest.key(), ResourceDiff.Status.MISSING, List.of(), "", ""));
    }
    Set<ResourceKey> tracked = new java.util.HashSet<>();
    Set<ResourceKey> noPrune = new java.util.HashSet<>();
    for (String name : c.noPrune()) {
      ResourceKey key = new ResourceKey("", "ConfigMap", "shop", name);
      tracked.add(key);
      noPrune.add(key);
      diffs.add(new ResourceDiff(key, ResourceDiff.Status.EXTRA, List.of(), "", ""));
    }
    List<Manifest> hooks = c.hooks().stream().map(ArgoSyncPlannerTest::manifest).toList();
    DesiredState desired = new DesiredState(app, "abc1234", resources, List.of(), hooks);
    PlanInput input =
        new PlanInput(
            app,
            "abc1234",
            List.of(),
            Optional.of(desired),
            new ApplicationDiff("shop", "abc1234", diffs, List.of()),
            tracked,
            Set.of(),
            List.of(),
            Optional.empty(),
            Instant.parse("2026-12-02T10:00:00Z"),
            SyncRequest.manual().withPrune(true),
            RolloutOwnership.of(List.of()),
            noPrune,
            c.missingNamespaces());
    assertThat(SyncPlanner.plan(input).describe())
        .as(c.documentation())
        .containsExactlyElementsOf(c.expected());
  }

  private static Manifest manifest(Map<String, Object> object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
    String apiVersion = (String) object.get("apiVersion");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return new Manifest(
        new ResourceKey(group, (String) object.get("kind"), "shop", (String) metadata.get("name")),
        apiVersion,
        object,
        SourceLocation.ofFile("apps/x.yaml"));
  }
}
