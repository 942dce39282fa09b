package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON patch ({@code application/json-patch+json}): {@code add}, {@code remove}, {@code
 * replace}, {@code move}, {@code copy} and {@code test} on RFC 6901 pointers. A malformed patch is
 * a 400; an operation that cannot be applied (missing path, failed test) is a 422, as on a real
 * server. Stateless and thread-safe.
 *
 * <p>Limits, as kube-apiserver's: at most {@value #MAX_OPERATIONS} operations (more is a 413,
 * {@code The allowed maximum operations in a JSON patch is 10000, got N}), and {@code copy}
 * operations may add at most {@value #MAX_COPY_BYTES} bytes of JSON in all ({@code
 * JSONPatchMaxCopyBytes}; more is a 422). Each copy's size is counted while it is measured, and the
 * count stops at the budget, so a patch that doubles a value again and again (a 1 KB "patch bomb"
 * that would grow to gigabytes) is refused after a few megabytes of work, while the store's write
 * lock is held only that long.
 */
final class JsonPatch {
  /** kube-apiserver's {@code maxJSONPatchOperations}. */
  static final int MAX_OPERATIONS = 10_000;

  /** kube-apiserver's default {@code JSONPatchMaxCopyBytes}: 3 MiB. */
  static final long MAX_COPY_BYTES = 3L * 1024 * 1024;

  private JsonPatch() {}

  /** Applies {@code patch} (a JSON array of operations) to {@code target}, which is modified. */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw StatusException.badRequest(
          "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    }
    if (patch.size() > MAX_OPERATIONS) {
      throw StatusException.tooLarge(
          "The allowed maximum operations in a JSON patch is "
              + MAX_OPERATIONS
              + ", got "
              + patch.size());
    }
    JsonNode document = target;
    long copied = 0;
    for (JsonNode operation : patch) {
      String op = operation.path("op").asText("");
      String path = requirePointer(operation, "path");
      switch (op) {
        case "add" -> document = add(document, path, value(operation));
        case "remove" -> document = remove(document, path);
        case "replace" -> {
          get(document, path);
          document = remove(document, path);
          document = add(document, path, value(operation));
        }
        case "move" -> {
          String from = requirePointer(operation, "from");
          JsonNode moved = get(document, from);
          document = remove(document, from);
          document = add(document, path, moved);
        }
        case "copy" -> {
          String from = requirePointer(operation, "from");
          JsonNode copy = get(document, from);
          copied += JsonSize.upTo(copy, MAX_COPY_BYTES - copied);
          if (copied > MAX_COPY_BYTES) {
            throw unprocessable(
                "Unable to complete the copy, the accumulated size increase of copy is more than "
                    + MAX_COPY_BYTES
                    + ", exceeding the limit "
                    + MAX_COPY_BYTES);
          }
          document = add(document, path, copy.deepCopy());
        }
        case "test" -> {
          JsonNode actual = get(document, path);
          if (!actual.equals(value(operation))) {
            throw unprocessable("testing value " + path + " failed: test failed");
          }
        }
        default -> throw StatusException.badRequest("Unexpected kind: " + op);
      }
    }
    return document;
  }

  private static String requirePointer(JsonNode operation, String field) {
    JsonNode pointer = operation.get(field);
    if (pointer == null || !pointer.isTextual()) {
      throw StatusException.badRequest("json patch operation is missing '" + field + "'");
    }
    String text = pointer.asText();
    if (!text.isEmpty() && !text.startsWith("/")) {
      throw StatusException.badRequest("json patch pointer must start with '/': " + text);
    }
    return text;
  }

  private static JsonNode value(JsonNode operation) {
    JsonNode value = operation.get("value");
    if (value == null) {
      throw StatusException.badRequest(
          "json patch operation " + operation.path("op").asText() + " has no value");
    }
    return value.deepCopy();
  }

  private static List<String> tokens(String pointer) {
    List<String> tokens = new ArrayList<>();
    if (pointer.isEmpty()) {
      return tokens;
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static JsonNode get(JsonNode document, String pointer) {
    JsonNode node = document;
    for (String token : tokens(pointer)) {
      node = child(node, token, pointer);
    }
    return node;
  }

  private static JsonNode child(JsonNode node, String token, String pointer) {
    JsonNode next = null;
    if (node.isObject()) {
      next = node.get(token);
    } else if (node.isArray()) {
      int index = index(token, node.size() - 1, pointer);
      next = node.get(index);
    }
    if (next == null) {
      throw unprocessable(
          "the server rejected our request due to an error in our request: path "
              + pointer
              + " does not exist");
    }
    return next;
  }

  private static JsonNode add(JsonNode document, String pointer, JsonNode value) {
    List<String> tokens = tokens(pointer);
    if (tokens.isEmpty()) {
      return value;
    }
    JsonNode parent = document;
    for (String token : tokens.subList(0, tokens.size() - 1)) {
      parent = child(parent, token, pointer);
    }
    String last = tokens.get(tokens.size() - 1);
    if (parent instanceof ObjectNode object) {
      object.set(last, value);
    } else if (parent instanceof ArrayNode array) {
      if (last.equals("-")) {
        array.add(value);
      } else {
        array.insert(index(last, array.size(), pointer), value);
      }
    } else {
      throw unprocessable("add operation does not apply: doc is missing path: " + pointer);
    }
    return document;
  }

  private static JsonNode remove(JsonNode document, String pointer) {
    List<String> tokens = tokens(pointer);
    if (tokens.isEmpty()) {
      throw unprocessable("cannot remove the whole document");
    }
    JsonNode parent = document;
    for (String token : tokens.subList(0, tokens.size() - 1)) {
      parent = child(parent, token, pointer);
    }
    String last = tokens.get(tokens.size() - 1);
    if (parent instanceof ObjectNode object) {
      if (object.remove(last) == null) {
        throw unprocessable(
            "remove operation does not apply: doc is missing path: \"" + pointer + "\"");
      }
    } else if (parent instanceof ArrayNode array) {
      array.remove(index(last, array.size() - 1, pointer));
    } else {
      throw unprocessable(
          "remove operation does not apply: doc is missing path: \"" + pointer + "\"");
    }
    return document;
  }

  private static int index(String token, int max, String pointer) {
    try {
      int index = Integer.parseInt(token);
      if (index < 0 || index > max) {
        throw unprocessable("Unable to access invalid index: " + index + " in " + pointer);
      }
      return index;
    } catch (NumberFormatException e) {
      throw unprocessable("invalid array index '" + token + "' in " + pointer);
    }
  }

  private static StatusException unprocessable(String message) {
    return new StatusException(StatusException.Reason.INVALID, message);
  }
}
