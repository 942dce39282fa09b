package dev.weir.engine.console;

import java.util.Objects;
import java.util.Optional;

/**
 * Which variant a context gets from one flag, and why ({@code weir flags eval}), as flagd's own
 * evaluator answers it. Immutable.
 *
 * @param application the application
 * @param flag the flag's key
 * @param variant the variant served; empty when the flag is disabled or the evaluation failed
 * @param value the variant's value as JSON text; empty with the variant
 * @param reason OpenFeature's reason: {@code STATIC}, {@code TARGETING_MATCH}, {@code DEFAULT},
 *     {@code DISABLED} or {@code ERROR}
 * @param why one line: the rule that matched, the default, or disabled
 * @param result {@code OK}, or why there is no answer (unknown application or flag, bad context)
 */
public record FlagAnswer(
    String application,
    String flag,
    Optional<String> variant,
    Optional<String> value,
    String reason,
    String why,
    CommandResult result) {

  public FlagAnswer {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(result, "result");
  }

  /** No answer: {@code result} says why. */
  public static FlagAnswer failed(String application, String flag, CommandResult result) {
    return new FlagAnswer(
        application, flag, Optional.empty(), Optional.empty(), "ERROR", result.message(), result);
  }
}
