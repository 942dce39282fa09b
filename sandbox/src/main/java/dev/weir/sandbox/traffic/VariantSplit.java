package dev.weir.sandbox.traffic;

import dev.openfeature.contrib.providers.flagd.resolver.process.model.FeatureFlag;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.FlagParser;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.ParsingResult;
import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.Operator;
import dev.openfeature.contrib.providers.flagd.resolver.process.targeting.TargetingRuleException;
import dev.openfeature.sdk.ImmutableContext;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one feature flag, as an in-cluster flagd serves it from a flags ConfigMap, splits a simulated
 * service's users over its variants: the share of {@value #USERS} synthetic users ({@code user-0}
 * … {@code user-999}, each the {@code targetingKey} of its evaluation context) that flagd's own
 * in-process evaluator gives each variant. So a {@code fractional} rule buckets by flagd's murmur3 of
 * the flag key and the user, exactly as a service asking flagd would see it, and a 10 % rollout
 * serves about 10 % of the users, not exactly 10 %.
 *
 * <p>Design note: the sandbox's traffic is drawn per second as aggregates, never per request
 * ({@code TrafficMetrics}); a request comes from a user drawn uniformly from the population, so
 * the share of a variant's users is the chance a request is served that variant, and the second's
 * requests split over variants by binomial draws. The evaluation runs once per (ConfigMap text,
 * flag) — when Git changes the flags — not per second. The resolution around flagd's JsonLogic
 * {@link Operator} is the provider's {@code InProcessResolver}'s: a disabled flag serves no variant
 * (each caller's code default), a flag without targeting its default variant, a rule that returns
 * nothing the default variant, a rule that fails or returns an unknown variant no variant (the
 * caller's default, with flagd's ERROR).
 *
 * @param flag the flag's key
 * @param shares each variant's share of the users, in the flag's variant order, variants no user
 *     gets left out; empty when the flag serves no variant (disabled, or an error for everyone)
 * @param fallback the share of users flagd serves no variant (disabled, or an evaluation error):
 *     their requests behave as the pod's own profile
 */
public record VariantSplit(String flag, Map<String, Double> shares, double fallback) {
  /** How many synthetic users a split is worked out over: its resolution is 0.1 %. */
  public static final int USERS = 1000;

  private static final int CACHED = 64;
  private static final Map<String, ParsingResult> PARSED = lru();
  private static final Map<String, VariantSplit> SPLITS = lru();

  public VariantSplit {
    shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
  }

  /** The targeting key of synthetic user {@code index}. */
  public static String user(int index) {
    return "user-" + index;
  }

  /**
   * The flags of a {@code flagd.json} as flagd's parser reads them (with its schema check), or
   * null when flagd would not load it.
   */
  static Map<String, FeatureFlag> flags(String flagdJson) {
    synchronized (PARSED) {
      ParsingResult cached = PARSED.get(flagdJson);
      if (cached == null && !PARSED.containsKey(flagdJson)) {
        try {
          cached = FlagParser.parseString(flagdJson, true);
        } catch (IOException | RuntimeException e) {
          cached = null;
        }
        PARSED.put(flagdJson, cached);
      }
      return cached == null ? null : cached.getFlags();
    }
  }

  /**
   * How {@code flag} of {@code flagdJson} splits the users; a pure function of its arguments, kept
   * for the last few (ConfigMap, flag) pairs.
   *
   * @throws IllegalArgumentException when flagd would not load the text or it has no such flag
   */
  public static VariantSplit of(String flagdJson, String flag) {
    String key = flag + "\u0000" + flagdJson;
    synchronized (SPLITS) {
      VariantSplit cached = SPLITS.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Map<String, FeatureFlag> flags = flags(flagdJson);
    if (flags == null || !flags.containsKey(flag)) {
      throw new IllegalArgumentException(flags == null ? "not a flagd file" : "no flag " + flag);
    }
    VariantSplit split = evaluate(flag, flags.get(flag));
    synchronized (SPLITS) {
      SPLITS.put(key, split);
    }
    return split;
  }

  private static VariantSplit evaluate(String key, FeatureFlag flag) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    flag.getVariants().keySet().forEach(v -> counts.put(v, 0));
    int fallback = 0;
    if (!"ENABLED".equals(flag.getState())) {
      fallback = USERS;
    } else if (flag.getTargeting() == null || flag.getTargeting().equals("{}")) {
      counts.merge(flag.getDefaultVariant(), USERS, Integer::sum);
    } else {
      Operator operator = new Operator();
      for (int i = 0; i < USERS; i++) {
        String variant;
        try {
          Object result =
              operator.apply(key, flag.getTargeting(), new ImmutableContext(user(i), Map.of()));
          variant =
              result == null || result.toString().isEmpty()
                  ? flag.getDefaultVariant()
                  : result.toString();
        } catch (TargetingRuleException | RuntimeException e) {
          variant = null;
        }
        if (variant == null || !counts.containsKey(variant)) {
          fallback++;
        } else {
          counts.merge(variant, 1, Integer::sum);
        }
      }
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    counts.forEach(
        (variant, count) -> {
          if (count > 0) {
            shares.put(variant, count / (double) USERS);
          }
        });
    return new VariantSplit(key, shares, fallback / (double) USERS);
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > CACHED;
      }
    };
  }
}
