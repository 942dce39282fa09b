package dev.weir.engine.analysis;

import java.util.Objects;

/** What can happen to an analysis run; the input of {@link AnalysisRun#next}. Immutable. */
public sealed interface AnalysisEvent
    permits AnalysisEvent.Start,
        AnalysisEvent.Resume,
        AnalysisEvent.Tick,
        AnalysisEvent.Measured,
        AnalysisEvent.Terminate,
        AnalysisEvent.Abandon {

  /** Begin: every metric is due after its initial delay. */
  record Start() implements AnalysisEvent {}

  /**
   * Begin where another executor left off: every metric keeps the counts of {@code checkpoint} and
   * is next due at its latest measurement plus its interval (or, not measured yet, at the run's
   * start plus its initial delay), so a resumed run neither starts again from zero nor measures
   * early. A checkpoint of another template is a {@link Start}.
   */
  record Resume(AnalysisCheckpoint checkpoint) implements AnalysisEvent {
    public Resume {
      Objects.requireNonNull(checkpoint, "checkpoint");
    }
  }

  /** Time passed: take the measurements that are due. */
  record Tick() implements AnalysisEvent {}

  /** A measurement came back, judged. */
  record Measured(Measurement measurement) implements AnalysisEvent {
    public Measured {
      Objects.requireNonNull(measurement, "measurement");
    }
  }

  /**
   * The rollout no longer needs the run (it was promoted, aborted or moved on). Metrics without a
   * count end here: Successful if they had a successful measurement and no limit was exceeded,
   * otherwise Inconclusive.
   */
  record Terminate(String reason) implements AnalysisEvent {
    public Terminate {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The run cannot go on (e.g. an argument has no value): it ends in Error with this reason. */
  record Abandon(String reason) implements AnalysisEvent {
    public Abandon {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
