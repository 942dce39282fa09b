package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.DirectoryTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kustomize and helm directories rendered through real processes. kustomize is the real one ({@code
 * kubectl kustomize} from the kubectl on the PATH). helm is a fake shell script standing in for
 * {@code helm template}, because no helm package exists on this machine: the script checks the
 * arguments Weir passes and prints what helm would for the test chart, reading the chart's
 * templates from the materialised directory.
 */
class ExternalToolRenderIT {

  @TempDir Path repo;
  @TempDir Path bin;
  @TempDir Path temp;

  private static final String FAKE_HELM =
      """
      #!/bin/sh
      # A fake helm: no helm package exists on this machine. It stands in for `helm template`.
      [ "$1" = template ] || { echo "Error: unexpected command $1" >&2; exit 1; }
      shift; namespace=default; crds=no
      while [ $# -gt 0 ]; do
        case $1 in
          --namespace=*) namespace=${1#--namespace=}; shift ;;
          --include-crds) crds=yes; shift ;;
          --) shift; break ;;
          *) echo "Error: unknown flag: $1" >&2; exit 1 ;;
        esac
      done
      [ $# -eq 2 ] || { echo "Error: expected a release and a chart after --" >&2; exit 1; }
      release=$1; chart=$2
      [ -f "$chart/Chart.yaml" ] || { echo "Error: Chart.yaml file is missing in $chart" >&2; exit 1; }
      [ "$crds" = yes ] || { echo "Error: expected --include-crds" >&2; exit 1; }
      name=$(sed -n 's/^name: *//p' "$chart/Chart.yaml")
      if grep -q fail "$chart/values.yaml"; then
        t="$name/templates/service.yaml"
        echo "Error: template: $t:3:12: executing \\"$t\\" at <.Values.oops>: nil pointer" >&2
        exit 1
      fi
      for t in "$chart"/templates/*.yaml; do
        echo "---"
        echo "# Source: $name/templates/$(basename "$t")"
        sed -e '/^{{-/d' -e "s/{{ .Release.Name }}/$release/g" -e "s/{{ .Release.Namespace }}/$namespace/g" "$t"
      done
      """;

  private static final String APP =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Application
      metadata: {name: %s}
      spec:
        source: {path: %s}
        destination: {namespace: %s}
      """;

  private static String application(String name, String path, String namespace) {
    return APP.formatted(name, path, namespace);
  }

  private Path executable(String name, String script) throws Exception {
    Path file = bin.resolve(name);
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private Renderer renderer(List<Path> path) {
    return new Renderer(
        RenderOptions.defaults().withTools(new ExternalTools(path, Duration.ofSeconds(60), temp)));
  }

  private static Optional<Path> kubectlDirectory() {
    return ExternalTools.fromEnvironment().find("kubectl").map(Path::getParent);
  }

  private static ResourceKey key(String group, String kind, String namespace, String name) {
    return new ResourceKey(group, kind, namespace, name);
  }

  private static final String BASE_DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - {name: web, image: "nginx:1.27"}
      """;

  private Map<String, String> kustomizeRepository() {
    return Map.of(
        "weir/apps.yaml", application("web", "apps/web/overlays/prod", "shop"),
        "apps/web/base/kustomization.yaml", "resources: [deployment.yaml]\n",
        "apps/web/base/deployment.yaml", BASE_DEPLOYMENT,
        "apps/web/overlays/prod/kustomization.yaml",
            """
            resources: [../../base, extra/]
            namePrefix: prod-
            labels:
            - pairs: {tier: prod}
            """,
        "apps/web/overlays/prod/extra/kustomization.yaml", "resources: [cm.yaml]\n",
        "apps/web/overlays/prod/extra/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n");
  }

  @Test
  void kustomizeOverlayIsRenderedByTheRealKustomizeWithItsBase() {
    Optional<Path> kubectl = kubectlDirectory();
    assumeTrue(
        kubectl.isPresent(),
        "kubectl is not on the PATH: install kubectl to run the kustomize tests");
    DirectoryTree tree = DirectoryTree.write(repo, kustomizeRepository());

    RepositoryRender render = renderer(List.of(kubectl.get())).render(tree);

    RenderedApplication web = render.application("web").orElseThrow();
    assertThat(web.errors()).isEmpty();
    DesiredState state = web.lastGood().orElseThrow();
    assertThat(state.resources().keySet())
        .containsExactly(
            key("", "ConfigMap", "shop", "prod-settings"),
            key("apps", "Deployment", "shop", "prod-web"));
    Manifest deployment = state.resources().get(key("apps", "Deployment", "shop", "prod-web"));
    assertThat(deployment.object().get("metadata"))
        .hasToString("{labels={tier=prod}, name=prod-web, namespace=shop}");
    assertThat(deployment.source()).hasToString("apps/web/overlays/prod/kustomization.yaml:1:1");
  }

