package dev.weir.engine.analysis;

import java.util.Objects;

/**
 * What one measurement saw, before judging: kept with the measurement so that a {@link WhatIf} can
 * judge it again with other settings. Immutable (arrays are copied in and out).
 */
public sealed interface Observation
    permits Observation.Value, Observation.Samples, Observation.Failed {

  /** A threshold metric's instant query answered. */
  record Value(MetricValue value) implements Observation {
    public Value {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A comparison metric's two range queries answered, as flat sample arrays. */
  record Samples(double[] stable, double[] canary) implements Observation {
    public Samples {
      stable = stable.clone();
      canary = canary.clone();
    }

    @Override
    public double[] stable() {
      return stable.clone();
    }

    @Override
    public double[] canary() {
      return canary.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Samples samples
          && java.util.Arrays.equals(samples.stable, stable)
          && java.util.Arrays.equals(samples.canary, canary);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(stable) + java.util.Arrays.hashCode(canary);
    }

    /** Sample counts, for display. */
    @Override
    public String toString() {
      return "Samples[stable=" + stable.length + ", canary=" + canary.length + "]";
    }
  }

  /** The provider could not answer. */
  record Failed(ProviderError error) implements Observation {
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }
}
