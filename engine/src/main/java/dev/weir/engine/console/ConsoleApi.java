package dev.weir.engine.console;

import java.time.Instant;

import java.util.List;

import dev.weir.engine.model.ResourceKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The one type every face codes against (DESIGN.md, "How the UIs use the engine"): immutable
 * {@link ConsoleSnapshot}s out, commands in. {@link Console} is the real implementation on one
 * cluster, {@link SwitchableConsole} follows context switches, {@link ConsoleOpening#open} returns
 * one at once while Git and the cluster are still being reached, and the engine's test-jar carries
 * an in-memory {@code FakeConsole} for the faces' screen tests.
 *
 * <p>Snapshots: {@link #subscribe} replays the latest published snapshot to the new listener, then
 * passes on every newer one, coalesced to the newest when the listener is slower than the engine.
 * Versions only increase, across context switches. Listeners run off the engine clock's thread,
 * each on its own serial executor: one that throws or is slow stalls neither the engine nor the
 * other listeners (docs/decisions/0015-console-api.md).
 *
 * <p>Commands answer with a {@link CommandResult} when done; none throws for a refused, failed or
 * unreachable outcome. After {@link #close()} every command answers {@code REFUSED}.
 *
 * <p>Thread-safe.
 */
public interface ConsoleApi extends AutoCloseable {

  /** What ends a subscription; ending it twice does nothing. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable, Runnable {
    /** No more calls after this returns (one already running may finish). */
    @Override
    void close();

    /** The same as {@link #close()}, for callers that keep the handle as a {@code Runnable}. */
    @Override
    default void run() {
      close();
    }
  }

  // --- snapshots out

  /** The current state, made now (not coalesced). */
  ConsoleSnapshot snapshot();

  /**
   * Calls {@code listener} with the latest published snapshot at once (when there is one), then
   * with every newer one, always the newest; off the clock's thread, never two at a time.
   */
  Subscription subscribe(Consumer<ConsoleSnapshot> listener);

  /** Calls {@code listener} with every event as it happens (for {@code weir reconcile}'s log). */
  Subscription onEvent(Consumer<ConsoleEvent> listener);

  // --- commands in

  /** Fetches Git, renders every application and compares each with the cluster. */
  CompletableFuture<CommandResult> refresh();

  /** A person's sync of one application (to its pin while pinned). */
  CompletableFuture<CommandResult> sync(String application, Console.SyncOptions sync);

  /** The plan of a sync, checked with the API server, nothing changed. */
  CompletableFuture<CommandResult> syncDryRun(String application, Console.SyncOptions sync);

  /** Stops automated sync of {@code application} ({@code null}: of all) for {@code duration}. */
  CompletableFuture<CommandResult> freeze(String application, String reason, Duration duration);

  /** Ends a freeze now ({@code null}: the freeze of every application). */
  CompletableFuture<CommandResult> unfreeze(String application);

  /** Marks a live object, or one field of it, as deliberately drifted for {@code duration}. */
  CompletableFuture<CommandResult> hotfix(
      String application, ResourceKey key, String pointer, String reason, Duration duration);

  /** Writes the Git change that makes Git match the hotfixes of {@code key}. */
  CompletableFuture<CommandResult> backport(String application, ResourceKey key, boolean push);

  /** Ends every hotfix of {@code key}. */
  CompletableFuture<CommandResult> endHotfix(String application, ResourceKey key);

  /** Rolls {@code application} back to {@code revision} in Git and the cluster. */
  CompletableFuture<CommandResult> rollback(
      String application, String revision, String reason, boolean push);

  /** Ends a pin now: the application follows Git's head again. */
  CompletableFuture<CommandResult> unpin(String application);

  /** One pass of the reconciler, as {@code weir reconcile --once}. */
  CompletableFuture<CommandResult> reconcileOnce();

  /** Watch mode: informers, Git polled, automation; answers after the first refresh. */
  CompletableFuture<CommandResult> start();

  /** Goes past the current step (canary) or switches to the preview (blue/green). */
  CompletableFuture<CommandResult> promote(String application, Optional<String> rollout, String why);

  /** Skips every remaining step and analysis. */
  CompletableFuture<CommandResult> promoteFull(
      String application, Optional<String> rollout, String why);

  /** Holds the rollout where it is. */
  CompletableFuture<CommandResult> pause(String application, Optional<String> rollout, String why);

  /** Continues a paused rollout. */
  CompletableFuture<CommandResult> resume(String application, Optional<String> rollout, String why);

  /** Sends all traffic back to the stable version at once. */
  CompletableFuture<CommandResult> abort(String application, Optional<String> rollout, String why);

  /** Starts an aborted rollout again from its first step. */
  CompletableFuture<CommandResult> retry(String application, Optional<String> rollout, String why);

  /** Holds the canary at {@code weight} percent. */
  CompletableFuture<CommandResult> setWeight(
      String application, Optional<String> rollout, int weight, String why);

  // --- commands of many, history, context, previews (computing a preview changes nothing)

  /** Syncs every application in order (sync waves, then names), calling {@code each} with each result. */
  CompletableFuture<CommandResult> syncAll(Console.SyncOptions sync, Consumer<CommandResult> each);

  /** Writes the Git change that backports every hotfix of {@code application} ({@code null}: of all), calling {@code each} with each result. */
  CompletableFuture<CommandResult> backportAll(String application, boolean push, Consumer<CommandResult> each);

  /** Backports the hotfixes of one object named as the diff shows it ({@code apps/Deployment shop/checkout}). */
  CompletableFuture<CommandResult> backportResource(String application, String resource, boolean push);

  /** Hotfixes one field of one object, both named as the diff shows them ({@code spec.replicas}). */
  CompletableFuture<CommandResult> hotfixField(String application, String resource, String field, String reason, Duration duration);

  /** Ends every hotfix of one object named as the diff shows it. */
  CompletableFuture<CommandResult> endHotfixes(String application, String resource);

  /** The commits that touched {@code application}, newest first, at most {@code max}. */
  CompletableFuture<ApplicationHistory> history(String application, int max);

  /**
   * How {@code application}'s objects differ between two revisions of Git, each rendered as the
   * console renders Git's head, Secret values redacted: a history's diff between the selected
   * revision ({@code from}) and the current one ({@code to}). Answers {@code BAD_INPUT} for an
   * unknown application or revision; a console without Git answers {@code REFUSED}.
   */
  default CompletableFuture<RevisionDiff> diffRevisions(String application, String from, String to) {
    return CompletableFuture.completedFuture(
        RevisionDiff.failed(
            application,
            from,
            to,
            CommandResult.of(
                CommandResult.Status.REFUSED, "this console cannot compare revisions")));
  }

  /**
   * Ends the A/B experiment running in {@code application} (its rollout standing at an {@code
   * experiment} step) in one action: a commit recording the decision, its author and {@code
   * reason} (in the application's {@code EXPERIMENTS.md}, pushed), then the rollout promoted fully
   * ({@link ExperimentConclusion#PROMOTE}: B for everyone) or aborted ({@link
   * ExperimentConclusion#KEEP}: all traffic back on A). {@code BAD_INPUT} when no experiment runs or
   * the reason is empty; a console that cannot conclude answers {@code REFUSED}.
   */
  default CompletableFuture<CommandResult> conclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return CompletableFuture.completedFuture(
        CommandResult.of(
            CommandResult.Status.REFUSED, "this console cannot conclude experiments"));
  }

  /**
   * What {@link #conclude} would do, nothing changed: the result it rests on (and a note when the
   * conclusion goes against the test's recommendation), the exact commit with its branch and
   * author, and what happens to the rollout.
   */
  default CompletableFuture<Preview> previewConclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return CompletableFuture.completedFuture(
        Preview.refused(
            "Conclude the experiment of " + application,
            CommandResult.of(
                CommandResult.Status.REFUSED, "this console cannot conclude experiments")));
  }

  /** Switches to another kubeconfig context (a console on one cluster refuses any other). */
  CompletableFuture<CommandResult> switchContext(String context);

  /** What a sync would do: the plan, checked with the API server. */
  CompletableFuture<Preview> previewSync(String application, Console.SyncOptions sync);

  /** What a sync of every application would do, in order. */
  CompletableFuture<Preview> previewSyncAll(Console.SyncOptions sync);

  /** What a prune would delete. */
  CompletableFuture<Preview> previewPrune(String application);

  /**
   * What a rollback would do: the exact commit message, the branch, the push, the sync that
   * follows and, for each rollout, all traffic to stable at once (no steps, no analysis).
   */
  CompletableFuture<Preview> previewRollback(String application, String revision, String reason, boolean push);

  /** What a backport of one object would write: each field, the file and the commit message. */
  CompletableFuture<Preview> previewBackport(String application, String resource, boolean push);

  /** What a backport of every hotfix would write. */
  CompletableFuture<Preview> previewBackportAll(String application, boolean push);

  /** What an abort would do: the traffic split afterwards. */
  CompletableFuture<Preview> previewAbort(String application, Optional<String> rollout);

  /** What setting the canary's weight would do: the split. */
  CompletableFuture<Preview> previewSetWeight(String application, Optional<String> rollout, int weight);

  /**
   * The incident timeline since {@code since}, oldest first, of one application or all: events
   * kept here or read back from the cluster, and the commits that touched each application.
   */
  List<ConsoleEvent> timeline(Optional<String> application, Instant since);

  /**
   * The rollouts of {@code application} for a report ({@code weir rollout status}): their views as
   * of the last refresh, and those Git defines that nothing has recorded yet.
   */
  RolloutReport rolloutReport(String application, Optional<String> rollout);

  /**
   * What a freeze would do: automated sync and self-heal stop until when, recorded with the reason
   * and who froze it; a person's sync still works.
   */
  default CompletableFuture<Preview> previewFreeze(
      String application, String reason, Duration duration) {
    ConsoleSnapshot now = snapshot();
    String whom = application == null ? "every application" : application;
    if (application != null && now.application(application).isEmpty()) {
      return CompletableFuture.completedFuture(
          Preview.refused(
              "Freeze " + whom,
              CommandResult.of(
                  CommandResult.Status.BAD_INPUT, "no application named '" + application + "'")));
    }
    return CompletableFuture.completedFuture(
        Preview.of(
            "Freeze " + whom,
            List.of(
                "automated sync and self-heal of " + whom + " stop until " + now.at().plus(duration),
                "reason: " + reason,
                "recorded in the cluster with who froze it; a person's sync still works"),
            true));
  }

  /**
   * What hotfixing one field would do ({@link #hotfixField}): the cluster's value is kept, automated
   * sync and self-heal leave that field alone until when, and Git still needs the backport. Refused
   * for an unknown application or object. Computed from the snapshot; nothing is changed.
   */
  default CompletableFuture<Preview> previewHotfixField(
      String application, String resource, String field, String reason, Duration duration) {
    return CompletableFuture.completedFuture(
        HotfixPreview.of(snapshot(), application, resource, field, reason, duration));
  }

  /**
   * What switching to {@code context} would do: the console shows that cluster's applications,
   * and commands go to its API server. Switching to the current context changes nothing; a context
   * the kubeconfig lacks is {@code BAD_INPUT}.
   */
  default CompletableFuture<Preview> previewSwitchContext(String context) {
    ConsoleSnapshot now = snapshot();
    String current = now.cluster().context();
    String title = "Switch to context " + context;
    if (context == null || context.equals(current)) {
      return CompletableFuture.completedFuture(
          Preview.of(title, List.of("already on context " + current + ": nothing changes"), false));
    }
    if (!now.contexts().contains(context)) {
      return CompletableFuture.completedFuture(
          Preview.refused(
              title,
              CommandResult.of(
                  CommandResult.Status.BAD_INPUT,
                  "the kubeconfig has no context '"
                      + context
                      + "'; known: "
                      + String.join(", ", now.contexts()))));
    }
    return CompletableFuture.completedFuture(
        Preview.of(
            title,
            List.of(
                "the console leaves context " + current + " and connects to " + context,
                "it shows " + context + "'s applications, rollouts and events once read;"
                    + " commands go to its API server from then on",
                "nothing is changed in either cluster"),
            true));
  }

  /** What ending a freeze would do: automation resumes, and drift is healed again. */
  default CompletableFuture<Preview> previewUnfreeze(String application) {
    String whom = application == null ? "every application" : application;
    return CompletableFuture.completedFuture(
        Preview.of(
            "Unfreeze " + whom,
            List.of(
                "the freeze of " + whom + " ends now",
                "automated sync and self-heal resume: drift found now is healed"),
            true));
  }

  /**
   * What a promotion would do: the rollout goes past its current step ({@code full}: skips every
   * remaining step and analysis, all traffic to the new version).
   */
  default CompletableFuture<Preview> previewPromote(
      String application, Optional<String> rollout, boolean full) {
    String title = "Promote " + application + (full ? " fully" : "");
    Optional<RolloutLine> line = rolloutLine(application, rollout);
    if (line.isEmpty()) {
      return CompletableFuture.completedFuture(
          Preview.refused(
              title,
              CommandResult.of(
                  CommandResult.Status.BAD_INPUT, application + " has no rollout to promote")));
    }
    RolloutLine r = line.get();
    List<String> lines =
        full
            ? List.of(
                "rollout " + r.rollout() + " is " + r.phase() + " at step " + r.step() + "/" + r.steps()
                    + ", " + r.weight() + "% to the new version",
                "skips every remaining step and analysis: all traffic to the new version now")
            : List.of(
                "rollout " + r.rollout() + " is " + r.phase() + " at step " + r.step() + "/" + r.steps()
                    + ", " + r.weight() + "% to the new version",
                "goes past step " + r.step() + "; the steps after it, and their analyses, still run");
    return CompletableFuture.completedFuture(Preview.of(title, lines, true));
  }

  /** What a retry would do: the aborted rollout starts again from its first step. */
  default CompletableFuture<Preview> previewRetry(String application, Optional<String> rollout) {
    String title = "Retry the rollout of " + application;
    Optional<RolloutLine> line = rolloutLine(application, rollout);
    if (line.isEmpty()) {
      return CompletableFuture.completedFuture(
          Preview.refused(
              title,
              CommandResult.of(CommandResult.Status.BAD_INPUT, application + " has no rollout")));
    }
    RolloutLine r = line.get();
    return CompletableFuture.completedFuture(
        Preview.of(
            title,
            List.of(
                "rollout " + r.rollout() + " is " + r.phase(),
                "starts again from step 1 of " + r.steps() + ", with its analyses"),
            true));
  }

  private Optional<RolloutLine> rolloutLine(String application, Optional<String> rollout) {
    return snapshot().application(application).stream()
        .flatMap(a -> a.rolloutLines().stream())
        .filter(r -> rollout.isEmpty() || rollout.get().equals(r.rollout()))
        .findFirst();
  }

  // --- feature flags (decision 0024)

  /**
   * Which variant {@code context} (a JSON object's entries; {@code targetingKey} is the targeting
   * key) gets from {@code flag} of {@code application} at Git's head, and why, as flagd's own
   * evaluator answers. A console without Git answers {@code REFUSED}.
   */
  default CompletableFuture<FlagAnswer> evaluateFlag(
      String application, String flag, java.util.Map<String, Object> context) {
    return CompletableFuture.completedFuture(
        FlagAnswer.failed(
            application,
            flag,
            CommandResult.of(CommandResult.Status.REFUSED, "this console cannot evaluate flags")));
  }

  /**
   * Changes one flag as a Git commit (the flag file edited in place, authored by the user, with
   * {@code reason}), pushed, then the application synced so its flags ConfigMap follows. An
   * edit that would not validate, or whose push is refused, changes nothing in the cluster.
   */
  default CompletableFuture<CommandResult> setFlag(
      String application,
      String flag,
      dev.weir.engine.model.FlagChange change,
      String reason,
      boolean push) {
    return CompletableFuture.completedFuture(
        CommandResult.of(CommandResult.Status.REFUSED, "this console cannot change flags"));
  }

  /** What {@link #setFlag} would do: the file, the exact commit message, branch, push and sync. */
  default CompletableFuture<Preview> previewSetFlag(
      String application,
      String flag,
      dev.weir.engine.model.FlagChange change,
      String reason,
      boolean push) {
    return CompletableFuture.completedFuture(
        Preview.refused(
            "Set flag " + flag + " of " + application,
            CommandResult.of(CommandResult.Status.REFUSED, "this console cannot change flags")));
  }

  /** {@link #syncAll(Console.SyncOptions, Consumer)} without a callback per application. */
  default CompletableFuture<CommandResult> syncAll(Console.SyncOptions sync) {
    return syncAll(sync, result -> {});
  }

  /** {@link #backportAll(String, boolean, Consumer)} without a callback per object. */
  default CompletableFuture<CommandResult> backportAll(String application, boolean push) {
    return backportAll(application, push, result -> {});
  }

  /** Stops watching and releases what the console holds; commands then answer REFUSED. */
  @Override
  void close();
}
