package dev.weir.sandbox.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.flags.FlagDefinition;
import dev.weir.engine.flags.FlagEvaluation;
import dev.weir.engine.flags.FlagEvaluator;
import dev.weir.engine.flags.FlagFile;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox splits a service's users over a flag's variants with the same answer as the engine's
 * {@code weir flags eval} (both flagd's in-process evaluator): user by user, the shares the
 * sandbox's traffic uses are what the engine says each synthetic user gets.
 */
class VariantSplitTest {
  static String flags(String state, int on) {
    return """
        {"flags": {"new-checkout-button": {"state": "%s", "variants": {"on": true, "off": false},
          "defaultVariant": "off",
          "targeting": {"if": [{"starts_with": [{"var": "targetingKey"}, "user-99"]}, "on",
                               {"fractional": [["on", %d], ["off", %d]]}]}}}}
        """
        .formatted(state, on, 100 - on);
  }

  static Map<String, Double> engineShares(String text) {
    FlagDefinition flag =
        ((FlagFile.Valid) FlagFile.parse("flags.flagd.json", text))
            .file()
            .flag("new-checkout-button")
            .orElseThrow();
    FlagEvaluator evaluator = new FlagEvaluator();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < VariantSplit.USERS; i++) {
      FlagEvaluation answer =
          evaluator.evaluate(flag, Map.of("targetingKey", VariantSplit.user(i)));
      counts.merge(answer.variant().orElse(""), 1, Integer::sum);
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    counts.forEach((variant, count) -> shares.put(variant, count / (double) VariantSplit.USERS));
    return shares;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 10, 50, 90, 100})
  void theSandboxsSplitIsTheEnginesEvaluationUserByUser(int on) {
    String text = flags("ENABLED", on);
    VariantSplit split = VariantSplit.of(text, "new-checkout-button");

    assertThat(split.shares()).isEqualTo(engineShares(text));
    assertThat(split.fallback()).isZero();
    assertThat(split.shares().getOrDefault("on", 0.0))
        .as("users user-99, user-990 … user-999 always get on; the rest are flagd's buckets")
        .isBetween(on / 100.0 - 0.04, on / 100.0 + 0.04);
  }

  @Test
  void aDisabledFlagServesNoVariantToAnyone() {
    VariantSplit split = VariantSplit.of(flags("DISABLED", 50), "new-checkout-button");

    assertThat(split.shares()).isEmpty();
    assertThat(split.fallback()).isEqualTo(1.0);
    assertThat(engineShares(flags("DISABLED", 50))).containsOnlyKeys("");
  }
}
