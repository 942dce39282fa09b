package dev.weir.engine.console;

import java.time.Instant;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.ConsoleSnapshot.Loading;
import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.time.EngineClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A console that is being opened: {@link #open} returns it at once, and a face subscribes to it
 * before Git is cloned or fetched and the cluster connected.
 *
 * <p>Design note. Opening runs on a virtual thread of its own, step by step ({@link Steps}). Each
 * step publishes a snapshot marked {@link ConsoleSnapshot#loading() loading} with what it is doing
 * ({@code cloning https://git.example.com/shop.git}, {@code connecting to context prod-eu},
 * {@code reading applications}); a subscriber is handed the latest one at once. When the console
 * is open, its snapshots are passed on, and commands go to it; commands sent before are run once it
 * is open. Every snapshot is numbered here, so versions only increase from the first loading
 * snapshot on, whatever the console underneath numbers. When opening fails, a last snapshot says
 * why ({@link Loading.Stage#FAILED}) and every command answers with that reason ({@code
 * UNREACHABLE} for a remote or cluster that does not answer, {@code BAD_INPUT} for an unknown
 * context or repository, {@code FAILED} otherwise).
 *
 * <p>Thread-safe. Listeners are isolated as {@link ConsoleApi#subscribe} says.
 */
public final class ConsoleOpening implements ConsoleApi {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleOpening.class);

  /** What opening reports and hands over; given to an {@link Opener}. */
  public interface Steps {
    /** Publishes a loading snapshot: opening is now at {@code stage}, doing {@code message}. */
    void stage(Loading.Stage stage, String message);

    /** Closes {@code resource} after the console, when this console is closed. */
    <T extends AutoCloseable> T own(T resource);
  }

  /** Opens the console, reporting each step; may block for as long as Git and the cluster take. */
  @FunctionalInterface
  public interface Opener {
    ConsoleApi open(Steps steps);
  }

  private final EngineClock clock;
  private final String repository;
  private final String branch;
  private final String context;
  private final List<String> contexts;
  private final SnapshotFanout snapshots = new SnapshotFanout();
  private final List<Consumer<ConsoleEvent>> eventListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong versions = new AtomicLong();
  private final CompletableFuture<ConsoleApi> ready = new CompletableFuture<>();
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private volatile ConsoleSnapshot loading;
  private volatile boolean closed;

  private ConsoleOpening(
      EngineClock clock, String repository, String branch, String context, List<String> contexts) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.repository = repository == null ? "" : repository;
    this.branch = branch == null ? "" : branch;
    this.context = context == null ? "" : context;
    this.contexts = List.copyOf(contexts);
  }

  /**
   * Starts {@code opener} on a virtual thread and returns at once; the first loading snapshot
   * ({@code first}, {@code message}) is published before this returns.
   *
   * @param repository the repository URL for the header (no user info), "" when unknown
   * @param branch the branch for the header, "" when unknown yet
   * @param context the context being connected to, for the header
   * @param contexts the kubeconfig's contexts, for the header
   */
  public static ConsoleOpening open(
      Opener opener,
      EngineClock clock,
      String repository,
      String branch,
      String context,
      List<String> contexts,
      Loading.Stage first,
      String message) {
    ConsoleOpening opening = new ConsoleOpening(clock, repository, branch, context, contexts);
    opening.stage(first, message);
    Thread.ofVirtual().name("weir-console-opening").start(() -> opening.run(opener));
    return opening;
  }

  /**
   * Opens a {@link SwitchableConsole} over {@code spec} and the clusters of {@code kubeconfig}:
   * clones or fetches the repository, connects to {@code context} (null: the current one), then
   * refreshes, or starts watch mode when {@code watch}. Returns at once.
   */
  public static ConsoleOpening open(
      WorkspaceSpec spec,
      GitSettings settings,
      Kubeconfig kubeconfig,
      String context,
      EngineClock clock,
      Console.Options options,
      KubeClusterGateway.Options gatewayOptions,
      boolean watch) {
    return open(
        opener(spec, settings, kubeconfig, context, clock, options, gatewayOptions, watch),
        spec,
        settings,
        kubeconfig,
        context,
        clock);
  }

  /**
   * Starts {@code opener} (made by {@link #opener}, or one around it) with the header and first
   * loading step of {@code spec} and {@code context}: {@code cloning URL}, or {@code fetching URL}
   * when the cache has a clone. Returns at once.
   */
  public static ConsoleOpening open(
      Opener opener,
      WorkspaceSpec spec,
      GitSettings settings,
      Kubeconfig kubeconfig,
      String context,
      EngineClock clock) {
    String url = JGitSource.displayUrl(spec);
    boolean cached = JGitSource.cached(spec, settings);
    return open(
        opener,
        clock,
        url,
        spec.ref() == null ? "" : spec.ref(),
        contextName(kubeconfig, context),
        kubeconfig.contexts(),
        cached ? Loading.Stage.FETCHING : Loading.Stage.CLONING,
        (cached ? "fetching " : "cloning ") + url);
  }

  /** The steps of opening a {@link SwitchableConsole} over {@code spec} and {@code kubeconfig}. */
  public static Opener opener(
      WorkspaceSpec spec,
      GitSettings settings,
      Kubeconfig kubeconfig,
      String context,
      EngineClock clock,
      Console.Options options,
      KubeClusterGateway.Options gatewayOptions,
      boolean watch) {
    String url = JGitSource.displayUrl(spec);
    String connecting = contextName(kubeconfig, context);
    return steps -> {
      GitSource git = steps.own(JGitSource.open(spec, settings, clock));
      steps.stage(Loading.Stage.CONNECTING, "connecting to context " + connecting);
      SwitchableConsole console =
          SwitchableConsole.open(git, kubeconfig, context, clock, options, gatewayOptions);
      steps.stage(Loading.Stage.READING, "reading the applications of " + url);
      CommandResult first = (watch ? console.start() : console.refresh()).join();
      if (first.status() == CommandResult.Status.UNREACHABLE) {
        LOG.info("console opened on an unreachable cluster: {}", first.message());
      }
      return console;
    };
  }

  private static String contextName(Kubeconfig kubeconfig, String context) {
    try {
      return kubeconfig.resolveContext(context);
    } catch (ClusterException e) {
      return context == null ? "" : context;
    }
  }

  private void run(Opener opener) {
    Steps steps =
        new Steps() {
          @Override
          public void stage(Loading.Stage stage, String message) {
            ConsoleOpening.this.stage(stage, message);
          }

          @Override
          public <T extends AutoCloseable> T own(T resource) {
            synchronized (owned) {
              owned.push(resource);
            }
            return resource;
          }
        };
    ConsoleApi console;
    try {
      console = opener.open(steps);
    } catch (RuntimeException e) {
      if (!closed) { // once closed, nobody waits for it any more
        LOG.warn("could not open the console: {}", e.getMessage());
      }
      stage(Loading.Stage.FAILED, String.valueOf(e.getMessage()));
      closeOwned();
      ready.completeExceptionally(e);
      return;
    }
    synchronized (this) {
      if (closed) {
        console.close();
        closeOwned();
        ready.completeExceptionally(new IllegalStateException("the console is closed"));
        return;
      }
      console.onEvent(event -> eventListeners.forEach(l -> l.accept(event)));
      console.subscribe(snapshot -> snapshots.publish(numbered(snapshot)));
      snapshots.publish(numbered(console.snapshot()));
      ready.complete(console);
    }
  }

  private void stage(Loading.Stage stage, String message) {
    ConsoleSnapshot snapshot =
        new ConsoleSnapshot(
            versions.incrementAndGet(),
            clock.instant(),
            Optional.empty(),
            ClusterStatus.reachable(context, ""),
            List.of(),
            List.of(),
            Optional.of(new Loading(stage, message)),
            repository,
            branch,
            contexts.isEmpty() && !context.isEmpty() ? List.of(context) : contexts,
            Optional.empty());
    loading = snapshot;
    snapshots.publish(snapshot);
  }

  private ConsoleSnapshot numbered(ConsoleSnapshot snapshot) {
    ConsoleSnapshot out = snapshot.withVersion(versions.incrementAndGet());
    return out.contexts().size() <= 1 && contexts.size() > 1 ? out.withContexts(contexts) : out;
  }

  /** The console once it is open; fails with why it could not be opened. */
  public CompletableFuture<ConsoleApi> ready() {
    return ready.copy();
  }

  @Override
  public ConsoleSnapshot snapshot() {
    if (!ready.isDone() || ready.isCompletedExceptionally()) {
      return loading; // getNow would throw once opening has failed
    }
    return numbered(ready.join().snapshot());
  }

  @Override
  public Subscription subscribe(Consumer<ConsoleSnapshot> listener) {
    return snapshots.subscribe(listener);
  }

  @Override
  public Subscription onEvent(Consumer<ConsoleEvent> listener) {
    eventListeners.add(listener);
    return () -> eventListeners.remove(listener);
  }

  /** The console when it is open; null while opening or after opening failed. */
  private ConsoleApi opened() {
    return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
  }

  /** {@code command} on the console once it is open; {@code otherwise} with the reason not. */
  private <T> CompletableFuture<T> whenOpen(
      Function<ConsoleApi, CompletableFuture<T>> command, Function<CommandResult, T> otherwise) {
    if (closed) {
      return CompletableFuture.completedFuture(
          otherwise.apply(CommandResult.of(CommandResult.Status.REFUSED, "the console is closed")));
    }
    return ready.handle(
            (console, failure) ->
                failure == null
                    ? command.apply(console)
                    : CompletableFuture.completedFuture(otherwise.apply(notOpened(failure))))
        .thenCompose(Function.identity());
  }

  /** {@code command} on the console once it is open; the reason it is not, otherwise. */
  private CompletableFuture<CommandResult> when(
      Function<ConsoleApi, CompletableFuture<CommandResult>> command) {
    if (closed) {
      return CompletableFuture.completedFuture(
          CommandResult.of(CommandResult.Status.REFUSED, "the console is closed"));
    }
    return ready.handle(
            (console, failure) ->
                failure == null
                    ? command.apply(console)
                    : CompletableFuture.completedFuture(notOpened(failure)))
        .thenCompose(Function.identity());
  }

  private static CommandResult notOpened(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String message = "the console could not be opened: " + cause.getMessage();
    CommandResult.Status status =
        switch (cause) {
          case GitException g when g.error().reason() == dev.weir.engine.git.GitError.Reason.UNREACHABLE ->
              CommandResult.Status.UNREACHABLE;
          case GitException g when g.error().reason() == dev.weir.engine.git.GitError.Reason.NOT_FOUND ->
              CommandResult.Status.BAD_INPUT;
          case ClusterException c when c.error().unreachable() -> CommandResult.Status.UNREACHABLE;
          case ClusterException c
              when c.error().reason() == dev.weir.engine.cluster.ClusterError.Reason.CONFIGURATION ->
              CommandResult.Status.BAD_INPUT;
          case IllegalStateException i -> CommandResult.Status.REFUSED;
          default -> CommandResult.Status.FAILED;
        };
    return CommandResult.of(status, message);
  }

  @Override
  public CompletableFuture<CommandResult> refresh() {
    return when(ConsoleApi::refresh);
  }

  @Override
  public CompletableFuture<CommandResult> sync(String application, Console.SyncOptions sync) {
    return when(c -> c.sync(application, sync));
  }

  @Override
  public CompletableFuture<CommandResult> syncDryRun(String application, Console.SyncOptions sync) {
    return when(c -> c.syncDryRun(application, sync));
  }

  @Override
  public CompletableFuture<CommandResult> freeze(
      String application, String reason, Duration duration) {
    return when(c -> c.freeze(application, reason, duration));
  }

  @Override
  public CompletableFuture<CommandResult> unfreeze(String application) {
    return when(c -> c.unfreeze(application));
  }

  @Override
  public CompletableFuture<CommandResult> hotfix(
      String application, ResourceKey key, String pointer, String reason, Duration duration) {
    return when(c -> c.hotfix(application, key, pointer, reason, duration));
  }

  @Override
  public CompletableFuture<CommandResult> backport(
      String application, ResourceKey key, boolean push) {
    return when(c -> c.backport(application, key, push));
  }

  @Override
  public CompletableFuture<CommandResult> endHotfix(String application, ResourceKey key) {
    return when(c -> c.endHotfix(application, key));
  }

  @Override
  public CompletableFuture<CommandResult> rollback(
      String application, String revision, String reason, boolean push) {
    return when(c -> c.rollback(application, revision, reason, push));
  }

  @Override
  public CompletableFuture<CommandResult> unpin(String application) {
    return when(c -> c.unpin(application));
  }

  @Override
  public CompletableFuture<CommandResult> reconcileOnce() {
    return when(ConsoleApi::reconcileOnce);
  }

  @Override
  public CompletableFuture<CommandResult> start() {
    return when(ConsoleApi::start);
  }

  @Override
  public CompletableFuture<CommandResult> promote(
      String application, Optional<String> rollout, String why) {
    return when(c -> c.promote(application, rollout, why));
  }

  @Override
  public CompletableFuture<CommandResult> promoteFull(
      String application, Optional<String> rollout, String why) {
    return when(c -> c.promoteFull(application, rollout, why));
  }

  @Override
  public CompletableFuture<CommandResult> pause(
      String application, Optional<String> rollout, String why) {
    return when(c -> c.pause(application, rollout, why));
  }

  @Override
  public CompletableFuture<CommandResult> resume(
      String application, Optional<String> rollout, String why) {
    return when(c -> c.resume(application, rollout, why));
  }

  @Override
  public CompletableFuture<CommandResult> abort(
      String application, Optional<String> rollout, String why) {
    return when(c -> c.abort(application, rollout, why));
  }

  @Override
  public CompletableFuture<CommandResult> retry(
      String application, Optional<String> rollout, String why) {
    return when(c -> c.retry(application, rollout, why));
  }

  @Override
  public CompletableFuture<CommandResult> setWeight(
      String application, Optional<String> rollout, int weight, String why) {
    return when(c -> c.setWeight(application, rollout, weight, why));
  }

  @Override
  public CompletableFuture<CommandResult> syncAll(Console.SyncOptions sync, Consumer<CommandResult> each) {
    return when(c -> c.syncAll(sync, each));
  }

  @Override
  public CompletableFuture<CommandResult> backportAll(String application, boolean push, Consumer<CommandResult> each) {
    return when(c -> c.backportAll(application, push, each));
  }

  @Override
  public CompletableFuture<CommandResult> backportResource(String application, String resource, boolean push) {
    return when(c -> c.backportResource(application, resource, push));
  }

  @Override
  public CompletableFuture<CommandResult> hotfixField(String application, String resource, String field, String reason, Duration duration) {
    return when(c -> c.hotfixField(application, resource, field, reason, duration));
  }

  @Override
  public CompletableFuture<CommandResult> endHotfixes(String application, String resource) {
    return when(c -> c.endHotfixes(application, resource));
  }

  @Override
  public CompletableFuture<ApplicationHistory> history(String application, int max) {
    return whenOpen(c -> c.history(application, max), result -> ApplicationHistory.failed(application, result));
  }

  @Override
  public CompletableFuture<CommandResult> conclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return when(c -> c.conclude(application, conclusion, reason));
  }

  @Override
  public CompletableFuture<Preview> previewConclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return whenOpen(
        c -> c.previewConclude(application, conclusion, reason),
        result -> Preview.refused("Conclude the experiment of " + application, result));
  }

  @Override
  public CompletableFuture<RevisionDiff> diffRevisions(String application, String from, String to) {
    return whenOpen(
        c -> c.diffRevisions(application, from, to),
        result -> RevisionDiff.failed(application, from, to, result));
  }

  @Override
  public CompletableFuture<FlagAnswer> evaluateFlag(
      String application, String flag, java.util.Map<String, Object> context) {
    return whenOpen(
        c -> c.evaluateFlag(application, flag, context),
        result -> FlagAnswer.failed(application, flag, result));
  }

  @Override
  public CompletableFuture<CommandResult> setFlag(
      String application, String flag, dev.weir.engine.model.FlagChange change, String reason, boolean push) {
    return when(c -> c.setFlag(application, flag, change, reason, push));
  }

  @Override
  public CompletableFuture<Preview> previewSetFlag(
      String application, String flag, dev.weir.engine.model.FlagChange change, String reason, boolean push) {
    return whenOpen(
        c -> c.previewSetFlag(application, flag, change, reason, push),
        result -> Preview.refused("Set flag " + flag + " of " + application, result));
  }

  @Override
  public CompletableFuture<CommandResult> switchContext(String context) {
    return when(c -> c.switchContext(context));
  }

  @Override
  public CompletableFuture<Preview> previewSync(String application, Console.SyncOptions sync) {
    return whenOpen(c -> c.previewSync(application, sync), result -> Preview.refused("previewSync", result));
  }

  @Override
  public CompletableFuture<Preview> previewSyncAll(Console.SyncOptions sync) {
    return whenOpen(c -> c.previewSyncAll(sync), result -> Preview.refused("previewSyncAll", result));
  }

  @Override
  public CompletableFuture<Preview> previewPrune(String application) {
    return whenOpen(c -> c.previewPrune(application), result -> Preview.refused("previewPrune", result));
  }

  @Override
  public CompletableFuture<Preview> previewRollback(String application, String revision, String reason, boolean push) {
    return whenOpen(c -> c.previewRollback(application, revision, reason, push), result -> Preview.refused("previewRollback", result));
  }

  @Override
  public CompletableFuture<Preview> previewBackport(String application, String resource, boolean push) {
    return whenOpen(c -> c.previewBackport(application, resource, push), result -> Preview.refused("previewBackport", result));
  }

  @Override
  public CompletableFuture<Preview> previewBackportAll(String application, boolean push) {
    return whenOpen(c -> c.previewBackportAll(application, push), result -> Preview.refused("previewBackportAll", result));
  }

  @Override
  public CompletableFuture<Preview> previewAbort(String application, Optional<String> rollout) {
    return whenOpen(c -> c.previewAbort(application, rollout), result -> Preview.refused("previewAbort", result));
  }

  @Override
  public CompletableFuture<Preview> previewHotfixField(
      String application, String resource, String field, String reason, Duration duration) {
    return whenOpen(
        c -> c.previewHotfixField(application, resource, field, reason, duration),
        result -> Preview.refused("previewHotfixField", result));
  }

  @Override
  public CompletableFuture<Preview> previewSetWeight(String application, Optional<String> rollout, int weight) {
    return whenOpen(c -> c.previewSetWeight(application, rollout, weight), result -> Preview.refused("previewSetWeight", result));
  }

  @Override
  public List<ConsoleEvent> timeline(Optional<String> application, java.time.Instant since) {
    ConsoleApi open = opened();
    return open == null ? List.of() : open.timeline(application, since);
  }

  @Override
  public RolloutReport rolloutReport(String application, Optional<String> rollout) {
    ConsoleApi open = opened();
    return open != null
        ? open.rolloutReport(application, rollout)
        : RolloutReport.problem(
            application, CommandResult.Status.UNREACHABLE, "the console is still being opened");
  }

  /**
   * Closes the console when it is open (and, if opening is still under way, as soon as it is),
   * then what opening made (the Git source).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ConsoleApi console = opened();
    if (console != null) {
      console.close();
      closeOwned();
    }
    snapshots.close();
  }

  private void closeOwned() {
    while (true) {
      AutoCloseable resource;
      synchronized (owned) {
        resource = owned.poll();
      }
      if (resource == null) {
        return;
      }
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("could not close {}: {}", resource, e.getMessage());
      }
    }
  }
}
