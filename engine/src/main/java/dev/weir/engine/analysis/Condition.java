package dev.weir.engine.analysis;

import java.util.Objects;
import java.util.Optional;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlExpression;
import org.apache.commons.jexl3.MapContext;

/**
 * A compiled success or failure condition over {@code result}, e.g. {@code result >= 0.99}, {@code
 * result[0] < 0.5}, {@code all(result, x -> x < 1)}, {@code len(result) > 0}. Made by {@link
 * #compile(String)}; see docs/decisions/0003-analysis-expressions.md for the language.
 *
 * <p>Immutable and thread-safe; evaluation has no side effect and cannot loop.
 */
public final class Condition {
  private final String source;
  private final JexlExpression expression;

  private Condition(String source, JexlExpression expression) {
    this.source = source;
    this.expression = expression;
  }

  /** The outcome of compiling: the condition, or a one-line reason with the column. */
  public sealed interface Compiled permits Compiled.Ok, Compiled.Invalid {
    /** It compiled. */
    record Ok(Condition condition) implements Compiled {}

    /** It did not; {@code message} says where and why. */
    record Invalid(String message) implements Compiled {}
  }

  /** The outcome of evaluating: true/false, or why it could not be decided. */
  public sealed interface Evaluation permits Evaluation.Decided, Evaluation.Undecided {
    /** The condition holds or not. */
    record Decided(boolean holds) implements Evaluation {}

    /** The condition could not be evaluated (wrong type, index out of range …). */
    record Undecided(String reason) implements Evaluation {}
  }

  /** Compiles {@code source} in the sandboxed condition language. */
  public static Compiled compile(String source) {
    Objects.requireNonNull(source, "source");
    if (source.isBlank()) {
      return new Compiled.Invalid("empty condition");
    }
    try {
      return new Compiled.Ok(
          new Condition(
              source, ConditionLanguage.ENGINE.createExpression(ArgoConditionSyntax.toJexl(source))));
    } catch (JexlException e) {
      return new Compiled.Invalid(describe(e));
    }
  }

  /**
   * Compiles {@code source}, throwing {@link IllegalArgumentException} when it is invalid (for
   * tests and constants).
   */
  public static Condition of(String source) {
    return switch (compile(source)) {
      case Compiled.Ok ok -> ok.condition();
      case Compiled.Invalid invalid -> throw new IllegalArgumentException(invalid.message());
    };
  }

  /**
   * Evaluates with {@code result} bound to the value (a {@code Double} or a {@code List<Double>});
   * a one-sample vector the condition cannot take as a list ({@code result >= 0.99} on what
   * Prometheus answers for {@code sum(...)}) is taken as its one sample.
   */
  public Evaluation evaluate(MetricValue value) {
    Evaluation asGiven = evaluate(value, value.conditionInput());
    if (asGiven instanceof Evaluation.Undecided
        && value instanceof MetricValue.Vector vector
        && vector.values().size() == 1) {
      // Prometheus answers sum(...) with a one-sample vector: `result >= 0.99` (DESIGN.md's own
      // example) means that sample, as `result[0] >= 0.99` (Argo's way) does
      Evaluation asSample = evaluate(value, vector.values().getFirst());
      if (asSample instanceof Evaluation.Decided) {
        return asSample;
      }
    }
    return asGiven;
  }

  private Evaluation evaluate(MetricValue value, Object result) {
    MapContext context = new MapContext();
    context.set("result", result);
    try {
      Object outcome = expression.evaluate(context);
      if (outcome instanceof Boolean holds) {
        return new Evaluation.Decided(holds);
      }
      return new Evaluation.Undecided(
          "condition `" + source + "` gave " + outcome + ", not true or false");
    } catch (JexlException e) {
      return new Evaluation.Undecided(
          "condition `"
              + source
              + "` could not be evaluated on "
              + value.display()
              + ": "
              + describe(e));
    } catch (RuntimeException e) {
      return new Evaluation.Undecided(
          "condition `"
              + source
              + "` could not be evaluated on "
              + value.display()
              + ": "
              + e.getMessage());
    }
  }

  /** The condition as written. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Condition c && c.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  private static String describe(JexlException e) {
    String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    // JEXL prefixes "<class>.<method>:<line>@<line>:<column> "; keep "column N: what".
    var matcher =
        java.util.regex.Pattern.compile("@(\\d+):(\\d+)(?:-\\d+:\\d+)? (.*)").matcher(message);
    if (matcher.find()) {
      return "column " + matcher.group(2) + ": " + matcher.group(3);
    }
    return message;
  }
}
