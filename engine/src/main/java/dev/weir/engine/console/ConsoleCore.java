package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseRecord;
import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.model.Application;
import dev.weir.engine.reconcile.ApplicationStateStore;
import dev.weir.engine.reconcile.LiveSource;
import dev.weir.engine.reconcile.Freeze;
import dev.weir.engine.reconcile.Reconciler;
import dev.weir.engine.reconcile.SyncResult;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the rooms of a {@link Console} share: its Git source, cluster, clock and options, the
 * entries of its applications, its events, and the plumbing every command goes through (one
 * virtual thread per command, one command at a time per application). Each room reaches the others
 * through it.
 */
final class ConsoleCore {
  final GitSource git;
  final ClusterGateway gateway;
  final EngineClock clock;
  final Console.Options options;
  final Reconciler reconciler;
  final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * How many comparisons and automated syncs that come in bursts run side by side (a replica
   * taking 300 applications at once, a Git change touching every one): each is several requests to
   * the API server, and a thousand at once made a replica's own Lease renewals wait behind them
   * until the Leases ran out (decision 0050). Argo CD bounds the same work with its status and
   * operation processors.
   */
  static final int SIDE_BY_SIDE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private final java.util.concurrent.Semaphore turns =
      new java.util.concurrent.Semaphore(SIDE_BY_SIDE, true);

  /**
   * Runs {@code work} on a worker once one of {@link #SIDE_BY_SIDE} turns is free, in the order
   * asked. For background work that holds no lock when it starts (it may take an application's
   * lock inside): a command a person gives does not wait for a turn.
   */
  void inTurn(Runnable work) {
    workers.submit(
        () -> {
          turns.acquireUninterruptibly();
          try {
            work.run();
          } finally {
            turns.release();
          }
        });
  }
  final Map<String, ApplicationEntry> entries = new ConcurrentHashMap<>();
  final ConsoleEvents events;
  final ClusterTimeline timeline;
  volatile List<AttentionItem> attention = List.of();
  volatile boolean readBack;
  final AtomicLong version = new AtomicLong();
  final SnapshotPublisher publisher;
  final SnapshotFanout fanout = new SnapshotFanout();
  volatile Optional<Freeze> globalFreeze = Optional.empty();
  volatile List<DefinitionFailure> definitionFailures = List.of();
  volatile LiveSource live;
  volatile boolean closed;
  /**
   * Whether this console drives {@code application} (its automated syncs, self-heal, rollouts):
   * {@link Sharding} alone decides, from what the console is (a person's console, a replica to be,
   * a replica).
   */
  boolean drives(String application) {
    return sharding.drives(application);
  }

  /**
   * Whether this console compares {@code application} (keeps its view live): a replica, only what
   * it drives (the others compare theirs); a person's console, every application, even those it
   * leaves to the replicas (decision 0046).
   */
  boolean compares(String application) {
    return !sharding.active() || drives(application);
  }

  final SnapshotAssembly snapshots;
  final Syncing syncs;
  final IncidentCommands incidents;
  final RollbackAndPins pins;
  final FlagCommands flags;
  final AutomationLoop automation;
  final RolloutDriving rollouts;
  final Experiments experiments;
  final Sharding sharding;
  final Drivers drivers;
  final Announcements announcements;

  ConsoleCore(
      GitSource git,
      ClusterGateway gateway,
      EngineClock clock,
      Console.Options options,
      MetricProvider metrics,
      Executor rolloutWork) {
    this.git = Objects.requireNonNull(git, "git");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.reconciler = new Reconciler(gateway, clock, options.holder(), options.reconcile());
    this.live = LiveSource.direct(gateway);
    this.snapshots = new SnapshotAssembly(this);
    this.publisher = new SnapshotPublisher(clock, options.publishInterval(), snapshots::snapshot);
    this.publisher.subscribe(fanout::publish);
    this.events = new ConsoleEvents(clock, options.eventsKept(), () -> publisher.changed());
    this.timeline = new ClusterTimeline(gateway);
    // with the caller's executor for rollout work (tests, drills in virtual time), the timeline is
    // written there too, so that no write happens behind the clock's back
    this.events.persistTo(timeline, rolloutWork == null ? workers : rolloutWork);
    this.syncs = new Syncing(this);
    this.incidents = new IncidentCommands(this);
    this.pins = new RollbackAndPins(this);
    this.flags = new FlagCommands(this);
    this.automation = new AutomationLoop(this);
    this.rollouts = new RolloutDriving(this, metrics, rolloutWork == null ? workers : rolloutWork);
    this.experiments = new Experiments(this, this.rollouts.metrics());
    this.sharding = new Sharding(this);
    this.drivers = new Drivers(this);
    this.announcements = new Announcements(this);
  }

