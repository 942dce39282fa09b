package dev.weir.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of field paths in the {@code FieldsV1} form of {@code metadata.managedFields}: a tree whose
 * edges are path elements ({@code f:spec} a field, {@code k:{"name":"app"}} a list item by key,
 * {@code v:"x"} a set value, {@code i:0} an index) and whose {@code .} marks a node that is itself
 * a member (a list item owned as a whole). Leaves are members.
 *
 * <p>Example: {@code spec.replicas} and the image of container {@code app} are {@code
 * {"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":
 * {".":{},"f:image":{},"f:name":{}}}}}}}}.
 *
 * <p>Mutable, not thread-safe: build one per request.
 */
final class FieldSet {
  /** The top-level and metadata fields no manager owns (as on a real server). */
  private static final Set<String> IGNORED_TOP = Set.of("apiVersion", "kind");

  private static final Set<String> IGNORED_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "managedFields",
          "selfLink",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "generateName");

  /** A real server's order: {@code .} first, then fields, keys, values, indexes, each sorted. */
  private static final java.util.Comparator<String> ELEMENT_ORDER =
      java.util.Comparator.comparingInt(FieldSet::rank)
          .thenComparing(java.util.Comparator.naturalOrder());

  private final Map<String, FieldSet> children = new java.util.TreeMap<>(ELEMENT_ORDER);

  private static int rank(String element) {
    if (element.equals(".")) {
      return 0;
    }
    return switch (element.charAt(0)) {
      case 'f' -> 1;
      case 'k' -> 2;
      case 'v' -> 3;
      default -> 4;
    };
  }

  /** A path element and the value found under it. */
  record Step(String element, JsonNode value) {}

  FieldSet() {}

  /** Reads {@code fieldsV1}. */
  static FieldSet fromFieldsV1(JsonNode fieldsV1) {
    FieldSet set = new FieldSet();
    if (fieldsV1 != null && fieldsV1.isObject()) {
      for (Map.Entry<String, JsonNode> entry : fieldsV1.properties()) {
        set.children.put(entry.getKey(), fromFieldsV1(entry.getValue()));
      }
    }
    return set;
  }

  /** Writes the {@code fieldsV1} form. */
  ObjectNode toFieldsV1() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, FieldSet> entry : children.entrySet()) {
      node.set(entry.getKey(), entry.getValue().toFieldsV1());
    }
    return node;
  }

  /**
   * Every field set in {@code object}, ignoring identity and server-owned metadata; {@code
   * subresource} chooses the main resource ({@code ""}: status left out when the kind has a status
   * subresource), {@code status} (status only) or {@code scale} ({@code spec.replicas} only).
   */
  static FieldSet of(KindInfo kind, ObjectNode object, String subresource) {
    FieldSet set = new FieldSet();
    if (subresource.equals("scale")) {
      if (object.path("spec").has("replicas")) {
        set.add(List.of("f:spec", "f:replicas"));
      }
      return set;
    }
    boolean statusOnly = subresource.equals("status");
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      String field = entry.getKey();
      if (IGNORED_TOP.contains(field)) {
        continue;
      }
      boolean status = field.equals("status");
      if (statusOnly != status && (statusOnly || kind.statusSubresource())) {
        continue;
      }
      if (field.equals("metadata") && entry.getValue() instanceof ObjectNode metadata) {
        FieldSet metadataSet = new FieldSet();
        for (Map.Entry<String, JsonNode> m : metadata.properties()) {
          if (!IGNORED_METADATA.contains(m.getKey())) {
            metadataSet.children.put(
                "f:" + m.getKey(), valueSet(kind, List.of("metadata", m.getKey()), m.getValue()));
          }
        }
        if (!metadataSet.children.isEmpty()) {
          set.children.put("f:metadata", metadataSet);
        }
        continue;
      }
      set.children.put("f:" + field, valueSet(kind, List.of(field), entry.getValue()));
    }
    return set;
  }

  private static FieldSet valueSet(KindInfo kind, List<String> path, JsonNode value) {
    FieldSet set = new FieldSet();
    if (value instanceof ObjectNode object && !object.isEmpty()) {
      for (Map.Entry<String, JsonNode> entry : object.properties()) {
        set.children.put(
            "f:" + entry.getKey(), valueSet(kind, append(path, entry.getKey()), entry.getValue()));
      }
    } else if (value instanceof ArrayNode array && !array.isEmpty()) {
      ListKeys.Rule rule = ListKeys.ruleFor(kind, path);
      if (rule instanceof ListKeys.MergeByKey byKey) {
        for (JsonNode item : array) {
          if (item instanceof ObjectNode itemObject && item.has(byKey.key())) {
            FieldSet itemSet = valueSet(kind, path, itemObject);
            FieldSet withSelf = new FieldSet();
            withSelf.children.put(".", new FieldSet());
            withSelf.children.putAll(itemSet.children);
            set.children.put(keyElement(byKey.key(), item.get(byKey.key())), withSelf);
          }
        }
      } else if (rule instanceof ListKeys.PrimitiveSet) {
        for (JsonNode item : array) {
          set.children.put("v:" + item.toString(), new FieldSet());
        }
      }
    }
    return set;
  }

  static String keyElement(String key, JsonNode value) {
    ObjectNode keyObject = JsonNodeFactory.instance.objectNode();
    keyObject.set(key, value);
    return "k:" + keyObject;
  }

  boolean isEmpty() {
    return children.isEmpty();
  }

  /** Every member path, depth first; a path is a list of elements ({@code .} included). */
  List<List<String>> leaves() {
    List<List<String>> result = new ArrayList<>();
    collect(new ArrayList<>(), result);
    return result;
  }

  private void collect(List<String> prefix, List<List<String>> result) {
    for (Map.Entry<String, FieldSet> entry : children.entrySet()) {
      prefix.add(entry.getKey());
      if (entry.getValue().children.isEmpty()) {
        result.add(List.copyOf(prefix));
      } else {
        entry.getValue().collect(prefix, result);
      }
      prefix.remove(prefix.size() - 1);
    }
  }

  boolean contains(List<String> path) {
    FieldSet node = this;
    for (String element : path) {
      node = node.children.get(element);
      if (node == null) {
        return false;
      }
    }
    return node.children.isEmpty();
  }

  /** Whether this set has {@code path} or anything under it. */
  boolean containsPrefix(List<String> path) {
    FieldSet node = this;
    for (String element : path) {
      node = node.children.get(element);
      if (node == null) {
        return false;
      }
    }
    return true;
  }

  void add(List<String> path) {
    FieldSet node = this;
    for (String element : path) {
      node = node.children.computeIfAbsent(element, e -> new FieldSet());
    }
  }

  void addAll(FieldSet other) {
    for (List<String> leaf : other.leaves()) {
      add(leaf);
    }
  }

  /** Removes {@code path} and prunes parents left empty. */
  void remove(List<String> path) {
    removeFrom(this, path, 0);
  }

  private static boolean removeFrom(FieldSet node, List<String> path, int depth) {
    if (depth == path.size()) {
      return true;
    }
    FieldSet child = node.children.get(path.get(depth));
    if (child == null) {
      return false;
    }
    if (removeFrom(child, path, depth + 1)
        && (depth + 1 == path.size() || child.children.isEmpty())) {
      node.children.remove(path.get(depth));
    }
    return node.children.isEmpty();
  }

  void removeAll(FieldSet other) {
    for (List<String> leaf : other.leaves()) {
      remove(leaf);
    }
  }

  /** Keeps only the paths that still exist in {@code object}. */
  void retainExisting(ObjectNode object) {
    for (List<String> leaf : leaves()) {
      List<String> target =
          leaf.get(leaf.size() - 1).equals(".") ? leaf.subList(0, leaf.size() - 1) : leaf;
      if (resolve(object, target) == null) {
        remove(leaf);
      }
    }
  }

  /**
   * The value at {@code path} in {@code object}, or null when absent. A {@code .} element is not
   * part of the value path; callers strip it.
   */
  static JsonNode resolve(JsonNode object, List<String> path) {
    JsonNode node = object;
    for (String element : path) {
      if (node == null) {
        return null;
      }
      node = step(node, element);
    }
    return node;
  }

  private static JsonNode step(JsonNode node, String element) {
    if (element.startsWith("f:")) {
      return node.isObject() ? node.get(element.substring(2)) : null;
    }
    if (element.startsWith("k:") && node.isArray()) {
      ObjectNode key =
          Json.parseStored(element.substring(2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (JsonNode item : node) {
        if (matchesKey(item, key)) {
          return item;
        }
      }
      return null;
    }
    if (element.startsWith("v:") && node.isArray()) {
      JsonNode value = parseValue(element.substring(2));
      for (JsonNode item : node) {
        if (item.equals(value)) {
          return item;
        }
      }
      return null;
    }
    if (element.startsWith("i:") && node.isArray()) {
      int index = Integer.parseInt(element.substring(2));
      return node.get(index);
    }
    return null;
  }

  /**
   * Removes the value at {@code path} (no {@code .}) from {@code object}; absent paths are ignored.
   */
  static void delete(JsonNode object, List<String> path) {
    if (path.isEmpty()) {
      return;
    }
    JsonNode parent = resolve(object, path.subList(0, path.size() - 1));
    String last = path.get(path.size() - 1);
    if (parent == null) {
      return;
    }
    if (last.startsWith("f:") && parent instanceof ObjectNode parentObject) {
      parentObject.remove(last.substring(2));
    } else if (parent instanceof ArrayNode array) {
      JsonNode target = step(parent, last);
      for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
        if (it.next() == target) {
          it.remove();
          break;
        }
      }
    }
  }

  /**
   * The path as a real server prints it in conflicts: {@code .spec.containers[name="app"].image}.
   */
  static String describe(List<String> path) {
    StringBuilder text = new StringBuilder();
    for (String element : path) {
      if (element.startsWith("f:")) {
        text.append('.').append(element.substring(2));
      } else if (element.startsWith("k:")) {
        ObjectNode key =
            Json.parseStored(
                element.substring(2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        text.append('[');
        boolean first = true;
        for (Map.Entry<String, JsonNode> entry : key.properties()) {
          if (!first) {
            text.append(',');
          }
          first = false;
          text.append(entry.getKey()).append('=').append(entry.getValue().toString());
        }
        text.append(']');
      } else if (element.startsWith("v:")) {
        text.append('[').append(element.substring(2)).append(']');
      } else if (element.startsWith("i:")) {
        text.append('[').append(element.substring(2)).append(']');
      }
    }
    return text.toString();
  }

  private static boolean matchesKey(JsonNode item, ObjectNode key) {
    for (Map.Entry<String, JsonNode> entry : key.properties()) {
      if (!entry.getValue().equals(item.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode parseValue(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return JsonNodeFactory.instance.textNode(json);
    }
  }

  private static List<String> append(List<String> path, String field) {
    List<String> longer = new ArrayList<>(path.size() + 1);
    longer.addAll(path);
    longer.add(field);
    return longer;
  }
}
