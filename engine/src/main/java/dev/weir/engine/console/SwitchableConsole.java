package dev.weir.engine.console;

import java.time.Instant;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Console} whose kubeconfig context an SRE can switch at run time, without restarting
 * the face that shows it (docs/decisions/0008-context-switch.md).
 *
 * <p>Design note. Everything a console holds belongs to one cluster: the reconciler, the informers,
 * the rollout executor, each application's comparison, backoff and kept state. So a switch does not
 * rewire a console; it retires the console of the old context and opens one on the new context:
 *
 * <ol>
 *   <li>the new context is resolved and its gateway made ({@link Connector}); an unknown or
 *       unusable context ends the switch here with one line, and the current context keeps
 *       working;
 *   <li>a console is opened on the new gateway and becomes {@link #console()}: from then on
 *       commands go to the new context;
 *   <li>the old console is closed — its informers and timers stop — its running commands are given
 *       {@code drain} to end, and every application Lease its holder still holds on the old
 *       cluster is given up ({@link Console#closeAndReleaseLeases}); then the old gateway is closed;
 *   <li>the new console refreshes, or starts watching when the old one was ({@link #start()}), and
 *       publishes snapshots whose {@link ConsoleSnapshot#cluster()} names the new context and
 *       server.
 * </ol>
 *
 * Snapshot and event listeners subscribe here once and follow every switch; a snapshot of a retired
 * console is never passed on.
 *
 * <p>Thread-safe. Switches run one at a time on a virtual thread; a command sent to the console
 * being retired answers {@code REFUSED} ("the console is closed").
 */
public final class SwitchableConsole implements ConsoleApi {

  /** Makes a gateway for a context (null: the kubeconfig's current one). */
  @FunctionalInterface
  public interface Connector {
    /**
     * @throws ClusterException {@code CONFIGURATION} when the context is unknown or unusable
     */
    ClusterGateway connect(String context);

    /** The contexts a switch may name, for the snapshot's header; none when unknown. */
    default List<String> contexts() {
      return List.of();
    }
  }

  private record Bound(ClusterGateway gateway, Console console) {}

  private final Connector connector;
  private final Function<ClusterGateway, Console> consoles;
  private final EngineClock clock;
  private final Duration drain;
  private final SnapshotFanout snapshots = new SnapshotFanout();
  private final AtomicLong versions = new AtomicLong();
  private final List<Consumer<ConsoleEvent>> eventListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService switches = Executors.newVirtualThreadPerTaskExecutor();
  private final ReentrantLock switching = new ReentrantLock();
  private volatile Bound current;
  private volatile List<String> contexts;
  private volatile boolean watching;
  private volatile boolean closed;

  private SwitchableConsole(
      Connector connector,
      Function<ClusterGateway, Console> consoles,
      EngineClock clock,
      Duration drain,
      Bound first) {
    this.connector = connector;
    this.consoles = consoles;
    this.clock = clock;
    this.drain = drain;
    this.current = first;
    this.contexts = connector.contexts();
    follow(first);
  }

  /**
   * A console on {@code context} (null: the current one) of the gateways {@code connector} makes,
   * each console opened by {@code consoles} (with the metric provider, telemetry and options the
   * caller wants).
   *
   * @param drain how long a switch waits for the old console's running commands
   * @throws ClusterException {@code CONFIGURATION} when {@code context} cannot be used
   */
  public static SwitchableConsole open(
      Connector connector,
      Function<ClusterGateway, Console> consoles,
      String context,
      EngineClock clock,
      Duration drain) {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(consoles, "consoles");
    ClusterGateway gateway = connector.connect(context);
    Console console;
    try {
      console = consoles.apply(gateway);
    } catch (RuntimeException e) {
      gateway.close();
      throw e;
    }
    return new SwitchableConsole(connector, consoles, clock, drain, new Bound(gateway, console));
  }

  /**
   * A console over {@code git} and the clusters of {@code kubeconfig}, which is read again at every
   * switch (as kubectl reads it at every run), so a context added meanwhile can be switched to.
   * Switches wait for running commands at most one Lease duration (a Lease left behind expires by
   * then anyway).
   */
  public static SwitchableConsole open(
      GitSource git,
      Kubeconfig kubeconfig,
      String context,
      EngineClock clock,
      Console.Options options,
      KubeClusterGateway.Options gatewayOptions) {
    Connector connector =
        new Connector() {
          @Override
          public ClusterGateway connect(String name) {
            return KubeClusterGateway.connect(
                Kubeconfig.fromFiles(kubeconfig.files()), name, clock, gatewayOptions);
          }

          @Override
          public List<String> contexts() {
            try {
              return Kubeconfig.fromFiles(kubeconfig.files()).contexts();
            } catch (RuntimeException e) {
              return kubeconfig.contexts();
            }
          }
        };
    return open(
        connector,
        gateway -> Console.open(git, gateway, clock, options),
        context,
        clock,
        options.reconcile().leaseDuration());
  }

  /** The console of the current context; commands go here. */
  public Console console() {
    return current.console();
  }

  /** The current context's name. */
  public String context() {
    return current.gateway().context();
  }

  /** The current context's gateway. */
  public ClusterGateway gateway() {
    return current.gateway();
  }

  /** The current console's state, made now, numbered after every snapshot before it. */
  @Override
  public ConsoleSnapshot snapshot() {
    return header(current.console().snapshot());
  }

  /**
   * Calls {@code listener} with the latest snapshot, then every snapshot the current console
   * publishes, across switches, numbered so that versions only increase; isolated as {@link
   * ConsoleApi#subscribe} says. Returns what unsubscribes.
   */
  @Override
  public Subscription subscribe(Consumer<ConsoleSnapshot> listener) {
    return snapshots.subscribe(listener);
  }

  /** Calls {@code listener} with every event of the current console, and with each switch. */
  @Override
  public Subscription onEvent(Consumer<ConsoleEvent> listener) {
    eventListeners.add(listener);
    return () -> eventListeners.remove(listener);
  }

  /**
   * {@code snapshot} with this façade's version and the connector's contexts (as read at opening
   * and at the latest switch: no file is read on the clock's thread).
   */
  private ConsoleSnapshot header(ConsoleSnapshot snapshot) {
    List<String> contexts = this.contexts;
    ConsoleSnapshot numbered = snapshot.withVersion(versions.incrementAndGet());
    return contexts.isEmpty() ? numbered : numbered.withContexts(contexts);
  }

  /** Watch mode ({@link Console#start()}), kept across switches. */
  @Override
  public CompletableFuture<CommandResult> start() {
    switching.lock();
    try {
      watching = true;
      return current.console().start();
    } finally {
      switching.unlock();
    }
  }

  /**
   * Switches to {@code context}. Answers {@code BAD_INPUT} with one line, the current context
   * untouched, when the context is unknown or unusable; otherwise the new console's first refresh
   * (its status: {@code UNREACHABLE} when the new cluster does not answer, though the switch is
   * done), with one detail line per Lease given up on the old cluster.
   */
  @Override
  public CompletableFuture<CommandResult> switchContext(String context) {
    if (closed) {
      return CompletableFuture.completedFuture(
          CommandResult.of(CommandResult.Status.REFUSED, "the console is closed"));
    }
    return CompletableFuture.supplyAsync(() -> doSwitch(context), switches);
  }

  private CommandResult doSwitch(String context) {
    switching.lock();
    try {
      if (closed) {
        return CommandResult.of(CommandResult.Status.REFUSED, "the console is closed");
      }
      Bound old = current;
      if (context != null && context.equals(old.gateway().context())) {
        return CommandResult.ok("already on context " + context);
      }
      ClusterGateway gateway;
      try {
        gateway = connector.connect(context);
      } catch (ClusterException e) {
        return CommandResult.of(
            CommandResult.Status.BAD_INPUT,
            e.getMessage() + "; still on context " + old.gateway().context());
      }
      Console console;
      try {
        console = consoles.apply(gateway);
      } catch (RuntimeException e) {
        gateway.close();
        return CommandResult.of(
            CommandResult.Status.FAILED,
            "cannot open a console on context "
                + gateway.context()
                + ": "
                + e.getMessage()
                + "; still on context "
                + old.gateway().context());
      }
      Bound next = new Bound(gateway, console);
      contexts = connector.contexts(); // the kubeconfig as read for this switch
      current = next;
      follow(next);
      List<String> details = new ArrayList<>(retire(old));
      String switched =
          "switched from context "
              + old.gateway().context()
              + " to "
              + gateway.context()
              + " ("
              + gateway.status().server()
              + ")";
      ConsoleEvent event = new ConsoleEvent(clock.instant(), "", switched);
      eventListeners.forEach(l -> l.accept(event));
      CommandResult first = (watching ? console.start() : console.refresh()).join();
      details.add(first.message());
      return new CommandResult(first.status(), switched + ": " + first.message(), details);
    } finally {
      switching.unlock();
    }
  }

  /** Passes on what {@code bound}'s console publishes while it is the current one. */
  private void follow(Bound bound) {
    bound
        .console()
        .subscribeOnClockThread(
            snapshot -> {
              if (current == bound) {
                snapshots.publish(header(snapshot));
              }
            });
    bound
        .console()
        .onEvent(
            event -> {
              if (current == bound) {
                eventListeners.forEach(l -> l.accept(event));
              }
            });
  }

  private List<String> retire(Bound old) {
    List<String> lines;
    try {
      lines = old.console().closeAndReleaseLeases(drain);
    } finally {
      old.gateway().close();
    }
    return lines;
  }

  /** Closes the current console (giving up its Leases) and its gateway. */
  @Override
  public void close() {
    switching.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      retire(current);
    } finally {
      switching.unlock();
      switches.shutdown();
      snapshots.close();
    }
  }

  // --- the current console's commands that its own methods above do not cover

  @Override
  public CompletableFuture<CommandResult> syncAll(Console.SyncOptions sync, Consumer<CommandResult> each) {
    return current.console().syncAll(sync, each);
  }

  @Override
  public CompletableFuture<CommandResult> backportAll(String application, boolean push, Consumer<CommandResult> each) {
    return current.console().backportAll(application, push, each);
  }

  @Override
  public CompletableFuture<CommandResult> backportResource(String application, String resource, boolean push) {
    return current.console().backportResource(application, resource, push);
  }

  @Override
  public CompletableFuture<CommandResult> hotfixField(String application, String resource, String field, String reason, Duration duration) {
    return current.console().hotfixField(application, resource, field, reason, duration);
  }

  @Override
  public CompletableFuture<CommandResult> endHotfixes(String application, String resource) {
    return current.console().endHotfixes(application, resource);
  }

  @Override
  public CompletableFuture<ApplicationHistory> history(String application, int max) {
    return current.console().history(application, max);
  }

  @Override
  public CompletableFuture<CommandResult> conclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return current.console().conclude(application, conclusion, reason);
  }

  @Override
  public CompletableFuture<Preview> previewConclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return current.console().previewConclude(application, conclusion, reason);
  }

  @Override
  public CompletableFuture<RevisionDiff> diffRevisions(String application, String from, String to) {
    return current.console().diffRevisions(application, from, to);
  }

  @Override
  public CompletableFuture<FlagAnswer> evaluateFlag(
      String application, String flag, java.util.Map<String, Object> context) {
    return current.console().evaluateFlag(application, flag, context);
  }

  @Override
  public CompletableFuture<CommandResult> setFlag(
      String application, String flag, dev.weir.engine.model.FlagChange change, String reason, boolean push) {
    return current.console().setFlag(application, flag, change, reason, push);
  }

  @Override
  public CompletableFuture<Preview> previewSetFlag(
      String application, String flag, dev.weir.engine.model.FlagChange change, String reason, boolean push) {
    return current.console().previewSetFlag(application, flag, change, reason, push);
  }

  @Override
  public CompletableFuture<Preview> previewSync(String application, Console.SyncOptions sync) {
    return current.console().previewSync(application, sync);
  }

  @Override
  public CompletableFuture<Preview> previewSyncAll(Console.SyncOptions sync) {
    return current.console().previewSyncAll(sync);
  }

  @Override
  public CompletableFuture<Preview> previewPrune(String application) {
    return current.console().previewPrune(application);
  }

  @Override
  public CompletableFuture<Preview> previewRollback(String application, String revision, String reason, boolean push) {
    return current.console().previewRollback(application, revision, reason, push);
  }

  @Override
  public CompletableFuture<Preview> previewBackport(String application, String resource, boolean push) {
    return current.console().previewBackport(application, resource, push);
  }

  @Override
  public CompletableFuture<Preview> previewBackportAll(String application, boolean push) {
    return current.console().previewBackportAll(application, push);
  }

  @Override
  public CompletableFuture<Preview> previewAbort(String application, Optional<String> rollout) {
    return current.console().previewAbort(application, rollout);
  }

  @Override
  public CompletableFuture<Preview> previewHotfixField(
      String application, String resource, String field, String reason, Duration duration) {
    return current.console().previewHotfixField(application, resource, field, reason, duration);
  }

  @Override
  public CompletableFuture<Preview> previewSetWeight(String application, Optional<String> rollout, int weight) {
    return current.console().previewSetWeight(application, rollout, weight);
  }

  @Override
  public List<ConsoleEvent> timeline(Optional<String> application, java.time.Instant since) {
    return current.console().timeline(application, since);
  }

  @Override
  public RolloutReport rolloutReport(String application, Optional<String> rollout) {
    return current.console().rolloutReport(application, rollout);
  }

  @Override
  public String toString() {
    return "SwitchableConsole[" + context() + "]";
  }

  // ------------------------------------------------------------------------------------------
  // Commands, sent to the current context's console

  @Override
  public CompletableFuture<CommandResult> refresh() {
    return console().refresh();
  }

  @Override
  public CompletableFuture<CommandResult> sync(String application, Console.SyncOptions sync) {
    return console().sync(application, sync);
  }

  @Override
  public CompletableFuture<CommandResult> syncDryRun(String application, Console.SyncOptions sync) {
    return console().syncDryRun(application, sync);
  }

  @Override
  public CompletableFuture<CommandResult> freeze(
      String application, String reason, Duration duration) {
    return console().freeze(application, reason, duration);
  }

  @Override
  public CompletableFuture<CommandResult> unfreeze(String application) {
    return console().unfreeze(application);
  }

  @Override
  public CompletableFuture<CommandResult> hotfix(
      String application, ResourceKey key, String pointer, String reason, Duration duration) {
    return console().hotfix(application, key, pointer, reason, duration);
  }

  @Override
  public CompletableFuture<CommandResult> backport(
      String application, ResourceKey key, boolean push) {
    return console().backport(application, key, push);
  }

  @Override
  public CompletableFuture<CommandResult> endHotfix(String application, ResourceKey key) {
    return console().endHotfix(application, key);
  }

  @Override
  public CompletableFuture<CommandResult> rollback(
      String application, String revision, String reason, boolean push) {
    return console().rollback(application, revision, reason, push);
  }

  @Override
  public CompletableFuture<CommandResult> unpin(String application) {
    return console().unpin(application);
  }

  @Override
  public CompletableFuture<CommandResult> reconcileOnce() {
    return console().reconcileOnce();
  }

  @Override
  public CompletableFuture<CommandResult> promote(
      String application, Optional<String> rollout, String why) {
    return console().promote(application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> promoteFull(
      String application, Optional<String> rollout, String why) {
    return console().promoteFull(application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> pause(
      String application, Optional<String> rollout, String why) {
    return console().pause(application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> resume(
      String application, Optional<String> rollout, String why) {
    return console().resume(application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> abort(
      String application, Optional<String> rollout, String why) {
    return console().abort(application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> retry(
      String application, Optional<String> rollout, String why) {
    return console().retry(application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> setWeight(
      String application, Optional<String> rollout, int weight, String why) {
    return console().setWeight(application, rollout, weight, why);
  }
}
