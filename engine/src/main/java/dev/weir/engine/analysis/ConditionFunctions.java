package dev.weir.engine.analysis;

import java.util.List;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlScript;

/**
 * The functions a condition may call, besides operators: {@code len(result)}, {@code all(result, x
 * -> x < 1)}, {@code any(result, x -> x > 5)}, {@code isNaN(result)}, {@code min(result)}, {@code
 * max(result)}. A scalar counts as a one-element list.
 *
 * <p>Public only because the expression engine must reach it; not an API for other code. One
 * instance per evaluation (the engine creates it with the evaluation's context); not shared.
 */
public final class ConditionFunctions {
  private final JexlContext context;

  public ConditionFunctions(JexlContext context) {
    this.context = context;
  }

  /** The number of samples; 1 for a scalar. */
  public int len(Object value) {
    return list(value).size();
  }

  /** True when {@code test} holds for every sample (and for none when there are none). */
  public boolean all(Object value, JexlScript test) {
    for (Object element : list(value)) {
      if (!holds(test, element)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code test} holds for at least one sample. */
  public boolean any(Object value, JexlScript test) {
    for (Object element : list(value)) {
      if (holds(test, element)) {
        return true;
      }
    }
    return false;
  }

  /** True when the scalar, or any sample, is NaN. */
  public boolean isNaN(Object value) {
    return list(value).stream().anyMatch(e -> e instanceof Double d && d.isNaN());
  }

  /** True when the scalar, or any sample, is infinite (expr's {@code isInf}, as Argo has it). */
  public boolean isInf(Object value) {
    return list(value).stream().anyMatch(e -> e instanceof Double d && d.isInfinite());
  }

  /** A number or a numeric text as a whole number, truncated (expr's {@code asInt}). */
  public long asInt(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String text) {
      String trimmed = text.strip();
      return trimmed.matches("[-+]?\\d+")
          ? Long.parseLong(trimmed)
          : (long) Double.parseDouble(trimmed);
    }
    throw new IllegalArgumentException("asInt() takes a number or a text, got " + value);
  }

  /** A number or a numeric text as a float (expr's {@code asFloat}). */
  public double asFloat(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String text) {
      return Double.parseDouble(text.strip());
    }
    throw new IllegalArgumentException("asFloat() takes a number or a text, got " + value);
  }

  /**
   * {@code value}'s outcome, or {@code fallback} when it is nothing: null, no samples, or not
   * computable (an index into no data) — expr's {@code default(result[0], 0)} as Argo's docs write
   * it, rewritten by {@link ArgoConditionSyntax}.
   */
  public Object orDefault(JexlScript value, Object fallback) {
    Object outcome;
    try {
      outcome = value.execute(context);
    } catch (org.apache.commons.jexl3.JexlException e) {
      return fallback;
    }
    if (outcome == null || (outcome instanceof List<?> list && list.isEmpty())) {
      return fallback;
    }
    return outcome;
  }

  /** The smallest sample. */
  public double min(Object value) {
    return numbers(value).min().orElse(Double.NaN);
  }

  /** The largest sample. */
  public double max(Object value) {
    return numbers(value).max().orElse(Double.NaN);
  }

  private boolean holds(JexlScript test, Object element) {
    Object outcome = test.execute(context, element);
    if (outcome instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(
        "the function given to all()/any() must return true or false, got " + outcome);
  }

  private static java.util.stream.DoubleStream numbers(Object value) {
    return list(value).stream()
        .mapToDouble(e -> e instanceof Number n ? n.doubleValue() : Double.NaN);
  }

  private static List<?> list(Object value) {
    if (value instanceof List<?> list) {
      return list;
    }
    return value == null ? List.of() : List.of(value);
  }
}
