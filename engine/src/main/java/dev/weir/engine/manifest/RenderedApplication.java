package dev.weir.engine.manifest;

import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application as the {@link Renderer} last saw it: the latest render attempt and the last good
 * desired state. When the latest attempt failed, the application keeps serving its last good
 * revision and carries the errors, so that a UI can say "render failed at rev X; serving last good
 * rev Y" and the reconciler never acts on a broken render. Immutable.
 *
 * @param application the application's definition (at the latest revision where it could be read)
 * @param latest the outcome of rendering the latest revision
 * @param lastGood the newest successful render: {@code latest}'s state when it succeeded, an older
 *     one when it failed, empty when no render of this application has succeeded yet
 */
public record RenderedApplication(
    Application application, RenderResult latest, Optional<DesiredState> lastGood) {

  public RenderedApplication {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(latest, "latest");
    Objects.requireNonNull(lastGood, "lastGood");
    if (latest instanceof RenderResult.Rendered r && !lastGood.equals(Optional.of(r.state()))) {
      throw new IllegalArgumentException("a successful render is the last good one");
    }
  }

  public String name() {
    return application.name();
  }

  /** The revision of the latest attempt. */
  public String revision() {
    return latest.revision();
  }

  public boolean failed() {
    return latest instanceof RenderResult.Failed;
  }

  /** The problems of the latest attempt; empty when it succeeded. */
  public List<RenderProblem> errors() {
    return latest instanceof RenderResult.Failed f ? f.problems() : List.of();
  }

  /**
   * One line for a status bar: {@code rendered rev 1a2b3c4 (12 resources)}, {@code render failed at
   * rev 1a2b3c4; serving last good rev 9f8e7d6} or {@code render failed at rev 1a2b3c4; no good
   * revision yet}.
   */
  public String summary() {
    return switch (latest) {
      case RenderResult.Rendered r ->
          "rendered rev "
              + shortRev(r.revision())
              + " ("
              + r.state().resources().size()
              + " resources)";
      case RenderResult.Failed f ->
          "render failed at rev "
              + shortRev(f.revision())
              + "; "
              + lastGood
                  .map(s -> "serving last good rev " + shortRev(s.revision()))
                  .orElse("no good revision yet");
    };
  }

  private static String shortRev(String revision) {
    return revision.length() > 7 ? revision.substring(0, 7) : revision;
  }
}
