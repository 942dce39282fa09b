package dev.weir.engine.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link AnalysisRun#next}: the new state, what to do, and when to call again with a
 * {@link AnalysisEvent.Tick} (empty: only when a measurement comes back, or never). Immutable.
 */
public record AnalysisTransition(
    AnalysisRunState state, List<AnalysisEffect> effects, Optional<Instant> wakeAt) {
  public AnalysisTransition {
    Objects.requireNonNull(state, "state");
    effects = List.copyOf(effects);
    Objects.requireNonNull(wakeAt, "wakeAt");
  }
}
