package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.testkit.DirectoryTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A problem of an Argo CD {@code Application} names the line and column of the field it is about,
 * as a problem of Weir's own Application does (decision 0041), not the document's start. Each case
 * is a field of Argo CD's user-guide/application-specification/ that Weir refuses or warns about.
 */
class ArgoApplicationPositionsTest {
  @TempDir Path repo;

  record Case(String name, String documentation, String spec, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            "a field Weir does not honour is warned at the field",
            "user-guide/directory/: directory.exclude",
            """
              destination: {namespace: web}
              source:
                repoURL: https://github.com/example-org/gitops.git
                path: apps/web
                directory:
                  exclude: '*.md'
            """,
            "warning argocd/web.yaml:12:16: spec.source.directory.exclude is not honoured by Weir"),
        new Case(
            "a destination by cluster name is warned at the name",
            "user-guide/application-specification/: destination.name",
            """
              source:
                repoURL: https://github.com/example-org/gitops.git
                path: apps/web
              destination:
                name: production
                namespace: web
            """,
            "warning argocd/web.yaml:11:11: spec.destination.name production: Weir syncs to the"
                + " kubeconfig's current context (or --context)"),
        new Case(
            "a missing path is an error at the source",
            "user-guide/application-specification/: source.path",
            """
              destination: {namespace: web}
              source:
                repoURL: https://github.com/example-org/gitops.git
            """,
            "error argocd/web.yaml:9:5: Application web: spec.source.path is required"),
        new Case(
            "a malformed kustomize option is an error at its value",
            "user-guide/kustomize/: replicas is a list of {name, count}",
            """
              destination: {namespace: web}
              source:
                repoURL: https://github.com/example-org/gitops.git
                path: apps/web
                kustomize:
                  replicas: 3
            """,
            "error argocd/web.yaml:12:17: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aProblemNamesTheFieldsLineAndColumn(Case c) {
    String application =
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: web
          namespace: argocd
        spec:
        """
            + c.spec();
    DirectoryTree tree =
        DirectoryTree.write(
            repo,
            Map.of(
                "argocd/web.yaml",
                application,
                "apps/web/config.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"));

    RepositoryRender render = new Renderer().render(new ArgoCdCorpusTest.Workspace(tree));

    RenderedApplication web = render.application("web").orElseThrow();
    List<String> told = new java.util.ArrayList<>();
    web.application().warnings().forEach(w -> told.add("warning " + w));
    web.errors().forEach(e -> told.add("error " + e));
    assertThat(told).as(c.documentation()).anySatisfy(t -> assertThat(t).startsWith(c.expected()));
  }
}
