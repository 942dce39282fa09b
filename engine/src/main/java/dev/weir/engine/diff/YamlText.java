package dev.weir.engine.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Prints a tree as block YAML with sorted keys, one value per line, as {@code kubectl diff} shows
 * objects: the same object always prints the same, so a line diff shows only what changed. Strings
 * that YAML would read as something else are double-quoted.
 */
final class YamlText {
  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./:@=+,()-]*( [A-Za-z0-9_./:@=+,()<>-]+)*");
  private static final Pattern NOT_A_STRING =
      Pattern.compile(
          "(?i)(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9.][0-9._eExXoObB+-]*|\\.inf|\\.nan)");

  private YamlText() {}

  static List<String> lines(Map<String, Object> tree) {
    List<String> out = new ArrayList<>();
    map(tree, "", out);
    return out;
  }

  private static void map(Map<?, ?> map, String indent, List<String> out) {
    for (var entry : new TreeMap<>(map).entrySet()) {
      String key = scalar(String.valueOf(entry.getKey()));
      value(indent + key + ":", entry.getValue(), indent, out);
    }
  }

  private static void value(String prefix, Object value, String indent, List<String> out) {
    if (value instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.add(prefix + " {}");
      } else {
        out.add(prefix);
        map(m, indent + "  ", out);
      }
    } else if (value instanceof List<?> l) {
      if (l.isEmpty()) {
        out.add(prefix + " []");
      } else {
        out.add(prefix);
        list(l, indent, out);
      }
    } else {
      out.add(prefix + " " + scalarValue(value));
    }
  }

  private static void list(List<?> list, String indent, List<String> out) {
    for (Object item : list) {
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        List<String> inner = new ArrayList<>();
        map(m, indent + "  ", inner);
        out.add(indent + "- " + inner.getFirst().substring(indent.length() + 2));
        out.addAll(inner.subList(1, inner.size()));
      } else if (item instanceof List<?> l && !l.isEmpty()) {
        out.add(indent + "-");
        list(l, indent + "  ", out);
      } else {
        List<String> inner = new ArrayList<>();
        value("", item, indent + "  ", inner);
        out.add(indent + "-" + inner.getFirst());
        out.addAll(inner.subList(1, inner.size()));
      }
    }
  }

  private static String scalarValue(Object value) {
    if (value instanceof String s) {
      return scalar(s);
    }
    return String.valueOf(value);
  }

  private static String scalar(String s) {
    if (s.equals(Redaction.REDACTED) || s.equals(Redaction.REDACTED_CHANGED)) {
      return s;
    }
    if (PLAIN.matcher(s).matches() && !NOT_A_STRING.matcher(s).matches() && !s.contains(": ")) {
      return s;
    }
    return Values.quote(s);
  }
}
