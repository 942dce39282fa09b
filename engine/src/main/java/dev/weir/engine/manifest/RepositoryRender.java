package dev.weir.engine.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every application of one revision, rendered. {@code problems} are those of the repository rather
 * than of one application: Application documents that cannot be read, files that may hold
 * Applications but cannot be parsed. Immutable.
 *
 * @param revision the revision rendered
 * @param applications by name
 * @param problems repository-level problems, in file order
 */
public record RepositoryRender(
    String revision, List<RenderedApplication> applications, List<RenderProblem> problems) {

  public RepositoryRender {
    Objects.requireNonNull(revision, "revision");
    applications = List.copyOf(applications);
    problems = List.copyOf(problems);
  }

  public Optional<RenderedApplication> application(String name) {
    return applications.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** Whether the repository and every application rendered without a problem. */
  public boolean ok() {
    return problems.isEmpty() && applications.stream().noneMatch(RenderedApplication::failed);
  }
}
