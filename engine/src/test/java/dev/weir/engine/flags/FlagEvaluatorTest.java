package dev.weir.engine.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluation as flagd documents it. The fractional cases are flagd's own test bed
 * (open-feature/flagd-testbed, gherkin {@code evaluation.feature}, "Fractional operator" and
 * "Fractional operator shorthand", the v1 bucketing its providers use); the hash is checked against
 * flagd's documented formula: murmur3 (32-bit, seed 0) of flag key + targeting key, bucket =
 * |hash| / (2^31 − 1) × 100, walked through the cumulative weights.
 */
class FlagEvaluatorTest {

  private static final String TESTBED =
      """
      {
        "$schema": "https://flagd.dev/schema/v0/flags.json",
        "flags": {
          "fractional-flag": {
            "state": "ENABLED",
            "variants": {"clubs": "clubs", "diamonds": "diamonds", "hearts": "hearts", "spades": "spades", "wild": "wild"},
            "defaultVariant": "wild",
            "targeting": {
              "fractional": [
                {"cat": [{"var": "$flagd.flagKey"}, {"var": "user.name"}]},
                ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]
              ]
            }
          },
          "fractional-flag-shorthand": {
            "state": "ENABLED",
            "variants": {"heads": "heads", "tails": "tails", "draw": "draw"},
            "defaultVariant": "draw",
            "targeting": {"fractional": [["heads"], ["tails", 1]]}
          },
          "some-email-targeted-flag": {
            "state": "ENABLED",
            "variants": {"hi": "hi", "bye": "bye", "none": "none"},
            "defaultVariant": "none",
            "targeting": {"if": [{"$ref": "is_ballmer"}, "hi", "bye"]}
          },
          "new-checkout": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {
              "if": [
                {"ends_with": [{"var": "email"}, "@example.com"]}, "on",
                {"in": [{"var": "country"}, ["de", "fr"]]}, "on",
                {"sem_ver": [{"var": "version"}, ">=", "2.1.0"]}, "on",
                {"starts_with": [{"var": "email"}, "beta-"]}, "on"
              ]
            }
          },
          "off-switch": {
            "state": "DISABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "on"
          },
          "static": {
            "state": "ENABLED",
            "variants": {"low": 25, "high": 50},
            "defaultVariant": "high"
          }
        },
        "$evaluators": {
          "is_ballmer": {"in": ["@macrosoft.com", {"var": "email"}]}
        }
      }
      """;

  private final FlagEvaluator evaluator = new FlagEvaluator();

  private static FlagFile file() {
    return switch (FlagFile.parse("apps/testbed/flags.flagd.json", TESTBED)) {
      case FlagFile.Valid v -> v.file();
      case FlagFile.Invalid i -> throw new AssertionError(i.problems().toString());
    };
  }

  private FlagEvaluation eval(String flag, Map<String, ?> context) {
    return evaluator.evaluate(file().flag(flag).orElseThrow(), context);
  }

