package dev.weir.engine.analysis;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query templates with Argo Rollouts' {@code {{args.NAME}}} placeholders. Pure and thread-safe.
 *
 * <p>Values are inserted as they are: they come from the template and the rollout in Git, not from
 * the outside world, exactly as in Argo Rollouts.
 */
public final class QueryTemplate {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");

  private QueryTemplate() {}

  /** The argument names a query uses, in order of first use. */
  public static Set<String> argumentsOf(String query) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = PLACEHOLDER.matcher(query);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /**
   * Replaces every placeholder by its value.
   *
   * @throws IllegalArgumentException naming the first argument without a value
   */
  public static String render(String query, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(query);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("argument '" + matcher.group(1) + "' has no value");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
