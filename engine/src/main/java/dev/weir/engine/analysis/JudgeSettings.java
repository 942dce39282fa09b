package dev.weir.engine.analysis;

/**
 * How the statistical judge decides one metric. Immutable.
 *
 * @param direction which way of moving is bad
 * @param effectSize the allowed relative difference of medians ({@code 0.10} = 10%): a canary that
 *     is significantly different but by no more than this passes
 * @param confidence the test's confidence ({@code 0.98}): a difference counts when {@code p < 1 -
 *     confidence}
 * @param minSamples fewer samples than this on either side is NoData
 */
public record JudgeSettings(
    Direction direction, double effectSize, double confidence, int minSamples) {

  /** Defaults: either direction, 10% effect size, 98% confidence, 10 samples. */
  public static final JudgeSettings DEFAULTS = new JudgeSettings(Direction.EITHER, 0.10, 0.98, 10);

  public JudgeSettings {
    if (direction == null) {
      throw new IllegalArgumentException("direction is required");
    }
    if (!(effectSize >= 0) || Double.isInfinite(effectSize)) {
      throw new IllegalArgumentException("effect size must be a number >= 0, got " + effectSize);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "confidence must be between 0 and 1 (exclusive), got " + confidence);
    }
    if (minSamples < 2) {
      throw new IllegalArgumentException("minimum samples must be at least 2, got " + minSamples);
    }
  }

  public JudgeSettings withDirection(Direction value) {
    return new JudgeSettings(value, effectSize, confidence, minSamples);
  }

  public JudgeSettings withEffectSize(double value) {
    return new JudgeSettings(direction, value, confidence, minSamples);
  }

  public JudgeSettings withConfidence(double value) {
    return new JudgeSettings(direction, effectSize, value, minSamples);
  }

  public JudgeSettings withMinSamples(int value) {
    return new JudgeSettings(direction, effectSize, confidence, value);
  }
}