  @Test
  void kustomizeRunsAgainOnlyWhenAFileItReadsChanged() throws Exception {
    Optional<Path> kubectl = kubectlDirectory();
    assumeTrue(
        kubectl.isPresent(),
        "kubectl is not on the PATH: install kubectl to run the kustomize tests");
    Map<String, String> files = new java.util.HashMap<>(kustomizeRepository());
    files.put("weir/other.yaml", application("other", "apps/other", "other"));
    files.put("apps/other/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n");
    Renderer renderer = renderer(List.of(kubectl.get()));
    renderer.render(DirectoryTree.write(repo, files));
    assertThat(renderer.toolRuns()).isEqualTo(1);

    Files.writeString(
        repo.resolve("apps/other/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other2}\n");
    renderer.render(DirectoryTree.of(repo));
    assertThat(renderer.toolRuns()).as("nothing kustomize reads changed").isEqualTo(1);

    Files.writeString(
        repo.resolve("apps/web/base/deployment.yaml"),
        BASE_DEPLOYMENT.replace("replicas: 1", "replicas: 3"));
    RepositoryRender render = renderer.render(DirectoryTree.of(repo));
    assertThat(renderer.toolRuns()).as("the base changed").isEqualTo(2);
    Manifest deployment =
        render
            .application("web")
            .orElseThrow()
            .lastGood()
            .orElseThrow()
            .resources()
            .get(key("apps", "Deployment", "shop", "prod-web"));
    assertThat(deployment.object().get("spec")).asString().contains("replicas=3");
  }

  @Test
  void renderersOfAProcessSharingToolOutputsRunKustomizeOncePerInputs() throws Exception {
    Optional<Path> kubectl = kubectlDirectory();
    assumeTrue(
        kubectl.isPresent(),
        "kubectl is not on the PATH: install kubectl to run the kustomize tests");
    Renderer.shareToolOutputs(16);
    try {
      Renderer first = renderer(List.of(kubectl.get()));
      first.render(DirectoryTree.write(repo, kustomizeRepository()));
      Renderer second = renderer(List.of(kubectl.get()));
      RepositoryRender again = second.render(DirectoryTree.of(repo));

      assertThat(first.toolRuns()).isEqualTo(1);
      assertThat(second.toolRuns()).as("the same inputs: the first renderer's output").isZero();
      assertThat(prodWeb(again)).asString().contains("replicas=1");

      Files.writeString(
          repo.resolve("apps/web/base/deployment.yaml"),
          BASE_DEPLOYMENT.replace("replicas: 1", "replicas: 3"));
      Renderer third = renderer(List.of(kubectl.get()));
      RepositoryRender changed = third.render(DirectoryTree.of(repo));

      assertThat(third.toolRuns()).as("an input changed").isEqualTo(1);
      assertThat(prodWeb(changed)).asString().contains("replicas=3");
    } finally {
      Renderer.shareToolOutputs(0);
    }
    Renderer alone = renderer(List.of(kubectl.get()));
    alone.render(DirectoryTree.of(repo));
    assertThat(alone.toolRuns()).as("sharing stopped").isEqualTo(1);
  }

  private static Object prodWeb(RepositoryRender render) {
    return render
        .application("web")
        .orElseThrow()
        .lastGood()
        .orElseThrow()
        .resources()
        .get(key("apps", "Deployment", "shop", "prod-web"))
        .object()
        .get("spec");
  }

  @Test
  void kustomizeFailureIsOneLineNamingRepositoryPaths() {
    Optional<Path> kubectl = kubectlDirectory();
    assumeTrue(
        kubectl.isPresent(),
        "kubectl is not on the PATH: install kubectl to run the kustomize tests");
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml",
                application("web", "apps/web", "shop"),
                "apps/web/kustomization.yaml",
                "resources: [missing.yaml]\n"));

    RenderedApplication web =
        renderer(List.of(kubectl.get())).render(tree).application("web").orElseThrow();

