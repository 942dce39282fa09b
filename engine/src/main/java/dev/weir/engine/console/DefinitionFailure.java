package dev.weir.engine.console;

import dev.weir.engine.manifest.RenderProblem;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An application definition that does not load: an Application document with a wrong or missing
 * field, one defined twice, or a file that may hold Applications but is not valid YAML. Without
 * it such an application would vanish from every face without a word. Immutable.
 *
 * @param application the application, when its name could be read; empty when the file could not
 *     be parsed at all
 * @param location the file, line and column at fault
 * @param reason what kind of problem: {@code SYNTAX}, {@code INVALID_APPLICATION}, {@code
 *     DUPLICATE}, {@code LIMIT}, {@code ENCODING}, {@code READ_FAILED}
 * @param problem one line, without the location; names the field when one is at fault ({@code
 *     Application shop: spec.destination.namespace is required})
 */
public record DefinitionFailure(
    Optional<String> application, SourceLocation location, String reason, String problem) {

  public DefinitionFailure {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(problem, "problem");
  }

  /** {@code file:line:column: problem}. */
  public String describe() {
    return location + ": " + problem;
  }

  /**
   * As {@link #describe()}, shorter for a row that already names the application: without the
   * {@code Application NAME: } and {@code could not look for Applications: } that start the
   * problem, so that the field at fault shows in a narrow terminal ({@code
   * apps/search/application.yaml:6:11: spec.source.path is required}).
   */
  public String brief() {
    String text = problem;
    String named = application.map(a -> "Application " + a + ": ").orElse("Application: ");
    for (String prefix : List.of("could not look for Applications: ", named)) {
      if (text.startsWith(prefix)) {
        text = text.substring(prefix.length());
      }
    }
    return location + ": " + text;
  }

  private static final Set<RenderProblem.Reason> DEFINITION =
      Set.of(RenderProblem.Reason.INVALID_APPLICATION, RenderProblem.Reason.DUPLICATE);

  /**
   * The definitions of {@code render} that do not load: its repository-level problems, each given
   * to the application it stops when that is known, and every application whose own definition
   * is wrong or duplicated. In file order.
   */
  static List<DefinitionFailure> of(RepositoryRender render) {
    List<DefinitionFailure> failures = new ArrayList<>();
    Set<RenderProblem> attributed = new HashSet<>();
    for (RenderedApplication application : render.applications()) {
      if (application.latest() instanceof RenderResult.Failed failed) {
        for (RenderProblem problem : failed.problems()) {
          if (render.problems().contains(problem) || DEFINITION.contains(problem.reason())) {
            failures.add(of(Optional.of(application.name()), problem));
            attributed.add(problem);
          }
        }
      }
    }
    for (RenderProblem problem : render.problems()) {
      if (!attributed.contains(problem)) {
        failures.add(of(Optional.empty(), problem));
      }
    }
    failures.sort(
        Comparator.comparing((DefinitionFailure f) -> f.location().file())
            .thenComparingInt(f -> f.location().line())
            .thenComparingInt(f -> f.location().column())
            .thenComparing(f -> f.application().orElse("")));
    return List.copyOf(failures);
  }

  private static DefinitionFailure of(Optional<String> application, RenderProblem problem) {
    return new DefinitionFailure(
        application, problem.location(), problem.reason().name(), problem.message());
  }
}
