package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.console.ConsoleSnapshot.Loading;
import dev.weir.engine.model.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-memory {@link ConsoleApi} for the faces' screen tests: the test sets the snapshots it
 * shows, reads back the commands it was sent, and scripts their results. It keeps the façade's
 * promises (the contract in {@link ConsoleApiContract}): it starts with a loading snapshot,
 * subscribing replays the latest, versions only increase (it numbers whatever it is shown),
 * listeners are isolated as the real console's are, commands sent while loading run once it is
 * {@linkplain #show shown} a loaded snapshot, a command naming an application the shown snapshot
 * lacks answers {@code BAD_INPUT}, and after {@link #close()} commands answer {@code REFUSED}.
 *
 * <pre>{@code
 * FakeConsole console = new FakeConsole();
 * console.show(FakeConsole.loaded(List.of(storefront)));
 * console.script("sync", CommandResult.of(Status.REFUSED, "storefront is frozen"));
 * screen.press('s');
 * assertThat(console.sent()).containsExactly(new Sent("sync", List.of("storefront", plain)));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakeConsole implements ConsoleApi {

  /** A command sent: its name (the method's) and its arguments, in order. */
  public record Sent(String command, List<Object> arguments) {
    public Sent {
      arguments = java.util.Collections.unmodifiableList(new ArrayList<>(arguments));
    }
  }

  /** The time the fake's snapshots carry unless a test says otherwise. */
  public static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

  private final SnapshotFanout snapshots = new SnapshotFanout();
  private final AtomicLong versions = new AtomicLong();
  private final List<Consumer<ConsoleEvent>> eventListeners = new CopyOnWriteArrayList<>();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Function<Sent, CompletableFuture<CommandResult>>>> scripts =
      new HashMap<>();
  private volatile ConsoleSnapshot shown;
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();
  private volatile boolean closed;

  /** A fake showing a loading snapshot ({@code connecting to context fake}). */
  public FakeConsole() {
    this(loading(new Loading(Loading.Stage.CONNECTING, "connecting to context fake")));
  }

  /** A fake showing {@code first} (numbered 1). */
  public FakeConsole(ConsoleSnapshot first) {
    show(first);
  }

  /** A loading snapshot of context {@code fake}. */
  public static ConsoleSnapshot loading(Loading loading) {
    return new ConsoleSnapshot(
        0,
        AT,
        Optional.empty(),
        ClusterStatus.reachable("fake", ""),
        List.of(),
        List.of(),
        Optional.of(loading),
        "https://git.example.com/fake.git",
        "main",
        List.of("fake"),
        Optional.empty());
  }

  /** A loaded snapshot of context {@code fake} showing {@code applications}. */
  public static ConsoleSnapshot loaded(List<ApplicationView> applications) {
    return new ConsoleSnapshot(
        0,
        AT,
        Optional.empty(),
        ClusterStatus.reachable("fake", "https://fake.example.com:6443"),
        applications,
        List.of(),
        Optional.empty(),
        "https://git.example.com/fake.git",
        "main",
        List.of("fake"),
        Optional.empty());
  }

  /** A Synced, Healthy application in namespace {@code name} at revision {@code 3f2a1c9…}. */
  public static ApplicationView application(String name) {
    String revision = "3f2a1c9d0e5b7a8c6d4e2f1a0b9c8d7e6f5a4b3c";
    return new ApplicationView(
        name,
        name,
        revision,
        dev.weir.engine.model.SyncStatus.Synced,
        dev.weir.engine.model.Health.healthy(),
        List.of(),
        new dev.weir.engine.diff.ApplicationDiff(name, revision, List.of(), List.of()),
        "rendered rev 3f2a1c9 (0 resources)",
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        false,
        List.of());
  }

  // --- what the test does

  /**
   * Shows {@code snapshot} (numbered after every snapshot before it, whatever its own version) and
   * publishes it; the first loaded one lets commands sent while loading run.
   */
  public ConsoleSnapshot show(ConsoleSnapshot snapshot) {
    ConsoleSnapshot numbered;
    synchronized (this) {
      numbered = Objects.requireNonNull(snapshot, "snapshot").withVersion(versions.incrementAndGet());
      shown = numbered;
    }
    snapshots.publish(numbered);
    if (!numbered.isLoading()) {
      loaded.complete(null);
    }
    return numbered;
  }

  /** Passes {@code event} to the event listeners. */
  public void emit(ConsoleEvent event) {
    eventListeners.forEach(l -> l.accept(event));
  }

  /** The next {@code command}s answer these results, in order; then the default again. */
  public synchronized FakeConsole script(String command, CommandResult... results) {
    Deque<Function<Sent, CompletableFuture<CommandResult>>> queue =
        scripts.computeIfAbsent(command, c -> new ArrayDeque<>());
    Arrays.stream(results).forEach(r -> queue.add(s -> CompletableFuture.completedFuture(r)));
    return this;
  }

  /**
   * The next {@code command} answers when {@code result} completes (a test holds a command
   * running to see the face's progress state).
   */
  public synchronized FakeConsole script(
      String command, CompletableFuture<CommandResult> result) {
    scripts.computeIfAbsent(command, c -> new ArrayDeque<>()).add(s -> result);
    return this;
  }

  /** Every command sent so far, in order. */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** The names of the commands sent so far, in order. */
  public List<String> commands() {
    return sent.stream().map(Sent::command).toList();
  }

  /** How many listeners are subscribed now. */
  public int listeners() {
    return snapshots.size();
  }

  // --- ConsoleApi

  @Override
  public ConsoleSnapshot snapshot() {
    return shown;
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

  private CompletableFuture<CommandResult> send(String command, Object... arguments) {
    Sent s = new Sent(command, Arrays.asList(arguments));
    sent.add(s);
    if (closed) {
      return CompletableFuture.completedFuture(
          CommandResult.of(CommandResult.Status.REFUSED, "the console is closed"));
    }
    Function<Sent, CompletableFuture<CommandResult>> scripted;
    synchronized (this) {
      Deque<Function<Sent, CompletableFuture<CommandResult>>> queue = scripts.get(command);
      scripted = queue == null ? null : queue.poll();
    }
    return loaded.thenCompose(
        ignored ->
            closed
                ? CompletableFuture.completedFuture(
                    CommandResult.of(CommandResult.Status.REFUSED, "the console is closed"))
                : scripted != null
                    ? scripted.apply(s)
                    : CompletableFuture.completedFuture(defaultResult(s)));
  }

  private CommandResult defaultResult(Sent s) {
    Object first = s.arguments().isEmpty() ? null : s.arguments().getFirst();
    if (first instanceof String application && shown.application(application).isEmpty()) {
      return CommandResult.of(
          CommandResult.Status.BAD_INPUT, "no application named '" + application + "'");
    }
    return CommandResult.ok(s.command() + (first == null ? "" : " " + first) + ": done (fake)");
  }

  @Override
  public CompletableFuture<CommandResult> refresh() {
    return send("refresh");
  }

  @Override
  public CompletableFuture<CommandResult> sync(String application, Console.SyncOptions sync) {
    return send("sync", application, sync);
  }

  @Override
  public CompletableFuture<CommandResult> syncDryRun(String application, Console.SyncOptions sync) {
    return send("syncDryRun", application, sync);
  }

  @Override
  public CompletableFuture<CommandResult> freeze(
      String application, String reason, Duration duration) {
    return send("freeze", application, reason, duration);
  }

  @Override
  public CompletableFuture<CommandResult> unfreeze(String application) {
    return send("unfreeze", application);
  }

  @Override
  public CompletableFuture<CommandResult> hotfix(
      String application, ResourceKey key, String pointer, String reason, Duration duration) {
    return send("hotfix", application, key, pointer, reason, duration);
  }

  @Override
  public CompletableFuture<CommandResult> backport(
      String application, ResourceKey key, boolean push) {
    return send("backport", application, key, push);
  }

  @Override
  public CompletableFuture<CommandResult> endHotfix(String application, ResourceKey key) {
    return send("endHotfix", application, key);
  }

  @Override
  public CompletableFuture<CommandResult> rollback(
      String application, String revision, String reason, boolean push) {
    return send("rollback", application, revision, reason, push);
  }

  @Override
  public CompletableFuture<CommandResult> unpin(String application) {
    return send("unpin", application);
  }

  @Override
  public CompletableFuture<CommandResult> reconcileOnce() {
    return send("reconcileOnce");
  }

  @Override
  public CompletableFuture<CommandResult> start() {
    return send("start");
  }

  @Override
  public CompletableFuture<CommandResult> promote(
      String application, Optional<String> rollout, String why) {
    return send("promote", application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> promoteFull(
      String application, Optional<String> rollout, String why) {
    return send("promoteFull", application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> pause(
      String application, Optional<String> rollout, String why) {
    return send("pause", application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> resume(
      String application, Optional<String> rollout, String why) {
    return send("resume", application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> abort(
      String application, Optional<String> rollout, String why) {
    return send("abort", application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> retry(
      String application, Optional<String> rollout, String why) {
    return send("retry", application, rollout, why);
  }

  @Override
  public CompletableFuture<CommandResult> setWeight(
      String application, Optional<String> rollout, int weight, String why) {
    return send("setWeight", application, rollout, weight, why);
  }

  /** Commands answer REFUSED from now on; listeners are no longer called. */
  @Override
  public CompletableFuture<CommandResult> syncAll(Console.SyncOptions sync, Consumer<CommandResult> each) {
    return send("syncAll", sync, each);
  }

  @Override
  public CompletableFuture<CommandResult> backportAll(String application, boolean push, Consumer<CommandResult> each) {
    return send("backportAll", application, push, each);
  }

  @Override
  public CompletableFuture<CommandResult> backportResource(String application, String resource, boolean push) {
    return send("backportResource", application, resource, push);
  }

  @Override
  public CompletableFuture<CommandResult> hotfixField(String application, String resource, String field, String reason, Duration duration) {
    return send("hotfixField", application, resource, field, reason, duration);
  }

  @Override
  public CompletableFuture<CommandResult> endHotfixes(String application, String resource) {
    return send("endHotfixes", application, resource);
  }

  @Override
  public CompletableFuture<ApplicationHistory> history(String application, int max) {
    return send("history", application, max).thenApply(result -> history(application, result));
  }

  /**
   * Records the switch; unless scripted, a context the shown snapshot lists answers OK and the
   * fake then shows the same snapshot on that context (as {@link SwitchableConsole} publishes the
   * new cluster's), one it does not list answers {@code BAD_INPUT}.
   */
  @Override
  public CompletableFuture<CommandResult> switchContext(String context) {
    boolean scripted;
    synchronized (this) {
      Deque<Function<Sent, CompletableFuture<CommandResult>>> queue = scripts.get("switchContext");
      scripted = queue != null && !queue.isEmpty();
    }
    if (!scripted && !closed) {
      synchronized (this) {
        scripts
            .computeIfAbsent("switchContext", c -> new ArrayDeque<>())
            .add(s -> CompletableFuture.completedFuture(switched(context)));
      }
    }
    return send("switchContext", context);
  }

  private CommandResult switched(String context) {
    ConsoleSnapshot now = shown;
    if (!now.contexts().contains(context)) {
      return CommandResult.of(
          CommandResult.Status.BAD_INPUT, "the kubeconfig has no context '" + context + "'");
    }
    show(onContext(now, context));
    return CommandResult.ok("switched to context " + context);
  }

  /** {@code snapshot} as seen on {@code context} (server {@code https://CONTEXT.example.com}). */
  public static ConsoleSnapshot onContext(ConsoleSnapshot snapshot, String context) {
    return new ConsoleSnapshot(
        snapshot.version(),
        snapshot.at(),
        snapshot.git(),
        ClusterStatus.reachable(context, "https://" + context + ".example.com:6443"),
        snapshot.applications(),
        snapshot.events(),
        snapshot.loading(),
        snapshot.repository(),
        snapshot.branch(),
        snapshot.contexts(),
        snapshot.globalFreeze(),
        snapshot.definitionFailures(),
        snapshot.attention(),
        snapshot.applicationEvents());
  }

  /** Records the question, then answers as every console does ({@link ConsoleApi}'s default). */
  @Override
  public CompletableFuture<Preview> previewSwitchContext(String context) {
    sent.add(new Sent("previewSwitchContext", List.of(context)));
    return ConsoleApi.super.previewSwitchContext(context);
  }

  /** Set with {@link #showDiff}; otherwise why there is none. */
  private final Map<String, RevisionDiff> diffs = new java.util.concurrent.ConcurrentHashMap<>();

  /** What {@link #diffRevisions} answers for {@code diff}'s application (whatever revisions). */
  public FakeConsole showDiff(RevisionDiff diff) {
    diffs.put(diff.application(), diff);
    return this;
  }

  @Override
  public CompletableFuture<CommandResult> conclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return send("conclude", application, conclusion, reason);
  }

  @Override
  public CompletableFuture<Preview> previewConclude(
      String application, ExperimentConclusion conclusion, String reason) {
    return send("previewConclude", application, conclusion, reason)
        .thenApply(result -> preview("previewConclude", result));
  }

  @Override
  public CompletableFuture<CommandResult> setFlag(
      String application,
      String flag,
      dev.weir.engine.model.FlagChange change,
      String reason,
      boolean push) {
    return send("setFlag", application, flag, change, reason, push);
  }

  @Override
  public CompletableFuture<Preview> previewSetFlag(
      String application,
      String flag,
      dev.weir.engine.model.FlagChange change,
      String reason,
      boolean push) {
    return send("previewSetFlag", application, flag, change, reason, push)
        .thenApply(result -> preview("previewSetFlag", result));
  }

  @Override
  public CompletableFuture<RevisionDiff> diffRevisions(String application, String from, String to) {
    return send("diffRevisions", application, from, to)
        .thenApply(
            result -> {
              RevisionDiff shown = diffs.get(application);
              return shown != null && result.ok()
                  ? shown
                  : RevisionDiff.failed(
                      application,
                      from,
                      to,
                      result.ok()
                          ? CommandResult.of(CommandResult.Status.FAILED, "no diff shown (fake)")
                          : result);
            });
  }

  @Override
  public CompletableFuture<Preview> previewSync(String application, Console.SyncOptions sync) {
    return send("previewSync", application, sync).thenApply(result -> preview("previewSync", result));
  }

  @Override
  public CompletableFuture<Preview> previewSyncAll(Console.SyncOptions sync) {
    return send("previewSyncAll", sync).thenApply(result -> preview("previewSyncAll", result));
  }

  @Override
  public CompletableFuture<Preview> previewPrune(String application) {
    return send("previewPrune", application).thenApply(result -> preview("previewPrune", result));
  }

  @Override
  public CompletableFuture<Preview> previewRollback(String application, String revision, String reason, boolean push) {
    return send("previewRollback", application, revision, reason, push).thenApply(result -> preview("previewRollback", result));
  }

  @Override
  public CompletableFuture<Preview> previewBackport(String application, String resource, boolean push) {
    return send("previewBackport", application, resource, push).thenApply(result -> preview("previewBackport", result));
  }

  @Override
  public CompletableFuture<Preview> previewBackportAll(String application, boolean push) {
    return send("previewBackportAll", application, push).thenApply(result -> preview("previewBackportAll", result));
  }

  @Override
  public CompletableFuture<Preview> previewAbort(String application, Optional<String> rollout) {
    return send("previewAbort", application, rollout).thenApply(result -> preview("previewAbort", result));
  }

  @Override
  public CompletableFuture<Preview> previewHotfixField(
      String application, String resource, String field, String reason, Duration duration) {
    return send("previewHotfixField", application, resource, field, reason, duration)
        .thenApply(result -> preview("previewHotfixField", result));
  }

  @Override
  public CompletableFuture<Preview> previewSetWeight(String application, Optional<String> rollout, int weight) {
    return send("previewSetWeight", application, rollout, weight).thenApply(result -> preview("previewSetWeight", result));
  }

  /** A scripted or default result as a preview: its message and details as the lines. */
  private static Preview preview(String command, CommandResult result) {
    if (!result.ok()) {
      return Preview.refused(command, result);
    }
    java.util.List<String> lines = new java.util.ArrayList<>();
    lines.add(result.message());
    lines.addAll(result.details());
    return Preview.of(command, lines, true);
  }

  /** Set with {@link #showHistory}; otherwise none. */
  private final java.util.Map<String, ApplicationHistory> histories = new java.util.concurrent.ConcurrentHashMap<>();

  /** What {@link #history} answers for {@code application}. */
  public FakeConsole showHistory(ApplicationHistory history) {
    histories.put(history.application(), history);
    return this;
  }

  private ApplicationHistory history(String application, CommandResult result) {
    ApplicationHistory shown = histories.get(application);
    return shown != null ? shown : ApplicationHistory.failed(application, result);
  }

  /** Set with {@link #showTimeline}; otherwise the shown snapshot's events. */
  private volatile List<ConsoleEvent> timeline;

  private final List<String> timelineCalls = new CopyOnWriteArrayList<>();

  /** What {@link #timeline} answers from now on (filtered by application and time). */
  public FakeConsole showTimeline(List<ConsoleEvent> events) {
    timeline = List.copyOf(events);
    return this;
  }

  /**
   * The {@link #timeline} calls so far, each {@code APPLICATION@SINCE} ({@code *} for all).
   */
  public List<String> timelineCalls() {
    return List.copyOf(timelineCalls);
  }

  @Override
  public List<ConsoleEvent> timeline(Optional<String> application, java.time.Instant since) {
    timelineCalls.add(application.orElse("*") + "@" + since);
    List<ConsoleEvent> events = timeline != null ? timeline : shown.events();
    return events.stream()
        .filter(e -> application.isEmpty() || application.get().equals(e.application()))
        .filter(e -> !e.at().isBefore(since))
        .toList();
  }

  @Override
  public RolloutReport rolloutReport(String application, Optional<String> rollout) {
    return shown.application(application)
        .map(a -> RolloutReport.of(a, List.of(), rollout))
        .orElse(
            RolloutReport.problem(
                application, CommandResult.Status.BAD_INPUT, "no application named '" + application + "'"));
  }

  @Override
  public void close() {
    closed = true;
    snapshots.close();
    loaded.complete(null);
  }
}
