package dev.weir.engine.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.model.IgnoreDifference;
import dev.weir.engine.model.ResourceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * An application's {@code ignoreDifferences}, compiled: the fields of matching objects that never
 * count as drift, removed from both sides before they are compared.
 *
 * <p>Two forms, as in Argo CD:
 *
 * <ul>
 *   <li>{@code jsonPointers}: RFC 6901 pointers, e.g. {@code /spec/replicas}, {@code
 *       /metadata/annotations/example.com~1owner}, {@code /spec/template/spec/containers/0/image};
 *   <li>{@code jqPathExpressions}: jq path expressions, evaluated by jackson-jq (jq 1.6 semantics)
 *       as {@code path(EXPR)}: e.g. {@code .spec.replicas}, {@code .spec.template.spec.containers[]
 *       | select(.name == "app") | .image}, {@code .metadata.labels["example.com/x"]}. Any
 *       expression jq accepts inside {@code path()} works; one that jq would reject there (a
 *       non-path expression such as {@code .a + 1}) is a problem of the application.
 * </ul>
 *
 * <p>Immutable and thread-safe once compiled.
 */
public final class IgnoreRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Scope ROOT = rootScope();

  private record Rule(
      IgnoreDifference match, List<List<String>> pointers, List<JsonQuery> queries) {}

  private final List<Rule> rules;
  private final List<String> problems;

  private IgnoreRules(List<Rule> rules, List<String> problems) {
    this.rules = List.copyOf(rules);
    this.problems = List.copyOf(problems);
  }

  public static IgnoreRules none() {
    return new IgnoreRules(List.of(), List.of());
  }

  /**
   * Compiles {@code differences}; unusable entries are left out and named in {@link #problems()}.
   */
  public static IgnoreRules compile(List<IgnoreDifference> differences) {
    List<Rule> rules = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (IgnoreDifference difference : differences) {
      List<List<String>> pointers = new ArrayList<>();
      for (String pointer : difference.jsonPointers()) {
        if (!pointer.startsWith("/")) {
          problems.add("ignoreDifferences: JSON pointer '" + pointer + "' must start with /");
          continue;
        }
        pointers.add(parsePointer(pointer));
      }
      List<JsonQuery> queries = new ArrayList<>();
      for (String expression : difference.jqPathExpressions()) {
        try {
          queries.add(JsonQuery.compile("path(" + expression + ")", Versions.JQ_1_6));
        } catch (JsonQueryException e) {
          problems.add(
              "ignoreDifferences: jq path expression '"
                  + expression
                  + "' cannot be parsed: "
                  + e.getMessage());
        }
      }
      rules.add(new Rule(difference, pointers, queries));
    }
    return new IgnoreRules(rules, problems);
  }

  /** These rules and {@code more}. */
  public IgnoreRules with(List<IgnoreDifference> more) {
    IgnoreRules extra = compile(more);
    List<Rule> all = new ArrayList<>(rules);
    all.addAll(extra.rules);
    List<String> allProblems = new ArrayList<>(problems);
    allProblems.addAll(extra.problems);
    return new IgnoreRules(all, allProblems);
  }

  /** Entries that could not be used, one line each. */
  public List<String> problems() {
    return problems;
  }

  /** Whether any rule matches objects with this key. */
  public boolean matches(ResourceKey key) {
    return rules.stream().anyMatch(r -> r.match.matches(key));
  }

  /**
   * Removes the ignored fields of an object identified by {@code key} from {@code tree}, in place.
   */
  public void apply(ResourceKey key, Map<String, Object> tree) {
    if (tree == null) {
      return;
    }
    for (Rule rule : rules) {
      if (!rule.match.matches(key)) {
        continue;
      }
      for (List<String> pointer : rule.pointers) {
        remove(tree, pointer.stream().map(s -> (Object) s).toList(), true);
      }
      if (!rule.queries.isEmpty()) {
        JsonNode node = JSON.valueToTree(tree);
        List<List<Object>> paths = new ArrayList<>();
        for (JsonQuery query : rule.queries) {
          try {
            query.apply(Scope.newChildScope(ROOT), node, out -> paths.add(path(out)));
          } catch (JsonQueryException e) {
            // a path that does not apply to this object (e.g. iterating a missing list) ignores
            // nothing
          }
        }
        // remove deeper and later list items first, so earlier indexes stay valid
        paths.sort(PATH_ORDER.reversed());
        for (List<Object> path : paths) {
          remove(tree, path, false);
        }
      }
    }
  }

  private static final Comparator<List<Object>> PATH_ORDER =
      (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          Object x = a.get(i);
          Object y = b.get(i);
          int c =
              x instanceof Integer xi && y instanceof Integer yi
                  ? Integer.compare(xi, yi)
                  : String.valueOf(x).compareTo(String.valueOf(y));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };

  private static List<Object> path(JsonNode out) {
    List<Object> path = new ArrayList<>();
    for (JsonNode step : out) {
      path.add(step.isInt() ? (Object) step.asInt() : step.asText());
    }
    return path;
  }

  static List<String> parsePointer(String pointer) {
    List<String> parts = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      parts.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return parts;
  }

  @SuppressWarnings("unchecked")
  private static void remove(Object tree, List<Object> path, boolean pointer) {
    if (path.isEmpty()) {
      return;
    }
    Object current = tree;
    for (int i = 0; i < path.size() - 1; i++) {
      current = step(current, path.get(i), pointer);
      if (current == null) {
        return;
      }
    }
    Object last = path.getLast();
    if (current instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).remove(String.valueOf(last));
    } else if (current instanceof List<?> list) {
      int index = index(last);
      if (index >= 0 && index < list.size()) {
        ((List<Object>) list).remove(index);
      }
    }
  }

  private static Object step(Object current, Object segment, boolean pointer) {
    if (current instanceof Map<?, ?> map) {
      return map.get(String.valueOf(segment));
    }
    if (current instanceof List<?> list) {
      int index = index(segment);
      return index >= 0 && index < list.size() ? list.get(index) : null;
    }
    return null;
  }

  private static int index(Object segment) {
    if (segment instanceof Integer i) {
      return i;
    }
    try {
      return Integer.parseInt(String.valueOf(segment));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Scope rootScope() {
    Scope scope = Scope.newEmptyScope();
    BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
    return scope;
  }
}
