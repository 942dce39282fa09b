package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Decodes request bodies: JSON, protobuf ({@link ProtobufBodies}), and YAML for {@code
 * application/yaml} and server-side apply's {@code application/apply-patch+yaml} (SnakeYAML, safe
 * constructor, timestamps kept as strings so they round-trip the way {@code sigs.k8s.io/yaml}
 * leaves them, aliases and size limited).
 *
 * <p>Thread-safe: a new YAML loader per call (SnakeYAML's are not thread-safe).
 */
final class RequestBodies {
  private RequestBodies() {}

  /** A resolver without the timestamp rule: {@code 2026-01-01} stays a string. */
  private static final class NoTimestampResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }

  private static final Pattern YAML_TYPES =
      Pattern.compile("(?i)^application/(apply-patch\\+)?yaml.*|^text/yaml.*");

  static boolean isYaml(String contentType) {
    return contentType != null && YAML_TYPES.matcher(contentType.trim()).matches();
  }

  /** Parses a body as JSON or YAML (by content type) into an object; anything else is a 400. */
  static ObjectNode object(String contentType, byte[] body) {
    JsonNode node = node(contentType, body);
    if (!(node instanceof ObjectNode object)) {
      throw StatusException.badRequest("the request body must be a single object");
    }
    return object;
  }

  /**
   * Parses a body as JSON, YAML or Kubernetes' protobuf envelope (by content type; kubectl's typed
   * clients send protobuf, see {@link ProtobufBodies}). CBOR bodies are refused with 415, as a
   * server without that encoding would.
   */
  static JsonNode node(String contentType, byte[] body) {
    if (ProtobufBodies.isProtobuf(contentType)) {
      return ProtobufBodies.decode(body);
    }
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    if (type.contains("protobuf") || type.contains("cbor")) {
      throw new StatusException(
          StatusException.Reason.UNSUPPORTED_MEDIA_TYPE,
          "the body of the request was in an unknown format - accepted media types include: "
              + "application/json, application/yaml, application/vnd.kubernetes.protobuf");
    }
    if (isYaml(contentType)) {
      return yaml(body);
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw StatusException.badRequest("the request body is empty");
      }
      return node;
    } catch (IOException e) {
      throw StatusException.badRequest(
          "the request body is not valid JSON: " + Json.firstLine(e.getMessage()));
    }
  }

  private static JsonNode yaml(byte[] body) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(8 * 1024 * 1024);
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options),
            new Representer(new DumperOptions()),
            new DumperOptions(),
            options,
            new NoTimestampResolver());
    try {
      Object value = yaml.load(new String(body, StandardCharsets.UTF_8));
      if (value == null) {
        throw StatusException.badRequest("the request body is empty");
      }
      return Json.MAPPER.valueToTree(value);
    } catch (YAMLException | IllegalArgumentException e) {
      throw StatusException.badRequest("error decoding YAML: " + Json.firstLine(e.getMessage()));
    }
  }
}
