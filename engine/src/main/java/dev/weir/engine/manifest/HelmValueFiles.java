package dev.weir.engine.manifest;

import dev.weir.engine.model.HelmValues;
import dev.weir.engine.model.HelmValues.HelmParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * An Argo CD Application's {@code source.helm}, as what {@code helm template} reads: repository
 * value files resolved against the chart, inline values and parameters as values documents Weir
 * writes itself. Pure.
 */
final class HelmValueFiles {
  private HelmValueFiles() {}

  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

  /**
   * {@code valueFile} (relative to the chart directory, as Argo reads it) as a repository path, or
   * null when it leaves the repository.
   */
  static String resolve(String chartDirectory, String valueFile) {
    List<String> parts = new ArrayList<>();
    if (!chartDirectory.isEmpty()) {
      parts.addAll(List.of(chartDirectory.split("/")));
    }
    for (String part : valueFile.replace('\\', '/').split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.add(part);
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  /**
   * The values documents to pass after the value files: the inline values, then the parameters
   * (Argo's order: parameters win).
   */
  static List<String> generated(HelmValues values) {
    List<String> documents = new ArrayList<>();
    if (!values.values().isBlank()) {
      documents.add(values.values());
    }
    if (!values.parameters().isEmpty()) {
      documents.add(parameters(values.parameters()));
    }
    return documents;
  }

  /**
   * Parameters as one values document: {@code image.tag=1.2} becomes {@code image: {tag: 1.2}},
   * typed as helm's {@code --set} types a value ({@code true}/{@code false}, integers) unless
   * {@code forceString}, as {@code --set-string} keeps it.
   */
  static String parameters(List<HelmParameter> parameters) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (HelmParameter parameter : parameters) {
      String[] keys = parameter.name().split("\\.");
      Map<String, Object> node = root;
      for (int i = 0; i < keys.length - 1; i++) {
        Object child = node.get(keys[i]);
        if (!(child instanceof Map<?, ?>)) {
          child = new LinkedHashMap<String, Object>();
          node.put(keys[i], child);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) child;
        node = next;
      }
      node.put(keys[keys.length - 1], typed(parameter));
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(root);
  }

  private static Object typed(HelmParameter parameter) {
    String value = parameter.value();
    if (parameter.forceString()) {
      return value;
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    if (value.equals("null")) {
      return null;
    }
    if (INTEGER.matcher(value).matches()) {
      return Long.valueOf(value);
    }
    return value;
  }
}
