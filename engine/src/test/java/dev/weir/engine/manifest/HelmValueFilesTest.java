package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.HelmValues;
import dev.weir.engine.model.HelmValues.HelmParameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An Argo CD Application's {@code source.helm} as files for {@code helm template}, as Argo CD's
 * user-guide/helm/ documents it: value files relative to the chart, then values, then parameters.
 */
class HelmValueFilesTest {

  @Test
  void valueFilesAreResolvedAgainstTheChartAndMayNotLeaveTheRepository() {
    assertThat(HelmValueFiles.resolve("charts/web", "values-prod.yaml"))
        .isEqualTo("charts/web/values-prod.yaml");
    assertThat(HelmValueFiles.resolve("charts/web", "../shared/values.yaml"))
        .isEqualTo("charts/shared/values.yaml");
    assertThat(HelmValueFiles.resolve("charts/web", "../../../etc/passwd")).isNull();
    assertThat(HelmValueFiles.resolve("", "./values.yaml")).isEqualTo("values.yaml");
  }

  @Test
  void parametersBecomeAValuesDocumentTypedAsSetTypesThem() {
    String document =
        HelmValueFiles.parameters(
            List.of(
                new HelmParameter("image.tag", "1.2.3", false),
                new HelmParameter("replicaCount", "3", false),
                new HelmParameter("ingress.enabled", "true", false),
                new HelmParameter("build", "42", true)));
    assertThat(document)
        .isEqualTo(
            "image:\n  tag: 1.2.3\nreplicaCount: 3\ningress:\n  enabled: true\nbuild: '42'\n");
  }

  @Test
  void inlineValuesComeBeforeParameters() {
    assertThat(
            HelmValueFiles.generated(
                new HelmValues(
                    List.of("values-prod.yaml"),
                    "replicaCount: 2\n",
                    List.of(new HelmParameter("replicaCount", "5", false)))))
        .containsExactly("replicaCount: 2\n", "replicaCount: 5\n");
  }
}
