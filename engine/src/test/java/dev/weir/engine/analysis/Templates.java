package dev.weir.engine.analysis;

import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SourceLocation;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** AnalysisTemplate manifests for tests, from YAML text as it would be in Git. */
final class Templates {
  private Templates() {}

  static Manifest manifest(String yaml, String file, int line) {
    Map<String, Object> object = new Yaml().load(yaml);
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) object.getOrDefault("metadata", Map.of());
    String apiVersion = String.valueOf(object.get("apiVersion"));
    return new Manifest(
        ResourceKey.of(
            apiVersion,
            String.valueOf(object.get("kind")),
            "",
            String.valueOf(metadata.getOrDefault("name", ""))),
        apiVersion,
        object,
        new SourceLocation(file, line, 1));
  }

  static AnalysisTemplateSpec spec(String yaml) {
    return switch (AnalysisTemplateParser.parse(manifest(yaml, "apps/shop/analysis.yaml", 1))) {
      case AnalysisTemplateParser.Result.Parsed parsed -> parsed.spec();
      case AnalysisTemplateParser.Result.Invalid invalid ->
          throw new IllegalArgumentException(invalid.errors().toString());
    };
  }
}
