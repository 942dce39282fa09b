package dev.weir.engine.analysis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an A/B experiment is judged: its significance, the spread of effects its sequential test is
 * tuned for, and when it ends without a clear result. Immutable.
 *
 * @param alpha the chance, at most, that an experiment whose variants convert alike ever names a
 *     winner or a harm, however often it is looked at (default 0.05)
 * @param tau the mixture spread τ of {@link MixtureSprt}, in absolute conversion-rate points: the
 *     size of effect the test finds fastest (default 0.02, two points)
 * @param maxSamples the experiment ends when the variant with fewer trials has this many
 * @param maxDuration the experiment ends after this long, when given
 * @param minSamples no decision before each variant has this many trials (the normal approximation
 *     of the test needs a few; default 100)
 */
public record ExperimentSettings(
    double alpha, double tau, long maxSamples, Optional<Duration> maxDuration, long minSamples) {

  public static final double DEFAULT_ALPHA = 0.05;
  public static final double DEFAULT_TAU = 0.02;
  public static final long DEFAULT_MIN_SAMPLES = 100;

  public ExperimentSettings {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be between 0 and 1, got " + alpha);
    }
    if (!(tau > 0 && tau <= 1)) {
      throw new IllegalArgumentException("tau must be within (0, 1], got " + tau);
    }
    if (maxSamples < 1 || minSamples < 0) {
      throw new IllegalArgumentException("maxSamples must be positive");
    }
    Objects.requireNonNull(maxDuration, "maxDuration");
  }

  /** The defaults with a sample limit of {@code maxSamples} trials per variant. */
  public static ExperimentSettings of(long maxSamples) {
    return new ExperimentSettings(
        DEFAULT_ALPHA, DEFAULT_TAU, maxSamples, Optional.empty(), DEFAULT_MIN_SAMPLES);
  }
}
