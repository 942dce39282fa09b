package dev.weir.engine.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.model.FlagChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Edits keep the file: each case's expected text is the input with only the changed characters
 * different (golden text), in the sample repository's own layout.
 */
class FlagEditorTest {

  private static final String FILE =
      """
      {
        "$schema": "https://flagd.dev/schema/v0/flags.json",
        "flags": {
          "new-checkout-button": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {"fractional": [["on", 10], ["off", 90]]}
          },
          "free-shipping-threshold": {
            "state": "ENABLED",
            "variants": {"low": 25, "standard": 50},
            "defaultVariant": "standard"
          },
          "search": {
            "variants": {"new": "v2", "old": "v1"},
            "state": "ENABLED",
            "defaultVariant": "old",
            "targeting": {
              "if": [
                {"ends_with": [{"var": "email"}, "@example.com"]}, "new",
                {"in": [{"var": "country"}, ["de", "fr"]]}, "new"
              ]
            }
          }
        }
      }
      """;

  private static FlagFile file(String text) {
    return ((FlagFile.Valid) FlagFile.parse("apps/pricing/flags.flagd.json", text)).file();
  }

  private static String edit(String text, String flag, FlagChange change) {
    FlagEditor.Result result = FlagEditor.apply(file(text), flag, change);
    assertThat(result).isInstanceOf(FlagEditor.Edited.class);
    return ((FlagEditor.Edited) result).text();
  }

  private static String refusal(String flag, FlagChange change) {
    FlagEditor.Result result = FlagEditor.apply(file(FILE), flag, change);
    assertThat(result).isInstanceOf(FlagEditor.Refused.class);
    return ((FlagEditor.Refused) result).reason();
  }

  @Test
  void toggleOffChangesTheStateOnly() {
    assertThat(edit(FILE, "free-shipping-threshold", new FlagChange.SetState(false)))
        .isEqualTo(FILE.replace(
            """
                "free-shipping-threshold": {
                  "state": "ENABLED",\
            """,
            """
                "free-shipping-threshold": {
                  "state": "DISABLED",\
            """));
  }

  @Test
  void defaultVariantChangesInPlaceAndKeepsKeyOrder() {
    assertThat(edit(FILE, "search", new FlagChange.SetDefault("new")))
        .isEqualTo(FILE.replace("\"defaultVariant\": \"old\"", "\"defaultVariant\": \"new\""));
  }

  @Test
  void fractionalPercentagesChangeOnlyTheWeights() {
    Map<String, Integer> half = new LinkedHashMap<>();
    half.put("on", 50);
    assertThat(edit(FILE, "new-checkout-button", new FlagChange.SetFractions(half)))
        .isEqualTo(FILE.replace("[[\"on\", 10], [\"off\", 90]]", "[[\"on\", 50], [\"off\", 50]]"));
  }

  @Test
  void aSegmentIsAddedAsTheFirstBranchInTheFilesOwnLayout() {
    var testers =
        new FlagChange.Segment(
            "email", FlagChange.Segment.Match.IN, List.of("ann@example.com", "bo@example.com"), "new");
    String added = edit(FILE, "search", new FlagChange.AddSegment(testers));
    assertThat(added)
        .isEqualTo(
            FILE.replace(
                "\"if\": [\n          {\"ends_with",
                "\"if\": [\n"
                    + "          {\"in\": [{\"var\": \"email\"}, [\"ann@example.com\", \"bo@example.com\"]]}, \"new\",\n"
                    + "          {\"ends_with"));
    assertThat(edit(added, "search", new FlagChange.RemoveSegment(testers))).isEqualTo(FILE);
  }

