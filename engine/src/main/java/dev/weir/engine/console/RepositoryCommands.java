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
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.diff.RevisionDiffer;
import dev.weir.engine.manifest.Renderer;
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
   * How {@code application}'s objects differ between {@code from} and {@code to}, each revision
   * rendered with {@code renderer}: the diff a history shows between the selected revision and
   * the current one. An unknown revision, or one at which the application is absent or does not
   * render, is {@code BAD_INPUT}.
   */
  static RevisionDiff diff(
      GitSource git, Renderer renderer, String application, String from, String to) {
    String fromShort = from.length() > 7 ? from.substring(0, 7) : from;
    String toShort = to.length() > 7 ? to.substring(0, 7) : to;
    java.util.SortedMap<ResourceKey, Manifest> before;
    java.util.SortedMap<ResourceKey, Manifest> after;
    try {
      String fromFull = git.resolve(from);
      String toFull = git.resolve(to);
      fromShort = fromFull.substring(0, 7);
      toShort = toFull.substring(0, 7);
      AtRevision was = objects(git, renderer, application, fromFull);
      if (was.refusal() != null) {
        return RevisionDiff.failed(application, fromShort, toShort, was.refusal());
      }
      AtRevision is = objects(git, renderer, application, toFull);
      if (is.refusal() != null) {
        return RevisionDiff.failed(application, fromShort, toShort, is.refusal());
      }
      before = was.objects();
      after = is.objects();
    } catch (GitException e) {
      return RevisionDiff.failed(application, fromShort, toShort, failure(e));
    }
    java.util.SortedSet<ResourceKey> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<RevisionDiff.Resource> resources = new ArrayList<>();
    for (ResourceKey key : keys) {
      Manifest was = before.get(key);
      Manifest is = after.get(key);
      String text =
          RevisionDiffer.unified(
              key,
              was == null ? null : was.object(),
              is == null ? null : is.object(),
              fromShort,
              toShort);
      if (text.isEmpty()) {
        continue;
      }
      RevisionDiff.Change change =
          was == null
              ? RevisionDiff.Change.ADDED
              : is == null ? RevisionDiff.Change.REMOVED : RevisionDiff.Change.CHANGED;
      resources.add(new RevisionDiff.Resource(key.toString(), change, text.lines().toList()));
    }
    String message =
        resources.isEmpty()
            ? application + " is the same at " + fromShort + " and " + toShort
            : resources.size()
                + (resources.size() == 1 ? " object differs" : " objects differ")
                + " between "
                + fromShort
                + " and "
                + toShort;
    return new RevisionDiff(
        CommandResult.Status.OK, message, application, fromShort, toShort, resources);
  }

  /** An application's objects at one revision, or why there are none. */
  private record AtRevision(
      java.util.SortedMap<ResourceKey, Manifest> objects, CommandResult refusal) {}

  /** The objects of {@code application} at {@code revision}, or why there are none. */
  private static AtRevision objects(
      GitSource git, Renderer renderer, String application, String revision) {
    RepositoryRender render = renderer.render(git.tree(revision));
    Optional<RenderedApplication> app = render.application(application);
    if (app.isEmpty()) {
      return new AtRevision(
          null,
          CommandResult.of(
              CommandResult.Status.BAD_INPUT,
              "application '" + application + "' does not exist at " + revision.substring(0, 7)));
    }
    if (app.get().latest() instanceof RenderResult.Failed failed) {
      return new AtRevision(
          null,
          CommandResult.of(
              CommandResult.Status.BAD_INPUT,
              application
                  + " does not render at "
                  + revision.substring(0, 7)
                  + " ("
                  + failed.problems().getFirst()
                  + ")"));
    }
    return new AtRevision(
        ((RenderResult.Rendered) app.get().latest()).state().resources(), null);
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
