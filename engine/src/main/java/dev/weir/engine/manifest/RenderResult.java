package dev.weir.engine.manifest;

import dev.weir.engine.model.DesiredState;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of rendering one application at one revision: the whole desired state, or the
 * problems that stopped it. A failed render never yields a partial desired state. Immutable.
 */
public sealed interface RenderResult permits RenderResult.Rendered, RenderResult.Failed {

  /** The revision that was rendered. */
  String revision();

  /** Every object of the application's path rendered without a problem. */
  record Rendered(DesiredState state) implements RenderResult {
    public Rendered {
      Objects.requireNonNull(state, "state");
    }

    @Override
    public String revision() {
      return state.revision();
    }
  }

  /** The render failed; {@code problems} is never empty, in file order. */
  record Failed(String revision, List<RenderProblem> problems) implements RenderResult {
    public Failed {
      Objects.requireNonNull(revision, "revision");
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("a failed render needs at least one problem");
      }
    }
  }
}
