package dev.weir.engine.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Prints manifests as kubectl does, for {@code weir render -o yaml|json}: objects in {@link
 * dev.weir.engine.model.ResourceKey} order, keys in document order.
 *
 * <ul>
 *   <li>{@code yaml}: one document per object, separated by {@code ---}, block style, lists not
 *       indented under their key. Strings that would read back as another type ({@code "8080"},
 *       {@code "true"}, {@code "y"}, {@code ""}) are quoted, multi-line strings use {@code |};
 *       numbers and booleans stay plain, so the output reads back to the same values.
 *   <li>{@code json}: a {@code {"apiVersion": "v1", "kind": "List", "items": [...]}} indented with
 *       four spaces, as {@code kubectl get -o json}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class ManifestPrinter {

  /** The {@code -o} output formats. */
  public enum Format {
    YAML,
    JSON;

    /** {@code yaml} or {@code json}, any case. */
    public static Format parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "yaml" -> YAML;
        case "json" -> JSON;
        default ->
            throw new IllegalArgumentException(
                "unknown output format " + text + " (expected yaml or json)");
      };
    }
  }

  private static final Comparator<Manifest> ORDER =
      Comparator.comparing(Manifest::key).thenComparing(m -> m.source().toString());

  private static final ObjectWriter JSON_WRITER = jsonWriter();

  private ManifestPrinter() {}

  /** The resources of {@code state} (never its configuration documents) in {@code format}. */
  public static String print(DesiredState state, Format format) {
    return print(state.resources().values(), format);
  }

  /** {@code manifests}, sorted by key, in {@code format}; ends with a newline. */
  public static String print(Collection<Manifest> manifests, Format format) {
    return format == Format.YAML ? yaml(manifests) : json(manifests);
  }

  /** Multi-document YAML, {@code ---} between documents; empty for no manifests. */
  public static String yaml(Collection<Manifest> manifests) {
    Yaml yaml = new Yaml(new KubernetesRepresenter(dumperOptions()), dumperOptions());
    StringBuilder out = new StringBuilder();
    for (Manifest manifest : sorted(manifests)) {
      if (!out.isEmpty()) {
        out.append("---\n");
      }
      out.append(yaml.dump(manifest.object()));
    }
    return out.toString();
  }

  /** A kubectl-style {@code v1 List}. */
  public static String json(Collection<Manifest> manifests) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    List<Object> items = new ArrayList<>();
    sorted(manifests).forEach(m -> items.add(m.object()));
    list.put("items", items);
    try {
      return JSON_WRITER.writeValueAsString(list) + "\n";
    } catch (JsonProcessingException e) {
      // Maps, lists, strings, numbers and booleans always serialise.
      throw new IllegalStateException("could not write JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static List<Manifest> sorted(Collection<Manifest> manifests) {
    return manifests.stream().sorted(ORDER).toList();
  }

  private static DumperOptions dumperOptions() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    options.setAllowUnicode(true);
    options.setLineBreak(DumperOptions.LineBreak.UNIX);
    return options;
  }

  private static ObjectWriter jsonWriter() {
    DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(separators)
            .withObjectIndenter(indenter)
            .withArrayIndenter(indenter);
    return new ObjectMapper().writer(printer);
  }

  /**
   * Strings as kubectl users expect: never {@code !!binary}, quoted when a YAML 1.1 reader
   * (go-yaml, which kubectl uses, also takes {@code y} and {@code n} as booleans) would read
   * another type.
   */
  private static final class KubernetesRepresenter extends Representer {

    private static final Set<String> GO_YAML_BOOLEANS = Set.of("y", "Y", "n", "N");

    KubernetesRepresenter(DumperOptions options) {
      super(options);
      Represent strings =
          data -> {
            String value = data.toString();
            DumperOptions.ScalarStyle style = DumperOptions.ScalarStyle.PLAIN;
            if (GO_YAML_BOOLEANS.contains(value)) {
              style = DumperOptions.ScalarStyle.DOUBLE_QUOTED;
            } else if (value.indexOf('\n') >= 0) {
              style = DumperOptions.ScalarStyle.LITERAL;
            }
            return representScalar(Tag.STR, value, style);
          };
      this.representers.put(String.class, strings);
    }
  }
}
