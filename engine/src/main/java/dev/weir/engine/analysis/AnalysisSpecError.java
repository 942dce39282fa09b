package dev.weir.engine.analysis;

import dev.weir.engine.model.SourceLocation;
import java.util.Objects;

/**
 * One problem in an AnalysisTemplate: where the document is, which field, and what is wrong.
 * Printed as {@code apps/shop/analysis.yaml:12:1: spec.metrics[0].interval: not a duration: "5
 * min"}.
 */
public record AnalysisSpecError(SourceLocation source, String field, String message) {
  public AnalysisSpecError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return source + ": " + field + ": " + message;
  }
}
