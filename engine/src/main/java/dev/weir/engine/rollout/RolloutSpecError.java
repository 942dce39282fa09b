package dev.weir.engine.rollout;

import dev.weir.engine.model.SourceLocation;
import java.util.Objects;

/**
 * One problem in a Rollout: where the document is, which field, and what is wrong. Printed as
 * {@code apps/shop/rollout.yaml:1:1: spec.strategy.canary.steps[2].setWeight: must be within
 * 0..100, got 120}.
 */
public record RolloutSpecError(SourceLocation source, String field, String message) {
  public RolloutSpecError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return source + ": " + field + ": " + message;
  }
}
