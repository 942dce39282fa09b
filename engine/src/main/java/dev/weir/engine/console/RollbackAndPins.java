package dev.weir.engine.console;

import dev.weir.engine.rollout.RolloutEvent;

import dev.weir.engine.git.GitException;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.reconcile.ApplicationState;
import dev.weir.engine.reconcile.Pin;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.reconcile.SyncResult;
import dev.weir.engine.reconcile.SyncTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.weir.engine.rollout.RolloutSpec;
import dev.weir.engine.rollout.RolloutSpecParser;

/**
 * Rollback and pins: a rollback restores an application's path in Git as a new commit and syncs
 * to it, pinning the application at the revision when the commit cannot be pushed; a pinned
 * application is compared with and synced to its pin until Git catches up or a person unpins it.
 */
final class RollbackAndPins {
  private final ConsoleCore core;
  private final Renderer pastRenderer = new Renderer();

  RollbackAndPins(ConsoleCore core) {
    this.core = core;
  }

  CommandResult unpin(ApplicationEntry entry) {
    Application app = entry.rendered.application();
    core.reconciler
        .store()
        .save(app, core.reconciler.store().load(app).withPin(Optional.empty()));
    core.event(
        ConsoleEvent.Kind.PIN, app.name(), "unpinned by " + core.options.user() + "; following Git's head again");
    core.snapshots.compare(entry);
    return CommandResult.ok("unpinned " + app.name());
  }

  /** What a sync of {@code entry} goes to: its pin while pinned, else Git's head. */
  SyncTarget target(ApplicationEntry entry, ApplicationState state) {
    return state
        .pin()
        .map(p -> pinnedTarget(entry.rendered.application(), p))
        .orElseGet(() -> SyncTarget.latest(entry.rendered));
  }

  SyncTarget pinnedTarget(Application app, Pin pin) {
    RepositoryRender past;
    synchronized (pastRenderer) {
      past = pastRenderer.render(core.git.tree(pin.revision()));
    }
    return past.application(app.name())
        .map(SyncTarget::latest)
        .orElse(
            new SyncTarget(
                app,
                pin.revision(),
                Optional.empty(),
                List.of(app.name() + " does not exist at its pinned revision " + pin.revision())));
  }

  ApplicationState unpinIfGitCaughtUp(ApplicationEntry entry, ApplicationState state) {
    if (state.pin().isEmpty() || !(entry.rendered.latest() instanceof RenderResult.Rendered head)) {
      return state;
    }
    SyncTarget pinned = pinnedTarget(entry.rendered.application(), state.pin().get());
    if (pinned.desired().isPresent() && sameObjects(pinned.desired().get(), head.state())) {
      ApplicationState unpinned = state.withPin(Optional.empty());
      core.reconciler.store().save(entry.rendered.application(), unpinned);
      core.event(
          ConsoleEvent.Kind.PIN,
          Severity.INFO,
          entry.rendered.name(),
          RolloutEvent.ENGINE,
          "Git caught up with the pin at "
              + state.pin().get().revision().substring(0, 7)
              + " (head "
              + head.revision().substring(0, 7)
              + "); unpinned");
      return unpinned;
    }
    return state;
  }

  private static boolean sameObjects(DesiredState a, DesiredState b) {
    if (!a.resources().keySet().equals(b.resources().keySet())) {
      return false;
    }
    return a.resources().entrySet().stream()
        .allMatch(e -> e.getValue().object().equals(b.resources().get(e.getKey()).object()));
  }

