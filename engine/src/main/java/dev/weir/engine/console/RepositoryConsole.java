package dev.weir.engine.console;

import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.Application;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The console's commands that need the GitOps repository alone, for a face with no cluster (the
 * CLI's {@code weir history} and {@code weir rollback} without {@code --kubeconfig}): an
 * application's history, and a rollback that commits (and pushes) without syncing, with its
 * preview. A {@link Console} offers the same commands, with the sync that follows a rollback.
 *
 * <p>Thread-safe; commands run on virtual threads and never throw: a Git failure is a result.
 * Closing it closes the Git source.
 */
public final class RepositoryConsole implements AutoCloseable {
  private final GitSource git;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  private RepositoryConsole(GitSource git) {
    this.git = Objects.requireNonNull(git, "git");
  }

  /** A console over {@code git}, which it closes when closed. */
  public static RepositoryConsole open(GitSource git) {
    return new RepositoryConsole(git);
  }

  /** The commits that touched {@code application}'s path at Git's head, newest first. */
  public CompletableFuture<ApplicationHistory> history(String application, int max) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            RepositoryRender head = new Renderer().render(git.head());
            Optional<RenderedApplication> app = head.application(application);
            if (app.isEmpty()) {
              return ApplicationHistory.failed(
                  application, RepositoryCommands.unknown(head, application));
            }
            return RepositoryCommands.history(git, app.get().application(), max);
          } catch (GitException e) {
            return ApplicationHistory.failed(application, RepositoryCommands.failure(e));
          }
        },
        workers);
  }

  /**
   * How {@code application}'s objects differ between revisions {@code from} and {@code to}, each
   * rendered from Git, Secret values redacted.
   */
  public CompletableFuture<RevisionDiff> diffRevisions(String application, String from, String to) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return RepositoryCommands.diff(git, new Renderer(), application, from, to);
          } catch (GitException e) {
            return RevisionDiff.failed(application, from, to, RepositoryCommands.failure(e));
          }
        },
        workers);
  }

  /**
   * What {@link #rollback} would do: the exact commit message, its branch and author, and whether
   * it is pushed; nothing is changed.
   */
  public CompletableFuture<Preview> previewRollback(
      String application, String revision, String reason, boolean push) {
    String title = "Roll back " + application + " to " + revision;
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Target target = target(application, revision);
            if (target.refusal().isPresent()) {
              return Preview.refused(title, target.refusal().get());
            }
            List<String> lines =
                new ArrayList<>(
                    RepositoryCommands.commitLines(
                        git, target.app(), revision, reason, push, null));
            lines.add("no cluster: nothing is synced");
            return Preview.of(title, lines, true);
          } catch (GitException e) {
            return Preview.refused(title, RepositoryCommands.failure(e));
          }
        },
        workers);
  }

  /**
   * Restores {@code application}'s path to {@code revision} as a new commit on top of the branch
   * (pushed when {@code push}); a revision at which it does not render is refused. No cluster is
   * synced.
   */
  public CompletableFuture<CommandResult> rollback(
      String application, String revision, String reason, boolean push) {
    return submit(
        () -> {
          Target target = target(application, revision);
          if (target.refusal().isPresent()) {
            return target.refusal().get();
          }
          WriteResult written =
              git.writer()
                  .restorePath(application, target.app().path(), revision, reason, push);
          return CommandResult.of(RepositoryCommands.status(written, push), written.message());
        });
  }

  private record Target(Application app, Optional<CommandResult> refusal) {}

  private Target target(String application, String revision) {
    RepositoryRender head = new Renderer().render(git.head());
    Optional<RenderedApplication> current = head.application(application);
    if (current.isEmpty()) {
      return new Target(null, Optional.of(RepositoryCommands.unknown(head, application)));
    }
    RepositoryRender then = new Renderer().render(git.tree(revision));
    return new Target(
        current.get().application(),
        RepositoryCommands.refusal(application, revision, then.application(application)));
  }

  private CompletableFuture<CommandResult> submit(Supplier<CommandResult> command) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return command.get();
          } catch (GitException e) {
            return RepositoryCommands.failure(e);
          }
        },
        workers);
  }

  @Override
  public void close() {
    workers.shutdown();
    git.close();
  }
}
