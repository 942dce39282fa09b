package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which applications a change seen by the watch mode's informers concerns: the console takes a pass
 * of those one second later.
 */
class ConsoleLiveChangesTest {
  static LiveObject deployment(String name, Map<String, Object> labels, Map<String, Object> annotations) {
    return new LiveObject(
        new ResourceKey("apps", "Deployment", "shop", name),
        "apps/v1",
        Map.of("metadata", Map.of("name", name, "namespace", "shop", "labels", labels, "annotations", annotations)));
  }

  @Test
  void theCanaryDeploymentTheRolloutEngineMadeConcernsTheApplicationOfItsRollout() {
    // not in Git, not annotated: its pods becoming ready is what the rollout waits for
    LiveObject canary = deployment(
        "storefront-canary", Map.of("rollouts.weir.dev/rollout", "storefront", "app.kubernetes.io/managed-by", "weir"),
        Map.of());
    Map<String, String> rollouts = Map.of("storefront", "storefront");
    assertThat(Console.concerns("storefront", null, canary, rollouts)).isTrue();
    assertThat(Console.concerns("checkout", null, canary, rollouts)).isFalse();
    assertThat(Console.concerns("storefront", null, canary, Map.of()))
        .as("a rollout this console does not drive")
        .isFalse();
  }

  @Test
  void aRolloutsRecordConcernsTheApplicationOfItsRollout() {
    // issue 17 §3: another console's promote is written to this ConfigMap; watch mode watches
    // ConfigMaps so that the change reaches the console that drives the rollout within a second
    LiveObject record =
        new LiveObject(
            new ResourceKey("", "ConfigMap", "shop", "storefront-rollout"),
            "v1",
            Map.of(
                "metadata",
                Map.of(
                    "name", "storefront-rollout",
                    "namespace", "shop",
                    "labels",
                        Map.of(
                            "rollouts.weir.dev/rollout", "storefront",
                            "app.kubernetes.io/managed-by", "weir"))));
    assertThat(Console.concerns("storefront", null, record, Map.of("storefront", "storefront")))
        .isTrue();
  }

  @Test
  void anObjectAnnotatedWithItsApplicationConcernsIt() {
    LiveObject annotated = deployment("inventory", Map.of(), Map.of("weir.dev/application", "inventory"));
    assertThat(Console.concerns("inventory", null, annotated, Map.of())).isTrue();
    assertThat(Console.concerns("storefront", null, annotated, Map.of())).isFalse();
  }
}
