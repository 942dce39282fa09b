package dev.weir.engine.console;

import java.time.Instant;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.reconcile.AutomationPolicy;
import dev.weir.engine.reconcile.Reconciler;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.rollout.ManualCommand;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.telemetry.Telemetry;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The façade every face uses (DESIGN.md, "How the UIs use the engine"): immutable {@link
 * ConsoleSnapshot}s out, commands in. The CLI's {@code diff}, {@code sync}, {@code status}, {@code
 * rollback} and {@code reconcile} and both consoles go through it.
 *
 * <p>Design note. The console owns a Git source, a renderer, a cluster gateway and a {@link
 * Reconciler}. A refresh fetches Git, renders every application, reads each application's kept
 * state (freeze, pin, hotfixes, last sync) from the cluster and compares; the results are kept per
 * application and a snapshot is published, coalesced to at most one per {@code publishInterval}.
 * Commands run on virtual threads, one at a time per application in this console (the application's
 * Lease keeps other consoles and processes out: each console holds it as its own {@link
 * LeaseHolder}) and answer with a {@link CommandResult}. In watch mode ({@link
 * #start()}) live state comes from informers, Git is polled, and automated sync and self-heal run
 * by {@link AutomationPolicy} with backoff on the {@link EngineClock}.
 *
 * <p>Rollouts: a console in watch mode ({@link #start()}), or opened with a metric provider, drives
 * the Rollouts of its applications through one {@link RolloutExecutor}: it tracks each application
 * at every render, takes a pass when the application's objects change, carries out rollout
 * commands ({@link #promote}, {@link #abort}, …) and shows each rollout's status in the {@link
 * ApplicationView} and its events among the console's events. A one-shot console (the CLI's
 * {@code status}, {@code diff}) only reads the rollout states recorded in the cluster and acts on
 * a rollout only when told to by a rollout command.
 *
 * <p>Pins: a pinned application is compared with and synced to its pinned revision, never Git's
 * head, until Git's head renders the same desired state (the pin then ends by itself, with an
 * event) or a person unpins it.
 *
 * <p>Rooms. This class is a thin façade; each job is done in a package-private room named for it:
 * {@link SnapshotAssembly} (refresh, comparison, views, snapshots), {@link Syncing} (a person's
 * sync, automated sync and self-heal), {@link IncidentCommands} (freezes, hotfixes, backports),
 * {@link RollbackAndPins}, {@link AutomationLoop} (watch mode) and {@link RolloutDriving}; they
 * share a {@link ConsoleCore} (Git, cluster, clock, options, entries, events, plumbing).
 *
 * <p>Thread-safe. Snapshot listeners run on the clock's thread; event listeners on the thread that
 * made the event.
 */
public final class Console implements ConsoleApi {

  /**
   * @param user who acts, for records ({@code alice})
   * @param holder who holds Leases: this console's own identity, e.g. {@code alice@bastion (pid
   *     4242, weir tui) #5f0c9e1a2b3c4d6e} ({@link LeaseHolder#forThisProcess}); never share one
   *     between two consoles that may run at the same time
   * @param refreshInterval how often watch mode fetches Git and compares everything
   * @param selfHealBackoff the first wait of self-heal and of retries, doubled per attempt
   * @param maxBackoff the longest wait
   * @param publishInterval the shortest time between two published snapshots
   * @param eventsKept how many recent events a snapshot carries
   * @param maxPruneShare the share of an application's objects a prune may delete unconfirmed
   * @param reconcile Lease and execution options
   */
  public record Options(
      String user,
      LeaseHolder holder,
      Duration refreshInterval,
      Duration selfHealBackoff,
      Duration maxBackoff,
      Duration publishInterval,
      int eventsKept,
      double maxPruneShare,
      Reconciler.Options reconcile,
      Telemetry telemetry) {

    public static Options defaults(String user, LeaseHolder holder) {
      return new Options(
          user,
          holder,
          Duration.ofMinutes(3),
          Duration.ofSeconds(5),
          Duration.ofMinutes(3),
          Duration.ofMillis(100),
          100,
          SyncRequest.DEFAULT_MAX_PRUNE_SHARE,
          Reconciler.Options.defaults(),
          Telemetry.noop());
    }

    /** These options, fetching Git and comparing everything every {@code value} in watch mode. */
    public Options withRefreshInterval(Duration value) {
      return new Options(user, holder, Objects.requireNonNull(value, "refreshInterval"), selfHealBackoff,
          maxBackoff, publishInterval, eventsKept, maxPruneShare, reconcile, telemetry);
    }

    /** These options, with the console's own metrics recorded to {@code value}. */
    public Options withTelemetry(Telemetry value) {
      return new Options(user, holder, refreshInterval, selfHealBackoff, maxBackoff, publishInterval, eventsKept,
          maxPruneShare, reconcile, Objects.requireNonNull(value, "telemetry"));
    }
  }

  /** How a person's sync should go. */
  public record SyncOptions(boolean dryRun, boolean prune, boolean force, boolean confirmPrune) {
    public static SyncOptions plain() {
      return new SyncOptions(false, false, false, false);
    }
  }

  private final ConsoleCore core;

  private Console(
      GitSource git,
      ClusterGateway gateway,
      EngineClock clock,
      Options options,
      MetricProvider metrics,
      Executor rolloutWork) {
    this.core = new ConsoleCore(git, gateway, clock, options, metrics, rolloutWork);
  }

  /**
   * A console over a Git source and a cluster; call {@link #refresh()} or {@link #start()} next.
   */
  public static Console open(
      GitSource git, ClusterGateway gateway, EngineClock clock, Options options) {
    return new Console(git, gateway, clock, options, RolloutDriving.NO_METRICS, null);
  }

  /**
   * A console that does not drive rollouts (as {@link #open(GitSource, ClusterGateway, EngineClock,
   * Options)}) but reads their metric series back from {@code metrics} for its {@link
   * dev.weir.engine.rollout.RolloutView}s ({@code weir rollout status}).
   */
  public static Console openReading(
      GitSource git,
      ClusterGateway gateway,
      EngineClock clock,
      Options options,
      MetricProvider metrics) {
    return new Console(git, gateway, clock, options, metrics, null);
  }

  /**
   * The rollouts of {@code application} as the faces draw them (see {@link
   * dev.weir.engine.rollout.RolloutView}).
   */
  public List<dev.weir.engine.rollout.RolloutView> rolloutViews(String application) {
    return core.rollouts.views(application);
  }

  /**
   * The rollouts of {@code application} for {@code weir rollout status}: its {@link
   * dev.weir.engine.rollout.RolloutView}s as of the last refresh, and those Git defines that no
   * console has recorded yet; a problem for an unknown application or rollout.
   */
  @Override
  public RolloutReport rolloutReport(String application, Optional<String> rollout) {
    return core.rollouts.report(application, rollout);
  }

  /**
   * A console that drives rollouts with {@code metrics} for their analyses (none when {@code null}:
   * every measurement is then Inconclusive and a rollout with analysis pauses for a person, never
   * promoting by itself; so does {@link #open(GitSource, ClusterGateway, EngineClock, Options)});
   * their passes and
   * measurements run on {@code rolloutWork} (the console's virtual threads when {@code null}; the
   * caller's thread, {@code Runnable::run}, in tests).
   */
  public static Console open(
      GitSource git,
      ClusterGateway gateway,
      EngineClock clock,
      Options options,
      MetricProvider metrics,
      Executor rolloutWork) {
    Console console = new Console(git, gateway, clock, options, metrics, rolloutWork);
    console.core.rollouts.drive();
    return console;
  }

  // ------------------------------------------------------------------------------------------
  // Snapshots and events

  /** The current state, made now (not coalesced). */
  public ConsoleSnapshot snapshot() {
    return core.snapshots.snapshot();
  }

  /**
   * Calls {@code listener} with every published snapshot (at most one per publish interval, always
   * the newest). Returns what unsubscribes.
   */
  @Override
  public Subscription subscribe(Consumer<ConsoleSnapshot> listener) {
    return core.fanout.subscribe(listener);
  }

  /**
   * Calls {@code listener} on the clock's thread with every snapshot as it is published, for a
   * façade that renumbers and passes them on ({@link SwitchableConsole}); must return at once.
   */
  Runnable subscribeOnClockThread(Consumer<ConsoleSnapshot> listener) {
    return core.publisher.subscribe(listener);
  }

  /** Calls {@code listener} with every event as it happens (for {@code weir reconcile}'s log). */
  @Override
  public Subscription onEvent(Consumer<ConsoleEvent> listener) {
    Runnable unsubscribe = core.onEvent(listener);
    return unsubscribe::run;
  }

  /**
   * The incident timeline since {@code since}, oldest first, of one application or all: the
   * events this console kept or read back from the cluster at its first refresh ({@link
   * ClusterTimeline}: what other consoles saw, rollout transitions and measurements), and the
   * commits that touched each application's path in Git.
   */
  @Override
  public List<ConsoleEvent> timeline(Optional<String> application, Instant since) {
    return core.snapshots.timeline(application, since);
  }

  /** Writes the events not yet kept in the cluster's timeline now, on this thread. */
  public void flushEvents() {
    core.events.flush();
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  /** Fetches Git, renders every application and compares each with the cluster. */
  public CompletableFuture<CommandResult> refresh() {
    return core.submit(() -> core.snapshots.refreshAll(true));
  }

  /** A person's sync of one application (to its pin while pinned). */
  public CompletableFuture<CommandResult> sync(String application, SyncOptions sync) {
    return core.submit(
        () -> core.withApplication(application, entry -> core.syncs.sync(entry, sync)));
  }

  /** The plan of a sync, checked with the API server, nothing changed. */
  public CompletableFuture<CommandResult> syncDryRun(String application, SyncOptions sync) {
    return sync(
        application, new SyncOptions(true, sync.prune(), sync.force(), sync.confirmPrune()));
  }

  /**
   * Stops automated sync and self-heal of {@code application} ({@code null}: of every application)
   * until {@code duration} from now; recorded with the reason and who.
   */
  public CompletableFuture<CommandResult> freeze(
      String application, String reason, Duration duration) {
    return core.submit(() -> core.incidents.freeze(application, reason, duration));
  }

  /** Ends a freeze now ({@code null}: the freeze of every application). */
  public CompletableFuture<CommandResult> unfreeze(String application) {
    return core.submit(() -> core.incidents.unfreeze(application));
  }

  /**
   * Marks a live object ({@code pointer} "") or one of its fields (a JSON pointer) as deliberately
   * drifted until {@code duration} from now: sync and self-heal leave it as it is; it shows as
   * "backport pending".
   */
  public CompletableFuture<CommandResult> hotfix(
      String application, ResourceKey key, String pointer, String reason, Duration duration) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> core.incidents.hotfix(entry, key, pointer, reason, duration)));
  }

  /**
   * Writes the Git change that makes Git match a hotfix: each hotfixed field of {@code key} is set,
   * in the file Git's object comes from, to its value in the cluster, as one commit (pushed when
   * {@code push}). Once pushed, the hotfixes of {@code key} end: Git and the cluster agree.
   */
  public CompletableFuture<CommandResult> backport(
      String application, ResourceKey key, boolean push) {
    return core.submit(
        () -> core.withApplication(application, entry -> core.incidents.backport(entry, key, push)));
  }

  /** Ends every hotfix of {@code key} (Git has caught up, or the hotfix is abandoned). */
  public CompletableFuture<CommandResult> endHotfix(String application, ResourceKey key) {
    return core.submit(
        () -> core.withApplication(application, entry -> core.incidents.endHotfix(entry, key)));
  }

  /**
   * Rolls {@code application} back to {@code revision} so that it stays rolled back: restores the
   * path in Git as a new commit (pushed when {@code push}) and syncs the cluster to it. When the
   * commit cannot be pushed, the cluster is synced to {@code revision} and the application pinned
   * there — automated sync of Git's head is held and self-heal restores the pin — until Git catches
   * up.
   */
  public CompletableFuture<CommandResult> rollback(
      String application, String revision, String reason, boolean push) {
    return core.submit(
        () ->
            core.withApplication(
                application, entry -> core.pins.rollback(entry, revision, reason, push)));
  }

  /** Ends a pin now: the application follows Git's head again. */
  public CompletableFuture<CommandResult> unpin(String application) {
    return core.submit(() -> core.withApplication(application, core.pins::unpin));
  }

  /**
   * One pass of the reconciler, as {@code weir reconcile --once}: refresh, then sync every
   * application whose policy says so (automated sync of a new revision, self-heal of drift),
   * without waiting for backoffs. One detail line per action.
   */
  public CompletableFuture<CommandResult> reconcileOnce() {
    return core.submit(core.automation::reconcileOnce);
  }

  /**
   * Watch mode: live state from informers, Git polled every {@code refreshInterval}, automated sync
   * and self-heal as policies say, with backoff. Returns once the first refresh is done.
   */
  public CompletableFuture<CommandResult> start() {
    core.automation.start();
    return refresh();
  }

  /**
   * Syncs every application in order: those that create Namespaces first, so that the others
   * find them, then by name; each as {@link #sync}. Answers with the worst status, one detail line
   * per application.
   */
  public CompletableFuture<CommandResult> syncAll(SyncOptions sync) {
    return syncAll(sync, result -> {});
  }

  /** As {@link #syncAll(SyncOptions)}; {@code each} hears every application's result as it ends. */
  @Override
  public CompletableFuture<CommandResult> syncAll(SyncOptions sync, Consumer<CommandResult> each) {
    return core.submit(() -> core.syncs.syncAll(sync, each));
  }

  /**
   * Backports every object with a hotfixed field of {@code application} ({@code null}: of every
   * application), one commit per object (pushed when {@code push}), as {@link #backport}; stops at
   * the first that fails.
   */
  public CompletableFuture<CommandResult> backportAll(String application, boolean push) {
    return backportAll(application, push, result -> {});
  }

  /** As {@link #backportAll(String, boolean)}; {@code each} hears every object's result. */
  @Override
  public CompletableFuture<CommandResult> backportAll(
      String application, boolean push, Consumer<CommandResult> each) {
    return core.submit(() -> core.incidents.backportAll(application, push, each));
  }

  /**
   * As {@link #backport}, of the object named as the diff shows it ({@code apps/Deployment
   * shop/checkout}) or as {@code KIND/NAME} or {@code KIND/NAMESPACE/NAME}.
   */
  @Override
  public CompletableFuture<CommandResult> backportResource(
      String application, String resource, boolean push) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> {
                  try {
                    return core.incidents.backport(
                        entry, ResourceNames.resource(entry.view, resource), push);
                  } catch (IllegalArgumentException e) {
                    return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
                  }
                }));
  }

  /**
   * As {@link #hotfix}, of a field named as the diff shows it: {@code spec.replicas} or {@code
   * spec.template.spec.containers[name=app].image} of {@code apps/Deployment shop/checkout} (or
   * {@code Deployment/checkout}); a JSON pointer works too, and no field ({@code null} or "")
   * hotfixes the whole object.
   */
  @Override
  public CompletableFuture<CommandResult> hotfixField(
      String application, String resource, String field, String reason, Duration duration) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> core.incidents.hotfixNamed(entry, resource, field, reason, duration)));
  }

  /** As {@link #endHotfix}, of the object named as the diff shows it or as {@code KIND/NAME}. */
  @Override
  public CompletableFuture<CommandResult> endHotfixes(String application, String resource) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> {
                  try {
                    return core.incidents.endHotfix(
                        entry, ResourceNames.resource(entry.view, resource));
                  } catch (IllegalArgumentException e) {
                    return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
                  }
                }));
  }

  /** The commits that touched {@code application}'s path, newest first, at most {@code max}. */
  @Override
  public CompletableFuture<ApplicationHistory> history(String application, int max) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> core.pins.history(entry, max),
                result -> ApplicationHistory.failed(application, result)),
        result -> ApplicationHistory.failed(application, result));
  }

  /** How {@code application}'s objects differ between revisions {@code from} and {@code to}. */
  @Override
  public CompletableFuture<RevisionDiff> diffRevisions(String application, String from, String to) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> core.pins.diff(entry, from, to),
                result -> RevisionDiff.failed(application, from, to, result)),
        result -> RevisionDiff.failed(application, from, to, result));
  }

  /**
   * Switches to {@code context}. A console is bound to the cluster it was opened on: it answers
   * {@code OK} for its own context and {@code REFUSED} for another ({@link SwitchableConsole}
   * switches).
   */
  @Override
  public CompletableFuture<CommandResult> switchContext(String context) {
    String current = core.gateway.context();
    return CompletableFuture.completedFuture(
        context == null || context.equals(current)
            ? CommandResult.ok("already on context " + current)
            : CommandResult.of(
                CommandResult.Status.REFUSED,
                "this console is bound to context "
                    + current
                    + "; open a switchable console to switch to "
                    + context));
  }

  // ------------------------------------------------------------------------------------------
  // Previews: what a command would do, shown before a person confirms it; nothing is changed

  /** The plan of {@link #sync}: each object created, updated or pruned, and what blocks it. */
  @Override
  public CompletableFuture<Preview> previewSync(String application, SyncOptions sync) {
    return preview(
        "Sync " + application, application, entry -> core.syncs.preview(entry, sync));
  }

  /** The plans of {@link #syncAll}, in its order. */
  @Override
  public CompletableFuture<Preview> previewSyncAll(SyncOptions sync) {
    return core.submit(
        () -> core.syncs.previewAll(sync), result -> Preview.refused("Sync every application", result));
  }

  /** What a prune of {@code application} deletes: the objects Weir applied that left Git. */
  @Override
  public CompletableFuture<Preview> previewPrune(String application) {
    return preview(
        "Prune " + application,
        application,
        entry -> {
          Preview sync = core.syncs.preview(entry, new SyncOptions(false, true, false, false));
          List<String> lines =
              sync.lines().stream()
                  .filter(
                      l ->
                          l.startsWith("prune ")
                              || l.startsWith("blocked: ")
                              || l.startsWith("needs confirmation: "))
                  .toList();
          boolean prunes = lines.stream().anyMatch(l -> l.startsWith("prune "));
          return new Preview(
              sync.status(),
              "Prune " + application,
              prunes || !lines.isEmpty() ? lines : List.of("nothing to prune"),
              prunes);
        });
  }

  @Override
  public CompletableFuture<FlagAnswer> evaluateFlag(
      String application, String flag, java.util.Map<String, Object> context) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> core.flags.evaluate(entry, flag, context),
                result -> FlagAnswer.failed(application, flag, result)),
        result -> FlagAnswer.failed(application, flag, result));
  }

  @Override
  public CompletableFuture<CommandResult> setFlag(
      String application,
      String flag,
      dev.weir.engine.model.FlagChange change,
      String reason,
      boolean push) {
    return core.submit(
        () ->
            core.withApplication(
                application, entry -> core.flags.set(entry, flag, change, reason, push)));
  }

  @Override
  public CompletableFuture<Preview> previewSetFlag(
      String application,
      String flag,
      dev.weir.engine.model.FlagChange change,
      String reason,
      boolean push) {
    return preview(
        "Set flag " + flag + " of " + application,
        application,
        entry -> core.flags.preview(entry, flag, change, reason, push));
  }

  /**
   * What {@link #rollback} would do: the exact commit message, the branch and author, whether it
   * is pushed (and the pin when it cannot be), each rollout back on stable at once, and the plan
   * of the sync that follows.
   */
  @Override
  public CompletableFuture<Preview> previewRollback(
      String application, String revision, String reason, boolean push) {
    return preview(
        "Roll back " + application + " to " + revision,
        application,
        entry -> core.pins.previewRollback(entry, revision, reason, push));
  }

  /**
   * What {@link #backportResource} would commit: each field set to its live value, the file, the
   * exact commit message, its branch and author, and whether it is pushed.
   */
  @Override
  public CompletableFuture<Preview> previewBackport(
      String application, String resource, boolean push) {
    String title = "Backport the hotfix of " + resource + " to Git";
    return preview(
        title,
        application,
        entry -> {
          try {
            return core.incidents.previewBackport(
                entry, ResourceNames.resource(entry.view, resource), push);
          } catch (IllegalArgumentException e) {
            return Preview.refused(
                title, CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage()));
          }
        });
  }

  /** The previews of {@link #backportAll}, in its order. */
  @Override
  public CompletableFuture<Preview> previewBackportAll(String application, boolean push) {
    return core.submit(
        () -> core.incidents.previewBackportAll(application, push),
        result -> Preview.refused("Backport every hotfix to Git", result));
  }

  /** The traffic split an {@link #abort} would leave, beside the split now. */
  @Override
  public CompletableFuture<Preview> previewAbort(String application, Optional<String> rollout) {
    return preview(
        "Abort the rollout of " + application,
        application,
        entry -> core.rollouts.previewAbort(entry, rollout));
  }

  /** The traffic split a {@link #setWeight} would leave, beside the split now. */
  @Override
  public CompletableFuture<Preview> previewSetWeight(
      String application, Optional<String> rollout, int weight) {
    return preview(
        "Set the canary weight of " + application + " to " + weight + "%",
        application,
        entry -> core.rollouts.previewSetWeight(entry, rollout, weight));
  }

  private CompletableFuture<Preview> preview(
      String title, String application, java.util.function.Function<ApplicationEntry, Preview> how) {
    return core.submit(
        () -> core.withApplication(application, how, result -> Preview.refused(title, result)),
        result -> Preview.refused(title, result));
  }

  // ------------------------------------------------------------------------------------------
  // Experiments

  /** See {@link ConsoleApi#conclude}; the commit is pushed. */
  @Override
  public CompletableFuture<CommandResult> conclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return core.submit(
        () ->
            core.withApplication(
                application,
                entry -> core.experiments.conclude(entry, conclusion, reason, true)));
  }

  /** See {@link ConsoleApi#previewConclude}. */
  @Override
  public CompletableFuture<Preview> previewConclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return preview(
        "Conclude the experiment of " + application,
        application,
        entry -> core.experiments.previewConclude(entry, conclusion, reason, true));
  }

  // ------------------------------------------------------------------------------------------
  // Rollouts

  /**
   * Carries out {@code command} on the rollout of {@code application} (its only one, or the one
   * named {@code rollout}); answers when the rollout's pass is done, with the view refreshed.
   */
  public CompletableFuture<CommandResult> rollout(
      String application, Optional<String> rollout, ManualCommand command) {
    return core.submit(
        () ->
            core.withApplication(
                application, entry -> core.rollouts.command(entry, rollout, command)));
  }

  /** Goes past the current step (canary) or switches to the preview (blue/green). */
  public CompletableFuture<CommandResult> promote(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Promote(user(), why));
  }

  /** Skips every remaining step and analysis. */
  public CompletableFuture<CommandResult> promoteFull(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.PromoteFull(user(), why));
  }

  /** Holds the rollout where it is. */
  public CompletableFuture<CommandResult> pause(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Pause(user(), why));
  }

  /** Continues a paused rollout. */
  public CompletableFuture<CommandResult> resume(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Resume(user(), why));
  }

  /** Sends all traffic back to the stable version at once. */
  public CompletableFuture<CommandResult> abort(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Abort(user(), why));
  }

  /** Starts an aborted rollout again from its first step. */
  public CompletableFuture<CommandResult> retry(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Retry(user(), why));
  }

  /** Holds the canary at {@code weight} percent. */
  public CompletableFuture<CommandResult> setWeight(
      String application, Optional<String> rollout, int weight, String why) {
    return rollout(application, rollout, new ManualCommand.SetWeight(weight, user(), why));
  }

  /** A pass of every rollout now, reading each one's record afresh. */
  public void reconcileRollouts() {
    core.rollouts.reconcile();
  }

  /**
   * The rollouts of {@code application} as they stand now: as this console drives them, after
   * their last pass (no pass is taken), or, for a console that does not drive rollouts, as
   * recorded in the cluster. Unlike the snapshot's {@link ApplicationView#rollouts()}, not as of
   * the application's last comparison.
   */
  public List<RolloutStatus> rollouts(String application) {
    return core.rollouts.statuses(application);
  }

  /**
   * Whether a change of {@code object} concerns {@code application}: one of its objects in Git
   * ({@code compared}), an object annotated as its own, or one the rollout engine made for one of
   * its rollouts ({@code rolloutApplications}: rollout → application). The last are not in Git
   * (a canary's Deployment), and their pods becoming ready is what a rollout waits for.
   */
  static boolean concerns(
      String application,
      DesiredState compared,
      LiveObject object,
      Map<String, String> rolloutApplications) {
    return AutomationLoop.concerns(application, compared, object, rolloutApplications);
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  private String user() {
    return core.options.user();
  }

  /** The reconciler this console acts through. */
  public Reconciler reconciler() {
    return core.reconciler;
  }

  /**
   * Closes the console ({@link #close()}), waits at most {@code drain} for the commands still
   * running (a sync gives its Lease up when it ends), then gives up every application Lease this
   * console's holder still holds on its cluster, so that another console need not wait for them to
   * expire. The gateway stays open: its owner closes it afterwards. An unreachable cluster is not
   * asked: its Leases expire by themselves.
   *
   * @return one line per Lease given up or that could not be given up
   */
  public List<String> closeAndReleaseLeases(Duration drain) {
    return core.closeAndReleaseLeases(drain);
  }

  /**
   * From now on this console is one replica of the in-cluster reconciler: it drives only the
   * applications whose Leases it holds ({@link Sharding}). Call after {@link #start()}.
   */
  dev.weir.engine.shard.ShardKeeper shard(dev.weir.engine.shard.ShardKeeper.Settings settings) {
    return core.sharding.start(settings);
  }

  /**
   * This console is a replica that drives nothing until its Leases say what ({@link #shard}):
   * before that, its first refresh and watch must neither sync nor start a rollout that another
   * replica drives.
   */
  void awaitShards() {
    core.sharding.awaitingShards();
  }

  /** Applications with an automated sync or a comparison waiting, of those this console drives. */
  int queueDepth() {
    return (int)
        core.entries.entrySet().stream()
            .filter(e -> core.drives(e.getKey()))
            .filter(e -> e.getValue().automation != null || e.getValue().refresh != null)
            .count();
  }

  boolean closed() {
    return core.closed;
  }

  /** Whether the console has read the repository and compared every application once. */
  boolean settled() {
    return !core.entries.isEmpty()
        && core.entries.entrySet().stream()
            .allMatch(e -> e.getValue().view != null || !core.drives(e.getKey()));
  }

  @Override
  public void close() {
    core.close();
  }
}
