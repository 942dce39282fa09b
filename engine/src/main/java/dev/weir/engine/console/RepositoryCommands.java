package dev.weir.engine.console;

import dev.weir.engine.git.CommitInfo;
import dev.weir.engine.git.GitError;
import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.WritePlan;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.Application;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the console does with the GitOps repository alone, shared by {@link Console} and {@link
 * RepositoryConsole}: an application's history, and the Git half of a rollback (its commit, its
 * branch, its push) with its preview. Stateless.
 */
final class RepositoryCommands {
  private RepositoryCommands() {}

  /** The commits that touched {@code app}'s path, newest first. */
  static ApplicationHistory history(GitSource git, Application app, int max) {
    List<CommitInfo> commits = git.history(app.path(), max);
    return new ApplicationHistory(
        CommandResult.Status.OK,
        commits.size() + " commit" + (commits.size() == 1 ? "" : "s") + " touched " + app.path(),
        app.name(),
        app.path(),
        commits.stream()
            .map(
                c ->
                    new ApplicationHistory.Commit(
                        c.sha(),
                        c.shortSha(),
                        c.authorName(),
                        c.authorEmail(),
                        c.date(),
                        c.subject(),
                        c.message()))
            .toList());
  }

  /**
   * Why {@code app} cannot be rolled back to {@code revision} as rendered in {@code then} (absent,
   * or failing to render), or empty when it can.
   */
  static Optional<CommandResult> refusal(
      String app, String revision, Optional<RenderedApplication> then) {
    if (then.isEmpty()) {
      return Optional.of(
          CommandResult.of(
              CommandResult.Status.BAD_INPUT,
              "application '"
                  + app
                  + "' does not exist at "
                  + revision
                  + "; nothing to restore"));
    }
    if (then.get().latest() instanceof RenderResult.Failed failed) {
      return Optional.of(
          CommandResult.of(
              CommandResult.Status.BAD_INPUT,
              app
                  + " does not render at "
                  + revision
                  + " ("
                  + failed.problems().getFirst()
                  + "); refusing to roll back to it"));
    }
    return Optional.empty();
  }

  /**
   * The Git half of a rollback's preview: the commit (branch, base, author, every line of the
   * message) and the push; {@code pinned} says what happens to the cluster when the commit stays
   * local (null: no cluster).
   */
  static List<String> commitLines(
      GitSource git, Application app, String revision, String reason, boolean push, String pinned) {
    WritePlan plan = git.writer().planRestore(app.name(), app.path(), revision, reason);
    List<String> lines = new ArrayList<>();
    if (!plan.changes()) {
      lines.add(
          "no commit: "
              + app.path()
              + " on "
              + plan.branch()
              + " already matches "
              + revision);
      return lines;
    }
    lines.add(
        "commit on branch "
            + plan.branch()
            + " (on top of "
            + plan.base()
            + "), authored by "
            + plan.author()
            + ":");
    plan.message().strip().lines().forEach(line -> lines.add("  | " + line));
    if (push) {
      lines.add(
          "push: to "
              + plan.branch()
              + " on the remote"
              + (pinned == null
                  ? "; if the push fails the commit stays in the local clone"
                  : "; if the push fails the commit stays in the local clone and " + pinned));
    } else {
      lines.add(
          "push: no; the commit stays in the local clone"
              + (pinned == null ? "" : " and " + pinned));
    }
    return lines;
  }

  /** The status a Git write's outcome gives a command. */
  static CommandResult.Status status(WriteResult written, boolean push) {
    return switch (written.outcome()) {
      case PUSHED, NO_CHANGE -> CommandResult.Status.OK;
      case COMMITTED_LOCALLY ->
          push
              ? written.pushError().map(RepositoryCommands::status).orElse(CommandResult.Status.FAILED)
              : CommandResult.Status.OK;
    };
  }

  /** The status a Git error gives a command (DESIGN.md's exit codes: 3, 2, 1). */
  static CommandResult.Status status(GitError error) {
    return switch (error.reason()) {
      case UNREACHABLE, AUTH_FAILED, HOST_KEY_REJECTED, REMOTE_ERROR ->
          CommandResult.Status.UNREACHABLE;
      case NOT_FOUND, INVALID_REQUEST -> CommandResult.Status.BAD_INPUT;
      default -> CommandResult.Status.FAILED;
    };
  }

  /** A command's result for a Git failure. */
  static CommandResult failure(GitException e) {
    return CommandResult.of(status(e.error()), e.getMessage());
  }

  /** The application {@code name} of {@code render}, or why there is none. */
  static Optional<RenderedApplication> application(RepositoryRender render, String name) {
    return render.application(name);
  }

  /** {@code no application named 'x' at 3f2a1c9; known: a, b}. */
  static CommandResult unknown(RepositoryRender render, String name) {
    return CommandResult.of(
        CommandResult.Status.BAD_INPUT,
        "no application named '"
            + name
            + "' at "
            + render.revision().substring(0, 7)
            + "; known: "
            + String.join(
                ", ",
                render.applications().stream().map(RenderedApplication::name).sorted().toList()));
  }
}