  @Test
  void aSegmentBeforeAFractionalWrapsItAndRemovingItRestoresTheFile() {
    var staff =
        new FlagChange.Segment("email", FlagChange.Segment.Match.ENDS_WITH, List.of("@weir.dev"), "on");
    String added = edit(FILE, "new-checkout-button", new FlagChange.AddSegment(staff));
    assertThat(added)
        .contains(
            "\"targeting\": {\"if\": [{\"ends_with\": [{\"var\": \"email\"}, \"@weir.dev\"]}, \"on\","
                + " {\"fractional\": [[\"on\", 10], [\"off\", 90]]}]}");
    assertThat(edit(added, "new-checkout-button", new FlagChange.RemoveSegment(staff))).isEqualTo(FILE);
    FlagEvaluation staffer =
        new FlagEvaluator().evaluate(file(added).flag("new-checkout-button").orElseThrow(), Map.of("email", "kim@weir.dev"));
    assertThat(staffer.variant()).contains("on");
  }

  @Test
  void aSegmentOnAFlagWithoutTargetingAddsTheTargetingAfterItsLastField() {
    var country = new FlagChange.Segment("country", FlagChange.Segment.Match.IN, List.of("de"), "low");
    assertThat(edit(FILE, "free-shipping-threshold", new FlagChange.AddSegment(country)))
        .isEqualTo(FILE.replace(
            """
                  "defaultVariant": "standard"
            """,
            """
                  "defaultVariant": "standard",
                  "targeting": {"if": [{"in": [{"var": "country"}, ["de"]]}, "low"]}
            """));
  }

  @Test
  void removingTheOnlySegmentOfAFlagThatHadNoTargetingGivesBackTheFile() {
    var country = new FlagChange.Segment("country", FlagChange.Segment.Match.IN, List.of("de"), "low");
    String added = edit(FILE, "free-shipping-threshold", new FlagChange.AddSegment(country));
    assertThat(edit(added, "free-shipping-threshold", new FlagChange.RemoveSegment(country))).isEqualTo(FILE);

    String targetingFirst = FILE.replace(
        """
              "variants": {"low": 25, "standard": 50},
        """,
        """
              "targeting": {"if": [{"in": [{"var": "country"}, ["de"]]}, "low"]},
              "variants": {"low": 25, "standard": 50},
        """);
    assertThat(edit(targetingFirst, "free-shipping-threshold", new FlagChange.RemoveSegment(country)))
        .isEqualTo(FILE);
  }

  @Test
  void removingTheMiddleBranchCutsItAndItsSeparatorOnly() {
    var domain =
        new FlagChange.Segment("email", FlagChange.Segment.Match.ENDS_WITH, List.of("@example.com"), "new");
    assertThat(edit(FILE, "search", new FlagChange.RemoveSegment(domain)))
        .isEqualTo(
            FILE.replace(
                "          {\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}, \"new\",\n", ""));
  }

  @Test
  void badEditsAreRefusedWithOneLine() {
    assertThat(refusal("search", new FlagChange.SetDefault("newest")))
        .isEqualTo("flag search has no variant 'newest' (variants: new, old)");
    assertThat(refusal("nope", new FlagChange.SetState(true)))
        .isEqualTo("apps/pricing/flags.flagd.json has no flag named 'nope'");
    assertThat(refusal("free-shipping-threshold", new FlagChange.SetFractions(Map.of("low", 10))))
        .startsWith("flag free-shipping-threshold has no fractional split");
    Map<String, Integer> over = new LinkedHashMap<>();
    over.put("on", 60);
    over.put("off", 60);
    assertThat(refusal("new-checkout-button", new FlagChange.SetFractions(over)))
        .isEqualTo("the percentages of flag new-checkout-button's split must sum to 100, not 120");
  }

  @Test
  void settingWhatIsAlreadyThereChangesNothing() {
    FlagEditor.Result result =
        FlagEditor.apply(file(FILE), "search", new FlagChange.SetState(true));
    assertThat(result).isInstanceOfSatisfying(FlagEditor.Edited.class, e -> {
      assertThat(e.changed()).isFalse();
      assertThat(e.text()).isEqualTo(FILE);
    });
  }
}