  CommandResult rollback(ApplicationEntry entry, String revision, String reason, boolean push) {
    Application app = entry.rendered.application();
    String full;
    try {
      full = core.git.resolve(revision);
    } catch (GitException e) {
      return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
    }
    SyncTarget then =
        pinnedTarget(app, new Pin(full, reason, core.options.user(), core.clock.instant(), ""));
    if (then.failed()) {
      return CommandResult.of(
          CommandResult.Status.BAD_INPUT,
          app.name()
              + " does not render at "
              + revision
              + " ("
              + then.renderProblems().getFirst()
              + "); refusing to roll back to it");
    }
    WriteResult written;
    try {
      written = core.git.writer().restorePath(app.name(), app.path(), revision, reason, push);
    } catch (GitException e) {
      return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
    }
    List<String> details = new ArrayList<>();
    SyncResult result;
    String message;
    if (written.outcome() == WriteResult.Outcome.COMMITTED_LOCALLY) {
      ApplicationState state = core.reconciler.store().load(app);
      core.reconciler
          .store()
          .save(
              app,
              state.withPin(
                  Optional.of(
                      new Pin(
                          full,
                          reason,
                          core.options.user(),
                          core.clock.instant(),
                          written.commit()))));
      core.event(
          ConsoleEvent.Kind.PIN,
          app.name(),
          "pinned at " + full.substring(0, 7) + " by " + core.options.user() + ": " + reason);
      core.rollouts.rollBack(app, then, full, reason, details);
      result =
          core.reconciler.sync(
              then,
              rollbackRequest(app),
              core.options.user(),
              core.live,
              r -> details.add(r.describe()));
      message =
          written.message()
              + "; "
              + app.name()
              + " is pinned at "
              + full.substring(0, 7)
              + " until Git catches up; "
              + result.message();
    } else {
      // the rollouts first, on the revision rolled back to (its objects are the new head's): a
      // refresh before them would see Git back on the stable version and cancel a canary that
      // this person is rolling back, and record no one's name (decision 0044)
      core.rollouts.rollBack(app, then, full, reason, details);
      core.snapshots.refreshAll(false);
      ApplicationEntry fresh = core.entries.get(app.name());
      result =
          core.reconciler.sync(
              SyncTarget.latest(fresh.rendered),
              rollbackRequest(app),
              core.options.user(),
              core.live,
              r -> details.add(r.describe()));
      message = written.message() + "; " + result.message();
    }
    core.events.emit(
        ConsoleEvent.Kind.COMMAND,
        Severity.WARNING,
        app.name(),
        core.options.user(),
        "rollback to " + full.substring(0, 7) + ": " + message,
        java.util.Map.of("revision", full, "reason", reason));
    core.snapshots.compare(core.entries.getOrDefault(app.name(), entry));
    CommandResult.Status status = ConsoleCore.status(result);
    if (status == CommandResult.Status.OK
        && written.outcome() == WriteResult.Outcome.COMMITTED_LOCALLY
        && push) {
      status =
          written
              .pushError()
              .map(
                  e ->
                      e.reason().name().equals("UNREACHABLE")
                          ? CommandResult.Status.UNREACHABLE
                          : CommandResult.Status.FAILED)
              .orElse(CommandResult.Status.FAILED);
    }
    return new CommandResult(status, message, details);
  }

  /**
   * What {@link #rollback} would do, nothing changed: the exact commit message, its branch and
   * author, whether it is pushed (and the pin when it cannot be), each rollout put back on stable
   * at once, and the plan of the sync that follows.
   */
  Preview previewRollback(
      ApplicationEntry entry, String revision, String reason, boolean push) {
    Application app = entry.rendered.application();
    String full;
    try {
      full = core.git.resolve(revision);
    } catch (GitException e) {
      return Preview.refused(
          "Roll back " + app.name() + " to " + revision,
          CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage()));
    }
    String shortRevision = full.substring(0, 7);
    String title = "Roll back " + app.name() + " to " + shortRevision;
    SyncTarget then =
        pinnedTarget(app, new Pin(full, reason, core.options.user(), core.clock.instant(), ""));
    if (then.failed()) {
      return Preview.refused(
          title,
          CommandResult.of(
              CommandResult.Status.BAD_INPUT,
              app.name()
                  + " does not render at "
                  + revision
                  + " ("
                  + then.renderProblems().getFirst()
                  + "); refusing to roll back to it"));
    }
    List<String> lines;
    try {
      lines =
          new ArrayList<>(
              RepositoryCommands.commitLines(
                  core.git,
                  app,
                  revision,
                  reason,
                  push,
                  app.name()
                      + " is pinned at "
                      + shortRevision
                      + " (synced to it, not Git's head) until Git catches up"));
    } catch (GitException e) {
      return Preview.refused(title, RepositoryCommands.failure(e));
    }
    if (then.desired().isPresent()) {
      for (RolloutSpec spec : RolloutSpecParser.parseAll(then.desired().get()).rollouts()) {
        lines.add(
            "rollout "
                + spec.name()
                + ": all traffic to stable at once, the canary (or preview) scaled down, and the"
                + " restored version on stable (no steps, no analysis)");
      }
    }
    lines.add(
        "then sync " + app.name() + " to " + app.path() + " as at " + shortRevision + ":");
    Syncing.planLines(core.reconciler.plan(then, rollbackRequest(app), core.live).plan())
        .forEach(line -> lines.add("  " + line));
    return Preview.of(title, lines, true);
  }

  /** How {@code entry}'s objects differ between two revisions, each rendered as in the past. */
  RevisionDiff diff(ApplicationEntry entry, String from, String to) {
    return RepositoryCommands.diff(core.git, pastRenderer, entry.rendered.name(), from, to);
  }

  /** The commits that touched {@code entry}'s path, newest first. */
  ApplicationHistory history(ApplicationEntry entry, int max) {
    return RepositoryCommands.history(core.git, entry.rendered.application(), max);
  }

  private SyncRequest rollbackRequest(Application app) {
    return new SyncRequest(
        SyncRequest.Trigger.MANUAL,
        false,
        app.syncPolicy().prune(),
        false,
        false,
        core.options.maxPruneShare());
  }
}
