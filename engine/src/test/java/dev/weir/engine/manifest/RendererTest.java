package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncPolicy;
import dev.weir.engine.model.SyncRetry;
import dev.weir.engine.testkit.DirectoryTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendering plain directories: discovery, resources, namespaces, configuration, errors, caching.
 */
class RendererTest {

  @TempDir Path repo;

  private static String application(String name, String path, String namespace) {
    return """
    apiVersion: weir.dev/v1alpha1
    kind: Application
    metadata: {name: %s}
    spec:
      source: {path: %s}
      destination: {namespace: %s}
    """
        .formatted(name, path, namespace);
  }

  private static String configMap(String name) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  key: value\n";
  }

  private static String deployment(String name) {
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: %s
    spec:
      replicas: 2
      template:
        spec:
          containers:
          - name: app
            image: nginx:1.27
    """
        .formatted(name);
  }

  private DirectoryTree write(Map<String, String> files) {
    return DirectoryTree.write(repo, files);
  }

  private static DesiredState desired(RepositoryRender render, String app) {
    RenderedApplication rendered = render.application(app).orElseThrow();
    assertThat(rendered.errors()).as("errors of %s", app).isEmpty();
    return rendered.lastGood().orElseThrow();
  }

  private static ResourceKey key(String group, String kind, String namespace, String name) {
    return new ResourceKey(group, kind, namespace, name);
  }

  private static final String FLAGS =
      """
      {
        "flags": {
          "new-checkout": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {"fractional": [["on", 10], ["off", 90]]}
          }
        }
      }
      """;

  @Test
  void flagFilesRenderAsTheConfigMapFlagdServesByteForByte() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml", application("shop", "apps/shop", "shop"),
                "apps/shop/deployment.yaml", deployment("web"),
                "apps/shop/flags.flagd.json", FLAGS));

    DesiredState state = desired(new Renderer().render(tree), "shop");

    var configMap = state.resources().get(key("", "ConfigMap", "shop", "shop-flags"));
    assertThat(configMap.source()).hasToString("apps/shop/flags.flagd.json:1:1");
    assertThat(configMap.object().get("data")).isEqualTo(Map.of("flagd.json", FLAGS));
    assertThat(configMap.object().get("metadata").toString())
        .contains("weir.dev/flagd=true")
        .contains("app.kubernetes.io/component=flagd-flags");
  }

  @Test
  void anInvalidFlagFileFailsTheRenderWithItsLineAndNothingReachesTheCluster() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml", application("shop", "apps/shop", "shop"),
                "apps/shop/deployment.yaml", deployment("web"),
                "apps/shop/flags.flagd.json", FLAGS.replace("\"defaultVariant\": \"off\"", "\"defaultVariant\": \"of\"")));

    RenderedApplication shop = new Renderer().render(tree).application("shop").orElseThrow();

    assertThat(shop.failed()).isTrue();
    assertThat(shop.lastGood()).isEmpty();
    assertThat(shop.errors())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "apps/shop/flags.flagd.json:6:25: flag new-checkout: unknown default variant 'of' (variants: on, off)");
  }

  @Test
  void plainDirectoryRendersNestedMultiDocumentAndListFiles() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml",
                application("shop", "apps/shop", "shop"),
                "apps/shop/deployment.yaml",
                deployment("web"),
                "apps/shop/config/maps.yml",
                configMap("a") + "---\n" + configMap("b") + "---\n",
                "apps/shop/config/deep/list.json",
                """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}},
                  {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "web"}}
                ]}
                """,
                "apps/shop/README.md",
                "# not a manifest\n",
                "apps/shop/flags.flagd.json",
                "{\"flags\": {}}\n",
                "apps/other/ignored.yaml",
                configMap("not-in-shop")));

    RepositoryRender render = new Renderer().render(tree);

    assertThat(render.problems()).isEmpty();
    DesiredState state = desired(render, "shop");
    assertThat(state.revision()).isEqualTo(tree.revision());
    assertThat(state.resources().keySet())
        .containsExactly(
            key("", "ConfigMap", "shop", "a"),
            key("", "ConfigMap", "shop", "b"),
            key("", "ConfigMap", "shop", "shop-flags"),
            key("", "Service", "shop", "web"),
            key("", "ServiceAccount", "shop", "web"),
            key("apps", "Deployment", "shop", "web"));
    assertThat(state.resources().get(key("", "ConfigMap", "shop", "b")).source())
        .hasToString("apps/shop/config/maps.yml:8:1");
    assertThat(state.resources().get(key("", "ServiceAccount", "shop", "web")).source())
        .hasToString("apps/shop/config/deep/list.json:3:3");
  }

  @Test
  void namespacedObjectsWithoutNamespaceGetTheDestinationNamespace() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml",
                application("shop", "apps/shop", "shop"),
                "apps/shop/objects.yaml",
                """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: reader}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: defaulted, labels: {app: web}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: elsewhere, namespace: other}
                ---
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: tenants.example.com}
                spec:
                  group: example.com
                  scope: Cluster
                  names: {kind: Tenant, plural: tenants}
                ---
                apiVersion: example.com/v1
                kind: Tenant
                metadata: {name: acme}
                """));

    DesiredState state = desired(new Renderer().render(tree), "shop");

    assertThat(state.resources().keySet())
        .containsExactlyInAnyOrder(
            key("", "Namespace", "", "shop"),
            key("rbac.authorization.k8s.io", "ClusterRole", "", "reader"),
            key("", "ConfigMap", "shop", "defaulted"),
            key("", "ConfigMap", "other", "elsewhere"),
            key("apiextensions.k8s.io", "CustomResourceDefinition", "", "tenants.example.com"),
            key("example.com", "Tenant", "", "acme"));
    Manifest defaulted = state.resources().get(key("", "ConfigMap", "shop", "defaulted"));
    assertThat(defaulted.object().get("metadata"))
        .hasToString("{name=defaulted, namespace=shop, labels={app=web}}");
    Manifest namespace = state.resources().get(key("", "Namespace", "", "shop"));
    assertThat(((Map<?, ?>) namespace.object().get("metadata")).containsKey("namespace")).isFalse();
  }

  @Test
  void weirKindsAreConfigurationAndNeverResources() {
    DirectoryTree tree =
        write(
            Map.of(
                "apps/shop/app.yaml", application("shop", "apps/shop", "shop"),
                "apps/shop/deployment.yaml", deployment("web"),
                "apps/shop/rollout.yaml",
                    """
                    apiVersion: weir.dev/v1alpha1
                    kind: Rollout
                    metadata: {name: web}
                    spec:
                      targetRef: {kind: Deployment, name: web}
                    ---
                    apiVersion: weir.dev/v1alpha1
                    kind: AnalysisTemplate
                    metadata: {name: success-rate}
                    spec: {metrics: []}
                    """));

    DesiredState state = desired(new Renderer().render(tree), "shop");

    assertThat(state.resources().keySet())
        .containsExactly(key("apps", "Deployment", "shop", "web"));
    assertThat(state.configuration())
        .extracting(Manifest::key)
        .containsExactly(
            key("weir.dev", "Rollout", "shop", "web"),
            key("weir.dev", "AnalysisTemplate", "shop", "success-rate"));
    assertThat(state.configuration().get(0).source()).hasToString("apps/shop/rollout.yaml:1:1");
  }

  @Test
  void applicationFieldsAreReadFromTheDocument() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/storefront.yaml",
                """
                apiVersion: weir.dev/v1alpha1
                kind: Application
                metadata: {name: storefront}
                spec:
                  source: {path: ./apps/storefront/}
                  destination: {namespace: shop, context: prod-eu}
                  syncPolicy:
                    automated: {prune: true, selfHeal: true}
                    syncOptions: [CreateNamespace=true, AllowEmpty=true]
                  ignoreDifferences:
                  - {kind: Deployment, jsonPointers: [/spec/replicas]}
                  - {group: apps, kind: StatefulSet, name: db, namespace: shop, jqPathExpressions: [.spec.x]}
                """,
                "apps/storefront/cm.yaml",
                configMap("a")));

    Application app =
        new Renderer().render(tree).application("storefront").orElseThrow().application();

    assertThat(app.path()).isEqualTo("apps/storefront");
    assertThat(app.namespace()).isEqualTo("shop");
    assertThat(app.context()).isEqualTo("prod-eu");
    assertThat(app.syncPolicy()).isEqualTo(new SyncPolicy(true, true, true, true));
    assertThat(app.ignoreDifferences())
        .containsExactly(
            new IgnoreDifference("", "Deployment", "", "", List.of("/spec/replicas"), List.of()),
            new IgnoreDifference(
                "apps", "StatefulSet", "db", "shop", List.of(), List.of(".spec.x")));
    assertThat(app.source()).hasToString("weir/storefront.yaml:1:1");
  }

  @Test
  void retryIsReadAsArgoCdReadsItAndABadFieldIsNamedWithItsPosition() {
    // https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-retry: limit,
    // backoff.duration (seconds or a duration), factor, maxDuration; Argo CD's defaults 5s, 2, 3m
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml",
                """
                apiVersion: weir.dev/v1alpha1
                kind: Application
                metadata: {name: storefront}
                spec:
                  source: {path: apps/storefront}
                  syncPolicy:
                    automated: {}
                    retry:
                      limit: 5
                      backoff: {duration: 10, factor: 3, maxDuration: 2m}
                ---
                apiVersion: weir.dev/v1alpha1
                kind: Application
                metadata: {name: search}
                spec:
                  source: {path: apps/search}
                  syncPolicy:
                    automated: {}
                    retry: {limit: -1}
                ---
                apiVersion: weir.dev/v1alpha1
                kind: Application
                metadata: {name: pricing}
                spec:
                  source: {path: apps/pricing}
                  syncPolicy:
                    automated: {}
                    retry:
                      limit: 2
                      backoff: {duration: soon}
                """,
                "apps/storefront/cm.yaml",
                configMap("a"),
                "apps/search/cm.yaml",
                configMap("b"),
                "apps/pricing/cm.yaml",
                configMap("c")));

    RepositoryRender render = new Renderer().render(tree);

    assertThat(render.application("storefront").orElseThrow().application().syncPolicy().retry())
        .isEqualTo(new SyncRetry(5, Duration.ofSeconds(10), 3, Duration.ofMinutes(2)));
    SyncRetry unlimited =
        render.application("search").orElseThrow().application().syncPolicy().retry();
    assertThat(unlimited)
        .isEqualTo(new SyncRetry(-1, Duration.ofSeconds(5), 2, Duration.ofMinutes(3)));
    assertThat(unlimited.describe()).isEqualTo("unlimited retries, 5s ×2 up to 3m");
    assertThat(render.problems())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "weir/apps.yaml:30:27: Application pricing: spec.syncPolicy.retry.backoff.duration"
                + " must be a duration such as 5s, 2m or 1h (or whole seconds), not 'soon'");
  }

  @Test
  void manualApplicationHasNoAutomatedSync() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/a.yaml", application("a", "apps/a", "a"), "apps/a/cm.yaml", configMap("x")));
    Application app = new Renderer().render(tree).application("a").orElseThrow().application();
    assertThat(app.syncPolicy()).isEqualTo(SyncPolicy.MANUAL);
  }

  @Test
  void badApplicationFieldIsNamedWithItsPosition() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml",
                """
                apiVersion: weir.dev/v1alpha1
                kind: Application
                metadata: {name: storefront}
                spec:
                  source: {path: apps/storefront}
                  syncPolicy:
                    automated:
                      prune: "yes please"
                ---
                apiVersion: weir.dev/v1alpha1
                kind: Application
                metadata: {name: nopath}
                spec:
                  source: {}
                """));

    RepositoryRender render = new Renderer().render(tree);

    String prune =
        "weir/apps.yaml:8:14: Application storefront: spec.syncPolicy.automated.prune must be"
            + " true or false";
    String path = "weir/apps.yaml:14:11: Application nopath: spec.source.path is required";
    assertThat(render.problems()).extracting(RenderProblem::toString).containsExactly(prune, path);
    assertThat(render.applications())
        .as("listed as failing to load, not missing")
        .extracting(
            RenderedApplication::name, a -> a.errors().toString(), RenderedApplication::lastGood)
        .containsExactly(
            tuple("nopath", "[" + path + "]", Optional.empty()),
            tuple("storefront", "[" + prune + "]", Optional.empty()));
  }

  @Test
  void namesNamespacesAndPathsThatAToolWouldMisreadFailToLoad() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/a.yaml", application("Shop_Front", "apps/a", "shop"),
                "weir/b.yaml", application("b", "apps/b", "'--namespace=kube-system'"),
                "weir/c.yaml", application("c", "apps/-c", "shop"),
                "weir/d.yaml", application("d", "\"apps/d\\e[2J\"", "shop"),
                "weir/e.yaml", application("e", "./apps/e/", "shop"),
                "apps/e/cm.yaml", configMap("e")));

    RepositoryRender render = new Renderer().render(tree);

    assertThat(render.problems())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "weir/a.yaml:3:18: Application: metadata.name must be a Kubernetes name (lowercase"
                + " letters, digits, '-' and '.', starting and ending with a letter or digit, at"
                + " most 253 characters): Shop_Front",
            "weir/b.yaml:6:28: Application b: spec.destination.namespace must be a Kubernetes"
                + " namespace name (lowercase letters, digits and '-', starting and ending with a"
                + " letter or digit, at most 63 characters): --namespace=kube-system",
            "weir/c.yaml:5:18: Application c: spec.source.path must not have a directory starting"
                + " with '-': apps/-c",
            "weir/d.yaml:5:18: Application d: spec.source.path must not hold control characters:"
                + " apps/d\\u001B[2J");
    assertThat(render.applications())
        .extracting(RenderedApplication::name, RenderedApplication::failed)
        .containsExactly(
            tuple("Shop_Front", true),
            tuple("b", true),
            tuple("c", true),
            tuple("d", true),
            tuple("e", false));
  }

  @Test
  void twoApplicationsWithTheSameNameNameBothPlaces() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/a.yaml", application("shop", "apps/a", "shop"),
                "weir/b.yaml", "# the copy\n" + application("shop", "apps/b", "shop"),
                "apps/a/cm.yaml", configMap("a"),
                "apps/b/cm.yaml", configMap("b")));

    RepositoryRender render = new Renderer().render(tree);

    String message = "weir/b.yaml:2:1: application shop is defined twice; first at weir/a.yaml:1:1";
    assertThat(render.problems()).extracting(RenderProblem::toString).containsExactly(message);
    RenderedApplication shop = render.application("shop").orElseThrow();
    assertThat(shop.errors()).extracting(RenderProblem::toString).containsExactly(message);
    assertThat(shop.lastGood()).isEmpty();
  }

  @Test
  void resourceDefinedTwiceNamesBothPlaces() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml", application("a", "apps/a", "shop"),
                "apps/a/x.yaml", configMap("filler") + "---\n" + deployment("web"),
                "apps/a/y.yaml", deployment("web")));

    RenderedApplication app = new Renderer().render(tree).application("a").orElseThrow();

    assertThat(app.errors())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "apps/a/y.yaml:1:1: Deployment shop/web is defined twice; first at apps/a/x.yaml:8:1");
    assertThat(app.lastGood()).isEmpty();
    assertThat(app.summary())
        .startsWith("render failed at rev ")
        .endsWith("; no good revision yet");
  }

  @Test
  void applicationWhosePathHoldsNothingFailsWithoutPruningAnything() {
    DirectoryTree tree =
        write(Map.of("weir/apps.yaml", application("ghost", "apps/ghost", "shop")));

    RenderedApplication app = new Renderer().render(tree).application("ghost").orElseThrow();

    assertThat(app.errors())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "weir/apps.yaml:1:1: application ghost: path apps/ghost holds no files at this"
                + " revision");
    assertThat(app.errors().get(0).reason()).isEqualTo(RenderProblem.Reason.PATH_NOT_FOUND);
  }

  @Test
  void emptyDirectoryOfManifestsRendersAnEmptyDesiredState() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml",
                application("a", "apps/a", "shop"),
                "apps/a/.keep.yaml",
                "# nothing yet\n"));

    assertThat(desired(new Renderer().render(tree), "a").isEmpty()).isTrue();
  }

  @Test
  void badCommitKeepsLastGoodRevisionAndCarriesTheError() throws Exception {
    Renderer renderer = new Renderer();
    DirectoryTree good =
        write(
            Map.of(
                "weir/apps.yaml",
                application("shop", "apps/shop", "shop"),
                "apps/shop/web.yaml",
                deployment("web")));
    DesiredState goodState = desired(renderer.render(good), "shop");

    Files.writeString(
        repo.resolve("apps/shop/web.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web\n");
    DirectoryTree bad = DirectoryTree.of(repo);
    RenderedApplication shop = renderer.render(bad).application("shop").orElseThrow();

    assertThat(shop.failed()).isTrue();
    assertThat(shop.revision()).isEqualTo(bad.revision());
    assertThat(shop.lastGood()).containsSame(goodState);
    assertThat(shop.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location().file()).isEqualTo("apps/shop/web.yaml");
              assertThat(p.toString()).startsWith("apps/shop/web.yaml:4:1: invalid YAML: ");
            });
    assertThat(shop.summary())
        .isEqualTo(
            "render failed at rev "
                + bad.revision().substring(0, 7)
                + "; serving last good rev "
                + good.revision().substring(0, 7));

    Files.writeString(repo.resolve("apps/shop/web.yaml"), deployment("web2"));
    RenderedApplication fixed =
        renderer.render(DirectoryTree.of(repo)).application("shop").orElseThrow();
    assertThat(fixed.failed()).isFalse();
    assertThat(fixed.lastGood().orElseThrow().resources())
        .containsOnlyKeys(key("apps", "Deployment", "shop", "web2"));
  }

  @Test
  void brokenApplicationFileKeepsTheApplicationWithItsLastGoodState() throws Exception {
    Renderer renderer = new Renderer();
    DirectoryTree good =
        write(
            Map.of(
                "weir/apps.yaml",
                application("shop", "apps/shop", "shop"),
                "apps/shop/web.yaml",
                deployment("web")));
    renderer.render(good);

    Files.writeString(
        repo.resolve("weir/apps.yaml"), application("shop", "apps/shop", "shop") + "  oops: [\n");
    RepositoryRender render = renderer.render(DirectoryTree.of(repo));

    RenderedApplication shop = render.application("shop").orElseThrow();
    assertThat(shop.failed()).isTrue();
    assertThat(shop.lastGood().orElseThrow().revision()).isEqualTo(good.revision());
    assertThat(shop.errors())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).startsWith("weir/apps.yaml:"));
    assertThat(render.problems()).hasSize(1);
  }

  @Test
  void removedApplicationDisappears() throws Exception {
    Renderer renderer = new Renderer();
    renderer.render(
        write(
            Map.of(
                "weir/apps.yaml",
                application("shop", "apps/shop", "shop"),
                "apps/shop/web.yaml",
                deployment("web"))));

    Files.delete(repo.resolve("weir/apps.yaml"));
    RepositoryRender render = renderer.render(DirectoryTree.of(repo));

    assertThat(render.applications()).isEmpty();
    assertThat(render.ok()).isTrue();
  }

  @Test
  void reRenderParsesOnlyChangedBlobs() throws Exception {
    Renderer renderer = new Renderer();
    Map<String, String> files = new java.util.HashMap<>();
    files.put("weir/apps.yaml", application("shop", "apps/shop", "shop"));
    for (int i = 0; i < 20; i++) {
      files.put("apps/shop/cm-" + i + ".yaml", configMap("cm-" + i));
    }
    DesiredState first = desired(renderer.render(write(files)), "shop");
    assertThat(renderer.parseStats().parses()).isEqualTo(21);

    Files.writeString(
        repo.resolve("apps/shop/cm-7.yaml"), configMap("cm-7").replace("value", "changed"));
    DesiredState second = desired(renderer.render(DirectoryTree.of(repo)), "shop");

    assertThat(renderer.parseStats().parses()).isEqualTo(22);
    ResourceKey changed = key("", "ConfigMap", "shop", "cm-7");
    ResourceKey unchanged = key("", "ConfigMap", "shop", "cm-3");
    assertThat(second.resources().get(changed).object().get("data"))
        .isEqualTo(Map.of("key", "changed"));
    assertThat(second.resources().get(unchanged)).isSameAs(first.resources().get(unchanged));

    // The same content at a new path is not parsed again, but is located at its new path.
    Files.move(repo.resolve("apps/shop/cm-3.yaml"), repo.resolve("apps/shop/moved.yaml"));
    DesiredState third = desired(renderer.render(DirectoryTree.of(repo)), "shop");
    assertThat(renderer.parseStats().parses()).isEqualTo(22);
    assertThat(third.resources().get(unchanged).source()).hasToString("apps/shop/moved.yaml:1:1");
  }

  @Test
  void changedDestinationNamespaceRebuildsManifests() throws Exception {
    Renderer renderer = new Renderer();
    renderer.render(
        write(
            Map.of(
                "weir/apps.yaml",
                application("a", "apps/a", "one"),
                "apps/a/cm.yaml",
                configMap("x"))));
    Files.writeString(repo.resolve("weir/apps.yaml"), application("a", "apps/a", "two"));

    DesiredState state = desired(renderer.render(DirectoryTree.of(repo)), "a");

    assertThat(state.resources()).containsOnlyKeys(key("", "ConfigMap", "two", "x"));
  }

  @Test
  void unparseableFileOutsideEveryApplicationIsARepositoryProblemOnly() {
    DirectoryTree tree =
        write(
            Map.of(
                "weir/apps.yaml",
                application("a", "apps/a", "shop"),
                "apps/a/cm.yaml",
                configMap("x"),
                "docs/broken.yaml",
                "key: [unclosed\n",
                "ci/ansible.yml",
                "- hosts: all\n"));

    RepositoryRender render = new Renderer().render(tree);

    assertThat(render.problems())
        .extracting(RenderProblem::toString)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith(
                        "docs/broken.yaml:2:1: could not look for Applications: invalid YAML: "));
    assertThat(render.application("a").orElseThrow().failed()).isFalse();
  }
}
