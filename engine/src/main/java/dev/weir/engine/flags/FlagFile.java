package dev.weir.engine.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.FeatureFlag;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.FlagParser;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.ParsingResult;
import dev.weir.engine.model.SourceLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One flagd flag-definition file ({@code *.flagd.json}), read and validated. {@link #parse} checks
 * what flagd would reject or misread, each as one {@link FlagProblem} at the value's line and
 * column: JSON syntax, a {@code state} other than ENABLED or DISABLED, a default variant that is not
 * a variant, variants of mixed types, targeting that is not JsonLogic (an unknown operator, a
 * malformed {@code fractional}, a rule returning a variant the flag lacks) and a {@code $ref} to no
 * {@code $evaluators} entry; then flagd's own parser and schema read it, so a file Weir accepts is
 * a file flagd serves. Immutable.
 *
 * @param path the file, relative to the repository root
 * @param text its exact text (edits work on it, not on a re-serialised tree)
 * @param flags its flags in file order
 */
public record FlagFile(String path, String text, List<FlagDefinition> flags) {

  /** What {@link #parse} found: a usable file, or every problem that stops it. */
  public sealed interface Result permits Valid, Invalid {}

  /** The file validates. */
  public record Valid(FlagFile file) implements Result {}

  /** The file does not validate; {@code problems} in file order, never empty. */
  public record Invalid(List<FlagProblem> problems) implements Result {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid file has a problem");
      }
    }
  }

  /** Whether {@code path} names a flag file. */
  public static boolean isFlagFile(String path) {
    return path.endsWith(".flagd.json");
  }

  static final ObjectMapper JSON = new ObjectMapper();

  /** JsonLogic's operators as flagd's evaluator (json-logic-java) knows them, and flagd's own. */
  static final Set<String> OPERATORS =
      Set.of(
          "var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or",
          "and", ">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%", "map", "filter",
          "reduce", "all", "none", "some", "merge", "in", "cat", "substr", "log", "fractional",
          "sem_ver", "starts_with", "ends_with");

  public FlagFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
    flags = List.copyOf(flags);
  }

  /** The flag named {@code key}, if this file defines it. */
  public java.util.Optional<FlagDefinition> flag(String key) {
    return flags.stream().filter(f -> f.key().equals(key)).findFirst();
  }

  /** Reads and validates {@code text} as the flag file {@code path}. Never throws for bad input. */
  public static Result parse(String path, String text) {
    JsonSpans spans;
    JsonNode root;
    try {
      spans = JsonSpans.of(text);
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return new Invalid(
          List.of(
              new FlagProblem(
                  at == null
                      ? SourceLocation.ofFile(path)
                      : new SourceLocation(path, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr())),
                  "not JSON: " + e.getOriginalMessage())));
    }
    Validation v = new Validation(path, spans);
    if (!(root instanceof ObjectNode object) || !(object.get("flags") instanceof ObjectNode flags)) {
      v.problem("", "a flagd file is a JSON object with a \"flags\" object");
      return new Invalid(v.problems);
    }
    JsonNode evaluatorsNode = object.get("$evaluators");
    Set<String> evaluators = new TreeSet<>();
    if (evaluatorsNode != null) {
      if (!evaluatorsNode.isObject()) {
        v.problem("/$evaluators", "\"$evaluators\" must be an object of named JsonLogic rules");
      } else {
        evaluatorsNode.fieldNames().forEachRemaining(evaluators::add);
        for (var e : evaluatorsNode.properties()) {
          v.targeting(
              e.getValue(), "/$evaluators/" + JsonSpans.escape(e.getKey()), evaluators, null, null);
        }
      }
    }
    List<PartialFlag> partial = new ArrayList<>();
    for (var entry : flags.properties()) {
      PartialFlag flag = v.flag(entry.getKey(), entry.getValue(), evaluators);
      if (flag != null) {
        partial.add(flag);
      }
    }
    if (!v.problems.isEmpty()) {
      return new Invalid(v.problems);
    }
    // flagd's own parser and schema: what it rejects, the cluster's flagd would too.
    ParsingResult parsed;
    try {
      parsed = FlagParser.parseString(text, true);
    } catch (IOException | RuntimeException e) {
      return new Invalid(List.of(schemaProblem(path, spans, e)));
    }
    List<FlagDefinition> definitions = new ArrayList<>();
    for (PartialFlag flag : partial) {
      FeatureFlag resolved = parsed.getFlags().get(flag.key);
      String targeting = resolved == null ? "{}" : resolved.getTargeting();
      JsonNode targetingNode;
      try {
        targetingNode = JSON.readTree(targeting);
      } catch (JsonProcessingException e) {
        targetingNode = JSON.createObjectNode();
      }
      List<FlagDefinition.Fraction> fractions = TargetingText.fractions(targetingNode);
      definitions.add(
          new FlagDefinition(
              flag.key,
              flag.enabled,
              flag.variants,
              flag.defaultVariant,
              targeting,
              fractions,
              TargetingText.summary(targetingNode),
              flag.location));
    }
    return new Valid(new FlagFile(path, text, definitions));
  }

  /** flagd's message names a JSON path ({@code $.flags.x.state}) when its schema refuses a value. */
  private static FlagProblem schemaProblem(String path, JsonSpans spans, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String pointer = "";
    var matcher = java.util.regex.Pattern.compile("\\$((?:\\.[^\\s:,\\]\\[]+)+)").matcher(message);
    if (matcher.find()) {
      pointer = matcher.group(1).replace('.', '/');
    }
    JsonSpans.Span span = spans.nearest(pointer);
    String oneLine = message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(message);
    return new FlagProblem(
        new SourceLocation(path, span.line(), span.column()), "flagd rejects the file: " + oneLine);
  }

  private record PartialFlag(
      String key,
      boolean enabled,
      Map<String, Object> variants,
      String defaultVariant,
      SourceLocation location) {}

  /** The checks of one file, collecting one problem per fault. */
  private static final class Validation {
    final String path;
    final JsonSpans spans;
    final List<FlagProblem> problems = new ArrayList<>();

    Validation(String path, JsonSpans spans) {
      this.path = path;
      this.spans = spans;
    }

    void problem(String pointer, String message) {
      JsonSpans.Span span = spans.nearest(pointer);
      problems.add(new FlagProblem(new SourceLocation(path, span.line(), span.column()), message));
    }

    SourceLocation keyLocation(String pointer) {
      JsonSpans.Span span = spans.nearest(pointer);
      return new SourceLocation(path, span.memberLine(), span.memberColumn());
    }

    PartialFlag flag(String key, JsonNode node, Set<String> evaluators) {
      String at = "/flags/" + JsonSpans.escape(key);
      int before = problems.size();
      if (!node.isObject()) {
        problem(at, "flag " + key + " must be an object with state, variants and defaultVariant");
        return null;
      }
      JsonNode state = node.get("state");
      if (state == null || !state.isTextual()
          || !(state.asText().equals("ENABLED") || state.asText().equals("DISABLED"))) {
        problem(
            state == null ? at : at + "/state",
            "flag " + key + ": state must be \"ENABLED\" or \"DISABLED\""
                + (state == null ? "" : ", not " + state));
      }
      JsonNode variantsNode = node.get("variants");
      Map<String, Object> variants = new LinkedHashMap<>();
      if (variantsNode == null || !variantsNode.isObject() || variantsNode.isEmpty()) {
        problem(
            variantsNode == null ? at : at + "/variants",
            "flag " + key + ": variants must be an object with at least one variant");
      } else {
        String firstType = null;
        String firstName = null;
        for (var v : variantsNode.properties()) {
          String type = typeOf(v.getValue());
          String vAt = at + "/variants/" + JsonSpans.escape(v.getKey());
          if (type == null) {
            problem(vAt, "flag " + key + ": variant '" + v.getKey() + "' is null or an array;"
                + " a variant is a boolean, string, number or object");
            continue;
          }
          if (firstType == null) {
            firstType = type;
            firstName = v.getKey();
          } else if (!firstType.equals(type)) {
            problem(
                vAt,
                "flag " + key + " mixes variant types: '" + v.getKey() + "' is a " + type
                    + ", '" + firstName + "' a " + firstType);
          }
          variants.put(v.getKey(), JSON.convertValue(v.getValue(), Object.class));
        }
      }
      JsonNode defaultNode = node.get("defaultVariant");
      String defaultVariant = defaultNode != null && defaultNode.isTextual() ? defaultNode.asText() : null;
      if (defaultVariant == null) {
        problem(
            defaultNode == null ? at : at + "/defaultVariant",
            "flag " + key + ": defaultVariant must name one of its variants");
      } else if (!variants.isEmpty() && !variants.containsKey(defaultVariant)) {
        problem(
            at + "/defaultVariant",
            "flag " + key + ": unknown default variant '" + defaultVariant + "' (variants: "
                + String.join(", ", variants.keySet()) + ")");
      }
      JsonNode targeting = node.get("targeting");
      if (targeting != null) {
        if (!targeting.isObject()) {
          problem(at + "/targeting", "flag " + key + ": invalid targeting: it must be a JsonLogic object");
        } else if (!targeting.isEmpty()) {
          targeting(targeting, at + "/targeting", evaluators, key, variants.keySet());
        }
      }
      if (problems.size() > before) {
        return null;
      }
      return new PartialFlag(
          key, state.asText().equals("ENABLED"), variants, defaultVariant, keyLocation(at));
    }

    private static String typeOf(JsonNode value) {
      if (value.isBoolean()) {
        return "boolean";
      }
      if (value.isTextual()) {
        return "string";
      }
      if (value.isNumber()) {
        return "number";
      }
      if (value.isObject()) {
        return "object";
      }
      return null;
    }

    /**
     * Checks one JsonLogic value. {@code flag} and {@code variants} are null inside {@code
     * $evaluators}, where a rule's results cannot be checked against one flag's variants.
     */
    void targeting(
        JsonNode node, String at, Set<String> evaluators, String flag, Set<String> variants) {
      String who = flag == null ? "evaluator " + at.substring(at.lastIndexOf('/') + 1) : "flag " + flag;
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          targeting(node.get(i), at + "/" + i, evaluators, flag, variants);
        }
        return;
      }
      if (!node.isObject()) {
        return;
      }
      if (node.has("$ref")) {
        JsonNode ref = node.get("$ref");
        if (!ref.isTextual() || !evaluators.contains(ref.asText())) {
          problem(
              at + "/$ref",
              who + ": unknown $ref " + ref + " (known $evaluators: "
                  + (evaluators.isEmpty() ? "none" : String.join(", ", evaluators)) + ")");
        }
        return;
      }
      if (node.size() != 1) {
        problem(at, who + ": invalid targeting: a JsonLogic operation is an object with exactly one"
            + " operator, this one has " + node.size() + " keys");
        return;
      }
      String operator = node.fieldNames().next();
      JsonNode args = node.get(operator);
      String argsAt = at + "/" + JsonSpans.escape(operator);
      if (!OPERATORS.contains(operator)) {
        problem(at, who + ": invalid targeting: unknown JsonLogic operator '" + operator + "'");
        return;
      }
      switch (operator) {
        case "var" -> {}
        case "if", "?:" -> {
          if (!args.isArray() || args.isEmpty()) {
            problem(argsAt, who + ": invalid targeting: \"if\" takes a list [condition, result, …]");
            return;
          }
          for (int i = 0; i < args.size(); i++) {
            boolean result = i % 2 == 1 || i == args.size() - 1 && args.size() % 2 == 1;
            if (result && i > 0) {
              variantResult(args.get(i), argsAt + "/" + i, who, variants);
            }
            targeting(args.get(i), argsAt + "/" + i, evaluators, flag, variants);
          }
        }
        case "fractional" -> fractional(args, argsAt, evaluators, flag, variants, who);
        default -> targeting(args, argsAt, evaluators, flag, variants);
      }
    }

    private void variantResult(JsonNode result, String at, String who, Set<String> variants) {
      if (variants != null && result.isTextual() && !variants.contains(result.asText())) {
        problem(
            at,
            who + ": invalid targeting: it returns '" + result.asText()
                + "', which is not a variant (" + String.join(", ", variants) + ")");
      }
    }

    private void fractional(
        JsonNode args,
        String at,
        Set<String> evaluators,
        String flag,
        Set<String> variants,
        String who) {
      if (!args.isArray() || args.isEmpty()) {
        problem(at, who + ": invalid targeting: \"fractional\" takes a list of [variant, weight] buckets");
        return;
      }
      Iterator<JsonNode> it = args.elements();
      int i = 0;
      int buckets = 0;
      while (it.hasNext()) {
        JsonNode arg = it.next();
        String argAt = at + "/" + i;
        if (i == 0 && !arg.isArray()) {
          targeting(arg, argAt, evaluators, flag, variants); // the bucketing expression
        } else if (!arg.isArray() || arg.isEmpty() || arg.size() > 2) {
          problem(argAt, who + ": invalid targeting: a \"fractional\" bucket is [variant, weight]");
        } else {
          buckets++;
          variantResult(arg.get(0), argAt + "/0", who, variants);
          targeting(arg.get(0), argAt + "/0", evaluators, flag, variants);
          if (arg.size() == 2 && !(arg.get(1).isIntegralNumber() && arg.get(1).asLong() >= 0)) {
            problem(
                argAt + "/1",
                who + ": invalid targeting: a \"fractional\" weight is a whole number ≥ 0, not "
                    + arg.get(1));
          }
        }
        i++;
      }
      if (buckets == 0) {
        problem(at, who + ": invalid targeting: \"fractional\" has no [variant, weight] bucket");
      }
    }
  }
}
