package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.testkit.RepoBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir render} checks Rollouts and AnalysisTemplates (Weir's and Argo Rollouts') as the
 * engine reads them: a render whose Rollout cannot be driven prints nothing and names each problem
 * (issue 17: it dropped them and said nothing); a good one prints the Deployment Weir makes of an
 * inline template, never the Rollout.
 */
class ConsoleRenderRolloutsTest {
  @TempDir Path home;

  static final String APPLICATION =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Application
      metadata: {name: web}
      spec:
        source: {path: apps/web}
        destination: {namespace: shop}
      """;

  static final String ROLLOUT =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web, image: "registry.example/web:1.0.0"}]}
        strategy:
          canary:
            EXTRA
            steps: [{setWeight: 50}, {pause: {}}]
      """;

  ConsoleRender.Output render(String rollout) throws Exception {
    Path repo = home.resolve("repo.git");
    try (RepoBuilder builder = RepoBuilder.init(repo)) {
      builder
          .commit("web")
          .add("weir/web.yaml", APPLICATION)
          .add("apps/web/rollout.yaml", rollout)
          .create();
    }
    return ConsoleRender.render(
        RepositorySettings.of(repo.toString(), Map.of(), home.resolve("home")),
        Optional.empty(),
        Optional.empty(),
        false,
        ConsoleRender.Format.YAML);
  }

  @Test
  void aRolloutWithAFieldWeirDoesNotImplementFailsTheRenderNamingIt() throws Exception {
    ConsoleRender.Output output = render(ROLLOUT.replace("EXTRA", "pingPong: {pingService: a, pongService: b}"));

    assertThat(output.ok()).isFalse();
    assertThat(output.text()).isEmpty();
    assertThat(output.problems())
        .containsExactly(
            "apps/web/rollout.yaml:1:1: spec.strategy.canary.pingPong: canary.pingPong is not"
                + " supported by Weir");
  }

  @Test
  void anArgoRolloutRendersAsTheDeploymentWeirMakesOfItsTemplate() throws Exception {
    ConsoleRender.Output output = render(ROLLOUT.replace("EXTRA", "canaryService: null"));

    assertThat(output.problems()).isEmpty();
    assertThat(output.text())
        .contains("kind: Deployment", "name: web", "replicas: 3", "registry.example/web:1.0.0")
        .doesNotContain("kind: Rollout");
  }
}
