package dev.weir.sandbox.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The sandbox API server's one JSON codec (Jackson), and small accessors for object metadata.
 * Thread-safe; the mapper is shared.
 */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Json() {}

  /** Parses a request body or a stored object; a body that is not a JSON object is a 400. */
  static ObjectNode parseObject(byte[] bytes) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw StatusException.badRequest(
          "the request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw StatusException.badRequest("the request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Parses JSON that is known to be valid (it was written by this server). */
  static ObjectNode parseStored(byte[] bytes) {
    try {
      return (ObjectNode) MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code metadata}, created when absent (or replaced when not an object). */
  static ObjectNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata instanceof ObjectNode existing) {
      return existing;
    }
    return object.putObject("metadata");
  }

  /** A text field of {@code metadata}, or {@code ""}. */
  static String meta(ObjectNode object, String field) {
    JsonNode metadata = object.get("metadata");
    if (metadata == null) {
      return "";
    }
    JsonNode value = metadata.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
