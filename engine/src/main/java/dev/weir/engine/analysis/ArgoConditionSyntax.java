package dev.weir.engine.analysis;

/**
 * Argo Rollouts writes conditions in expr ({@code all(result, {# < 1})}, {@code all(result, # <
 * 1)}, {@code default(result[0], 0) >= 0.95}); Weir evaluates them in its sandboxed JEXL (decision
 * 0003). This rewrites expr's predicate closures into JEXL lambdas ({@code x -> x < 1}) and {@code
 * default(a, b)} into {@code orDefault(() -> a, b)} (so that a failing {@code a}, such as {@code
 * result[0]} of no data, gives {@code b}, as expr's nil does), and leaves everything else as it is:
 * a condition that is already JEXL is unchanged. Pure.
 */
final class ArgoConditionSyntax {
  private ArgoConditionSyntax() {}

  static String toJexl(String source) {
    String out = closures(source);
    return defaults(out);
  }

  /** {@code {… # …}} and a bare {@code # …} argument become {@code (x -> … x …)}. */
  private static String closures(String source) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '\'' || c == '"') {
        int end = stringEnd(source, i);
        out.append(source, i, end);
        i = end;
        continue;
      }
      if (c == '{') {
        int end = matching(source, i, '{', '}');
        if (end > 0 && source.substring(i + 1, end).contains("#")) {
          out.append("(__x -> ").append(source.substring(i + 1, end).strip().replace("#", "__x")).append(')');
          i = end + 1;
          continue;
        }
      }
      if (c == '#') {
        // a bare predicate argument: from after the last top-level ',' or '(' to the next one
        int start = out.length();
        int depth = 0;
        while (start > 0) {
          char p = out.charAt(start - 1);
          if (p == ')' || p == ']') {
            depth++;
          } else if ((p == '(' || p == '[') && depth > 0) {
            depth--;
          } else if ((p == ',' || p == '(') && depth == 0) {
            break;
          }
          start--;
        }
        int end = argumentEnd(source, i);
        String before = out.substring(start);
        String predicate = before + source.substring(i, end);
        out.setLength(start);
        out.append(" (__x -> ").append(predicate.strip().replace("#", "__x")).append(')');
        i = end;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** {@code default(a, b)} → {@code orDefault(() -> a, b)}. */
  private static String defaults(String source) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      if (source.startsWith("default(", i)
          && (i == 0 || !Character.isJavaIdentifierPart(source.charAt(i - 1)))) {
        int open = i + "default".length();
        int close = matching(source, open, '(', ')');
        int comma = close < 0 ? -1 : topLevelComma(source, open + 1, close);
        if (comma > 0) {
          out.append("orDefault(() -> ")
              .append(defaults(source.substring(open + 1, comma)).strip())
              .append(", ")
              .append(defaults(source.substring(comma + 1, close)).strip())
              .append(')');
          i = close + 1;
          continue;
        }
      }
      out.append(source.charAt(i));
      i++;
    }
    return out.toString();
  }

  private static int stringEnd(String source, int start) {
    char quote = source.charAt(start);
    int i = start + 1;
    while (i < source.length() && source.charAt(i) != quote) {
      i += source.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i + 1, source.length());
  }

  private static int matching(String source, int open, char opening, char closing) {
    int depth = 0;
    for (int i = open; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '\'' || c == '"') {
        i = stringEnd(source, i) - 1;
      } else if (c == opening) {
        depth++;
      } else if (c == closing && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static int argumentEnd(String source, int from) {
    int depth = 0;
    for (int i = from; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '\'' || c == '"') {
        i = stringEnd(source, i) - 1;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return source.length();
  }

  private static int topLevelComma(String source, int from, int to) {
    int depth = 0;
    for (int i = from; i < to; i++) {
      char c = source.charAt(i);
      if (c == '\'' || c == '"') {
        i = stringEnd(source, i) - 1;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
