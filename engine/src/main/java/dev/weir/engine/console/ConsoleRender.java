package dev.weir.engine.console;

import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.manifest.ManifestPrinter;
import dev.weir.engine.manifest.RenderOptions;
import dev.weir.engine.manifest.RenderProblem;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.time.EngineClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired state of a repository as kubectl would print it ({@code weir render}, a face's
 * "desired YAML" pane), without a cluster: Weir's own kinds left out, every problem as one {@code
 * file:line:column: message} line.
 */
public final class ConsoleRender {
  private ConsoleRender() {}

  /** Multi-document YAML, or a v1 List in JSON. */
  public enum Format {
    YAML,
    JSON
  }

  /**
   * What a render gave: the printed objects, or the problems that stopped it.
   *
   * @param problems one line each, {@code file:line:column: message}, distinct, in file order,
   *     then one line naming every application that did not render; {@code text} still holds
   *     every application that did
   * @param warnings what is not honoured, and files outside every application's path that could
   *     not be searched for Applications, one line each ({@code warning: …})
   * @param text the objects of every application that rendered, printed
   */
  public record Output(List<String> problems, List<String> warnings, String text) {
    public Output {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
      Objects.requireNonNull(text, "text");
    }

    public Output(List<String> problems, String text) {
      this(problems, List.of(), text);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Renders every application (or {@code application}) of {@code repository} at {@code revision}
   * (default: the followed head).
   *
   * @param remoteSources whether kustomize and helm may fetch remote bases and charts
   * @throws ConsoleException when the repository or revision cannot be read, or no application
   *     has that name (one line naming the known ones)
   */
  public static Output render(
      RepositorySettings repository,
      Optional<String> revision,
      Optional<String> application,
      boolean remoteSources,
      Format format) {
    try (GitSource source = repository.open(EngineClock.system())) {
      RevisionTree tree = revision.isEmpty() ? source.head() : source.tree(revision.get());
      RepositoryRender render =
          new Renderer(RenderOptions.defaults().withRemoteSources(remoteSources)).render(tree);
      List<RenderedApplication> chosen =
          application.isEmpty()
              ? render.applications()
              : List.of(application(render, application.get()));
      // a file no application renders only could have held Applications: a warning
      List<String> warnings = new ArrayList<>();
      List<RenderProblem> problems = new ArrayList<>();
      for (RenderProblem problem : render.problems()) {
        if (problem.message().startsWith(Renderer.COULD_NOT_LOOK)) {
          warnings.add("warning: " + problem);
        } else {
          problems.add(problem);
        }
      }
      List<String> failedApplications = new ArrayList<>();
      List<Manifest> manifests = new ArrayList<>();
      List<String> rolloutProblems = new ArrayList<>();
      for (RenderedApplication rendered : chosen) {
        rendered.application().warnings().forEach(w -> warnings.add("warning: " + w));
        switch (rendered.latest()) {
          case RenderResult.Failed failed -> {
            problems.addAll(failed.problems());
            failedApplications.add(rendered.name());
          }
          case RenderResult.Rendered done -> {
            // a Rollout or AnalysisTemplate that does not validate fails its application
            List<String> invalid = rolloutProblems(done.state());
            if (invalid.isEmpty()) {
              manifests.addAll(done.state().resources().values());
              manifests.addAll(done.state().hooks());
            } else {
              rolloutProblems.addAll(invalid);
              failedApplications.add(rendered.name());
            }
          }
        }
      }
      List<String> lines =
          new ArrayList<>(problems.stream().distinct().map(RenderProblem::toString).toList());
      lines.addAll(rolloutProblems);
      // which of several did not render (with one application its problems already say it: the
      // one line a bad input gets)
      if (!failedApplications.isEmpty() && application.isEmpty() && chosen.size() > 1) {
        lines.add(
            "did not render: "
                + String.join(", ", failedApplications)
                + " ("
                + failedApplications.size()
                + " of "
                + chosen.size()
                + " applications)");
      }
      return new Output(
          lines,
          warnings.stream().distinct().toList(),
          manifests.isEmpty()
              ? ""
              : ManifestPrinter.print(
                  manifests,
                  format == Format.JSON
                      ? ManifestPrinter.Format.JSON
                      : ManifestPrinter.Format.YAML));
    } catch (GitException e) {
      throw ConsoleException.of(e).orElseThrow();
    }
  }

  /**
   * The Rollouts and AnalysisTemplates of {@code state} (Weir's and Argo Rollouts'), checked as the
   * engine reads them: each problem one {@code file:line:column: field: message} line. A render
   * that printed the objects while its Rollouts cannot be driven would tell the user nothing.
   */
  static List<String> rolloutProblems(dev.weir.engine.model.DesiredState state) {
    return dev.weir.engine.rollout.RolloutSpecParser.parseAll(state).errors().stream()
        .map(Object::toString)
        .toList();
  }

  /** The application named {@code name}, or a bad-input failure naming the known ones. */
  static RenderedApplication application(RepositoryRender render, String name) {
    return render
        .application(name)
        .orElseThrow(
            () ->
                new ConsoleException(
                    ConsoleException.Kind.BAD_INPUT,
                    "no application named '"
                        + name
                        + "' at "
                        + render.revision().substring(0, Math.min(7, render.revision().length()))
                        + "; known: "
                        + String.join(
                            ", ",
                            render.applications().stream()
                                .map(RenderedApplication::name)
                                .sorted()
                                .toList())));
  }
}
