package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.testkit.DirectoryTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * An Argo CD Application's {@code source.kustomize}, as Argo CD's documentation describes it
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/kustomize/): Argo CD runs {@code kustomize
 * edit} on the kustomization in the path, so each row's render through Weir is compared with what
 * the real {@code kubectl kustomize} gives for the kustomization as those edits leave it, written
 * by hand. And a repository that uses the fields to reach outside the path is refused with a line
 * naming the field, before any tool runs (decision 0011, issue 19).
 */
class ArgoKustomizeIT {
  @TempDir Path repo;
  @TempDir Path expected;
  @TempDir Path temp;

  /** The kustomization of the path, as the repository has it. */
  private static final String KUSTOMIZATION =
      """
      namePrefix: production-
      resources: [deploy.yaml, config.yaml]
      images:
      - {name: nginx, newTag: "1.25"}
      commonLabels: {team: web}
      """;

  private static final Map<String, String> PATH_FILES =
      Map.of(
          "deploy.yaml",
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
                - {name: web, image: "nginx:1.24"}
                - {name: sidecar, image: "busybox:1.35"}
          """,
          "config.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: prod}\n",
          "patch-config.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {patched: 'yes'}\n");

  /**
   * One row: the Application's {@code source.kustomize} (YAML under {@code kustomize:}, indented
   * by 6) and the kustomization Argo CD's {@code kustomize edit} calls leave in the path.
   */
  record Row(String name, String documentation, String kustomize, String editedKustomization) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "namePrefix replaces the kustomization's (kustomize edit set nameprefix)",
            "user-guide/kustomize/ namePrefix",
            "namePrefix: myapp-",
            KUSTOMIZATION.replace("namePrefix: production-", "namePrefix: myapp-")),
        new Row(
            "nameSuffix and namespace are set",
            "user-guide/kustomize/ nameSuffix, namespace",
            "nameSuffix: -v2\n      namespace: shop",
            KUSTOMIZATION + "nameSuffix: -v2\nnamespace: shop\n"),
        new Row(
            "images: one replaces the entry of its name, another renames an image",
            "user-guide/kustomize/ images",
            "images: ['nginx:1.27', 'busybox=registry.example.com/busybox:1.36']",
            KUSTOMIZATION.replace(
                "- {name: nginx, newTag: \"1.25\"}",
                "- {name: busybox, newName: registry.example.com/busybox, newTag: \"1.36\"}\n"
                    + "- {name: nginx, newTag: \"1.27\"}")),
        new Row(
            "replicas override the workload's",
            "user-guide/kustomize/ replicas",
            "replicas: [{name: web, count: 3}]",
            KUSTOMIZATION + "replicas: [{name: web, count: 3}]\n"),
        new Row(
            "commonLabels add to the kustomization's, forceCommonLabels replaces one it has;"
                + " commonAnnotations",
            "user-guide/kustomize/ commonLabels, forceCommonLabels, commonAnnotations",
            "commonLabels: {team: shop, tier: front}\n      forceCommonLabels: true\n"
                + "      commonAnnotations: {owner: alice}",
            KUSTOMIZATION.replace("commonLabels: {team: web}", "commonLabels: {team: shop, tier: front}")
                + "commonAnnotations: {owner: alice}\n"),
        new Row(
            "patches are appended: inline with a target, and a file of the path",
            "user-guide/kustomize/#patches",
            """
            patches:
            - target: {kind: Deployment, name: web}
              patch: |-
                - op: replace
                  path: /spec/template/spec/containers/0/name
                  value: app
            - path: patch-config.yaml
            """
                .indent(6)
                .strip(),
            KUSTOMIZATION
                + """
                patches:
                - target: {kind: Deployment, name: web}
                  patch: |-
                    - op: replace
                      path: /spec/template/spec/containers/0/name
                      value: app
                - path: patch-config.yaml
                """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachFieldRendersAsKubectlKustomizeBuildsTheEditedKustomization(Row row) throws Exception {
    Path kubectl = kubectl();
    RenderedApplication web = render(row.kustomize()).application("web").orElseThrow();
    assertThat(web.errors()).as(row.documentation()).isEmpty();
    assertThat(web.application().warnings()).as(row.documentation()).isEmpty();
    DesiredState state = web.lastGood().orElseThrow();
    Map<String, JsonNode> weir = new TreeMap<>();
    for (Manifest manifest : state.resources().values()) {
      weir.put(manifest.key().kind() + "/" + manifest.key().name(), json(manifest.object()));
    }

    assertThat(weir).as(row.documentation()).isEqualTo(kubectlKustomize(kubectl, row));
    assertThat(Files.readString(repo.resolve("apps/web/kustomization.yaml")))
        .as("the repository is never written")
        .isEqualTo(KUSTOMIZATION);
  }

  @Test
  void aPatchPathOutsideTheApplicationsPathIsRefusedBeforeAnyToolRuns() throws IOException {
    // kustomize's load restrictor reads only below the kustomization; Weir says so up front
    for (String outside : List.of("../../etc/passwd", "/etc/passwd", "../other/patch.yaml")) {
      RepositoryRender render = render("patches: [{path: '" + outside + "'}]");

      RenderedApplication web = render.application("web").orElseThrow();

      assertThat(web.lastGood()).as(outside).isEmpty();
      assertThat(web.errors())
          .extracting(RenderProblem::toString)
          .as(outside)
          .containsExactly(
              "argocd/web.yaml:9:24: Application web: spec.source.kustomize.patches[0].path "
                  + ApplicationReader.printable(outside)
                  + " is outside the application's path apps/web: kustomize may read only files"
                  + " below the kustomization it builds");
    }
  }

  @Test
  void aLabelTheKustomizationHasIsRefusedWithoutForceAsArgoCdRefusesIt() throws IOException {
    // user-guide/kustomize/: forceCommonLabels "defines if it's allowed to override existing labels"
    RenderedApplication web = render("commonLabels: {team: shop}").application("web").orElseThrow();

    assertThat(web.errors())
        .extracting(RenderProblem::message)
        .containsExactly(
            "spec.source.kustomize.commonLabels team: apps/web/kustomization.yaml has this"
                + " label already; Argo CD refuses to replace it unless"
                + " spec.source.kustomize.forceCommonLabels is true");
  }

  @Test
  void whatWeirDoesNotHonourIsAWarningNamingTheField() throws IOException {
    RenderedApplication web =
        render("namePrefix: a-\n      components: [../comp]\n      commonAnnotationsEnvsubst: true")
            .application("web")
            .orElseThrow();

    assertThat(web.application().warnings())
        .allMatch(w -> w.startsWith("argocd/web.yaml:"))
        .extracting(w -> w.substring(w.indexOf(": ") + 2))
        .containsExactlyInAnyOrder(
            "spec.source.kustomize.components is not honoured by Weir: the kustomization is built"
                + " without it",
            "spec.source.kustomize.commonAnnotationsEnvsubst is not honoured by Weir: the"
                + " kustomization is built without it");
    assertThat(web.errors()).isEmpty();
  }

  private RepositoryRender render(String kustomize) throws IOException {
    Path kubectl = kubectl();
    Map<String, String> files = new HashMap<>();
    files.put("apps/web/kustomization.yaml", KUSTOMIZATION);
    PATH_FILES.forEach((name, text) -> files.put("apps/web/" + name, text));
    files.put("apps/other/patch.yaml", PATH_FILES.get("patch-config.yaml"));
    files.put(
        "argocd/web.yaml",
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web, namespace: argocd}
        spec:
          source:
            repoURL: https://github.com/example-org/gitops.git
            path: apps/web
            kustomize:
              %s
          destination: {namespace: web}
        """
            .formatted(kustomize));
    DirectoryTree tree = DirectoryTree.write(repo, files);
    return new Renderer(
            RenderOptions.defaults()
                .withTools(
                    new ExternalTools(List.of(kubectl.getParent()), Duration.ofSeconds(60), temp)))
        .render(new Workspace(tree));
  }

  /** {@code kubectl kustomize} of the hand-written kustomization, each object as Weir keys it. */
  private Map<String, JsonNode> kubectlKustomize(Path kubectl, Row row) throws Exception {
    Path dir = Files.createDirectories(expected.resolve("apps/web"));
    Files.writeString(dir.resolve("kustomization.yaml"), row.editedKustomization());
    for (var file : PATH_FILES.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
    Process process =
        new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("kubectl kustomize of the hand-written kustomization").isZero();
    Map<String, JsonNode> objects = new TreeMap<>();
    for (Object document : new Yaml().loadAll(out)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) document;
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
      if (!metadata.containsKey("namespace")) {
        // the Application's destination, as Weir gives objects that name none
        Map<String, Object> withNamespace = new LinkedHashMap<>(metadata);
        withNamespace.put("namespace", "web");
        object.put("metadata", withNamespace);
      }
      objects.put(object.get("kind") + "/" + metadata.get("name"), json(object));
    }
    return objects;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Key order and number types made alike. */
  private static JsonNode json(Object value) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(value));
  }

  private static Path kubectl() {
    Optional<Path> kubectl = ExternalTools.fromEnvironment().find("kubectl");
    assumeTrue(
        kubectl.isPresent(), "kubectl is not on the PATH: install kubectl to run the kustomize tests");
    return kubectl.get();
  }

  /** The tree as the workspace https://github.com/example-org/gitops.git. */
  record Workspace(DirectoryTree tree) implements RevisionTree {
    @Override
    public String revision() {
      return tree.revision();
    }

    @Override
    public List<TreeFile> files(String directory) {
      return tree.files(directory);
    }

    @Override
    public byte[] read(TreeFile file) throws IOException {
      return tree.read(file);
    }

    @Override
    public List<String> repositoryUrls() {
      return List.of("https://github.com/example-org/gitops.git");
    }
  }
}
