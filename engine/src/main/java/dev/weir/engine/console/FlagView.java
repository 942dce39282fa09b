package dev.weir.engine.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One feature flag of an application as both faces and {@code weir flags list} show it, read from
 * the application's flagd files at the rendered revision. Immutable.
 *
 * @param key the flag's key
 * @param enabled {@code state: ENABLED}
 * @param defaultVariant the variant served when no rule matches
 * @param variants each variant's value as JSON text, in file order
 * @param split the flag's {@code fractional} split, in file order; empty without one
 * @param targeting one line: what the targeting does, or {@code none}
 * @param file where the flag is defined, {@code file:line:column}
 * @param lastChange the newest commit that touched the flag's file: {@code 3f2a1c9 Ann Lee
 *     2026-12-02T09:12:00Z Set flag …}; empty when unknown
 */
public record FlagView(
    String key,
    boolean enabled,
    String defaultVariant,
    Map<String, String> variants,
    List<Share> split,
    String targeting,
    String file,
    Optional<String> lastChange) {

  /** One bucket of a fractional split: a variant and its share in percent. */
  public record Share(String variant, double percent) {}

  public FlagView {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(defaultVariant, "defaultVariant");
    variants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    split = List.copyOf(split);
    Objects.requireNonNull(targeting, "targeting");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(lastChange, "lastChange");
  }

  /** {@code on} or {@code off}, as a list shows the state. */
  public String state() {
    return enabled ? "on" : "off";
  }

  /** {@code on 10% / off 90%}, or empty without a split. */
  public String splitText() {
    StringBuilder out = new StringBuilder();
    for (Share s : split) {
      if (!out.isEmpty()) {
        out.append(" / ");
      }
      out.append(s.variant()).append(' ');
      out.append(s.percent() == Math.rint(s.percent()) ? String.valueOf((long) s.percent()) : String.valueOf(s.percent()));
      out.append('%');
    }
    return out.toString();
  }
}
