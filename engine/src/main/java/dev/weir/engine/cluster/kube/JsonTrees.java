package dev.weir.engine.cluster.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts client-java's Gson trees into the engine's own immutable map model at the adapter's
 * boundary, and the engine's maps into JSON for request bodies.
 *
 * <p>Design note: live state of a whole cluster is held in memory, so the trees are compact: maps
 * are {@link Map#copyOf} (one array, no entry objects; iteration order is unspecified, every
 * printer sorts), lists are {@link List#copyOf}, JSON {@code null}s are dropped, integral numbers
 * are {@link Long}, others {@link Double}, and map keys are interned (field names repeat in every
 * object).
 */
final class JsonTrees {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonTrees() {}

  static LiveObject liveObject(JsonObject raw) {
    Map<String, Object> object = map(raw);
    String apiVersion = object.get("apiVersion") instanceof String s ? s : "";
    String kind = object.get("kind") instanceof String s ? s : "";
    Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    String namespace = metadata.get("namespace") instanceof String s ? s : "";
    String name = metadata.get("name") instanceof String s ? s : "";
    return new LiveObject(ResourceKey.of(apiVersion, kind, namespace, name), apiVersion, object);
  }

  /** A list item lacks apiVersion and kind on some servers; they come from the list's type. */
  static LiveObject liveObject(JsonObject raw, String apiVersion, String kind) {
    if (!raw.has("apiVersion")) {
      raw.addProperty("apiVersion", apiVersion);
    }
    if (!raw.has("kind")) {
      raw.addProperty("kind", kind);
    }
    return liveObject(raw);
  }

  static Map<String, Object> map(JsonObject object) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>(object.size());
    for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
      Object value = value(entry.getValue());
      if (value != null) {
        entries.add(Map.entry(entry.getKey().intern(), value));
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map.Entry<String, Object>[] array = entries.toArray(new Map.Entry[0]);
    return Map.ofEntries(array);
  }

  private static Object value(JsonElement element) {
    if (element == null || element.isJsonNull()) {
      return null;
    }
    if (element.isJsonObject()) {
      return map(element.getAsJsonObject());
    }
    if (element.isJsonArray()) {
      JsonArray array = element.getAsJsonArray();
      List<Object> list = new ArrayList<>(array.size());
      for (JsonElement item : array) {
        Object value = value(item);
        if (value != null) {
          list.add(value);
        }
      }
      return List.copyOf(list);
    }
    JsonPrimitive primitive = element.getAsJsonPrimitive();
    if (primitive.isBoolean()) {
      return primitive.getAsBoolean();
    }
    if (primitive.isNumber()) {
      return number(primitive.getAsString());
    }
    return primitive.getAsString();
  }

  static Object number(String text) {
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException tooBig) {
        return new BigInteger(text).doubleValue();
      }
    }
    return Double.parseDouble(text);
  }

  /** JSON text of a map tree (maps, lists, strings, numbers, booleans). */
  static String json(Object tree) {
    try {
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON tree: " + e.getOriginalMessage(), e);
    }
  }

  /** A mutable deep copy, for building request bodies. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mutableCopy(Map<String, Object> map) {
    Map<String, Object> copy = new HashMap<>();
    map.forEach(
        (k, v) -> copy.put(k, v instanceof Map<?, ?> m ? mutableCopy((Map<String, Object>) m) : v));
    return copy;
  }

  static Map<String, Object> unmodifiable(Map<String, Object> map) {
    return Collections.unmodifiableMap(map);
  }
}
