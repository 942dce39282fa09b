package dev.weir.tui.console;

import dev.weir.engine.console.ConsoleAction;
import dev.weir.engine.console.ConsoleApi;
import dev.weir.engine.console.ConsoleView;
import dev.weir.engine.console.Console;
import java.time.Duration;
import java.util.Optional;

/**
 * The actions every page offers on an application, sent through the façade: dangerous ones behind
 * the engine's preview and a {@code y}, the rest at once. Pages with a finer selection (a field, a
 * revision, a weight) handle those actions themselves first.
 */
final class Acts {
  static final String WHY = "from the terminal console";

  private Acts() {}

  /** Runs {@code action} on {@code application}; false when it does not apply to an application. */
  static boolean on(ConsoleAction action, String application, Shell shell) {
    return on(action, application, Optional.empty(), shell);
  }

  /**
   * Runs {@code action} on {@code application}, its rollout actions on {@code rollout} (empty: the
   * application's only one); false when it does not apply to an application.
   */
  static boolean on(ConsoleAction action, String application, Optional<String> rollout, Shell shell) {
    ConsoleApi console = shell.console();
    switch (action) {
      case OPEN -> shell.push(ConsoleView.APPLICATION, Optional.of(application));
      case DIFF -> shell.push(ConsoleView.DIFF, Optional.of(application));
      case ROLLOUT -> shell.push(ConsoleView.ROLLOUT, Optional.of(application));
      case HISTORY, ROLLBACK -> shell.push(ConsoleView.HISTORY, Optional.of(application));
      case EVENTS -> shell.push(ConsoleView.EVENTS, Optional.of(application));
      case REFRESH -> shell.run("refreshing", console::refresh);
      case SYNC ->
          shell.confirm(
              "Sync " + application,
              () -> console.previewSync(application, Console.SyncOptions.plain()),
              () -> console.sync(application, Console.SyncOptions.plain()),
              "syncing " + application);
      case SYNC_ALL ->
          shell.confirm(
              "Sync every application",
              () -> console.previewSyncAll(Console.SyncOptions.plain()),
              () -> console.syncAll(Console.SyncOptions.plain()),
              "syncing every application");
      case BACKPORT ->
          shell.confirm(
              "Backport the hotfixes of " + application,
              () -> console.previewBackportAll(application, true),
              () -> console.backportAll(application, true),
              "backporting " + application);
      case FREEZE ->
          shell.confirm(
              "Freeze " + application + " for 1h",
              () -> console.previewFreeze(application, "incident (" + WHY + ")", Duration.ofHours(1)),
              () -> console.freeze(application, "incident (" + WHY + ")", Duration.ofHours(1)),
              "freezing " + application);
      case UNFREEZE ->
          shell.confirm(
              "Unfreeze " + application,
              () -> console.previewUnfreeze(application),
              () -> console.unfreeze(application),
              "unfreezing " + application);
      case ABORT ->
          shell.confirm(
              "Abort the rollout of " + application,
              () -> console.previewAbort(application, rollout),
              () -> console.abort(application, rollout, WHY),
              "aborting " + application);
      case PROMOTE ->
          shell.confirm(
              "Promote " + application,
              () -> console.previewPromote(application, rollout, false),
              () -> console.promote(application, rollout, WHY),
              "promoting " + application);
      case PROMOTE_FULL ->
          shell.confirm(
              "Promote " + application + " fully",
              () -> console.previewPromote(application, rollout, true),
              () -> console.promoteFull(application, rollout, WHY),
              "promoting " + application + " fully");
      case RETRY ->
          shell.confirm(
              "Retry the rollout of " + application,
              () -> console.previewRetry(application, rollout),
              () -> console.retry(application, rollout, WHY),
              "retrying " + application);
      case PAUSE_RESUME -> {
        boolean paused =
            shell.snapshot().application(application).stream()
                .flatMap(a -> a.rolloutLines().stream())
                .filter(r -> rollout.isEmpty() || r.rollout().equals(rollout.get()))
                .anyMatch(r -> r.phase().equals("Paused"));
        shell.run(
            (paused ? "resuming " : "pausing ") + application,
            () -> paused ? console.resume(application, rollout, WHY) : console.pause(application, rollout, WHY));
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
