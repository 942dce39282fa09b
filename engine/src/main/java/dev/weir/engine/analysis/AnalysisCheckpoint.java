package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How far one analysis run got: enough to continue it in another executor (after a console crash,
 * or in another SRE's console) with the same counts and the same measurement cadence, instead of
 * starting again from zero. A rollout records it with every transition; {@link
 * AnalysisRunExecutor#resume} continues from it. Immutable.
 *
 * <p>Only the latest measurement of each metric is kept, and of a comparison metric's latest
 * measurement only its verdict, not its samples: enough for the counters, the limits, the score and
 * the one-line reasons, while the record stays small.
 *
 * @param template the AnalysisTemplate the run ran; a checkpoint of another template is not resumed
 * @param startedAt when the run started: metrics not measured yet are due at this plus their
 *     initial delay
 */
public record AnalysisCheckpoint(
    String template, Instant startedAt, List<AnalysisCheckpoint.MetricCheckpoint> metrics) {

  public AnalysisCheckpoint {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(startedAt, "startedAt");
    metrics = List.copyOf(metrics);
  }

  /**
   * One metric's counters, as in {@link MetricResult}, and its latest measurement.
   *
   * @param phase Running, or the phase the metric ended in
   * @param last the latest measurement: the next one is due at its time plus the metric's interval
   */
  public record MetricCheckpoint(
      String name,
      AnalysisPhase phase,
      int count,
      int successful,
      int failed,
      int inconclusive,
      int error,
      int consecutiveError,
      Optional<Measurement> last) {

    public MetricCheckpoint {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(last, "last");
      if (phase == AnalysisPhase.PENDING) {
        throw new IllegalArgumentException("a checkpointed metric has started");
      }
      if (count < 0
          || successful < 0
          || failed < 0
          || inconclusive < 0
          || error < 0
          || consecutiveError < 0) {
        throw new IllegalArgumentException("counts of " + name + " must not be negative");
      }
    }
  }

  /** The checkpoint of {@code state}; empty for a run that has not started. */
  public static Optional<AnalysisCheckpoint> of(AnalysisRunState state) {
    if (state.phase() == AnalysisPhase.PENDING || state.startedAt().isEmpty()) {
      return Optional.empty();
    }
    List<MetricCheckpoint> metrics = new ArrayList<>();
    for (MetricResult metric : state.metrics()) {
      if (metric.phase() == AnalysisPhase.PENDING) {
        continue;
      }
      metrics.add(
          new MetricCheckpoint(
              metric.name(),
              metric.phase(),
              metric.count(),
              metric.successful(),
              metric.failed(),
              metric.inconclusive(),
              metric.error(),
              metric.consecutiveError(),
              metric.last().map(AnalysisCheckpoint::withoutSamples)));
    }
    return Optional.of(new AnalysisCheckpoint(state.template(), state.startedAt().get(), metrics));
  }

  /** The metric called {@code name}, if it was checkpointed. */
  public Optional<MetricCheckpoint> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** A comparison's samples are not kept; its verdict is. */
  private static Measurement withoutSamples(Measurement m) {
    if (m.observation() instanceof Observation.Samples samples
        && (samples.stable().length > 0 || samples.canary().length > 0)) {
      return new Measurement(
          m.metric(),
          m.at(),
          new Observation.Samples(new double[0], new double[0]),
          m.phase(),
          m.verdict(),
          m.message());
    }
    return m;
  }
}
