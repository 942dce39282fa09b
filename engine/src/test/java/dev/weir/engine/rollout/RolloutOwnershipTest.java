package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutOwnershipTest {
  final RolloutOwnership ownership =
      RolloutOwnership.of(
          RolloutSpecParser.parseAll(Apps.storefront(RolloutSpecParserTest.DESIGN_EXAMPLE))
              .rollouts());

  @Test
  void theTargetsTemplateAndReplicasAreTheRolloutsNotDrift() {
    ResourceKey deployment = new ResourceKey("apps", "Deployment", "shop", "storefront");
    assertThat(ownership.owns(deployment, "/spec/template/spec/containers/0/image")).isTrue();
    assertThat(ownership.owns(deployment, "/spec/replicas")).isTrue();
    assertThat(ownership.owns(deployment, "/metadata/labels/team")).isFalse();
    assertThat(ownership.owns(deployment, "/spec/templateX")).isFalse();
  }

  @Test
  void routerWeightsSelectorsAndMadeObjectsAreTheRollouts() {
    assertThat(
            ownership.owns(
                new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront"),
                "/spec/rules/0/backendRefs/1/weight"))
        .isTrue();
    assertThat(
            ownership.owns(
                new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront"),
                "/spec/hostnames"))
        .isFalse();
    assertThat(
            ownership.owns(
                new ResourceKey("", "Service", "shop", "storefront-canary"), "/spec/selector"))
        .isTrue();
    assertThat(
            ownership.ownsObject(
                new ResourceKey("apps", "Deployment", "shop", "storefront-canary")))
        .isTrue();
    assertThat(ownership.ownsObject(new ResourceKey("", "ConfigMap", "shop", "storefront-rollout")))
        .isTrue();
    assertThat(ownership.ownsObject(new ResourceKey("apps", "Deployment", "shop", "storefront")))
        .isFalse();
  }

  @Test
  void anApplicationWithoutRolloutsOwnsNothing() {
    RolloutOwnership none = RolloutOwnership.of(List.of());
    assertThat(
            none.owns(
                new ResourceKey("apps", "Deployment", "shop", "storefront"), "/spec/template"))
        .isFalse();
    assertThat(none.asIgnoreDifferences()).isEmpty();
  }

  @Test
  void ownedFieldsReadAsIgnoreDifferences() {
    assertThat(ownership.asIgnoreDifferences())
        .anySatisfy(
            d -> {
              assertThat(d.kind()).isEqualTo("Deployment");
              assertThat(d.name()).isEqualTo("storefront");
              assertThat(d.jsonPointers()).containsExactly(
                      "/spec/template",
                      "/spec/replicas",
                      "/metadata/annotations/rollouts.weir.dev~1template-hash");
            });
  }
}
