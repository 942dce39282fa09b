package dev.weir.engine.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One edit of one flag, as a person asks for it: the commands of {@code weir flags set}, the
 * console's flag view and a rollout's {@code setFlag} step. The engine's flag editor applies it to
 * the flag file's text. Here in the model so that the faces, the console and rollouts share it.
 * Immutable.
 */
public sealed interface FlagChange
    permits FlagChange.SetState,
        FlagChange.SetDefault,
        FlagChange.SetFractions,
        FlagChange.AddSegment,
        FlagChange.RemoveSegment {

  /** What the change does, for a commit message: {@code on}, {@code default variant off} … */
  String describe();

  /** {@code state: ENABLED} ({@code enabled}) or {@code DISABLED}. */
  record SetState(boolean enabled) implements FlagChange {
    @Override
    public String describe() {
      return enabled ? "on (ENABLED)" : "off (DISABLED)";
    }
  }

  /** Another default variant. */
  record SetDefault(String variant) implements FlagChange {
    public SetDefault {
      Objects.requireNonNull(variant, "variant");
    }

    @Override
    public String describe() {
      return "default variant " + variant;
    }
  }

  /**
   * New percentages for the flag's {@code fractional} split, by variant, in the order given. A
   * bucket left out gets what the others leave of 100 when exactly one is left out; the
   * percentages then sum to 100.
   */
  record SetFractions(Map<String, Integer> percents) implements FlagChange {
    public SetFractions {
      percents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(percents));
      if (percents.isEmpty()) {
        throw new IllegalArgumentException("a fractional change names at least one variant");
      }
      for (var e : percents.entrySet()) {
        if (e.getValue() < 0 || e.getValue() > 100) {
          throw new IllegalArgumentException(
              "a percentage is 0 to 100, not " + e.getValue() + " for " + e.getKey());
        }
      }
    }

    @Override
    public String describe() {
      StringBuilder out = new StringBuilder("fractional");
      String sep = " ";
      for (var e : percents.entrySet()) {
        out.append(sep).append(e.getKey()).append(' ').append(e.getValue()).append('%');
        sep = " / ";
      }
      return out.toString();
    }
  }

  /** Serves {@code segment.variant()} to the segment first, before the rest of the targeting. */
  record AddSegment(Segment segment) implements FlagChange {
    public AddSegment {
      Objects.requireNonNull(segment, "segment");
    }

    @Override
    public String describe() {
      return "add segment " + segment.describe();
    }
  }

  /** Removes the targeting branch of exactly this segment. */
  record RemoveSegment(Segment segment) implements FlagChange {
    public RemoveSegment {
      Objects.requireNonNull(segment, "segment");
    }

    @Override
    public String describe() {
      return "remove segment " + segment.describe();
    }
  }

  /**
   * A group of users served one variant: an email domain ({@code email ends_with @example.com}), a
   * list of countries ({@code country in [de, fr]}) or of internal testers ({@code email in
   * [ann@example.com, …]}). Written as flagd JsonLogic: {@code {"ends_with": [{"var": "email"},
   * "@example.com"]}} or {@code {"in": [{"var": "country"}, ["de", "fr"]]}}.
   *
   * @param attribute the context attribute, e.g. {@code email}, {@code country}
   * @param match how the attribute is matched
   * @param values one value for {@code ENDS_WITH}, one or more for {@code IN}
   * @param variant the variant the segment gets
   */
  record Segment(String attribute, Match match, List<String> values, String variant) {
    /** How a segment matches its attribute. */
    public enum Match {
      ENDS_WITH,
      IN
    }

    public Segment {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(match, "match");
      values = List.copyOf(values);
      Objects.requireNonNull(variant, "variant");
      if (values.isEmpty() || (match == Match.ENDS_WITH && values.size() != 1)) {
        throw new IllegalArgumentException(
            match == Match.ENDS_WITH
                ? "an ends_with segment has exactly one suffix"
                : "an in segment lists at least one value");
      }
    }

    /** The segment's condition as flagd JsonLogic, on one line. */
    public String condition() {
      String var = "{\"var\": " + quote(attribute) + "}";
      return match == Match.ENDS_WITH
          ? "{\"ends_with\": [" + var + ", " + quote(values.getFirst()) + "]}"
          : "{\"in\": [" + var + ", [" + String.join(", ", values.stream().map(Segment::quote).toList()) + "]]}";
    }

    public String describe() {
      return attribute
          + (match == Match.ENDS_WITH ? " ends_with " + values.getFirst() : " in [" + String.join(", ", values) + "]")
          + " → " + variant;
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
      return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
  }
}
