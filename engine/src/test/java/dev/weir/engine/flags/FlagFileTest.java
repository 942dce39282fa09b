package dev.weir.engine.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invalid file gives one clear {@code file:line:column} line. */
class FlagFileTest {

  record Case(String name, String text, String problem) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> invalid() {
    return Stream.of(
        new Case(
            "unknown default variant",
            """
            {"flags": {
              "f": {"state": "ENABLED", "variants": {"on": true, "off": false},
                    "defaultVariant": "maybe"}}}
            """,
            "f.flagd.json:3:27: flag f: unknown default variant 'maybe' (variants: on, off)"),
        new Case(
            "mixed variant types",
            """
            {"flags": {
              "f": {"state": "ENABLED",
                    "variants": {"on": true, "off": "false"},
                    "defaultVariant": "on"}}}
            """,
            "f.flagd.json:3:41: flag f mixes variant types: 'off' is a string, 'on' a boolean"),
        new Case(
            "unknown $ref",
            """
            {"flags": {
              "f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                    "targeting": {"if": [{"$ref": "is_staff"}, "on"]}}},
             "$evaluators": {"is_admin": {"==": [{"var": "role"}, "admin"]}}}
            """,
            "f.flagd.json:3:39: flag f: unknown $ref \"is_staff\" (known $evaluators: is_admin)"),
        new Case(
            "unknown operator",
            """
            {"flags": {
              "f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                    "targeting": {"if": [{"contains": [{"var": "email"}, "x"]}, "on"]}}}}
            """,
            "f.flagd.json:3:30: flag f: invalid targeting: unknown JsonLogic operator 'contains'"),
        new Case(
            "targeting returns no variant",
            """
            {"flags": {
              "f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                    "targeting": {"fractional": [["on", 10], ["of", 90]]}}}}
            """,
            "f.flagd.json:3:51: flag f: invalid targeting: it returns 'of', which is not a variant (on, off)"),
        new Case(
            "negative weight",
            """
            {"flags": {
              "f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                    "targeting": {"fractional": [["on", -10], ["off", 90]]}}}}
            """,
            "f.flagd.json:3:45: flag f: invalid targeting: a \"fractional\" weight is a whole number ≥ 0, not -10"),
        new Case(
            "bad state",
            """
            {"flags": {"f": {"state": "ON", "variants": {"on": true}, "defaultVariant": "on"}}}
            """,
            "f.flagd.json:1:27: flag f: state must be \"ENABLED\" or \"DISABLED\", not \"ON\""),
        new Case(
            "not JSON",
            """
            {"flags": {"f": {"state": "ENABLED",
              "variants": {"on": true,}, "defaultVariant": "on"}}}
            """,
            "f.flagd.json:2:27: not JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void anInvalidFileGivesOneClearLine(Case c) {
    FlagFile.Result result = FlagFile.parse("f.flagd.json", c.text());
    assertThat(result).isInstanceOf(FlagFile.Invalid.class);
    assertThat(((FlagFile.Invalid) result).problems()).extracting(FlagProblem::toString).containsExactly(c.problem());
  }

  @Test
  void aValidFileListsItsFlagsWithSplitAndSummary() {
    FlagFile file =
        ((FlagFile.Valid)
                FlagFile.parse(
                    "apps/pricing/flags.flagd.json",
                    """
                    {"flags": {
                      "b": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                            "targeting": {"if": [{"$ref": "staff"}, "on", {"fractional": [["on", 1], ["off", 3]]}]}},
                      "a": {"state": "DISABLED", "variants": {"x": 1}, "defaultVariant": "x"}},
                     "$evaluators": {"staff": {"ends_with": [{"var": "email"}, "@weir.dev"]}}}
                    """))
            .file();
    assertThat(file.flags()).extracting(FlagDefinition::key).containsExactly("b", "a");
    FlagDefinition b = file.flag("b").orElseThrow();
    assertThat(b.fractions())
        .containsExactly(new FlagDefinition.Fraction("on", 1, 25.0), new FlagDefinition.Fraction("off", 3, 75.0));
    assertThat(b.summary()).isEqualTo("if email ends_with @weir.dev → on; else fractional on 25% / off 75%");
    assertThat(b.location()).hasToString("apps/pricing/flags.flagd.json:2:3");
    assertThat(file.flag("a").orElseThrow().enabled()).isFalse();
  }
}
