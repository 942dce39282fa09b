package dev.weir.tui.cli;

import dev.weir.engine.console.RepositorySettings;
import dev.weir.engine.git.GitError;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --repo} and {@code --branch}: the GitOps workspace a command works on. */
final class RepoOptions {

  @Option(
      names = "--repo",
      required = true,
      paramLabel = "PATH|URL",
      description = "The GitOps repository: a local path, an https:// URL or an ssh URL (git@host:org/repo).")
  String repo;

  @Option(
      names = "--branch",
      paramLabel = "B",
      description = "The branch, tag or commit to follow (default: the repository's default branch).")
  String branch;

  @Option(
      names = "--trusted-keys",
      paramLabel = "KEYRING",
      description = "Use only commits signed by a key in this OpenPGP public keyring (armored or binary); refuse others.")
  Path trustedKeys;

  @Option(
      names = "--repo-credentials",
      paramLabel = "DIR",
      description =
          "Repository credentials from a mounted Secret: 'ssh-privatekey' with 'known_hosts'"
              + " (host keys checked strictly), or 'token' with an optional 'username' (https).")
  Path repoCredentials;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The repository as the engine takes it: plain values, credentials from the environment. */
  RepositorySettings settings() {
    CliEnvironment environment = ((WeirCommand) command.root().userObject()).environment();
    if (repoCredentials != null) {
      environment = RepositoryCredentials.apply(repoCredentials, environment);
    }
    return RepositorySettings.of(repo, environment.variables(), environment.home())
        .withBranch(Optional.ofNullable(branch))
        .withTrustedKeys(Optional.ofNullable(trustedKeys));
  }

  /** Clones or fetches the workspace into the user's cache. */
  @PendingFacade("HistoryCommand, RollbackCommand, RolloutCommand")
  GitSource open() {
    CliEnvironment environment = ((WeirCommand) command.root().userObject()).environment();
    GitSettings settings = GitSettings.from(environment.variables(), environment.home());
    if (trustedKeys != null) {
      settings = settings.withTrustedKeys(trustedKeys);
    }
    return JGitSource.open(new WorkspaceSpec(repo, branch), settings, EngineClock.system());
  }

  /** The applications at the workspace head, or an error naming the missing one. */
  @PendingFacade("HistoryCommand, RollbackCommand, RolloutCommand")
  static RenderedApplication application(RepositoryRender render, String name) {
    return render
        .application(name)
        .orElseThrow(() -> unknown(render, name));
  }

  @PendingFacade("HistoryCommand, RollbackCommand, RolloutCommand")
  private static CommandException unknown(RepositoryRender render, String name) {
    return new CommandException(ExitCodes.BAD_INPUT,
        "no application named '" + name + "' at " + render.revision().substring(0, 7) + "; known: "
            + String.join(", ", render.applications().stream().map(RepoOptions::nameOf).sorted().toList()));
  }

  @PendingFacade("HistoryCommand, RollbackCommand, RolloutCommand")
  private static String nameOf(RenderedApplication application) {
    return application.name();
  }

  @PendingFacade("HistoryCommand, RollbackCommand, RolloutCommand")
  static RepositoryRender renderHead(GitSource source) {
    return new Renderer().render(source.head());
  }

  /** The exit code DESIGN.md gives a Git failure. */
  @PendingFacade("RollbackCommand")
  static int exitCode(GitError error) {
    // by name: a switch on the enum would compile to a class of its own, outside this member
    return switch (error.reason().name()) {
      case "UNREACHABLE", "AUTH_FAILED", "HOST_KEY_REJECTED", "REMOTE_ERROR" -> ExitCodes.UNREACHABLE;
      case "NOT_FOUND", "INVALID_REQUEST" -> ExitCodes.BAD_INPUT;
      default -> ExitCodes.FAILED;
    };
  }
}
