package dev.weir.tui.cli;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weir render}: the desired state as kubectl would print it. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description =
        "Prints the desired state of every application (or one) at a revision, as kubectl would: multi-document"
            + " YAML or a v1 List. Weir's own kinds (weir.dev: Application, Rollout, AnalysisTemplate) are console"
            + " configuration and are left out. Bad input: exit 2 and file:line:column: message on stderr.")
final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;

  @Option(names = "--rev", paramLabel = "REV", description = "A branch, tag or commit (default: the followed head).")
  String rev;

  @Option(names = "--app", paramLabel = "NAME", description = "Only this application.")
  String app;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
      description = "yaml (default) or json.")
  ManifestPrinter.Format format;

  @Option(names = "--allow-remote-bases",
      description = "Let kustomize fetch remote bases and resources, and helm remote chart dependencies. Off by default:"
          + " Weir renders without network access. Link-local and cloud metadata addresses stay refused.")
  boolean allowRemoteBases;

  @Override
  public Integer call() {
    try (GitSource source = repo.open()) {
      RevisionTree tree = rev == null ? source.head() : source.tree(rev);
      RepositoryRender render =
          new Renderer(RenderOptions.defaults().withRemoteSources(allowRemoteBases)).render(tree);
      List<RenderedApplication> chosen =
          app == null ? render.applications() : List.of(RepoOptions.application(render, app));

      List<RenderProblem> problems = new ArrayList<>(render.problems());
      List<Manifest> manifests = new ArrayList<>();
      for (RenderedApplication application : chosen) {
        switch (application.latest()) {
          case RenderResult.Failed failed -> problems.addAll(failed.problems());
          case RenderResult.Rendered rendered -> manifests.addAll(rendered.state().resources().values());
        }
      }
      if (!problems.isEmpty()) {
        problems.stream().distinct().forEach(problem -> spec.commandLine().getErr().println(problem));
        return ExitCodes.BAD_INPUT;
      }
      spec.commandLine().getOut().print(ManifestPrinter.print(manifests, format));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