    assertThat(web.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(RenderProblem.Reason.TOOL_FAILED);
              assertThat(p.toString())
                  .startsWith(
                      "apps/web/kustomization.yaml:1:1: kubectl kustomize apps/web failed: accumulating resources")
                  .contains("apps/web/missing.yaml")
                  .doesNotContain(temp.toString())
                  .doesNotContain("\n");
            });
  }

  @Test
  void kustomizeDirectoryInsidePlainDirectoryIsNotAlsoReadAsPlainFiles() {
    Optional<Path> kubectl = kubectlDirectory();
    assumeTrue(
        kubectl.isPresent(),
        "kubectl is not on the PATH: install kubectl to run the kustomize tests");
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "weir/apps.yaml", application("mixed", "apps/mixed", "shop"),
                "apps/mixed/plain.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n",
                "apps/mixed/generated/kustomization.yaml",
                    "configMapGenerator:\n"
                        + "- name: generated\n"
                        + "  literals: [a=b]\n"
                        + "generatorOptions: {disableNameSuffixHash: true}\n"));

    DesiredState state =
        renderer(List.of(kubectl.get()))
            .render(tree)
            .application("mixed")
            .orElseThrow()
            .lastGood()
            .orElseThrow();

    assertThat(state.resources().keySet())
        .containsExactly(
            key("", "ConfigMap", "shop", "generated"), key("", "ConfigMap", "shop", "plain"));
  }

  @Test
  void missingKustomizeSaysWhatToInstall() {
    DirectoryTree tree = DirectoryTree.write(repo, kustomizeRepository());

    RenderedApplication web = renderer(List.of(bin)).render(tree).application("web").orElseThrow();

    assertThat(web.errors())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "apps/web/overlays/prod/kustomization.yaml:1:1: kustomize is not installed: install"
                + " kustomize, or kubectl (which includes it), on the PATH");
  }

  private Map<String, String> chartRepository(String values) {
    return Map.of(
        "weir/apps.yaml", application("storefront", "apps/storefront", "shop"),
        "apps/storefront/crd-free.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: beside-the-chart}\n",
        "apps/storefront/chart/Chart.yaml", "apiVersion: v2\nname: store\nversion: 0.1.0\n",
        "apps/storefront/chart/values.yaml", values,
        "apps/storefront/chart/templates/service.yaml",
            "apiVersion: v1\n"
                + "kind: Service\n"
                + "metadata:\n"
                + "  name: {{ .Release.Name }}\n"
                + "  namespace: {{ .Release.Namespace }}\n",
        "apps/storefront/chart/templates/deployment.yaml",
            "{{- if true }}\n"
                + "apiVersion: apps/v1\n"
                + "kind: Deployment\n"
                + "metadata:\n"
                + "  name: {{ .Release.Name }}\n");
  }

  @Test
  void helmChartIsRenderedWithTheApplicationAsReleaseAndDestinationAsNamespace() throws Exception {
    // helm here is a fake script (see the class comment): no helm package exists on this machine.
    executable("helm", FAKE_HELM);
    DirectoryTree tree = DirectoryTree.write(repo, chartRepository("replicas: 2\n"));

    RepositoryRender render =
        renderer(List.of(bin, Path.of("/usr/bin"), Path.of("/bin"))).render(tree);

    assertThat(render.problems()).as("chart templates are not scanned as YAML").isEmpty();
    RenderedApplication app = render.application("storefront").orElseThrow();
    assertThat(app.errors()).isEmpty();
    DesiredState state = app.lastGood().orElseThrow();
    assertThat(state.resources().keySet())
        .containsExactly(
            key("", "ConfigMap", "shop", "beside-the-chart"),
            key("", "Service", "shop", "storefront"),
            key("apps", "Deployment", "shop", "storefront"));
    assertThat(state.resources().get(key("", "Service", "shop", "storefront")).source())
        .hasToString("apps/storefront/chart/templates/service.yaml:1:1");
  }

  @Test
  void helmFailureCarriesItsErrorOnOneLine() throws Exception {
    executable("helm", FAKE_HELM); // a fake: no helm package exists on this machine
    DirectoryTree tree = DirectoryTree.write(repo, chartRepository("mode: fail\n"));

    RenderedApplication app =
        renderer(List.of(bin, Path.of("/usr/bin"), Path.of("/bin")))
            .render(tree)
            .application("storefront")
            .orElseThrow();

    assertThat(app.errors())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "apps/storefront/chart/Chart.yaml:1:1: helm template apps/storefront/chart failed:"
                + " template: store/templates/service.yaml:3:12: executing"
                + " \"store/templates/service.yaml\" at <.Values.oops>: nil pointer");
  }

  @Test
  void missingHelmSaysWhatToInstall() {
    DirectoryTree tree = DirectoryTree.write(repo, chartRepository("replicas: 2\n"));

    RenderedApplication app =
        renderer(List.of(bin)).render(tree).application("storefront").orElseThrow();

    assertThat(app.errors())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "apps/storefront/chart/Chart.yaml:1:1: helm is not installed: install helm 3"
                + " (https://helm.sh) on the PATH");
    assertThat(app.errors().get(0).reason()).isEqualTo(RenderProblem.Reason.TOOL_MISSING);
  }

  @Test
  void toolThatHangsIsKilledAtTheTimeLimit() throws Exception {
    executable("helm", "#!/bin/sh\n# a fake helm that never finishes\nexec sleep 60\n");
    DirectoryTree tree = DirectoryTree.write(repo, chartRepository("replicas: 2\n"));
    Renderer renderer =
        new Renderer(
            RenderOptions.defaults()
                .withTools(
                    new ExternalTools(
                        List.of(bin, Path.of("/usr/bin"), Path.of("/bin")),
                        Duration.ofMillis(300),
                        temp)));

    RenderedApplication app = renderer.render(tree).application("storefront").orElseThrow();

    assertThat(app.errors())
        .extracting(RenderProblem::toString)
        .containsExactly(
            "apps/storefront/chart/Chart.yaml:1:1: helm template apps/storefront/chart did not"
                + " finish within 300ms");
  }

  @Test
  void temporaryFilesAreRemovedAfterEveryRun() throws Exception {
    executable("helm", FAKE_HELM); // a fake: no helm package exists on this machine
    renderer(List.of(bin, Path.of("/usr/bin"), Path.of("/bin")))
        .render(DirectoryTree.write(repo, chartRepository("a: 1\n")));

    try (var left = Files.list(temp)) {
      assertThat(left).isEmpty();
    }
  }
}
