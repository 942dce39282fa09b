package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}): a JSON merge
 * patch whose lists merge by the keys in {@link ListKeys} instead of being replaced, with the
 * directives kubectl sends: {@code $patch: replace|delete|merge} (in maps and list items), {@code
 * $retainKeys}, {@code $setElementOrder/<list>} and {@code $deleteFromPrimitiveList/<list>}.
 *
 * <p>Example: patching {@code containers: [{name: app, image: v2}]} onto a pod template with
 * containers {@code app} and {@code sidecar} changes {@code app}'s image and keeps {@code sidecar};
 * a JSON merge patch would have dropped {@code sidecar}.
 *
 * <p>Stateless and thread-safe.
 */
final class StrategicMergePatch {
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVES = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /**
   * Applies {@code patch} to {@code original} (modified and returned).
   *
   * @throws StatusException 415 for custom kinds, which a real server refuses strategic patches for
   */
  static ObjectNode apply(KindInfo kind, ObjectNode original, ObjectNode patch) {
    if (!ListKeys.isBuiltIn(kind)) {
      throw new StatusException(
          StatusException.Reason.UNSUPPORTED_MEDIA_TYPE,
          "the body of the request was in an unknown format - accepted media types include:"
              + " application/json-patch+json, application/merge-patch+json,"
              + " application/apply-patch+yaml");
    }
    ObjectNode merged = mergeMap(kind, List.of(), original, patch, true);
    return merged == null ? JsonNodeFactory.instance.objectNode() : merged;
  }

  /**
   * Merges {@code overlay} into {@code base} with the list rules of {@code kind} and no directives,
   * as server-side apply merges an applied configuration into the live object.
   */
  static ObjectNode mergeStructurally(KindInfo kind, ObjectNode base, ObjectNode overlay) {
    ObjectNode merged = mergeMap(kind, List.of(), base, overlay, false);
    return merged == null ? JsonNodeFactory.instance.objectNode() : merged;
  }

