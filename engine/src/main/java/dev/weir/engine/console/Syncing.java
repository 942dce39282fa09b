package dev.weir.engine.console;

import dev.weir.engine.reconcile.ApplicationState;
import dev.weir.engine.reconcile.AutomationPolicy;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.reconcile.SyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Syncs: a person's sync of one application, and the automated sync or self-heal the automation
 * loop decides; both to the application's pin while it is pinned.
 */
final class Syncing {
  private final ConsoleCore core;

  Syncing(ConsoleCore core) {
    this.core = core;
  }

  CommandResult sync(ApplicationEntry entry, Console.SyncOptions sync) {
    SyncRequest request =
        new SyncRequest(
            SyncRequest.Trigger.MANUAL,
            sync.dryRun(),
            sync.prune(),
            sync.force(),
            sync.confirmPrune(),
            core.options.maxPruneShare());
    List<String> details = new ArrayList<>();
    // the target is chosen under the application's Lease, from the state read then: a rollback
    // that pinned the application meanwhile is honoured, never synced over
    List<ApplicationState> read = new ArrayList<>(1);
    SyncResult result =
        core.reconciler.sync(
            entry.rendered.application(),
            state -> {
              read.add(state);
              return core.pins.target(entry, state);
            },
            request,
            core.options.user(),
            core.live,
            r -> details.add(r.describe()));
    recordSyncOutcome(result);
    String pinned =
        read.stream()
            .flatMap(state -> state.pin().stream())
            .findFirst()
            .map(p -> " (" + p.describe() + ": synced to the pin, not Git's head)")
            .orElse("");
    if (!sync.dryRun()) {
      core.event(entry.rendered.name(), result.message() + pinned);
    }
    core.snapshots.compareAfterWrite(entry);
    return new CommandResult(ConsoleCore.status(result), result.message() + pinned, details);
  }

  CommandResult autoSync(ApplicationEntry entry, AutomationPolicy.Decision decision) {
    SyncRequest request =
        new SyncRequest(
            decision.trigger(),
            false,
            false,
            decision.trigger() == SyncRequest.Trigger.SELF_HEAL,
            false,
            core.options.maxPruneShare());
    String by = decision.trigger() == SyncRequest.Trigger.SELF_HEAL ? "self-heal" : "automated";
    List<String> details = new ArrayList<>();
    SyncResult result =
        core.reconciler.sync(
            entry.rendered.application(),
            state -> core.pins.target(entry, state),
            request,
            by,
            core.live,
            r -> details.add(r.describe()));
    recordSyncOutcome(result);
    entry.attempts++;
    entry.lastAttempt = core.clock.instant();
    String message = by + " (" + decision.why() + "): " + result.message();
    core.event(entry.rendered.name(), message);
    core.snapshots.compareAfterWrite(entry);
    return new CommandResult(ConsoleCore.status(result), message, details);
  }

  private void recordSyncOutcome(SyncResult result) {
    if (result.outcome() == SyncResult.Outcome.FAILED
        || result.outcome() == SyncResult.Outcome.BLOCKED) {
      core.options
          .telemetry()
          .recordSyncError(result.application(), result.outcome().name().toLowerCase(Locale.ROOT));
    }
  }
}
