package dev.weir.engine.flags;

import java.util.Objects;
import java.util.Optional;

/**
 * Which variant a context gets, and why: the answer {@code weir flags eval} prints and the faces
 * show. Immutable.
 *
 * @param flag the flag's key
 * @param variant the variant served; empty when the flag is disabled (the caller's own default
 *     applies, as with flagd) or the evaluation failed
 * @param value the variant's value; empty with the variant
 * @param reason flagd's reason, as OpenFeature names it
 * @param why one line for a person: the rule that matched, the default, or disabled
 */
public record FlagEvaluation(
    String flag, Optional<String> variant, Optional<Object> value, Reason reason, String why) {

  /** OpenFeature's resolution reasons that flagd's in-process evaluator gives. */
  public enum Reason {
    /** No targeting: the default variant, whatever the context. */
    STATIC,
    /** Targeting returned a variant. */
    TARGETING_MATCH,
    /** Targeting matched nothing: the default variant. */
    DEFAULT,
    /** The flag's state is DISABLED: the caller's own default applies. */
    DISABLED,
    /** The targeting could not be evaluated for this context. */
    ERROR
  }

  public FlagEvaluation {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(why, "why");
  }
}