  /** Returns the merged map, or null when a {@code $patch: delete} removes it. */
  private static ObjectNode mergeMap(
      KindInfo kind, List<String> path, ObjectNode original, ObjectNode patch, boolean directives) {
    if (directives) {
      String directive = patch.path("$patch").asText("");
      if (directive.equals("delete")) {
        return null;
      }
      if (directive.equals("replace")) {
        return stripDirectives(patch);
      }
    }
    ObjectNode result = original == null ? JsonNodeFactory.instance.objectNode() : original;
    Map<String, JsonNode> orders = new LinkedHashMap<>();
    Map<String, JsonNode> deletions = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : patch.properties()) {
      String field = entry.getKey();
      JsonNode value = entry.getValue();
      if (directives && field.startsWith(SET_ORDER)) {
        orders.put(field.substring(SET_ORDER.length()), value);
        continue;
      }
      if (directives && field.startsWith(DELETE_PRIMITIVES)) {
        deletions.put(field.substring(DELETE_PRIMITIVES.length()), value);
        continue;
      }
      if (directives && (field.equals("$patch") || field.equals("$retainKeys"))) {
        continue;
      }
      List<String> childPath = append(path, field);
      if (value.isNull()) {
        result.remove(field);
      } else if (value.isObject()) {
        JsonNode existing = result.get(field);
        ObjectNode merged =
            mergeMap(
                kind,
                childPath,
                existing instanceof ObjectNode o ? o : null,
                (ObjectNode) value,
                directives);
        if (merged == null) {
          result.remove(field);
        } else {
          result.set(field, merged);
        }
      } else if (value.isArray()) {
        JsonNode existing = result.get(field);
        result.set(
            field,
            mergeList(
                kind,
                childPath,
                existing instanceof ArrayNode a ? a : null,
                (ArrayNode) value,
                directives));
      } else {
        result.set(field, value.deepCopy());
      }
    }
    for (Map.Entry<String, JsonNode> deletion : deletions.entrySet()) {
      if (result.get(deletion.getKey()) instanceof ArrayNode list) {
        for (Iterator<JsonNode> it = list.iterator(); it.hasNext(); ) {
          JsonNode item = it.next();
          for (JsonNode gone : deletion.getValue()) {
            if (gone.equals(item)) {
              it.remove();
              break;
            }
          }
        }
      }
    }
    for (Map.Entry<String, JsonNode> order : orders.entrySet()) {
      if (result.get(order.getKey()) instanceof ArrayNode list) {
        result.set(
            order.getKey(), reorder(kind, append(path, order.getKey()), list, order.getValue()));
      }
    }
    if (directives && patch.get("$retainKeys") instanceof ArrayNode retain) {
      List<String> keep = new ArrayList<>();
      retain.forEach(k -> keep.add(k.asText()));
      result.properties().removeIf(e -> !keep.contains(e.getKey()));
    }
    return result;
  }

  private static ArrayNode mergeList(
      KindInfo kind, List<String> path, ArrayNode original, ArrayNode patch, boolean directives) {
    if (directives) {
      for (JsonNode item : patch) {
        if (item.isObject() && item.path("$patch").asText("").equals("replace")) {
          ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
          for (JsonNode other : patch) {
            if (other != item) {
              replaced.add(
                  other.isObject() ? stripDirectives((ObjectNode) other) : other.deepCopy());
            }
          }
          return replaced;
        }
      }
    }
    ListKeys.Rule rule = ListKeys.ruleFor(kind, path);
    switch (rule) {
      case ListKeys.PrimitiveSet set -> {
        ArrayNode result = original == null ? JsonNodeFactory.instance.arrayNode() : original;
        for (JsonNode value : patch) {
          if (!contains(result, value)) {
            result.add(value.deepCopy());
          }
        }
        return result;
      }
      case ListKeys.MergeByKey byKey -> {
        ArrayNode result = original == null ? JsonNodeFactory.instance.arrayNode() : original;
        for (JsonNode item : patch) {
          if (!item.isObject()) {
            result.add(item.deepCopy());
            continue;
          }
          JsonNode keyValue = item.get(byKey.key());
          int index = keyValue == null ? -1 : indexOf(result, byKey.key(), keyValue);
          boolean delete = directives && item.path("$patch").asText("").equals("delete");
          if (delete) {
            if (index >= 0) {
              result.remove(index);
            }
          } else if (index >= 0) {
            ObjectNode merged =
                mergeMap(kind, path, (ObjectNode) result.get(index), (ObjectNode) item, directives);
            result.set(index, merged == null ? JsonNodeFactory.instance.objectNode() : merged);
          } else {
            result.add(directives ? stripDirectives((ObjectNode) item) : item.deepCopy());
          }
        }
        return result;
      }
      case ListKeys.Atomic atomic -> {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : patch) {
          result.add(
              directives && item.isObject() ? stripDirectives((ObjectNode) item) : item.deepCopy());
        }
        return result;
      }
    }
  }

  /**
   * Orders {@code list} as {@code order} says; items it does not name keep their place at the end.
   */
  private static ArrayNode reorder(
      KindInfo kind, List<String> path, ArrayNode list, JsonNode order) {
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    List<JsonNode> rest = new ArrayList<>();
    list.forEach(rest::add);
    ListKeys.Rule rule = ListKeys.ruleFor(kind, path);
    for (JsonNode wanted : order) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
        JsonNode item = it.next();
        boolean same =
            rule instanceof ListKeys.MergeByKey byKey
                ? item.path(byKey.key()).equals(wanted.path(byKey.key()))
                : item.equals(wanted);
        if (same) {
          result.add(item);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(result::add);
    return result;
  }

  private static ObjectNode stripDirectives(ObjectNode node) {
    ObjectNode copy = node.deepCopy();
    copy.properties().removeIf(e -> e.getKey().startsWith("$"));
    for (Map.Entry<String, JsonNode> entry : copy.properties()) {
      if (entry.getValue() instanceof ObjectNode child) {
        entry.setValue(stripDirectives(child));
      }
    }
    return copy;
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode item : list) {
      if (item.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> append(List<String> path, String field) {
    List<String> longer = new ArrayList<>(path.size() + 1);
    longer.addAll(path);
    longer.add(field);
    return longer;
  }
}
