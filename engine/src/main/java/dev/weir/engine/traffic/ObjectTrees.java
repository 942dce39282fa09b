package dev.weir.engine.traffic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep mutable copies of Kubernetes object trees and typed reads of their parts, for the routers.
 */
final class ObjectTrees {
  private ObjectTrees() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> map) {
    return (Map<String, Object>) copyValue(map);
  }

  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), copyValue(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(copyValue(v)));
      return out;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> l ? (List<Object>) l : null;
  }

  /**
   * Deep equality of two trees where numbers are equal by value ({@code 5} read from the API server
   * is a {@code Long}, the one planned an {@code Integer}) and map key order does not matter.
   */
  static boolean same(Object a, Object b) {
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (var entry : x.entrySet()) {
        if (!y.containsKey(entry.getKey()) || !same(entry.getValue(), y.get(entry.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return java.util.Objects.equals(a, b);
  }

  static int integer(Object value, int otherwise) {
    return value instanceof Number n ? n.intValue() : otherwise;
  }

  /**
   * The {@code apiVersion}, {@code kind} and {@code metadata: {name, namespace}} of an object to
   * apply.
   */
  static Map<String, Object> header(String apiVersion, String kind, String namespace, String name) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    object.put("metadata", metadata);
    return object;
  }

  /**
   * A service name as a backend names it: {@code storefront-canary.shop.svc.cluster.local} is
   * {@code storefront-canary}.
   */
  static String serviceName(Object host) {
    String text = String.valueOf(host);
    int dot = text.indexOf('.');
    return dot < 0 ? text : text.substring(0, dot);
  }
}
