package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One series of a range query: its labels and its samples in time order. Immutable. */
public record TimeSeries(Map<String, String> labels, List<Sample> samples) {

  /** One sample. */
  public record Sample(Instant at, double value) {
    public Sample {
      Objects.requireNonNull(at, "at");
    }
  }

  public TimeSeries {
    labels = Map.copyOf(labels);
    samples = List.copyOf(samples);
  }

  /** The sample values, in time order. */
  public double[] values() {
    return samples.stream().mapToDouble(Sample::value).toArray();
  }
}
