package dev.weir.engine.analysis;

import java.util.List;
import java.util.Objects;

/**
 * What an instant query returned, as a condition sees it in {@code result}: a scalar, or a vector
 * of samples in the order the provider returned them (labels are not kept; conditions index by
 * position). Immutable.
 */
public sealed interface MetricValue permits MetricValue.Scalar, MetricValue.Vector {

  /** A single number; {@code result} is a {@code Double}. */
  record Scalar(double value) implements MetricValue {
    @Override
    public Object conditionInput() {
      return value;
    }

    @Override
    public boolean isEmpty() {
      return false;
    }

    @Override
    public boolean hasNaN() {
      return Double.isNaN(value);
    }

    @Override
    public double first() {
      return value;
    }

    @Override
    public String display() {
      return Numbers.format(value);
    }
  }

  /** Zero or more samples; {@code result} is a {@code List<Double>}. */
  record Vector(List<Double> values) implements MetricValue {
    public Vector {
      values = List.copyOf(Objects.requireNonNull(values, "values"));
    }

    @Override
    public Object conditionInput() {
      return values;
    }

    @Override
    public boolean isEmpty() {
      return values.isEmpty();
    }

    @Override
    public boolean hasNaN() {
      return values.stream().anyMatch(v -> v.isNaN());
    }

    @Override
    public double first() {
      return values.isEmpty() ? Double.NaN : values.getFirst();
    }

    @Override
    public String display() {
      if (values.size() == 1) {
        return Numbers.format(values.getFirst());
      }
      StringBuilder text = new StringBuilder("[");
      for (int i = 0; i < values.size() && i < 5; i++) {
        text.append(i == 0 ? "" : ", ").append(Numbers.format(values.get(i)));
      }
      return text.append(values.size() > 5 ? ", … (" + values.size() + " values)]" : "]")
          .toString();
    }
  }

  static MetricValue scalar(double value) {
    return new Scalar(value);
  }

  static MetricValue vector(List<Double> values) {
    return new Vector(values);
  }

  /**
   * The object bound to {@code result} in conditions: a {@code Double} or a {@code List<Double>}.
   */
  Object conditionInput();

  /** True for a vector with no samples (the query matched nothing). */
  boolean isEmpty();

  /** True when any sample is NaN. */
  boolean hasNaN();

  /** The scalar, or the first sample of a vector (NaN when empty): what a chart plots. */
  double first();

  /** A short human form: {@code 0.995} or {@code [0.2, 0.4]}. */
  String display();
}
