package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The defaults of a CustomResourceDefinition's structural schema ({@code openAPIV3Schema}): a
 * property's {@code default} fills it in when it is absent (or {@code null} without {@code
 * nullable: true}), inside every object that is there, through {@code properties}, {@code items}
 * and {@code additionalProperties}, as the API server defaults custom resources on every write.
 * {@code metadata} is left alone. Unknown fields are not pruned (the sandbox keeps them).
 *
 * <p>Stateless and thread-safe.
 */
final class SchemaDefaults {
  private SchemaDefaults() {}

  /** Fills {@code object}'s defaults from {@code schema} (null: nothing to do). */
  static void apply(JsonNode schema, ObjectNode object) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    JsonNode metadata = object.remove("metadata");
    fill(schema, object, 0);
    if (metadata != null) {
      object.set("metadata", metadata);
    }
  }

  private static void fill(JsonNode schema, JsonNode value, int depth) {
    if (depth > 64) {
      return;
    }
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        String name = property.getKey();
        JsonNode propertySchema = property.getValue();
        JsonNode current = object.get(name);
        if (current != null
            && current.isNull()
            && !propertySchema.path("nullable").asBoolean(false)) {
          object.remove(name);
          current = null;
        }
        if (current == null && propertySchema.has("default")) {
          object.set(name, propertySchema.get("default").deepCopy());
        }
        if (object.get(name) != null) {
          fill(propertySchema, object.get(name), depth + 1);
        }
      }
      JsonNode additional = schema.get("additionalProperties");
      if (additional != null && additional.isObject()) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
          if (!properties.has(field.getKey())) {
            fill(additional, field.getValue(), depth + 1);
          }
        }
      }
    } else if (value instanceof ArrayNode array && schema.get("items") instanceof ObjectNode) {
      for (JsonNode item : array) {
        fill(schema.get("items"), item, depth + 1);
      }
    }
  }
}
