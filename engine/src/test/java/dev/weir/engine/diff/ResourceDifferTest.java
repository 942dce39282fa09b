package dev.weir.engine.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The pure comparison: normalisation, ignore rules, keyed lists, redaction, Git-fields-only mode.
 */
class ResourceDifferTest {
  static final ResourceKey WEB = new ResourceKey("apps", "Deployment", "shop", "web");

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  static LiveObject live(ResourceKey key, String text) {
    return new LiveObject(key, "apps/v1", yaml(text));
  }

  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
        resourceVersion: "42"
        uid: 1234
        generation: 3
        creationTimestamp: "2026-01-01T09:00:00Z"
        annotations: {deployment.kubernetes.io/revision: "3", example.com/owner: team-a}
        managedFields: [{manager: weir, operation: Apply, fieldsV1: {f:spec: {f:replicas: {}}}}]
      spec:
        replicas: 3
        template:
          spec:
            containers:
            - {name: app, image: "shop:1", env: [{name: DB_PASSWORD, value: hunter2}]}
            - {name: istio-proxy, image: "proxy:1"}
      status: {replicas: 3}
      """;

  @Test
  void serverFieldsAndNumberFormsAreNotDrift() {
    Map<String, Object> git =
        yaml(DEPLOYMENT.replace("replicas: 3\n    template", "replicas: 3.0\n    template"));
    ((Map<?, ?>) git.get("metadata")).remove("managedFields");
    git.remove("status");
    ResourceDiff diff =
        ResourceDiffer.compare(WEB, git, true, live(WEB, DEPLOYMENT), IgnoreRules.none(), "");
    assertThat(diff.status()).isEqualTo(ResourceDiff.Status.SYNCED);
  }

  @Test
  void ignoreRulesTakeJsonPointersAndJqPathsWithSelect() {
    String changed =
        DEPLOYMENT
            .replace("replicas: 3\n", "replicas: 7\n")
            .replace("proxy:1", "proxy:2")
            .replace("team-a", "team-b");
    IgnoreRules rules =
        IgnoreRules.compile(
            List.of(
                new IgnoreDifference(
                    "apps",
                    "Deployment",
                    "",
                    "",
                    List.of("/spec/replicas", "/metadata/annotations/example.com~1owner"),
                    List.of(
                        ".spec.template.spec.containers[] | select(.name == \"istio-proxy\") |"
                            + " .image"))));
    ResourceDiff diff =
        ResourceDiffer.compare(WEB, yaml(changed), true, live(WEB, DEPLOYMENT), rules, "");
    assertThat(diff.status()).isEqualTo(ResourceDiff.Status.SYNCED);

    ResourceDiff other =
        ResourceDiffer.compare(
            new ResourceKey("apps", "Deployment", "shop", "api"),
            yaml(changed),
            true,
            live(new ResourceKey("apps", "Deployment", "shop", "api"), DEPLOYMENT),
            IgnoreRules.compile(
                List.of(
                    new IgnoreDifference(
                        "apps", "Deployment", "web", "", List.of("/spec/replicas"), List.of()))),
            "");
    assertThat(other.changes()).extracting(c -> c.path().toString()).contains("spec.replicas");
  }

  @Test
  void anUnusableIgnoreRuleIsAProblemNotACrash() {
    IgnoreRules rules =
        IgnoreRules.compile(
            List.of(
                new IgnoreDifference(
                    "", "Deployment", "", "", List.of("spec/replicas"), List.of(".spec.[[["))));
    assertThat(rules.problems()).hasSize(2);
    assertThat(rules.problems().getFirst())
        .isEqualTo("ignoreDifferences: JSON pointer 'spec/replicas' must start with /");
    assertThat(rules.problems().get(1))
        .startsWith("ignoreDifferences: jq path expression '.spec.[[[' cannot be parsed");
  }

  @Test
  void sensitiveEnvironmentValuesNeverAppearInChangesOrText() {
    String changed = DEPLOYMENT.replace("hunter2", "correct-horse");
    ResourceDiff diff =
        ResourceDiffer.compare(
            WEB, yaml(changed), true, live(WEB, DEPLOYMENT), IgnoreRules.none(), "");
    assertThat(diff.changes())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.describe(ZoneOffset.UTC))
                    .isEqualTo(
                        "spec.template.spec.containers[name=app].env[name=DB_PASSWORD].value:"
                            + " <redacted, changed>"));
    assertThat(diff.text())
        .doesNotContain("hunter2")
        .doesNotContain("correct-horse")
        .contains("<redacted, changed>");
    assertThat(diff.changes().toString()).doesNotContain("hunter2").doesNotContain("correct-horse");
  }

  @Test
  void aWholeContainerAddedIsScrubbedOfSecretsToo() {
    String changed =
        DEPLOYMENT.replace(
            "- {name: istio-proxy",
            "- {name: sidecar, image: x, env: [{name: API_TOKEN, value: s3cr3t}]}\n"
                + "      - {name: istio-proxy");
    ResourceDiff diff =
        ResourceDiffer.compare(
            WEB, yaml(changed), true, live(WEB, DEPLOYMENT), IgnoreRules.none(), "");
    assertThat(diff.changes())
        .singleElement()
        .satisfies(c -> assertThat(c.kind()).isEqualTo(FieldChange.Kind.ADDED));
    assertThat(diff.changes().toString() + diff.text()).doesNotContain("s3cr3t");
  }

  @Test
  void withoutADryRunOnlyTheFieldsGitSetsCount() {
    String git =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 3
          template:
            spec:
              containers:
              - {name: app, image: "shop:2"}
        """;
    ResourceDiff diff =
        ResourceDiffer.compare(
            WEB, yaml(git), false, live(WEB, DEPLOYMENT), IgnoreRules.none(), "no dry run");
    assertThat(diff.changes())
        .extracting(c -> c.path().toString())
        .containsExactly("spec.template.spec.containers[name=app].image");
    assertThat(diff.note()).isEqualTo("no dry run");
    assertThat(diff.text()).doesNotContain("istio-proxy").doesNotContain("team-a");
  }
}
