package dev.weir.sandbox.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code labelSelector} query parameter with the operators a real API server accepts:
 * {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}
 * (exists) and {@code !k} (does not exist), joined by commas (all must hold).
 *
 * <p>Immutable and thread-safe.
 */
final class LabelSelector {
  private enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  private record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  private static final Pattern SET_BASED =
      Pattern.compile("\\s*([A-Za-z0-9._/-]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
  private static final Pattern EQUALITY =
      Pattern.compile("\\s*([A-Za-z0-9._/-]+)\\s*(==|!=|=)\\s*([A-Za-z0-9._-]*)\\s*");
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*([A-Za-z0-9._/-]+)\\s*");

  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /**
   * Parses a selector; blank means everything. A malformed selector is a 400 like a real server's.
   */
  static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String term : splitTopLevel(text)) {
      Matcher set = SET_BASED.matcher(term);
      Matcher equality = EQUALITY.matcher(term);
      Matcher exists = EXISTS.matcher(term);
      if (set.matches()) {
        List<String> values = new ArrayList<>();
        for (String value : set.group(3).split(",")) {
          if (!value.isBlank()) {
            values.add(value.trim());
          }
        }
        Operator operator = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
        requirements.add(new Requirement(set.group(1), operator, Set.copyOf(values)));
      } else if (equality.matches()) {
        Operator operator = equality.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
        requirements.add(new Requirement(equality.group(1), operator, Set.of(equality.group(3))));
      } else if (exists.matches()) {
        Operator operator = exists.group(1).isEmpty() ? Operator.EXISTS : Operator.DOES_NOT_EXIST;
        requirements.add(new Requirement(exists.group(2), operator, Set.of()));
      } else {
        throw StatusException.badRequest(
            "unable to parse requirement: found '" + term.trim() + "'");
      }
    }
    return new LabelSelector(List.copyOf(requirements));
  }

  boolean matches(Map<String, String> labels) {
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  boolean isEverything() {
    return requirements.isEmpty();
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> splitTopLevel(String text) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(text.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(text.substring(start));
    return terms;
  }
}