  // ------------------------------------------------------------------------------------------
  // Events

  Runnable onEvent(Consumer<ConsoleEvent> listener) {
    return events.listen(listener);
  }

  List<ConsoleEvent> recentEvents() {
    return events.log().latest(options.eventsKept());
  }

  void event(ConsoleEvent.Kind kind, String application, String message) {
    event(kind, Severity.INFO, application, options.user(), message);
  }

  void event(
      ConsoleEvent.Kind kind, Severity severity, String application, String who, String message) {
    events.emit(kind, severity, application, who, message, java.util.Map.of());
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  CompletableFuture<CommandResult> submit(Supplier<CommandResult> command) {
    return submit(command, result -> result);
  }

  /**
   * Runs {@code command} on a virtual thread; a closed console, a cluster or a Git failure is
   * answered by {@code failure} of the result it makes.
   */
  <T> CompletableFuture<T> submit(Supplier<T> command, Function<CommandResult, T> failure) {
    if (closed) {
      return CompletableFuture.completedFuture(
          failure.apply(CommandResult.of(CommandResult.Status.REFUSED, "the console is closed")));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return command.get();
          } catch (ClusterException e) {
            return failure.apply(
                CommandResult.of(
                    e.error().unreachable()
                        ? CommandResult.Status.UNREACHABLE
                        : CommandResult.Status.FAILED,
                    e.getMessage()));
          } catch (GitException e) {
            return failure.apply(CommandResult.of(CommandResult.Status.FAILED, e.getMessage()));
          }
        },
        workers);
  }

  CommandResult withApplication(
      String application, Function<ApplicationEntry, CommandResult> action) {
    return withApplication(application, action, result -> result);
  }

  /**
   * Runs {@code action} on {@code application}'s entry under its lock (rendering first when
   * nothing is rendered yet); an unknown application is answered by {@code unknown} of the result
   * that names the known ones.
   */
  <T> T withApplication(
      String application,
      Function<ApplicationEntry, T> action,
      Function<CommandResult, T> unknown) {
    if (entries.isEmpty()) {
      snapshots.refreshAll(false);
    }
    ApplicationEntry entry = entries.get(application);
    if (entry == null || entry.rendered == null) {
      return unknown.apply(
          CommandResult.of(
              CommandResult.Status.BAD_INPUT,
              "no application named '"
                  + application
                  + "'; known: "
                  + String.join(", ", entries.keySet().stream().sorted().toList())));
    }
    entry.lock.lock();
    try {
      return action.apply(entry);
    } finally {
      entry.lock.unlock();
    }
  }

  /**
   * The order applications are synced in: those that create Namespaces first, so that the others
   * find them; then by name.
   */
  List<ApplicationEntry> inSyncOrder() {
    List<ApplicationEntry> ordered = new ArrayList<>(sortedEntries());
    ordered.sort(
        java.util.Comparator.comparing(
            (ApplicationEntry e) ->
                e.compared == null
                    || e.compared.resources().keySet().stream()
                        .noneMatch(k -> k.group().isEmpty() && k.kind().equals("Namespace"))));
    return ordered;
  }

  /**
   * How bad a status is, in the order of DESIGN.md's exit codes (0, 1, 2, 3): the worst of many
   * results is the one a command of many answers with.
   */
  static int severity(CommandResult.Status status) {
    return switch (status) {
      case OK -> 0;
      case REFUSED -> 1;
      case FAILED -> 2;
      case BAD_INPUT -> 3;
      case UNREACHABLE -> 4;
    };
  }

  List<ApplicationEntry> sortedEntries() {
    return entries.values().stream()
        .filter(e -> e.rendered != null)
        .sorted(java.util.Comparator.comparing(e -> e.rendered.name()))
        .toList();
  }

  static CommandResult.Status status(SyncResult result) {
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

  // ------------------------------------------------------------------------------------------
  // Closing

  List<String> closeAndReleaseLeases(Duration drain) {
    close();
    try {
      workers.awaitTermination(drain.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> lines = new ArrayList<>();
    for (ApplicationEntry entry : sortedEntries()) {
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

  void close() {
    // first: the other replicas take this one's applications at once, not after the Leases expire
    sharding.close();
    closed = true;
    automation.stop();
    rollouts.close();
    // others see at once that this console no longer drives its applications
    announcements.close();
    drivers.close();
    if (gateway.status().isReachable()) {
      // a one-shot command's events must reach the cluster before the process ends
      events.flush();
    }
    workers.shutdown();
    fanout.close();
  }
}
