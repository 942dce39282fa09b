package dev.weir.engine.flags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A targeting rule read for people: the one-line summary the snapshot shows and the {@code
 * fractional} split the faces draw. Pure functions over the rule's JSON.
 */
final class TargetingText {
  private static final int MAX = 160;

  private TargetingText() {}

  /** The first {@code fractional} of {@code targeting}, depth first; empty when there is none. */
  static List<FlagDefinition.Fraction> fractions(JsonNode targeting) {
    return fractionalArgs(targeting).map(TargetingText::split).orElse(List.of());
  }

  static Optional<JsonNode> fractionalArgs(JsonNode node) {
    if (node.isObject()) {
      if (node.has("fractional") && node.get("fractional").isArray()) {
        return Optional.of(node.get("fractional"));
      }
      for (JsonNode child : node) {
        Optional<JsonNode> found = fractionalArgs(child);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        Optional<JsonNode> found = fractionalArgs(child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static List<FlagDefinition.Fraction> split(JsonNode args) {
    List<String> names = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    for (JsonNode arg : args) {
      if (arg.isArray() && !arg.isEmpty()) {
        names.add(arg.get(0).isTextual() ? arg.get(0).asText() : arg.get(0).toString());
        weights.add(arg.size() > 1 ? arg.get(1).asInt() : 1);
      }
    }
    int total = weights.stream().mapToInt(Integer::intValue).sum();
    List<FlagDefinition.Fraction> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      double percent = total == 0 ? 0 : Math.round(weights.get(i) * 1000.0 / total) / 10.0;
      out.add(new FlagDefinition.Fraction(names.get(i), weights.get(i), percent));
    }
    return out;
  }

  /** One line: what the rule does; {@code none} for {@code {}}. */
  static String summary(JsonNode targeting) {
    if (targeting == null || targeting.isEmpty()) {
      return "none";
    }
    String text = describe(targeting);
    return text.length() > MAX ? text.substring(0, MAX - 1) + "…" : text;
  }

  static String describe(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (!node.isObject() || node.size() != 1) {
      return node.toString();
    }
    String op = node.fieldNames().next();
    JsonNode args = node.get(op);
    switch (op) {
      case "var" -> {
        return args.isArray() && !args.isEmpty() ? args.get(0).asText() : args.asText();
      }
      case "if", "?:" -> {
        if (!args.isArray()) {
          return node.toString();
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i + 1 < args.size(); i += 2) {
          if (i > 0) {
            out.append("; ");
          }
          out.append("if ").append(describe(args.get(i))).append(" → ").append(describe(args.get(i + 1)));
        }
        if (i < args.size()) {
          out.append("; else ").append(describe(args.get(i)));
        }
        return out.toString();
      }
      case "fractional" -> {
        StringBuilder out = new StringBuilder("fractional");
        String sep = " ";
        for (FlagDefinition.Fraction f : split(args)) {
          out.append(sep).append(f.variant()).append(' ').append(percent(f.percent())).append('%');
          sep = " / ";
        }
        return out.toString();
      }
      case "in", "==", "===", "!=", "starts_with", "ends_with", "<", "<=", ">", ">=", "sem_ver" -> {
        if (args.isArray() && args.size() >= 2) {
          List<String> parts = new ArrayList<>();
          for (JsonNode a : args) {
            parts.add(a.isArray() ? list(a) : describe(a));
          }
          if (op.equals("sem_ver") && parts.size() == 3) {
            return parts.get(0) + " " + parts.get(1) + " " + parts.get(2) + " (semver)";
          }
          return parts.get(0) + " " + op + " " + String.join(" ", parts.subList(1, parts.size()));
        }
        return node.toString();
      }
      case "and", "or" -> {
        if (args.isArray()) {
          List<String> parts = new ArrayList<>();
          args.forEach(a -> parts.add(describe(a)));
          return "(" + String.join(" " + op + " ", parts) + ")";
        }
        return node.toString();
      }
      case "$ref" -> {
        return "$ref " + args.asText();
      }
      default -> {
        return node.toString();
      }
    }
  }

  private static String list(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(a -> items.add(a.isTextual() ? a.asText() : a.toString()));
    return "[" + String.join(", ", items) + "]";
  }

  static String percent(double p) {
    return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
  }
}
