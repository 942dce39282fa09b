package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.testkit.DirectoryTree;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A repository written in Argo CD's formats (test resources {@code argo-cd-corpus/}, written for
 * Weir in the shapes Argo CD's documentation shows), read as Argo CD reads it. Each row cites the
 * page of Argo CD's documentation it follows (https://argo-cd.readthedocs.io/en/stable/…).
 */
class ArgoCdCorpusTest {

  private static RepositoryRender render;

  /** The corpus as the workspace https://github.com/example-org/gitops.git. */
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

  @BeforeAll
  static void renderCorpus() throws URISyntaxException {
    Path root =
        Path.of(Objects.requireNonNull(ArgoCdCorpusTest.class.getResource("/argo-cd-corpus")).toURI());
    render = new Renderer().render(new Workspace(DirectoryTree.of(root)));
  }

  /**
   * One application of the corpus: what renders (object names, hooks), or why it is refused, and
   * the warnings it carries.
   */
  record Case(
      String name,
      String documentation,
      String application,
      List<String> objects,
      List<String> hooks,
      String refusal,
      List<String> warnings) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "a directory application reads only its own directory, tab-ended lines and all",
            "user-guide/directory/ (recurse is off by default)",
            "guestbook",
            List.of("Deployment guestbook/guestbook-ui", "Service guestbook/guestbook-ui"),
            List.of(),
            "",
            List.of()),
        new Case(
            "directory.recurse reads subdirectories; what Weir does not honour is a warning",
            "user-guide/directory/#enabling-recursive-resource-detection",
            "nested",
            List.of("ConfigMap nested/deeper", "ConfigMap nested/top"),
            List.of(),
            "",
            List.of(
                "argocd/applications.yaml:43:16: spec.source.directory.exclude is not honoured by"
                    + " Weir",
                "argocd/applications.yaml:45:11: spec.destination.name production: Weir syncs to"
                    + " the kubeconfig's current context (or --context)")),
        new Case(
            "source.kustomize.namePrefix replaces the kustomization's; retry is read; Replace=true"
                + " is warned",
            "user-guide/kustomize/, user-guide/sync-options/#replace-resource-instead-of-applying-changes",
            "kustomized",
            List.of("ConfigMap kustomized/prod-settings"),
            List.of(),
            "",
            List.of(
                "argocd/applications.yaml:57:21: spec.source.targetRevision main: Weir renders the"
                    + " revision it follows (--branch), not this one",
                "argocd/applications.yaml:66:7: spec.syncPolicy.syncOptions Replace=true is"
                    + " refused: Weir applies objects server-side and never replaces them")),
        new Case(
            "another repository is listed with the reason, not dropped",
            "user-guide/application-specification/",
            "elsewhere",
            List.of(),
            List.of(),
            "application elsewhere is not served by Weir: spec.source.repoURL"
                + " https://github.com/someone-else/other.git is not this repository"
                + " (https://github.com/example-org/gitops.git); Weir renders only the repository"
                + " it follows",
            List.of()),
        new Case(
            "a chart repository is listed with the reason, not dropped",
            "user-guide/helm/",
            "redis",
            List.of(),
            List.of(),
            "application redis is not served by Weir: spec.source.chart: the chart redis comes"
                + " from the chart repository https://charts.example.com; Weir renders only charts"
                + " kept in this repository",
            List.of()),
        new Case(
            "hooks are kept apart, generateName allowed, hook: Skip never applied",
            "user-guide/resource_hooks/",
            "hooks",
            List.of("ConfigMap hooks/kept-out", "ConfigMap hooks/settings", "ConfigMap hooks/stays"),
            List.of("Job hooks/schema-migrate-", "Job hooks/smoke-test"),
            "",
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachApplicationRendersOrIsRefusedAsArgoCdWouldHaveIt(Case c) {
    RenderedApplication rendered = render.application(c.application()).orElseThrow();
    Application app = rendered.application();
    assertThat(app.warnings()).as(c.documentation()).containsExactlyElementsOf(c.warnings());
    if (!c.refusal().isEmpty()) {
      assertThat(rendered.errors())
          .extracting(RenderProblem::message)
          .as(c.documentation())
          .containsExactly(c.refusal());
      return;
    }
    assertThat(rendered.errors()).as(c.documentation()).isEmpty();
    DesiredState state = rendered.lastGood().orElseThrow();
    assertThat(state.resources().values().stream().map(ArgoCdCorpusTest::describe).sorted())
        .as(c.documentation())
        .containsExactlyElementsOf(c.objects().stream().sorted().toList());
    assertThat(state.hooks().stream().map(ArgoCdCorpusTest::describe).sorted())
        .containsExactlyElementsOf(c.hooks());
  }

  @Test
  void theArgoControlPlanesNamespaceIsNotTheDestination() {
    Application guestbook = render.application("guestbook").orElseThrow().application();
    assertThat(guestbook.namespace()).isEqualTo("guestbook");
    assertThat(guestbook.syncPolicy().automated()).isTrue();
    assertThat(guestbook.syncPolicy().prune()).isTrue();
    assertThat(guestbook.syncOptions().createNamespace()).isTrue();
    assertThat(guestbook.syncOptions().respectIgnoreDifferences()).isTrue();
    assertThat(guestbook.ignoreDifferences()).hasSize(1);
    assertThat(guestbook.syncPolicy().retry().limit()).as("no retry block: none").isZero();
    // user-guide/auto_sync/#automatic-retry: limit 2 with Argo CD's default backoff
    assertThat(render.application("kustomized").orElseThrow().application().syncPolicy().retry())
        .isEqualTo(
            new dev.weir.engine.model.SyncRetry(
                2, java.time.Duration.ofSeconds(5), 2, java.time.Duration.ofMinutes(3)));
  }

  @Test
  void aFileNoApplicationRendersIsOnlyAWarningAndStopsNoApplication() {
    assertThat(render.problems())
        .extracting(RenderProblem::toString)
        .singleElement()
        .asString()
        .startsWith("README-notes.yaml:")
        .contains(Renderer.COULD_NOT_LOOK);
    assertThat(render.application("guestbook").orElseThrow().failed()).isFalse();
  }

  private static String describe(Manifest manifest) {
    return manifest.key().kind() + " " + manifest.key().namespace() + "/" + manifest.key().name();
  }
}
