package dev.weir.engine.console;

import dev.weir.engine.reconcile.ApplicationState;
import dev.weir.engine.reconcile.AutomationPolicy;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.reconcile.SyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import dev.weir.engine.reconcile.Reconciler;
import dev.weir.engine.reconcile.SyncPlan;
import dev.weir.engine.reconcile.SyncTarget;

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
      core.event(
          ConsoleEvent.Kind.SYNC,
          ConsoleCore.status(result) == CommandResult.Status.OK ? Severity.INFO : Severity.WARNING,
          entry.rendered.name(),
          core.options.user(),
          result.message() + pinned);
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
    // the event names who (automated, self-heal) in its own field; its message says why and what
    // came of it, so that the faces, which show both, do not say "automated" twice
    core.event(
        ConsoleEvent.Kind.SYNC,
        ConsoleCore.status(result) == CommandResult.Status.OK ? Severity.INFO : Severity.WARNING,
        entry.rendered.name(),
        by,
        decision.why() + ": " + result.message());
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

  /**
   * The plan of a person's sync of {@code entry}, read from the cluster now, nothing changed: each
   * object created, updated or pruned (what goes), what blocks it and what needs confirming.
   */
  Preview preview(ApplicationEntry entry, Console.SyncOptions sync) {
    ApplicationState state = core.reconciler.state(entry.rendered.application());
    SyncTarget target = core.pins.target(entry, state);
    Reconciler.Planned planned = core.reconciler.plan(target, request(sync), core.live);
    SyncPlan plan = planned.plan();
    String title =
        "Sync "
            + entry.rendered.name()
            + " to "
            + shortRevision(target.revision())
            + state.pin().map(p -> " (its pin)").orElse("");
    List<String> lines = planLines(plan);
    if (plan.blocked()) {
      return new Preview(CommandResult.Status.REFUSED, title, lines, false);
    }
    if (!plan.confirmation().isEmpty()) {
      return new Preview(CommandResult.Status.REFUSED, title, lines, true);
    }
    return Preview.of(title, lines, plan.hasWork());
  }

  /** A plan's lines for people: blockers, what needs confirming, then each step that does work. */
  static List<String> planLines(SyncPlan plan) {
    List<String> lines = new ArrayList<>(plan.describe());
    lines.removeIf(line -> line.startsWith("skip ") && line.endsWith(": in sync"));
    if (!plan.blocked() && !plan.hasWork()) {
      lines.add("nothing to do: in sync");
    }
    return lines;
  }

  /**
   * Syncs every application in order (those that create Namespaces first), each as a person's
   * sync; {@code each} hears every application's result as it ends. Answers with the worst status.
   */
  CommandResult syncAll(Console.SyncOptions sync, Consumer<CommandResult> each) {
    List<String> names = core.inSyncOrder().stream().map(e -> e.rendered.name()).toList();
    CommandResult.Status worst = CommandResult.Status.OK;
    List<String> details = new ArrayList<>();
    List<String> notSynced = new ArrayList<>();
    for (String name : names) {
      CommandResult result = core.withApplication(name, entry -> sync(entry, sync));
      each.accept(result);
      details.add(result.message());
      if (!result.ok()) {
        notSynced.add(name);
      }
      if (ConsoleCore.severity(result.status()) > ConsoleCore.severity(worst)) {
        worst = result.status();
      }
    }
    String verb = sync.dryRun() ? "planned" : "synced";
    String message =
        notSynced.isEmpty()
            ? verb + " " + names.size() + " applications in order: " + String.join(", ", names)
            : notSynced.size()
                + " of "
                + names.size()
                + " applications not "
                + verb
                + ": "
                + String.join(", ", notSynced);
    return new CommandResult(worst, message, details);
  }

  /** The plans of {@link #syncAll}, in its order. */
  Preview previewAll(Console.SyncOptions sync) {
    List<ApplicationEntry> ordered = core.inSyncOrder();
    List<String> lines = new ArrayList<>();
    boolean work = false;
    for (ApplicationEntry entry : ordered) {
      Preview one =
          core.withApplication(
              entry.rendered.name(),
              e -> preview(e, sync),
              result -> Preview.refused(entry.rendered.name(), result));
      lines.add(one.title() + (one.ok() ? "" : " (" + one.status() + ")"));
      one.lines().forEach(line -> lines.add("  " + line));
      work |= one.needsConfirmation();
    }
    return Preview.of(
        "Sync " + ordered.size() + " applications in order", lines, work);
  }

  private SyncRequest request(Console.SyncOptions sync) {
    return new SyncRequest(
        SyncRequest.Trigger.MANUAL,
        sync.dryRun(),
        sync.prune(),
        sync.force(),
        sync.confirmPrune(),
        core.options.maxPruneShare());
  }

  private static String shortRevision(String revision) {
    return revision.length() > 7 ? revision.substring(0, 7) : revision;
  }
}
