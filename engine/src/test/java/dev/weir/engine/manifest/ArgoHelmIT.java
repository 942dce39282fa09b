package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.testkit.DirectoryTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Argo CD Application's {@code source.helm} (Argo CD's user-guide/helm/: value files, values,
 * parameters; parameters win over values, values over value files) reaching {@code helm template}
 * only as values files: never {@code --set}, {@code --set-file}, nor a flag written by the
 * repository (decision 0011).
 */
class ArgoHelmIT {
  @TempDir Path repo;
  @TempDir Path bin;
  @TempDir Path temp;

  private static final String APPLICATION =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata: {name: web, namespace: argocd}
      spec:
        source:
          repoURL: https://github.com/example-org/gitops.git
          path: charts/web
          helm:
            valueFiles: [values-prod.yaml]
            values: |
              replicaCount: 2
              color: blue
            parameters:
            - {name: replicaCount, value: "5"}
        destination: {namespace: web}
      """;

  private static final Map<String, String> FILES =
      Map.of(
          "argocd/web.yaml", APPLICATION,
          "charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n",
          "charts/web/values.yaml", "replicaCount: 1\ncolor: red\nsize: small\n",
          "charts/web/values-prod.yaml", "size: large\ncolor: green\n",
          "charts/web/templates/config.yaml",
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\ndata:\n"
                  + "  replicas: \"{{ .Values.replicaCount }}\"\n"
                  + "  color: {{ .Values.color }}\n"
                  + "  size: {{ .Values.size }}\n");

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

  // A fake helm (no helm package exists on this machine): it prints, as a ConfigMap, every argument
  // it was given and the content of every --values file, so the test sees what helm would read.
  private static final String RECORDING_HELM =
      """
      #!/bin/sh
      [ "$1" = template ] || exit 1
      shift
      echo "apiVersion: v1"
      echo "kind: ConfigMap"
      echo "metadata: {name: arguments}"
      echo "data:"
      i=0
      for a in "$@"; do
        echo "  arg$i: '$a'"
        case $a in
          --values=*) f=${a#--values=}; echo "  values$i: |"; sed 's/^/    /' "$f" ;;
        esac
        i=$((i+1))
      done
      """;

  @Test
  void valuesAndParametersReachHelmAsValuesFilesWrittenOutsideTheRepositoryCopy() throws Exception {
    Path helm = bin.resolve("helm");
    Files.writeString(helm, RECORDING_HELM);
    Files.setPosixFilePermissions(helm, PosixFilePermissions.fromString("rwxr-xr-x"));
    Renderer renderer =
        new Renderer(
            RenderOptions.defaults()
                .withTools(
                    new ExternalTools(
                        List.of(bin, Path.of("/usr/bin"), Path.of("/bin")),
                        Duration.ofSeconds(60),
                        temp)));

    RenderedApplication web =
        renderer.render(new Workspace(DirectoryTree.write(repo, FILES))).application("web").orElseThrow();

    assertThat(web.errors()).isEmpty();
    Manifest recorded = web.lastGood().orElseThrow().resources().values().iterator().next();
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) recorded.object().get("data");
    List<String> arguments =
        data.entrySet().stream()
            .filter(e -> e.getKey().startsWith("arg"))
            .sorted(Map.Entry.comparingByKey())
            .map(e -> String.valueOf(e.getValue()))
            .toList();
    assertThat(arguments.getFirst()).isEqualTo("--namespace=web");
    assertThat(arguments)
        .contains("--include-crds", "--values=./charts/web/values-prod.yaml")
        .endsWith("--", "web", "./charts/web")
        .noneMatch(a -> a.startsWith("--set"));
    List<String> written =
        arguments.stream()
            .filter(a -> a.startsWith("--values=/"))
            .map(a -> a.substring("--values=".length()))
            .toList();
    assertThat(written).hasSize(2).allMatch(p -> !p.contains("/repo/"));
    assertThat(data.values().stream().map(String::valueOf))
        .contains("replicaCount: 2\ncolor: blue\n", "replicaCount: 5\n");
  }

  @Test
  void withTheRealHelmParametersWinOverValuesAndValuesOverValueFiles() {
    Optional<Path> realHelm = ExternalTools.fromEnvironment().find("helm");
    if (realHelm.isEmpty()) {
      System.out.println("ArgoHelmIT: skipped: helm is not installed on the PATH");
    }
    Assumptions.assumeTrue(realHelm.isPresent(), "helm is not installed on the PATH");

    RenderedApplication web =
        new Renderer().render(new Workspace(DirectoryTree.write(repo, FILES))).application("web").orElseThrow();

    assertThat(web.errors()).isEmpty();
    Manifest config = web.lastGood().orElseThrow().resources().values().iterator().next();
    assertThat(config.object().get("data"))
        .isEqualTo(Map.of("replicas", "5", "color", "blue", "size", "large"));
  }
}
