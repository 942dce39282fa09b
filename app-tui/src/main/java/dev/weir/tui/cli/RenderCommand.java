package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleRender;
import java.util.Optional;
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
  ConsoleRender.Format format;

  @Option(names = "--allow-remote-bases",
      description = "Let kustomize fetch remote bases and resources, and helm remote chart dependencies. Off by default:"
          + " Weir renders without network access. Link-local and cloud metadata addresses stay refused.")
  boolean allowRemoteBases;

  @Override
  public Integer call() {
    ConsoleRender.Output output =
        ConsoleRender.render(
            repo.settings(),
            Optional.ofNullable(rev),
            Optional.ofNullable(app),
            allowRemoteBases,
            format);
    // every application that renders is printed; every one that does not is named (exit 2)
    spec.commandLine().getOut().print(output.text());
    spec.commandLine().getOut().flush();
    output.warnings().forEach(warning -> spec.commandLine().getErr().println(warning));
    if (!output.ok()) {
      output.problems().forEach(problem -> spec.commandLine().getErr().println(problem));
      return ExitCodes.BAD_INPUT;
    }
    return ExitCodes.OK;
  }
}
