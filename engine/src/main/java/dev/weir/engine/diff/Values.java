package dev.weir.engine.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small operations on the engine's JSON-like trees (maps, lists, strings, numbers, booleans). */
final class Values {
  private Values() {}

  /**
   * A value on one line for messages: plain scalars, compact JSON for the rest, at most 80 chars.
   */
  static String inline(Object value) {
    String text;
    if (value == null) {
      text = "null";
    } else if (value instanceof String s) {
      text = s.isEmpty() || s.contains(" ") || s.contains("\n") || s.contains("→") ? quote(s) : s;
    } else if (value instanceof Map<?, ?> || value instanceof List<?>) {
      text = json(value);
    } else {
      text = String.valueOf(value);
    }
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  static String json(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      for (var entry : new TreeMap<>(map).entrySet()) {
        if (out.length() > 1) {
          out.append(',');
        }
        out.append(quote(String.valueOf(entry.getKey())))
            .append(':')
            .append(json(entry.getValue()));
      }
      return out.append('}').toString();
    }
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (Object item : list) {
        if (out.length() > 1) {
          out.append(',');
        }
        out.append(json(item));
      }
      return out.append(']').toString();
    }
    return value instanceof String s ? quote(s) : String.valueOf(value);
  }

  /**
   * A mutable deep copy with numbers made canonical (integral numbers as {@link Long}, others as
   * {@link Double}) and {@code null}s dropped, so that YAML from Git and JSON from the server
   * compare equal when they mean the same.
   */
  @SuppressWarnings("unchecked")
  static Object canonical(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new HashMap<>(Math.max(4, map.size() * 2));
      for (var entry : ((Map<String, Object>) map).entrySet()) {
        if (entry.getValue() != null) {
          copy.put(String.valueOf(entry.getKey()), canonical(entry.getValue()));
        }
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object item : list) {
        if (item != null) {
          copy.add(canonical(item));
        }
      }
      return copy;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof java.math.BigInteger big) {
      return big.bitLength() < 64 ? big.longValue() : big.doubleValue();
    }
    if (value instanceof Float f) {
      return canonicalDouble(f.doubleValue());
    }
    if (value instanceof Double d) {
      return canonicalDouble(d);
    }
    if (value instanceof java.math.BigDecimal d) {
      return canonicalDouble(d.doubleValue());
    }
    return value;
  }

  private static Object canonicalDouble(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
      return (long) d;
    }
    return d;
  }
}
