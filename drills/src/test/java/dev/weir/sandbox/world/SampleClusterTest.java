package dev.weir.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's applications seeded as Git stood one commit before the newest, with the drift made.
 */
class SampleClusterTest {
  @TempDir Path dir;

  static GitSettings settings(Path dir) {
    return GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
        .withCacheRoot(dir.resolve("cache"))
        .withCredentialHelper(false);
  }

  @Test
  void seedsEveryApplicationAtHeadMinusOneAsWeirWouldHaveSyncedThemWithTheInventoryDrift()
      throws Exception {
    Path repository = dir.resolve("shop.git");
    var written = SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
    try (WorldFixture sandbox = new WorldFixture(WorldSettings.defaults());
        JGitSource source =
            JGitSource.open(
                WorkspaceSpec.of(repository.toString()), settings(dir), sandbox.clock)) {
      SampleCluster.Seeded seeded =
          SampleCluster.seed(sandbox.server, source, "HEAD~1", repository);

      assertThat(seeded.revision()).isEqualTo(written.commits().get(3));
      assertThat(seeded.problems()).isEmpty();
      assertThat(seeded.applications())
          .containsExactlyInAnyOrder(
              "checkout", "inventory", "payments", "platform", "pricing", "search", "storefront");
      ObjectNode storefront = sandbox.get("apps/v1", "Deployment", "shop", "storefront");
      assertThat(version(storefront)).as("the newest commit waits to roll out").isEqualTo("2.4.0");
      assertThat(version(sandbox.get("apps/v1", "Deployment", "shop", "checkout")))
          .isEqualTo("1.5.0");
      assertThat(
              storefront
                  .path("metadata")
                  .path("labels")
                  .path("app.kubernetes.io/managed-by")
                  .asText())
          .isEqualTo("weir");
      assertThat(
              storefront.path("metadata").path("annotations").path("weir.dev/application").asText())
          .isEqualTo("storefront");
      assertThat(managers(storefront)).contains("weir");

      ObjectNode inventory = sandbox.get("apps/v1", "Deployment", "shop", "inventory");
      assertThat(inventory.path("spec").path("replicas").asInt()).isEqualTo(5);
      assertThat(managers(inventory)).contains("kubectl-edit");
      assertThat(SampleCluster.holdsApplications(sandbox.server)).isTrue();

      sandbox.advance(Duration.ofMinutes(1));
      assertThat(sandbox.world.endpoints("shop", "inventory")).hasSize(5);
      assertThat(sandbox.world.endpoints("shop", "storefront-stable")).hasSize(4);
      assertThat(sandbox.world.traffic("shop").flows())
          .extracting(f -> f.router() + " " + f.service())
          .contains("HTTPRoute storefront", "Service checkout", "Service inventory");
    }
  }

  static String version(JsonNode deployment) {
    return deployment
        .path("spec")
        .path("template")
        .path("metadata")
        .path("labels")
        .path("app.kubernetes.io/version")
        .asText();
  }

  static java.util.List<String> managers(JsonNode object) {
    java.util.List<String> managers = new java.util.ArrayList<>();
    object
        .path("metadata")
        .path("managedFields")
        .forEach(m -> managers.add(m.path("manager").asText()));
    return managers;
  }
}
