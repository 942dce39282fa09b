package dev.weir.engine.console;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.diff.ApplicationDiff;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.GitStatus;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.manifest.RenderResult;
import dev.weir.engine.manifest.RenderedApplication;
import dev.weir.engine.manifest.Renderer;
import dev.weir.engine.manifest.RepositoryRender;
import dev.weir.engine.model.Application;
import dev.weir.engine.model.DesiredState;
import dev.weir.engine.model.Manifest;
import dev.weir.engine.model.Health;
import dev.weir.engine.model.HealthStatus;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.reconcile.ApplicationState;
import dev.weir.engine.reconcile.ApplicationStateStore;
import dev.weir.engine.reconcile.AutomationPolicy;
import dev.weir.engine.reconcile.Comparison;
import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.reconcile.HealthAssessor;
import dev.weir.engine.reconcile.Hotfix;
import dev.weir.engine.reconcile.InformerLiveSource;
import dev.weir.engine.reconcile.LiveSource;
import dev.weir.engine.reconcile.Pin;
import dev.weir.engine.reconcile.Reconciler;
import dev.weir.engine.reconcile.SyncRequest;
import dev.weir.engine.reconcile.SyncResult;
import dev.weir.engine.reconcile.SyncTarget;
import dev.weir.engine.rollout.CommandOutcome;
import dev.weir.engine.rollout.ManualCommand;
import dev.weir.engine.rollout.RolloutEvent;
import dev.weir.engine.rollout.RolloutExecutor;
import dev.weir.engine.rollout.RolloutSpec;
import dev.weir.engine.rollout.RolloutSpecParser;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.telemetry.Telemetry;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
 * <p>Thread-safe. Snapshot listeners run on the clock's thread; event listeners on the thread that
 * made the event.
 */
public final class Console implements AutoCloseable {

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

  private static final class Entry {
    volatile RenderedApplication rendered;
    volatile ApplicationView view;
    volatile ApplicationState state = ApplicationState.EMPTY;
    volatile DesiredState compared;
    int attempts;
    Instant lastAttempt;
    EngineClock.Scheduled automation;
    EngineClock.Scheduled refresh;
    final ReentrantLock lock = new ReentrantLock();
  }

  private final GitSource git;
  private final ClusterGateway gateway;
  private final EngineClock clock;
  private final Options options;
  private final Reconciler reconciler;
  private final Renderer renderer = new Renderer();
  private final Renderer pastRenderer = new Renderer();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Deque<ConsoleEvent> events = new ArrayDeque<>();
  private final List<Consumer<ConsoleEvent>> eventListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();
  private final SnapshotPublisher publisher;
  private final ReentrantLock refreshLock = new ReentrantLock();
  private final RolloutExecutor rollouts;
  private final Map<String, String> rolloutApplications = new ConcurrentHashMap<>();
  private volatile boolean driving;
  private final MetricProvider metrics;
  private volatile LiveSource live;
  private volatile InformerLiveSource informers;
  private volatile EngineClock.Scheduled polling;
  private volatile boolean watching;
  private volatile boolean closed;

  private Console(
      GitSource git,
      ClusterGateway gateway,
      EngineClock clock,
      Options options,
      MetricProvider metrics,
      Executor rolloutWork,
      boolean driving) {
    this.git = Objects.requireNonNull(git, "git");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.reconciler = new Reconciler(gateway, clock, options.holder(), options.reconcile());
    this.live = LiveSource.direct(gateway);
    this.publisher = new SnapshotPublisher(clock, options.publishInterval(), this::snapshot);
    this.driving = driving;
    this.metrics = metrics == null ? NO_METRICS : metrics;
    this.rollouts =
        new RolloutExecutor(
            gateway,
            this.metrics,
            clock,
            rolloutWork == null ? workers : rolloutWork,
            Duration.ZERO);
    // a console that does not drive rollouts runs no analysis: the one that drives them does
    this.rollouts.runAnalysis(driving);
    this.rollouts.addListener(this::rolloutEvent);
  }

  /**
   * A console over a Git source and a cluster; call {@link #refresh()} or {@link #start()} next.
   */
  public static Console open(
      GitSource git, ClusterGateway gateway, EngineClock clock, Options options) {
    return new Console(git, gateway, clock, options, NO_METRICS, null, false);
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
    return new Console(git, gateway, clock, options, metrics, null, false);
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
    return new Console(git, gateway, clock, options, metrics, rolloutWork, true);
  }

  /**
   * No metric provider: every query answers "no data", so every measurement is Inconclusive and a
   * rollout whose analysis runs pauses as Inconclusive for a person; it never promotes by itself
   * (an error instead would count towards {@code consecutiveErrorLimit} and roll back).
   */
  private static final MetricProvider NO_METRICS =
      new MetricProvider() {
        @Override
        public QueryResult<MetricValue> instant(String query, Instant at) {
          return QueryResult.ok(MetricValue.vector(List.of()));
        }

        @Override
        public QueryResult<List<TimeSeries>> range(
            String query, Instant start, Instant end, Duration step) {
          return QueryResult.ok(List.of());
        }
      };

  // ------------------------------------------------------------------------------------------
  // Snapshots and events

  /** The current state, made now (not coalesced). */
  public ConsoleSnapshot snapshot() {
    List<ApplicationView> views =
        entries.values().stream()
            .map(e -> e.view)
            .filter(Objects::nonNull)
            .sorted(java.util.Comparator.comparing(ApplicationView::name))
            .toList();
    List<ConsoleEvent> recent;
    synchronized (events) {
      recent = List.copyOf(events);
    }
    Optional<GitStatus> gitStatus;
    try {
      gitStatus = Optional.of(git.status());
    } catch (RuntimeException e) {
      gitStatus = Optional.empty();
    }
    return new ConsoleSnapshot(
        version.incrementAndGet(), clock.instant(), gitStatus, gateway.status(), views, recent);
  }

