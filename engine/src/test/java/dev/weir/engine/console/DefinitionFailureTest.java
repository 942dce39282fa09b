package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.testkit.DirectoryTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which application definitions of a render do not load, and what each row of {@code weir status}
 * then says about them.
 */
class DefinitionFailureTest {
  @TempDir Path repo;

  static String application(String name, String source) {
    return """
        apiVersion: weir.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: %s
          destination: {namespace: shop}
        """
        .formatted(name, source);
  }

  static final String CONFIG_MAP =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n";

  List<DefinitionFailure> failures(Renderer renderer, Map<String, String> files) {
    return DefinitionFailure.of(renderer.render(DirectoryTree.write(repo, files)));
  }

  @Test
  void aGoodRepositoryHasNone() {
    assertThat(
            failures(
                new Renderer(),
                Map.of(
                    "apps/shop/application.yaml", application("shop", "{path: apps/shop}"),
                    "apps/shop/configmap.yaml", CONFIG_MAP)))
        .isEmpty();
  }

  @Test
  void aYamlErrorInAnApplicationFileIsAFailureWithoutANameAtItsLineAndColumn() {
    List<DefinitionFailure> failures =
        failures(
            new Renderer(),
            Map.of(
                "apps/shop/application.yaml",
                application("shop", "{path: apps/shop}").replace("{namespace: shop}", "{namespace: shop"),
                "apps/shop/configmap.yaml",
                CONFIG_MAP));
    assertThat(failures).hasSize(1);
    DefinitionFailure failure = failures.getFirst();
    assertThat(failure.application()).isEmpty();
    assertThat(failure.location().file()).isEqualTo("apps/shop/application.yaml");
    assertThat(failure.location().line()).isGreaterThan(1);
    assertThat(failure.reason()).isEqualTo("SYNTAX");
    assertThat(failure.describe())
        .startsWith(failure.location() + ": could not look for Applications: invalid YAML");
    assertThat(failure.brief()).startsWith(failure.location() + ": invalid YAML");
  }

  @Test
  void aMissingFieldNamesTheApplicationAndTheField() {
    List<DefinitionFailure> failures =
        failures(
            new Renderer(),
            Map.of(
                "apps/shop/application.yaml", application("shop", "{}"),
                "apps/shop/configmap.yaml", CONFIG_MAP));
    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.application()).contains("shop");
              assertThat(f.reason()).isEqualTo("INVALID_APPLICATION");
              assertThat(f.location().toString()).isEqualTo("apps/shop/application.yaml:5:11");
              assertThat(f.problem()).isEqualTo("Application shop: spec.source.path is required");
              assertThat(f.brief())
                  .isEqualTo("apps/shop/application.yaml:5:11: spec.source.path is required");
            });
  }

  @Test
  void anApplicationDefinedTwiceIsAFailureOfItsName() {
    List<DefinitionFailure> failures =
        failures(
            new Renderer(),
            Map.of(
                "apps/shop/application.yaml", application("shop", "{path: apps/shop}"),
                "apps/copy/application.yaml", application("shop", "{path: apps/shop}"),
                "apps/shop/configmap.yaml", CONFIG_MAP));
    assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(f.application()).contains("shop"));
    assertThat(failures).anySatisfy(f -> assertThat(f.reason()).isEqualTo("DUPLICATE"));
  }

  @Test
  void aKnownApplicationWhoseFileBreaksLaterIsNamed() {
    Renderer renderer = new Renderer();
    assertThat(
            failures(
                renderer,
                Map.of(
                    "apps/shop/application.yaml", application("shop", "{path: apps/shop}"),
                    "apps/shop/configmap.yaml", CONFIG_MAP)))
        .isEmpty();
    List<DefinitionFailure> failures =
        failures(
            renderer,
            Map.of(
                "apps/shop/application.yaml",
                application("shop", "{path: apps/shop}").replace("{namespace: shop}", "{namespace: shop"),
                "apps/shop/configmap.yaml",
                CONFIG_MAP));
    assertThat(failures).extracting(DefinitionFailure::application).containsExactly(Optional.of("shop"));
  }
}
