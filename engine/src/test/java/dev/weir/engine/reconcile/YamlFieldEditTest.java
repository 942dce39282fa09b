package dev.weir.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Changing one scalar of a YAML file in place, for hotfix backports. */
class YamlFieldEditTest {
  static final String FILE =
      """
      # the web tier
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web   # keep this comment
      spec:
        replicas: 3 # scaled by hand during incidents
        template:
          spec:
            containers:
            - name: app
              image: "shop:1.4.2"
              args: [--verbose]
      """;

  @Test
  void aScalarIsReplacedAndEverythingElseKept() {
    var outcome = YamlFieldEdit.replace(FILE, 7, "/spec/replicas", 8L);
    assertThat(outcome).isInstanceOf(YamlFieldEdit.Edited.class);
    String text = ((YamlFieldEdit.Edited) outcome).text();
    assertThat(text).isEqualTo(FILE.replace("replicas: 3 #", "replicas: 8 #"));
  }

  @Test
  void aQuotedStringInAListItemIsReplaced() {
    var outcome =
        YamlFieldEdit.replace(
            FILE, 7, "/spec/template/spec/containers/0/image", "shop:1.4.3-hotfix");
    assertThat(((YamlFieldEdit.Edited) outcome).text())
        .contains("image: shop:1.4.3-hotfix\n")
        .contains("# keep this comment");
    var numberLike =
        YamlFieldEdit.replace(FILE, 7, "/spec/template/spec/containers/0/image", "1.10");
    assertThat(((YamlFieldEdit.Edited) numberLike).text()).contains("image: \"1.10\"\n");
  }

  @Test
  void fieldsGitDoesNotSetOrThatAreNotSingleValuesAreRefused() {
    assertThat(YamlFieldEdit.replace(FILE, 7, "/spec/paused", true))
        .isEqualTo(
            new YamlFieldEdit.Refused("/spec/paused is not set in Git's file; add it by hand"));
    assertThat(YamlFieldEdit.replace(FILE, 7, "/spec/template/spec/containers/0/args", "x"))
        .isEqualTo(
            new YamlFieldEdit.Refused(
                "/spec/template/spec/containers/0/args is not a single value in Git's file; change"
                    + " it by hand"));
    assertThat(YamlFieldEdit.replace(FILE, 2, "/spec/replicas", 8L))
        .as("the Service document has no replicas")
        .isInstanceOf(YamlFieldEdit.Refused.class);
  }
}