  /**
   * Calls {@code listener} with every published snapshot (at most one per publish interval, always
   * the newest). Returns what unsubscribes.
   */
  public Runnable subscribe(Consumer<ConsoleSnapshot> listener) {
    return publisher.subscribe(listener);
  }

  /** Calls {@code listener} with every event as it happens (for {@code weir reconcile}'s log). */
  public Runnable onEvent(Consumer<ConsoleEvent> listener) {
    eventListeners.add(listener);
    return () -> eventListeners.remove(listener);
  }

  private void event(String application, String message) {
    ConsoleEvent event = new ConsoleEvent(clock.instant(), application, message);
    synchronized (events) {
      events.addLast(event);
      while (events.size() > options.eventsKept()) {
        events.removeFirst();
      }
    }
    eventListeners.forEach(l -> l.accept(event));
    publisher.changed();
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  /** Fetches Git, renders every application and compares each with the cluster. */
  public CompletableFuture<CommandResult> refresh() {
    return submit(() -> refreshAll(true));
  }

  /** A person's sync of one application (to its pin while pinned). */
  public CompletableFuture<CommandResult> sync(String application, SyncOptions sync) {
    return submit(() -> withApplication(application, entry -> doSync(entry, sync)));
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
    return submit(
        () -> {
          Instant now = clock.instant();
          Freeze freeze = new Freeze(reason, options.user(), now, now.plus(duration));
          if (application == null) {
            reconciler.store().saveGlobalFreeze(Optional.of(freeze));
            clock.schedule(duration, () -> workers.submit(() -> freezeEnded(null)));
            event("", "froze every application until " + freeze.until() + ": " + reason);
            entries.values().forEach(this::restate);
            return CommandResult.ok(
                "froze every application until " + freeze.until() + ": " + reason);
          }
          return withApplication(
              application,
              entry -> {
                Application app = entry.rendered.application();
                reconciler
                    .store()
                    .save(app, reconciler.store().load(app).withFreeze(Optional.of(freeze)));
                clock.schedule(duration, () -> workers.submit(() -> freezeEnded(application)));
                event(
                    application,
                    "frozen by " + options.user() + " until " + freeze.until() + ": " + reason);
                restate(entry);
                return CommandResult.ok(
                    "froze " + application + " until " + freeze.until() + ": " + reason);
              });
        });
  }

  /** Ends a freeze now ({@code null}: the freeze of every application). */
  public CompletableFuture<CommandResult> unfreeze(String application) {
    return submit(
        () -> {
          if (application == null) {
            reconciler.store().saveGlobalFreeze(Optional.empty());
            event("", "unfroze every application");
            entries.values().forEach(this::restate);
            return CommandResult.ok("unfroze every application");
          }
          return withApplication(
              application,
              entry -> {
                Application app = entry.rendered.application();
                reconciler
                    .store()
                    .save(app, reconciler.store().load(app).withFreeze(Optional.empty()));
                event(application, "unfrozen by " + options.user());
                restate(entry);
                return CommandResult.ok("unfroze " + application);
              });
        });
  }

  /**
   * Marks a live object ({@code pointer} "") or one of its fields (a JSON pointer) as deliberately
   * drifted until {@code duration} from now: sync and self-heal leave it as it is; it shows as
   * "backport pending".
   */
  public CompletableFuture<CommandResult> hotfix(
      String application, ResourceKey key, String pointer, String reason, Duration duration) {
    return submit(
        () ->
            withApplication(
                application,
                entry -> {
                  Application app = entry.rendered.application();
                  Instant now = clock.instant();
                  Hotfix hotfix;
                  try {
                    hotfix =
                        new Hotfix(key, pointer, reason, options.user(), now, now.plus(duration));
                  } catch (IllegalArgumentException e) {
                    return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
                  }
                  ApplicationState state = reconciler.store().load(app);
                  List<Hotfix> hotfixes = new ArrayList<>(state.hotfixes());
                  hotfixes.removeIf(
                      h -> h.key().equals(key) && h.pointer().equals(hotfix.pointer()));
                  hotfixes.add(hotfix);
                  reconciler.store().save(app, state.withHotfixes(hotfixes));
                  event(application, hotfix.describe());
                  compare(entry);
                  return CommandResult.ok(hotfix.describe());
                }));
  }

  /**
   * Writes the Git change that makes Git match a hotfix: each hotfixed field of {@code key} is set,
   * in the file Git's object comes from, to its value in the cluster, as one commit (pushed when
   * {@code push}). Once pushed, the hotfixes of {@code key} end: Git and the cluster agree.
   */
  public CompletableFuture<CommandResult> backport(
      String application, ResourceKey key, boolean push) {
    return submit(() -> withApplication(application, entry -> doBackport(entry, key, push)));
  }

  private CommandResult doBackport(Entry entry, ResourceKey key, boolean push) {
    Application app = entry.rendered.application();
    ApplicationState state = reconciler.store().load(app);
    List<Hotfix> fields =
        state.activeHotfixes(clock.instant()).stream()
            .filter(h -> h.key().equals(key) && !h.wholeObject())
            .toList();
    if (fields.isEmpty()) {
      return CommandResult.of(
          CommandResult.Status.BAD_INPUT, "no hotfixed field on " + key + " to backport");
    }
    DesiredState desired = entry.compared;
    dev.weir.engine.model.Manifest manifest = desired == null ? null : desired.resources().get(key);
    if (manifest == null) {
      return CommandResult.of(
          CommandResult.Status.REFUSED, key + " is not in Git; backport it by hand");
    }
    Optional<LiveObject> live = gateway.get(key);
    if (live.isEmpty()) {
      return CommandResult.of(
          CommandResult.Status.REFUSED, key + " is not in the cluster: nothing to backport");
    }
    String file = manifest.source().file();
    String text;
    try {
      dev.weir.engine.git.RevisionTree head = git.head();
      String directory = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
      var treeFile = head.files(directory).stream().filter(f -> f.path().equals(file)).findFirst();
      if (treeFile.isEmpty()) {
        return CommandResult.of(
            CommandResult.Status.REFUSED,
            key
                + " comes from "
                + file
                + ", which is not a plain file of the repository (kustomize or helm output);"
                + " backport it by hand");
      }
      text = new String(head.read(treeFile.get()), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return CommandResult.of(
          CommandResult.Status.FAILED, "cannot read " + file + ": " + e.getMessage());
    }
    List<String> changed = new ArrayList<>();
    for (Hotfix hotfix : fields) {
      Object value =
          dev.weir.engine.reconcile.JsonPointerValues.get(live.get().object(), hotfix.pointer())
              .orElse(null);
      switch (dev.weir.engine.reconcile.YamlFieldEdit.replace(
          text, manifest.source().line(), hotfix.pointer(), value)) {
        case dev.weir.engine.reconcile.YamlFieldEdit.Edited edited -> {
          text = edited.text();
          changed.add(hotfix.pointer() + "=" + value);
        }
        case dev.weir.engine.reconcile.YamlFieldEdit.Refused refused -> {
          return CommandResult.of(
              CommandResult.Status.REFUSED, "cannot backport " + key + ": " + refused.reason());
        }
      }
    }
    String reasons = String.join("; ", fields.stream().map(Hotfix::reason).distinct().toList());
    WriteResult written =
        git.writer()
            .writeFile(
                app.name(),
                file,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Backport hotfix of " + key + ": " + String.join(", ", changed),
                reasons,
                push);
    if (written.outcome() == WriteResult.Outcome.PUSHED
        || written.outcome() == WriteResult.Outcome.NO_CHANGE) {
      ApplicationState now = reconciler.store().load(app);
      reconciler
          .store()
          .save(
              app,
              now.withHotfixes(now.hotfixes().stream().filter(h -> !h.key().equals(key)).toList()));
    }
    event(app.name(), written.message());
    refreshAll(false);
    CommandResult.Status status =
        written.outcome() == WriteResult.Outcome.COMMITTED_LOCALLY && push
            ? CommandResult.Status.FAILED
            : CommandResult.Status.OK;
    return new CommandResult(status, written.message(), changed);
  }

  /** Ends every hotfix of {@code key} (Git has caught up, or the hotfix is abandoned). */
  public CompletableFuture<CommandResult> endHotfix(String application, ResourceKey key) {
    return submit(
        () ->
            withApplication(
                application,
                entry -> {
                  Application app = entry.rendered.application();
                  ApplicationState state = reconciler.store().load(app);
                  List<Hotfix> rest =
                      state.hotfixes().stream().filter(h -> !h.key().equals(key)).toList();
                  reconciler.store().save(app, state.withHotfixes(rest));
                  event(application, "hotfix on " + key + " ended by " + options.user());
                  compare(entry);
                  return CommandResult.ok("ended the hotfixes of " + key);
                }));
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
    return submit(
        () -> withApplication(application, entry -> doRollback(entry, revision, reason, push)));
  }

  /** Ends a pin now: the application follows Git's head again. */
  public CompletableFuture<CommandResult> unpin(String application) {
    return submit(
        () ->
            withApplication(
                application,
                entry -> {
                  Application app = entry.rendered.application();
                  reconciler
                      .store()
                      .save(app, reconciler.store().load(app).withPin(Optional.empty()));
                  event(
                      application,
                      "unpinned by " + options.user() + "; following Git's head again");
                  compare(entry);
                  return CommandResult.ok("unpinned " + application);
                }));
  }

  /**
   * One pass of the reconciler, as {@code weir reconcile --once}: refresh, then sync every
   * application whose policy says so (automated sync of a new revision, self-heal of drift),
   * without waiting for backoffs. One detail line per action.
   */
  public CompletableFuture<CommandResult> reconcileOnce() {
    return submit(
        () -> {
          CommandResult refreshed = refreshAll(true);
          if (refreshed.status() == CommandResult.Status.UNREACHABLE) {
            return refreshed;
          }
          List<String> lines = new ArrayList<>();
          boolean failed = false;
          List<Entry> ordered = new ArrayList<>(sortedEntries());
          // applications that create Namespaces first, so that the others find them
          ordered.sort(
              java.util.Comparator.comparing(
                  (Entry e) ->
                      e.compared == null
                          || e.compared.resources().keySet().stream()
                              .noneMatch(
                                  k -> k.group().isEmpty() && k.kind().equals("Namespace"))));
          for (Entry entry : ordered) {
            Optional<AutomationPolicy.Decision> decision = decide(entry, false);
            if (decision.isEmpty()) {
              continue;
            }
            CommandResult result = autoSync(entry, decision.get());
            lines.add(result.message());
            failed |= !result.ok();
          }
          String message =
              lines.isEmpty()
                  ? "nothing to do: " + summaryLine()
                  : lines.size()
                      + " automatic sync"
                      + (lines.size() == 1 ? "" : "s")
                      + ": "
                      + summaryLine();
          return new CommandResult(
              failed ? CommandResult.Status.FAILED : CommandResult.Status.OK, message, lines);
        });
  }

  /**
   * Watch mode: live state from informers, Git polled every {@code refreshInterval}, automated sync
   * and self-heal as policies say, with backoff. Returns once the first refresh is done.
   */
  public CompletableFuture<CommandResult> start() {
    watching = true;
    driving = true;
    rollouts.runAnalysis(true);
    informers = new InformerLiveSource(gateway, this::liveChanged);
    live = informers;
    polling = clock.every(options.refreshInterval(), () -> workers.submit(() -> refreshAll(true)));
    return refresh();
  }

  // ------------------------------------------------------------------------------------------
  // Rollouts

  /**
   * Carries out {@code command} on the rollout of {@code application} (its only one, or the one
   * named {@code rollout}); answers when the rollout's pass is done, with the view refreshed.
   */
  public CompletableFuture<CommandResult> rollout(
      String application, Optional<String> rollout, ManualCommand command) {
    return submit(
        () ->
            withApplication(
                application,
                entry -> {
                  if (!driving && entry.compared != null) {
                    rollouts.track(entry.compared); // a one-shot console acts on this rollout only
                  }
                  CommandOutcome outcome = rollouts.command(application, rollout, command);
                  compare(entry);
                  CommandResult.Status status =
                      switch (outcome.kind()) {
                        case APPLIED -> CommandResult.Status.OK;
                        case REFUSED, CONFLICT -> CommandResult.Status.REFUSED;
                        case UNKNOWN -> CommandResult.Status.BAD_INPUT;
                        case FAILED -> CommandResult.Status.FAILED;
                      };
                  return CommandResult.of(status, outcome.message());
                }));
  }

  /** Goes past the current step (canary) or switches to the preview (blue/green). */
  public CompletableFuture<CommandResult> promote(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Promote(options.user(), why));
  }

  /** Skips every remaining step and analysis. */
  public CompletableFuture<CommandResult> promoteFull(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.PromoteFull(options.user(), why));
  }

