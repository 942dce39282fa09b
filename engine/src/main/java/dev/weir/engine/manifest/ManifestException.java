package dev.weir.engine.manifest;

import java.util.Objects;

/**
 * A file could not be loaded. Carries the {@link RenderProblem}; the message is its one line.
 * Thrown without a stack trace: it is a value about bad input, not a bug.
 */
public final class ManifestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient RenderProblem problem;

  public ManifestException(RenderProblem problem) {
    super(Objects.requireNonNull(problem, "problem").toString(), null, false, false);
    this.problem = problem;
  }

  public RenderProblem problem() {
    return problem;
  }
}
