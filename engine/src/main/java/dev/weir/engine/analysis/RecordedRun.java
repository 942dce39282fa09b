package dev.weir.engine.analysis;

import java.util.Objects;

/**
 * A finished or running analysis as recorded: the template it ran and its state, whose measurements
 * keep what each one observed. The input of {@link WhatIf#rejudge}. Immutable.
 */
public record RecordedRun(AnalysisTemplateSpec spec, AnalysisRunState state) {
  public RecordedRun {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(state, "state");
  }
}
