package dev.weir.engine.flags;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.Operator;
import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.TargetingRuleException;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "which variant does this context get, and why" with flagd's own in-process evaluator —
 * the JsonLogic {@code Operator} of OpenFeature's flagd provider, with flagd's {@code fractional}
 * (murmur3 of flag key and targeting key), {@code sem_ver}, {@code starts_with} and {@code
 * ends_with} — so the answer is what a service using flagd gets. The resolution around it follows
 * the provider's {@code InProcessResolver}: disabled, static, targeting match, default.
 *
 * <p>Thread-safe: the operator keeps no state between calls.
 */
public final class FlagEvaluator {
  private final Operator operator = new Operator();

  /**
   * Evaluates {@code flag} for {@code context}, a JSON object as a map; its {@code targetingKey}
   * entry (a string) is the targeting key that {@code fractional} hashes by default.
   */
  public FlagEvaluation evaluate(FlagDefinition flag, Map<String, ?> context) {
    if (!flag.enabled()) {
      return new FlagEvaluation(
          flag.key(),
          Optional.empty(),
          Optional.empty(),
          FlagEvaluation.Reason.DISABLED,
          "disabled: the flag's state is DISABLED; each caller gets its own default");
    }
    if (!flag.targeted()) {
      return served(flag, flag.defaultVariant(), FlagEvaluation.Reason.STATIC,
          "static: no targeting, the default variant");
    }
    EvaluationContext evaluationContext = contextOf(context);
    Object result;
    try {
      result = operator.apply(flag.key(), flag.targeting(), evaluationContext);
    } catch (TargetingRuleException | RuntimeException e) {
      return new FlagEvaluation(
          flag.key(), Optional.empty(), Optional.empty(), FlagEvaluation.Reason.ERROR,
          "error: the targeting cannot be evaluated for this context: " + e.getMessage());
    }
    if (result == null || result.toString().isEmpty()) {
      return served(flag, flag.defaultVariant(), FlagEvaluation.Reason.DEFAULT,
          "default: no targeting rule matched");
    }
    String variant = result.toString();
    if (!flag.variants().containsKey(variant)) {
      return new FlagEvaluation(
          flag.key(), Optional.empty(), Optional.empty(), FlagEvaluation.Reason.ERROR,
          "error: the targeting returned '" + variant + "', which is not a variant");
    }
    return served(flag, variant, FlagEvaluation.Reason.TARGETING_MATCH,
        "targeting match: " + matched(flag, evaluationContext));
  }

  private static FlagEvaluation served(
      FlagDefinition flag, String variant, FlagEvaluation.Reason reason, String why) {
    return new FlagEvaluation(
        flag.key(), Optional.of(variant), Optional.of(flag.variants().get(variant)), reason, why);
  }

  /** Which branch of the rule matched: an {@code if}'s condition, or the fractional bucketing. */
  private String matched(FlagDefinition flag, EvaluationContext context) {
    JsonNode rule;
    try {
      rule = FlagFile.JSON.readTree(flag.targeting());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return "the rule";
    }
    if (rule.has("if") && rule.get("if").isArray()) {
      JsonNode args = rule.get("if");
      for (int i = 0; i + 1 < args.size(); i += 2) {
        if (truthy(flag, args.get(i).toString(), context)) {
          return "rule " + (i / 2 + 1) + ", " + TargetingText.describe(args.get(i))
              + bucketing(args.get(i + 1), context);
        }
      }
      if (args.size() % 2 == 1) {
        return "the else branch" + bucketing(args.get(args.size() - 1), context);
      }
    }
    String bucket = bucketing(rule, context);
    return bucket.isEmpty() ? TargetingText.describe(rule) : bucket.substring(2);
  }

  private static String bucketing(JsonNode result, EvaluationContext context) {
    if (TargetingText.fractionalArgs(result).isEmpty()) {
      return "";
    }
    String key = context.getTargetingKey();
    return "; fractional bucket of targeting key '" + (key == null ? "" : key)
        + "' (murmur3 of flag key and targeting key)";
  }

  private boolean truthy(FlagDefinition flag, String condition, EvaluationContext context) {
    Object value;
    try {
      value = operator.apply(flag.key(), condition, context);
    } catch (TargetingRuleException | RuntimeException e) {
      return false;
    }
    if (value == null || Boolean.FALSE.equals(value) || "".equals(value)) {
      return false;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return !(value instanceof List<?> l && l.isEmpty());
  }

  static EvaluationContext contextOf(Map<String, ?> context) {
    Map<String, Value> values = new LinkedHashMap<>();
    String targetingKey = null;
    for (var e : context.entrySet()) {
      if (e.getKey().equals("targetingKey") && e.getValue() instanceof String s) {
        targetingKey = s;
        continue;
      }
      values.put(e.getKey(), Value.objectToValue(e.getValue()));
    }
    return targetingKey == null
        ? new ImmutableContext(values)
        : new ImmutableContext(targetingKey, values);
  }
}
