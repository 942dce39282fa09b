package dev.weir.engine.reconcile;

import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sync or a comparison aims at: an application at one revision, its desired state or the
 * problems that stopped its render. Immutable.
 *
 * @param application the application
 * @param revision the revision
 * @param desired the desired state; empty when the render failed
 * @param renderProblems one line each, {@code file:line:column: message}; empty when it rendered
 */
public record SyncTarget(
    Application application,
    String revision,
    Optional<DesiredState> desired,
    List<String> renderProblems) {

  public SyncTarget {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(desired, "desired");
    renderProblems = List.copyOf(renderProblems);
    if (desired.isEmpty() && renderProblems.isEmpty()) {
      throw new IllegalArgumentException(
          "a target without a desired state needs its render problems");
    }
  }

  /**
   * The latest render of an application: its state, or its problems (never the last good state).
   */
  public static SyncTarget latest(RenderedApplication rendered) {
    return switch (rendered.latest()) {
      case RenderResult.Rendered r ->
          new SyncTarget(rendered.application(), r.revision(), Optional.of(r.state()), List.of());
      case RenderResult.Failed f ->
          new SyncTarget(
              rendered.application(),
              f.revision(),
              Optional.empty(),
              f.problems().stream().map(Object::toString).toList());
    };
  }

  public static SyncTarget of(DesiredState state) {
    return new SyncTarget(state.application(), state.revision(), Optional.of(state), List.of());
  }

  public boolean failed() {
    return !renderProblems.isEmpty();
  }

  /** Never the desired objects, which may hold a Secret's values. */
  @Override
  public String toString() {
    return "SyncTarget[" + application.name() + " at " + revision
        + (failed() ? ", render failed" : ", " + desired.get().resources().size() + " objects") + "]";
  }
}
