package dev.weir.engine.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** RFC 6901 JSON pointers over the engine's map trees: read one value, or copy it between trees. */
final class JsonPointers {
  private JsonPointers() {}

  static List<String> parse(String pointer) {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw new IllegalArgumentException("a JSON pointer starts with /: " + pointer);
    }
    List<String> parts = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      parts.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return parts;
  }

  /** The value at {@code pointer}, empty when absent. */
  static Optional<Object> get(Map<String, Object> tree, String pointer) {
    Object current = tree;
    for (String part : parse(pointer)) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(part);
      } else if (current instanceof List<?> list) {
        int index = index(part);
        current = index >= 0 && index < list.size() ? list.get(index) : null;
      } else {
        return Optional.empty();
      }
      if (current == null) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(current);
  }

  /**
   * Sets {@code target}'s value at {@code pointer} to {@code source}'s, removing it when absent.
   */
  @SuppressWarnings("unchecked")
  static void copy(Map<String, Object> source, Map<String, Object> target, String pointer) {
    List<String> parts = parse(pointer);
    if (parts.isEmpty()) {
      return;
    }
    Optional<Object> value = get(source, pointer);
    Object current = target;
    for (int i = 0; i < parts.size() - 1; i++) {
      String part = parts.get(i);
      if (current instanceof Map<?, ?> map) {
        Object next = map.get(part);
        if (next == null) {
          if (value.isEmpty()) {
            return;
          }
          next = new LinkedHashMap<String, Object>();
          ((Map<String, Object>) map).put(part, next);
        }
        current = next;
      } else if (current instanceof List<?> list) {
        int index = index(part);
        if (index < 0 || index >= list.size()) {
          return;
        }
        current = list.get(index);
      } else {
        return;
      }
    }
    String last = parts.getLast();
    if (current instanceof Map<?, ?> map) {
      if (value.isPresent()) {
        ((Map<String, Object>) map).put(last, value.get());
      } else {
        map.remove(last);
      }
    } else if (current instanceof List<?> list) {
      int index = index(last);
      if (index >= 0 && index < list.size() && value.isPresent()) {
        ((List<Object>) list).set(index, value.get());
      }
    }
  }

  private static int index(String part) {
    try {
      return Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
