package dev.weir.engine.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code weir render -o yaml|json}: kubectl's shapes, stable order, values that read back the same.
 */
class ManifestPrinterTest {

  private static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: shop
      data:
        port: "8080"
        enabled: "true"
        answer: "y"
        empty: ""
        version: "1.10"
        time: "12:30"
        script: |
          #!/bin/sh
          echo hi
      """;

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        replicas: 3
        paused: false
        template:
          spec:
            containers:
            - name: web
              image: nginx:1.27
              args: []
              resources: {}
      """;

  private static Manifest manifest(String file, String yaml) throws Exception {
    YamlDocument document =
        new YamlLoader(YamlLimits.DEFAULT).load(file, yaml.getBytes(UTF_8)).get(0);
    Map<String, Object> object = document.content();
    Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
    String apiVersion = (String) object.get("apiVersion");
    ResourceKey key =
        ResourceKey.of(
            apiVersion,
            (String) object.get("kind"),
            (String) metadata.get("namespace"),
            (String) metadata.get("name"));
    return new Manifest(key, apiVersion, object, SourceLocation.ofFile(file));
  }

  @Test
  void yamlIsMultiDocumentInKeyOrderWithStringsQuotedWhereNeeded() throws Exception {
    // The deployment comes first in the input; ConfigMap (core group "") sorts first in the output.
    List<Manifest> manifests =
        List.of(manifest("d.yaml", DEPLOYMENT), manifest("c.yaml", CONFIG_MAP));

    String yaml = ManifestPrinter.print(manifests, ManifestPrinter.Format.YAML);

    assertThat(yaml)
        .isEqualTo(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: shop
            data:
              port: '8080'
              enabled: 'true'
              answer: "y"
              empty: ''
              version: '1.10'
              time: '12:30'
              script: |
                #!/bin/sh
                echo hi
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
            spec:
              replicas: 3
              paused: false
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    args: []
                    resources: {}
            """);
  }

  @Test
  void yamlReadsBackToTheSameValues() throws Exception {
    List<Manifest> manifests =
        List.of(manifest("c.yaml", CONFIG_MAP), manifest("d.yaml", DEPLOYMENT));
    String yaml = ManifestPrinter.yaml(manifests);

    List<YamlDocument> again =
        new YamlLoader(YamlLimits.DEFAULT).load("again.yaml", yaml.getBytes(UTF_8));

    assertThat(again)
        .extracting(YamlDocument::content)
        .containsExactly(manifests.get(0).object(), manifests.get(1).object());
  }

  @Test
  void jsonIsAKubectlStyleV1List() throws Exception {
    List<Manifest> manifests =
        List.of(manifest("d.yaml", DEPLOYMENT), manifest("c.yaml", CONFIG_MAP));

    String json = ManifestPrinter.print(manifests, ManifestPrinter.Format.JSON);

    assertThat(json)
        .startsWith(
            """
            {
                "apiVersion": "v1",
                "kind": "List",
                "items": [
                    {
                        "apiVersion": "v1",
                        "kind": "ConfigMap",
                        "metadata": {
                            "name": "settings",
                            "namespace": "shop"
                        },
                        "data": {
                            "port": "8080",
            """)
        .contains(
            """
                            "replicas": 3,
                            "paused": false,
            """)
        .contains("\"args\": [],\n")
        .contains("\"resources\": {}\n")
        .contains("\"script\": \"#!/bin/sh\\necho hi\\n\"")
        .endsWith("    ]\n}\n");
    Map<?, ?> parsed = new ObjectMapper().readValue(json, Map.class);
    assertThat(parsed.get("items"))
        .isEqualTo(List.of(manifests.get(1).object(), manifests.get(0).object()));
  }

  @Test
  void emptyDesiredStatePrintsNothingOrAnEmptyList() {
    assertThat(ManifestPrinter.yaml(List.of())).isEmpty();
    assertThat(ManifestPrinter.json(List.of()))
        .isEqualTo(
            "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": []\n}\n");
  }

  @Test
  void formatIsParsedFromTheCommandLineWord() {
    assertThat(ManifestPrinter.Format.parse("JSON")).isEqualTo(ManifestPrinter.Format.JSON);
    assertThatThrownBy(() -> ManifestPrinter.Format.parse("table"))
        .hasMessage("unknown output format table (expected yaml or json)");
  }
}