  record Case(String name, String flag, Map<String, ?> context, String variant, FlagEvaluation.Reason reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> documented() {
    var match = FlagEvaluation.Reason.TARGETING_MATCH;
    return Stream.of(
        new Case("testbed fractional jack", "fractional-flag", Map.of("user", Map.of("name", "jack")), "spades", match),
        new Case("testbed fractional queen", "fractional-flag", Map.of("user", Map.of("name", "queen")), "clubs", match),
        new Case("testbed fractional ten", "fractional-flag", Map.of("user", Map.of("name", "ten")), "diamonds", match),
        new Case("testbed fractional nine", "fractional-flag", Map.of("user", Map.of("name", "nine")), "hearts", match),
        new Case("testbed fractional 3", "fractional-flag", Map.of("user", Map.of("name", "3")), "diamonds", match),
        new Case("testbed shorthand jon", "fractional-flag-shorthand", Map.of("targetingKey", "jon@company.com"), "heads", match),
        new Case("testbed shorthand jane", "fractional-flag-shorthand", Map.of("targetingKey", "jane@company.com"), "tails", match),
        new Case("testbed $ref evaluator reuse", "some-email-targeted-flag", Map.of("email", "ballmer@macrosoft.com"), "hi", match),
        new Case("$ref not matching, else branch", "some-email-targeted-flag", Map.of("email", "jobs@orange.com"), "bye", match),
        new Case("ends_with an email domain", "new-checkout", Map.of("email", "ann@example.com"), "on", match),
        new Case("in a list of countries", "new-checkout", Map.of("country", "fr"), "on", match),
        new Case("sem_ver at least 2.1.0", "new-checkout", Map.of("version", "2.3.0"), "on", match),
        new Case("starts_with", "new-checkout", Map.of("email", "beta-bob@else.org"), "on", match),
        new Case("no rule matches: default", "new-checkout", Map.of("email", "bob@else.org", "country", "us", "version", "1.9.0"), "off", FlagEvaluation.Reason.DEFAULT),
        new Case("no targeting: static", "static", Map.of(), "high", FlagEvaluation.Reason.STATIC));
  }

  @ParameterizedTest
  @MethodSource("documented")
  void evaluatesAsFlagdDocumentsIt(Case c) {
    FlagEvaluation result = eval(c.flag(), c.context());
    assertThat(result.reason()).isEqualTo(c.reason());
    assertThat(result.variant()).contains(c.variant());
  }

  @Test
  void aDisabledFlagServesNoVariantAndSaysSo() {
    FlagEvaluation result = eval("off-switch", Map.of("email", "a@example.com"));
    assertThat(result.reason()).isEqualTo(FlagEvaluation.Reason.DISABLED);
    assertThat(result.variant()).isEmpty();
    assertThat(result.value()).isEmpty();
    assertThat(result.why()).startsWith("disabled");
  }

  @Test
  void theReasonNamesTheRuleThatMatched() {
    FlagEvaluation result = eval("new-checkout", Map.of("country", "de"));
    assertThat(result.value()).contains(true);
    assertThat(result.why()).isEqualTo("targeting match: rule 2, country in [de, fr]");
    assertThat(eval("new-checkout", Map.of("email", "x@y.org")).why())
        .isEqualTo("default: no targeting rule matched");
    assertThat(eval("fractional-flag-shorthand", Map.of("targetingKey", "jon@company.com")).why())
        .contains("fractional bucket of targeting key 'jon@company.com'");
  }

  /** flagd's documented bucketing, computed here with commons-codec's murmur3. */
  private static String documentedBucket(String flagKey, String targetingKey, String[] variants, int[] weights) {
    int hash = MurmurHash3.hash32x86((flagKey + targetingKey).getBytes(StandardCharsets.UTF_8), 0, (flagKey + targetingKey).getBytes(StandardCharsets.UTF_8).length, 0);
    float bucket = Math.abs(hash) * 1.0f / Integer.MAX_VALUE * 100;
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    float cumulative = 0;
    for (int i = 0; i < variants.length; i++) {
      cumulative += weights[i] * 100f / total;
      if (bucket < cumulative) {
        return variants[i];
      }
    }
    return variants[variants.length - 1];
  }

  @Test
  void fractionalBucketingIsMurmur3OfFlagKeyAndTargetingKey() {
    String text =
        """
        {"flags": {"rollout": {"state": "ENABLED", "variants": {"on": true, "off": false},
          "defaultVariant": "off", "targeting": {"fractional": [["on", 10], ["off", 90]]}}}}
        """;
    FlagDefinition flag =
        ((FlagFile.Valid) FlagFile.parse("f.flagd.json", text)).file().flag("rollout").orElseThrow();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      String user = "user-" + i;
      FlagEvaluation result = evaluator.evaluate(flag, Map.of("targetingKey", user));
      String expected = documentedBucket("rollout", user, new String[] {"on", "off"}, new int[] {10, 90});
      assertThat(result.variant()).as(user).isEqualTo(Optional.of(expected));
      counts.merge(expected, 1, Integer::sum);
    }
    assertThat(counts.get("on")).isBetween(150, 250); // about 10% of 2000
  }
}