  /** Holds the rollout where it is. */
  public CompletableFuture<CommandResult> pause(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Pause(options.user(), why));
  }

  /** Continues a paused rollout. */
  public CompletableFuture<CommandResult> resume(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Resume(options.user(), why));
  }

  /** Sends all traffic back to the stable version at once. */
  public CompletableFuture<CommandResult> abort(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Abort(options.user(), why));
  }

  /** Starts an aborted rollout again from its first step. */
  public CompletableFuture<CommandResult> retry(
      String application, Optional<String> rollout, String why) {
    return rollout(application, rollout, new ManualCommand.Retry(options.user(), why));
  }

  /** Holds the canary at {@code weight} percent. */
  public CompletableFuture<CommandResult> setWeight(
      String application, Optional<String> rollout, int weight, String why) {
    return rollout(
        application, rollout, new ManualCommand.SetWeight(weight, options.user(), why));
  }

  /** A pass of every rollout now, reading each one's record afresh. */
  public void reconcileRollouts() {
    rollouts.reconcile();
  }

  /**
   * The rollouts of {@code application} as they stand now: as this console drives them, after
   * their last pass (no pass is taken), or, for a console that does not drive rollouts, as
   * recorded in the cluster. Unlike the snapshot's {@link ApplicationView#rollouts()}, not as of
   * the application's last comparison.
   */
  public List<RolloutStatus> rollouts(String application) {
    return rolloutStatuses(application);
  }

  /**
   * The rollouts of {@code application}: as this console drives them, or (a console that does not
   * drive rollouts, e.g. for {@code weir status}) as recorded in the cluster, read-only.
   */
  private List<RolloutStatus> rolloutStatuses(String application) {
    List<RolloutStatus> statuses = rolloutStatusesOf(application);
    statuses.forEach(r -> options.telemetry().setRollout(r.rollout(), r.phase().name(), r.weight()));
    return statuses;
  }

  private List<RolloutStatus> rolloutStatusesOf(String application) {
    if (driving) {
      return rollouts.statuses().stream()
          .filter(r -> r.application().equals(application))
          .toList();
    }
    Entry entry = entries.get(application);
    DesiredState compared = entry == null ? null : entry.compared;
    if (compared == null) {
      return List.of();
    }
    List<RolloutStatus> out = new ArrayList<>();
    try {
      for (RolloutSpec spec : RolloutSpecParser.parseAll(compared).rollouts()) {
        Manifest target = compared.resources().get(spec.targetKey());
        RolloutExecutor.observed(
                gateway, spec, target == null ? null : target.object(), clock.instant())
            .ifPresent(out::add);
      }
    } catch (ClusterException e) {
      // shown at the next refresh
    }
    return out;
  }

  /**
   * The rollouts of {@code application} as the faces draw them (see {@link
   * dev.weir.engine.rollout.RolloutView}): as this console drives them, or as recorded in the
   * cluster, with their series read back from the metrics source.
   */
  public List<dev.weir.engine.rollout.RolloutView> rolloutViews(String application) {
    if (driving) {
      return rollouts.views().stream()
          .filter(r -> r.status().application().equals(application))
          .toList();
    }
    Entry entry = entries.get(application);
    DesiredState compared = entry == null ? null : entry.compared;
    if (compared == null) {
      return List.of();
    }
    List<dev.weir.engine.rollout.RolloutView> out = new ArrayList<>();
    try {
      RolloutSpecParser.ApplicationRollouts parsed = RolloutSpecParser.parseAll(compared);
      for (RolloutSpec spec : parsed.rollouts()) {
        Manifest target = compared.resources().get(spec.targetKey());
        RolloutExecutor.observedView(
                gateway,
                spec,
                target == null ? null : target.object(),
                parsed.templates(),
                metrics == NO_METRICS ? null : metrics,
                clock.instant())
            .ifPresent(out::add);
      }
    } catch (ClusterException e) {
      // shown at the next refresh
    }
    return out;
  }

  /**
   * The rollouts of {@code application} for {@code weir rollout status}: its {@link
   * dev.weir.engine.rollout.RolloutView}s as of the last refresh, and those Git defines that no
   * console has recorded yet; a problem for an unknown application or rollout.
   */
  public RolloutReport rolloutReport(String application, Optional<String> rollout) {
    Entry entry = entries.get(application);
    if (entry == null || entry.rendered == null || entry.view == null) {
      return RolloutReport.problem(
          application,
          CommandResult.Status.BAD_INPUT,
          "no application named '"
              + application
              + "'; known: "
              + String.join(", ", entries.keySet().stream().sorted().toList()));
    }
    if (entry.compared == null) {
      return RolloutReport.of(entry.view, List.of(), rollout);
    }
    RolloutSpecParser.ApplicationRollouts parsed = RolloutSpecParser.parseAll(entry.compared);
    if (!parsed.errors().isEmpty()) {
      return RolloutReport.problem(
          application,
          CommandResult.Status.BAD_INPUT,
          application + " has invalid rollout configuration: " + parsed.errors().getFirst());
    }
    return RolloutReport.of(
        entry.view, parsed.rollouts().stream().map(RolloutSpec::name).toList(), rollout);
  }

  private void rolloutEvent(RolloutEvent event) {
    // not the executor's statuses: this runs inside a rollout's pass
    String application = rolloutApplications.getOrDefault(event.rollout(), "");
    event(
        application,
        "rollout " + event.rollout() + " " + event.reason() + ": " + event.message());
    String verdict =
        switch (event.reason()) {
          case ANALYSIS_SUCCESSFUL -> "successful";
          case ANALYSIS_INCONCLUSIVE -> "inconclusive";
          case ROLLED_BACK -> event.metrics().isEmpty() ? null : "failed";
          default -> null;
        };
    if (verdict != null) {
      if (event.metrics().isEmpty()) {
        options.telemetry().recordAnalysisVerdict(event.rollout(), "analysis", verdict);
      } else {
        event.metrics().keySet()
            .forEach(metric -> options.telemetry().recordAnalysisVerdict(event.rollout(), metric, verdict));
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Refresh

  private CommandResult refreshAll(boolean fetch) {
    refreshLock.lock();
    try {
      GitStatus status = fetch ? git.fetch() : git.status();
      RepositoryRender render = renderer.render(git.head());
      Set<String> names = new java.util.HashSet<>();
      for (RenderedApplication rendered : render.applications()) {
        names.add(rendered.name());
        Entry entry = entries.computeIfAbsent(rendered.name(), n -> new Entry());
        entry.rendered = rendered;
      }
      entries.keySet().retainAll(names);
      for (Entry entry : sortedEntries()) {
        compare(entry);
      }
      publisher.changed();
      if (!gateway.status().isReachable()) {
        return CommandResult.of(
            CommandResult.Status.UNREACHABLE, gateway.status().describe(clock.instant()));
      }
      String stale =
          status.isStale() ? " (Git is stale: " + status.lastError().message() + ")" : "";
      return CommandResult.ok(
          "refreshed at " + status.shortRevision() + ": " + summaryLine() + stale);
    } finally {
      refreshLock.unlock();
    }
  }

  private List<Entry> sortedEntries() {
    return entries.values().stream()
        .filter(e -> e.rendered != null)
        .sorted(java.util.Comparator.comparing(e -> e.rendered.name()))
        .toList();
  }

  private String summaryLine() {
    long out =
        entries.values().stream()
            .filter(e -> e.view != null && e.view.sync() == SyncStatus.OutOfSync)
            .count();
    long unknown =
        entries.values().stream()
            .filter(e -> e.view != null && e.view.sync() == SyncStatus.Unknown)
            .count();
    return entries.size()
        + " applications, "
        + out
        + " OutOfSync"
        + (unknown > 0 ? ", " + unknown + " Unknown" : "");
  }

  /** Re-reads the kept state and compares one application; never throws. */
  private void compare(Entry entry) {
    compare(entry, live);
  }

  /**
   * Compares right after this console wrote the application: informers may not have seen its own
   * writes yet (they lag under load), so the comparison reads the cluster directly.
   */
  private void compareAfterWrite(Entry entry) {
    compare(entry, LiveSource.direct(gateway));
  }

  private void compare(Entry entry, LiveSource live) {
    RenderedApplication rendered = entry.rendered;
    Application app = rendered.application();
    List<String> problems =
        new ArrayList<>(rendered.errors().stream().map(Object::toString).toList());
    ApplicationState state;
    try {
      state = reconciler.state(app);
      state = unpinIfGitCaughtUp(entry, state);
    } catch (ClusterException e) {
      problems.add(e.getMessage());
      entry.view =
          view(
              rendered,
              entry.state,
              rendered.revision(),
              Optional.empty(),
              problems,
              Optional.empty(),
              true);
      publisher.changed();
      return;
    }
    entry.state = state;
    Optional<DesiredState> desired;
    String revision;
    if (state.pin().isPresent()) {
      SyncTarget pinned = pinnedTarget(app, state.pin().get());
      desired = pinned.desired();
      revision = pinned.revision();
      problems.addAll(pinned.renderProblems());
    } else {
      desired =
          rendered.latest() instanceof RenderResult.Rendered r
              ? Optional.of(r.state())
              : rendered.lastGood();
      revision = desired.map(DesiredState::revision).orElse(rendered.revision());
    }
    if (desired.isPresent() && driving) {
      try {
        for (RolloutSpec spec : RolloutSpecParser.parseAll(desired.get()).rollouts()) {
          rolloutApplications.put(spec.name(), app.name());
        }
        rollouts.track(desired.get()).forEach(e -> problems.add(e.toString()));
      } catch (RuntimeException e) {
        problems.add("rollouts: " + e.getMessage());
      }
    }
    Optional<Comparison> comparison = Optional.empty();
    boolean unreachable = false;
    if (desired.isPresent()) {
      Instant started = clock.instant();
      try {
        Comparison c = reconciler.compare(desired.get(), state, live);
        comparison = Optional.of(c);
        unreachable = c.unreachable();
        problems.addAll(c.problems());
        if (!unreachable) {
          options.telemetry().setDrift(app.name(), c.diff().drifted().size());
        }
      } catch (ClusterException e) {
        unreachable = true;
        problems.add(e.getMessage());
      }
      options.telemetry().recordReconcile(app.name(), Duration.between(started, clock.instant()));
    }
    entry.compared = desired.orElse(null);
    Optional<LeaseRecord> lease = Optional.empty();
    if (!unreachable) {
      try {
        lease =
            gateway
                .readLease(ApplicationStateStore.namespaceOf(app), Reconciler.leaseName(app))
                .filter(l -> l.expiresAt().isAfter(clock.instant()));
      } catch (ClusterException e) {
        // the Lease is only shown; its absence is not an error
      }
    }
    entry.view = view(rendered, state, revision, comparison, problems, lease, unreachable);
    if (entry.view.sync() == SyncStatus.Synced) {
      entry.attempts = 0;
    }
    publisher.changed();
    if (watching) {
      scheduleAutomation(entry);
    }
  }

  /** Re-reads only the kept state (freeze, pin, hotfix marks), keeping the last comparison. */
  private void restate(Entry entry) {
    if (entry.view == null) {
      return;
    }
    try {
      ApplicationState state = reconciler.state(entry.rendered.application());
      entry.state = state;
      ApplicationView v = entry.view;
      entry.view =
          new ApplicationView(
              v.name(),
              v.namespace(),
              v.revision(),
              v.sync(),
              v.health(),
              v.resources(),
              v.diff(),
              v.render(),
              v.problems(),
              state.lastSync(),
              state.activeFreeze(clock.instant()),
              state.pin(),
              state.activeHotfixes(clock.instant()),
              v.lease(),
              v.automated(),
              rolloutStatuses(v.name()),
              rolloutViews(v.name()));
      publisher.changed();
    } catch (ClusterException e) {
      // shown at the next refresh
    }
  }

  private ApplicationView view(
      RenderedApplication rendered,
      ApplicationState state,
      String revision,
      Optional<Comparison> comparison,
      List<String> problems,
      Optional<LeaseRecord> lease,
      boolean unreachable) {
    Application app = rendered.application();
    Instant now = clock.instant();
    ApplicationDiff diff =
        comparison
            .map(Comparison::diff)
            .orElse(new ApplicationDiff(app.name(), revision, List.of(), List.of()));
    List<Hotfix> hotfixes = state.activeHotfixes(now);
    List<ResourceView> resources = new ArrayList<>();
    HealthStatus worst = HealthStatus.Healthy;
    Health worstHealth = Health.healthy();
    for (ResourceDiff resource : diff.resources()) {
      LiveObject object = comparison.get().live().get(resource.key());
      Health health =
          resource.status() == ResourceDiff.Status.EXTRA
              ? HealthAssessor.assess(object, now)
              : HealthAssessor.assess(
                  resource.status() == ResourceDiff.Status.MISSING ? null : object, now);
      if (resource.status() != ResourceDiff.Status.EXTRA && health.status().worse(worst) != worst) {
        worst = health.status();
        worstHealth =
            new Health(worst, resource.key() + ": " + health.message(), health.deadline());
      }
      boolean hotfixed = hotfixes.stream().anyMatch(h -> h.key().equals(resource.key()));
      resources.add(
          new ResourceView(
              resource.key(),
              resource.drifted() ? SyncStatus.OutOfSync : SyncStatus.Synced,
              health,
              resource,
              hotfixed));
    }
    SyncStatus sync;
    if (unreachable || comparison.isEmpty()) {
      sync = SyncStatus.Unknown;
      worstHealth =
          Health.of(
              HealthStatus.Unknown,
              unreachable ? "the cluster could not be read" : "no desired state");
    } else {
      sync = diff.hasDrift() ? SyncStatus.OutOfSync : SyncStatus.Synced;
    }
    return new ApplicationView(
        app.name(),
        app.namespace(),
        revision,
        sync,
        worstHealth,
        resources,
        diff,
        rendered.summary(),
        problems,
        state.lastSync(),
        state.activeFreeze(now),
        state.pin(),
        hotfixes,
        lease,
        app.syncPolicy().automated(),
        rolloutStatuses(app.name()),
        rolloutViews(app.name()));
  }

  // ------------------------------------------------------------------------------------------
  // Sync, rollback, pins

  private CommandResult doSync(Entry entry, SyncOptions sync) {
    SyncRequest request =
        new SyncRequest(
            SyncRequest.Trigger.MANUAL,
            sync.dryRun(),
            sync.prune(),
            sync.force(),
            sync.confirmPrune(),
            options.maxPruneShare());
    List<String> details = new ArrayList<>();
    // the target is chosen under the application's Lease, from the state read then: a rollback
    // that pinned the application meanwhile is honoured, never synced over
    List<ApplicationState> read = new ArrayList<>(1);
    SyncResult result =
        reconciler.sync(
            entry.rendered.application(),
            state -> {
              read.add(state);
              return target(entry, state);
            },
            request,
            options.user(),
            live,
            r -> details.add(r.describe()));
    recordSyncOutcome(result);
    String pinned =
        read.stream()
            .flatMap(state -> state.pin().stream())
            .findFirst()
            .map(p -> " (" + p.describe() + ": synced to the pin, not Git's head)")
            .orElse("");
    if (!sync.dryRun()) {
      event(entry.rendered.name(), result.message() + pinned);
    }
    compareAfterWrite(entry);
    return new CommandResult(status(result), result.message() + pinned, details);
  }

  private CommandResult autoSync(Entry entry, AutomationPolicy.Decision decision) {
    SyncRequest request =
        new SyncRequest(
            decision.trigger(),
            false,
            false,
            decision.trigger() == SyncRequest.Trigger.SELF_HEAL,
            false,
            options.maxPruneShare());
    String by = decision.trigger() == SyncRequest.Trigger.SELF_HEAL ? "self-heal" : "automated";
    List<String> details = new ArrayList<>();
    SyncResult result =
        reconciler.sync(
            entry.rendered.application(),
            state -> target(entry, state),
            request,
            by,
            live,
            r -> details.add(r.describe()));
    recordSyncOutcome(result);
    entry.attempts++;
    entry.lastAttempt = clock.instant();
    String message = by + " (" + decision.why() + "): " + result.message();
    event(entry.rendered.name(), message);
    compareAfterWrite(entry);
    return new CommandResult(status(result), message, details);
  }

  private void recordSyncOutcome(SyncResult result) {
    if (result.outcome() == SyncResult.Outcome.FAILED || result.outcome() == SyncResult.Outcome.BLOCKED) {
      options.telemetry().recordSyncError(result.application(), result.outcome().name().toLowerCase(Locale.ROOT));
    }
  }

  private SyncTarget target(Entry entry, ApplicationState state) {
    return state
        .pin()
        .map(p -> pinnedTarget(entry.rendered.application(), p))
        .orElseGet(() -> SyncTarget.latest(entry.rendered));
  }

  private SyncTarget pinnedTarget(Application app, Pin pin) {
    RepositoryRender past;
    synchronized (pastRenderer) {
      past = pastRenderer.render(git.tree(pin.revision()));
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

  private ApplicationState unpinIfGitCaughtUp(Entry entry, ApplicationState state) {
    if (state.pin().isEmpty() || !(entry.rendered.latest() instanceof RenderResult.Rendered head)) {
      return state;
    }
    SyncTarget pinned = pinnedTarget(entry.rendered.application(), state.pin().get());
    if (pinned.desired().isPresent() && sameObjects(pinned.desired().get(), head.state())) {
      ApplicationState unpinned = state.withPin(Optional.empty());
      reconciler.store().save(entry.rendered.application(), unpinned);
      event(
          entry.rendered.name(),
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

  private CommandResult doRollback(Entry entry, String revision, String reason, boolean push) {
    Application app = entry.rendered.application();
    String full;
    try {
      full = git.resolve(revision);
    } catch (GitException e) {
      return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
    }
    SyncTarget then = pinnedTarget(app, new Pin(full, reason, options.user(), clock.instant(), ""));
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
      written = git.writer().restorePath(app.name(), app.path(), revision, reason, push);
    } catch (GitException e) {
      return CommandResult.of(CommandResult.Status.BAD_INPUT, e.getMessage());
    }
    List<String> details = new ArrayList<>();
    SyncResult result;
    String message;
    if (written.outcome() == WriteResult.Outcome.COMMITTED_LOCALLY) {
      ApplicationState state = reconciler.store().load(app);
      reconciler
          .store()
          .save(
              app,
              state.withPin(
                  Optional.of(
                      new Pin(full, reason, options.user(), clock.instant(), written.commit()))));
      event(
          app.name(),
          "pinned at " + full.substring(0, 7) + " by " + options.user() + ": " + reason);
      rollBackRollouts(app, then, reason, details);
      result =
          reconciler.sync(
              then, rollbackRequest(app), options.user(), live, r -> details.add(r.describe()));
      message =
          written.message()
              + "; "
              + app.name()
              + " is pinned at "
              + full.substring(0, 7)
              + " until Git catches up; "
              + result.message();
    } else {
      refreshAll(false);
      Entry fresh = entries.get(app.name());
      rollBackRollouts(app, SyncTarget.latest(fresh.rendered), reason, details);
      result =
          reconciler.sync(
              SyncTarget.latest(fresh.rendered),
              rollbackRequest(app),
              options.user(),
              live,
              r -> details.add(r.describe()));
      message = written.message() + "; " + result.message();
    }
    event(app.name(), message);
    compare(entries.getOrDefault(app.name(), entry));
    CommandResult.Status status = status(result);
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
   * A rollback is a person's decision in an incident: each Rollout of the application puts the
   * restored template on stable at once (no steps, no analysis; an instant switch back for a
   * blue/green still keeping that color), before the sync applies the rest of the revision.
   */
  private void rollBackRollouts(
      Application app, SyncTarget target, String reason, List<String> details) {
    if (target.desired().isEmpty()) {
      return;
    }
    List<RolloutSpec> specs = RolloutSpecParser.parseAll(target.desired().get()).rollouts();
    if (specs.isEmpty()) {
      return;
    }
    rollouts.track(target.desired().get());
    for (RolloutSpec spec : specs) {
      CommandOutcome outcome =
          rollouts.command(
              app.name(),
              Optional.of(spec.name()),
              new ManualCommand.Rollback(options.user(), reason));
      details.add("rollout " + outcome.message());
    }
  }

  private SyncRequest rollbackRequest(Application app) {
    return new SyncRequest(
        SyncRequest.Trigger.MANUAL,
        false,
        app.syncPolicy().prune(),
        false,
        false,
        options.maxPruneShare());
  }

  private static CommandResult.Status status(SyncResult result) {
    if (!result.confirmation().isEmpty() && !result.succeeded()) {
      return CommandResult.Status.REFUSED;
    }
    return switch (result.outcome()) {
      case SUCCEEDED, NOTHING_TO_DO, DRY_RUN ->
          result.confirmation().isEmpty() ? CommandResult.Status.OK : CommandResult.Status.REFUSED;
      case BLOCKED ->
          result.message().contains("could not be read")
              ? CommandResult.Status.UNREACHABLE
              : CommandResult.Status.REFUSED;
      case FAILED ->
          result.unreachable() ? CommandResult.Status.UNREACHABLE : CommandResult.Status.FAILED;
    };
  }

  private void freezeEnded(String application) {
    if (closed) {
      return;
    }
    event(application == null ? "" : application, "freeze ended");
    if (application == null) {
      entries.values().forEach(this::restate);
    } else {
      Optional.ofNullable(entries.get(application))
          .ifPresent(
              e -> {
                restate(e);
                if (watching) {
                  scheduleAutomation(e);
                }
              });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Automation (watch mode)

  private Optional<AutomationPolicy.Decision> decide(Entry entry, boolean respectBackoff) {
    ApplicationView view = entry.view;
    if (view == null || entry.compared == null) {
      return Optional.empty();
    }
    boolean failed = entry.state.pin().isEmpty() && entry.rendered.failed();
    Optional<AutomationPolicy.Decision> decision =
        AutomationPolicy.decide(
            entry.rendered.application(),
            entry.state,
            view.sync(),
            failed,
            view.revision(),
            respectBackoff ? entry.attempts : 0,
            entry.lastAttempt,
            clock.instant(),
            options.selfHealBackoff(),
            options.maxBackoff());
    return decision;
  }

  private synchronized void scheduleAutomation(Entry entry) {
    Optional<AutomationPolicy.Decision> decision = decide(entry, true);
    if (decision.isEmpty() || entry.automation != null || closed) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), decision.get().notBefore());
    entry.automation =
        clock.schedule(
            wait.isNegative() ? Duration.ZERO : wait,
            () ->
                workers.submit(
                    () -> {
                      synchronized (Console.this) {
                        entry.automation = null;
                      }
                      entry.lock.lock();
                      try {
                        compare(entry);
                        Optional<AutomationPolicy.Decision> still = decide(entry, false);
                        if (still.isPresent()) {
                          autoSync(entry, still.get());
                        }
                      } catch (RuntimeException e) {
                        event(entry.rendered.name(), "automatic sync failed: " + e.getMessage());
                      } finally {
                        entry.lock.unlock();
                      }
                    }));
  }

  private void liveChanged(LiveObject object) {
    if (closed) {
      return;
    }
    for (Entry entry : entries.values()) {
      if (concerns(entry.rendered.name(), entry.compared, object, rolloutApplications)) {
        synchronized (this) {
          if (entry.refresh == null) {
            entry.refresh =
                clock.schedule(
                    Duration.ofSeconds(1),
                    () ->
                        workers.submit(
                            () -> {
                              synchronized (Console.this) {
                                entry.refresh = null;
                              }
                              entry.lock.lock();
                              try {
                                compare(entry);
                                rollouts.reconcile();
                              } finally {
                                entry.lock.unlock();
                              }
                            }));
          }
        }
      }
    }
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
    if (compared != null && compared.resources().containsKey(object.key())) {
      return true;
    }
    if (application.equals(object.annotations().get("weir.dev/application"))) {
      return true;
    }
    return object.labels().get(RolloutExecutor.ROLLOUT_LABEL) instanceof String rollout
        && application.equals(rolloutApplications.get(rollout));
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  private CompletableFuture<CommandResult> submit(Supplier<CommandResult> command) {
    if (closed) {
      return CompletableFuture.completedFuture(
          CommandResult.of(CommandResult.Status.REFUSED, "the console is closed"));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return command.get();
          } catch (ClusterException e) {
            return CommandResult.of(
                e.error().unreachable()
                    ? CommandResult.Status.UNREACHABLE
                    : CommandResult.Status.FAILED,
                e.getMessage());
          } catch (GitException e) {
            return CommandResult.of(CommandResult.Status.FAILED, e.getMessage());
          }
        },
        workers);
  }

  private CommandResult withApplication(
      String application, java.util.function.Function<Entry, CommandResult> action) {
    if (entries.isEmpty()) {
      refreshAll(false);
    }
    Entry entry = entries.get(application);
    if (entry == null || entry.rendered == null) {
      return CommandResult.of(
          CommandResult.Status.BAD_INPUT,
          "no application named '"
              + application
              + "'; known: "
              + String.join(", ", entries.keySet().stream().sorted().toList()));
    }
    entry.lock.lock();
    try {
      return action.apply(entry);
    } finally {
      entry.lock.unlock();
    }
  }

  /** The reconciler this console acts through. */
  public Reconciler reconciler() {
    return reconciler;
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
    close();
    try {
      workers.awaitTermination(drain.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> lines = new ArrayList<>();
    for (Entry entry : sortedEntries()) {
      if (!gateway.status().isReachable()) {
        // one timeout per Lease would hold a switch away from a dead cluster for minutes
        lines.add(
            "context "
                + gateway.context()
                + " does not answer: its Leases are left to expire by themselves");
        break;
      }
      Application app = entry.rendered.application();
      String namespace = ApplicationStateStore.namespaceOf(app);
      String name = Reconciler.leaseName(app);
      try {
        Optional<LeaseRecord> lease = gateway.readLease(namespace, name);
        if (lease.isPresent() && lease.get().holder().equals(options.holder().identity())) {
          gateway.releaseLease(namespace, name, options.holder().identity());
          lines.add(
              "released Lease " + namespace + "/" + name + " on context " + gateway.context());
        }
      } catch (ClusterException e) {
        lines.add(
            "could not release Lease "
                + namespace
                + "/"
                + name
                + " on context "
                + gateway.context()
                + " (it expires by itself): "
                + e.getMessage());
      }
    }
    return lines;
  }

  @Override
  public void close() {
    closed = true;
    watching = false;
    if (polling != null) {
      polling.cancel();
    }
    entries
        .values()
        .forEach(
            e -> {
              if (e.automation != null) {
                e.automation.cancel();
              }
              if (e.refresh != null) {
                e.refresh.cancel();
              }
            });
    if (informers != null) {
      informers.close();
    }
    rollouts.close();
    workers.shutdown();
  }
}
