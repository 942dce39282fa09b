package dev.weir.engine.flags;

import dev.weir.engine.model.SourceLocation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One flag as its file defines it, validated: what the snapshot shows and what {@link
 * FlagEvaluator} evaluates. Immutable.
 *
 * @param key the flag's key, e.g. {@code new-checkout-button}
 * @param enabled {@code state: ENABLED}; a disabled flag gives every caller its own default
 * @param variants the variants in file order, each value as JSON reads it (Boolean, String,
 *     Integer/Long/Double, or an unmodifiable Map for an object)
 * @param defaultVariant the variant served when targeting matches nothing (or there is none)
 * @param targeting the targeting rule as JSON, every {@code $ref} replaced by its evaluator as flagd
 *     does; {@code {}} when the flag has none
 * @param fractions the first {@code fractional} split of the targeting, in file order; empty when
 *     there is none
 * @param summary one line: what the targeting does, e.g. {@code if email ends_with @example.com → on;
 *     else fractional on 10% / off 90%}; {@code none} without targeting
 * @param location where the flag's key is in its file
 */
public record FlagDefinition(
    String key,
    boolean enabled,
    Map<String, Object> variants,
    String defaultVariant,
    String targeting,
    List<Fraction> fractions,
    String summary,
    SourceLocation location) {

  /**
   * One bucket of a {@code fractional} split.
   *
   * @param variant the variant of the bucket
   * @param weight its relative weight (flagd's default is 1)
   * @param percent its share of the split, 0–100, rounded to one decimal
   */
  public record Fraction(String variant, int weight, double percent) {}

  public FlagDefinition {
    Objects.requireNonNull(key, "key");
    variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    Objects.requireNonNull(defaultVariant, "defaultVariant");
    Objects.requireNonNull(targeting, "targeting");
    fractions = List.copyOf(fractions);
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(location, "location");
  }

  /** Whether the flag has a targeting rule. */
  public boolean targeted() {
    return !targeting.equals("{}");
  }
}
