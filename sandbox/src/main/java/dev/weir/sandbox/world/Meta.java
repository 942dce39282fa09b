package dev.weir.sandbox.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading and writing the metadata of objects as Jackson trees, as the controllers need it. */
final class Meta {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String APPLICATION = "weir.dev/application";

  private Meta() {}

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText("");
  }

  static String namespace(JsonNode object) {
    return object.path("metadata").path("namespace").asText("");
  }

  static String uid(JsonNode object) {
    return object.path("metadata").path("uid").asText("");
  }

  static int generation(JsonNode object) {
    return object.path("metadata").path("generation").asInt(1);
  }

  static boolean deleting(JsonNode object) {
    return object.path("metadata").has("deletionTimestamp");
  }

  static Map<String, String> labels(JsonNode object) {
    return strings(object.path("metadata").path("labels"));
  }

  static Map<String, String> annotations(JsonNode object) {
    return strings(object.path("metadata").path("annotations"));
  }

  static Map<String, String> strings(JsonNode map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }

  static ObjectNode metadata(ObjectNode object) {
    return object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
  }

  static ObjectNode child(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode m ? m : parent.putObject(field);
  }

  /** The name of the controller owner of {@code kind}, or null. */
  static String controllerOwner(JsonNode object, String kind) {
    for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
      if (owner.path("kind").asText().equals(kind) && owner.path("controller").asBoolean(false)) {
        return owner.path("name").asText();
      }
    }
    return null;
  }

  /** An ownerReferences list naming {@code owner} as controller. */
  static ArrayNode ownedBy(JsonNode owner) {
    ArrayNode references = NODES.arrayNode();
    ObjectNode reference = references.addObject();
    reference.put("apiVersion", owner.path("apiVersion").asText());
    reference.put("kind", owner.path("kind").asText());
    reference.put("name", name(owner));
    reference.put("uid", uid(owner));
    reference.put("controller", true);
    reference.put("blockOwnerDeletion", true);
    return references;
  }

  /** The application an object belongs to, for events: its annotation, else its namespace. */
  static String application(JsonNode object) {
    String application = annotations(object).get(APPLICATION);
    return application != null ? application : namespace(object);
  }

  static String describe(JsonNode object) {
    return object.path("kind").asText() + " " + namespace(object) + "/" + name(object);
  }

  static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  static Instant parseTime(JsonNode node, Instant fallback) {
    if (node == null || !node.isTextual()) {
      return fallback;
    }
    try {
      return Instant.parse(node.asText());
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }

  static Instant created(JsonNode object, Instant fallback) {
    return parseTime(object.path("metadata").get("creationTimestamp"), fallback);
  }

  /** A condition of {@code status.conditions} by type, or null. */
  static ObjectNode condition(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals(type) && condition instanceof ObjectNode c) {
        return c;
      }
    }
    return null;
  }

  /** An int field, or {@code fallback} when absent or not a number. */
  static int intOr(JsonNode node, int fallback) {
    return node != null && node.canConvertToInt() ? node.asInt() : fallback;
  }
}
