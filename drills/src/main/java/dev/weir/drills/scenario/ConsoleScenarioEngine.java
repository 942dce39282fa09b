package dev.weir.drills.scenario;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.FlagChange;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.drills.SampleCluster;
import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.drills.ScratchSandbox;
import dev.weir.engine.git.GitException;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The engine for a drill: the {@link Console} over a copy of the sample repository and the scratch
 * sandbox, reached through its kubeconfig like any cluster, on the drill's clock. Drift is what the
 * console's comparison finds; a reconcile of an application whose policy is automated is the
 * console's sync of it. The console drives rollouts with the sandbox's metrics.
 *
 * <p>Design note. The console runs as {@code weir reconcile --watch} does, with polling in place
 * of informers, so that all its work is clock tasks run one after the other (an informer's watch
 * events arrive on other threads, whenever the machine gets to them): every {@link #LIVE_POLL},
 * when the cluster changed since the last pass ({@code changes}, the API server's resourceVersion
 * counter, says so), the engine takes each rollout's pass, as an informer's event about a pod
 * would make it do a second later; every {@code refreshInterval} it fetches Git and compares
 * every application, as watch mode's Git polling does. Rollout passes, analysis measurements and
 * event records run on the calling thread (a direct executor), and console commands are waited
 * for, so each task is done when it returns.
 *
 * <p>It lives with the drills, not in the apps: it wires the engine's Git source, cluster gateway
 * and metric provider together, which the apps leave to the engine (they import only its
 * console and model packages).
 */
public final class ConsoleScenarioEngine implements ScenarioEngine, AutoCloseable {
  /** How soon the engine sees a change of the cluster: as an informer's event, a second later. */
  static final Duration LIVE_POLL = Duration.ofSeconds(1);

  private final GitSource git;
  private final KubeClusterGateway gateway;
  private final Console console;
  private final EngineClock clock;
  private final Duration refreshInterval;
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
  private final EngineClock.Scheduled polling;
  private final EngineClock.Scheduled first;
  private final LongSupplier changes;
  private Instant nextRefresh;
  private long seen = Long.MIN_VALUE;

  private ConsoleScenarioEngine(GitSource git, KubeClusterGateway gateway, Console console, EngineClock clock,
      Duration refreshInterval, LongSupplier changes) {
    this.git = git;
    this.changes = changes;
    this.gateway = gateway;
    this.console = console;
    this.clock = clock;
    this.refreshInterval = refreshInterval;
    this.nextRefresh = clock.instant();
    console.onEvent(this::consoleEvent);
    this.first = clock.schedule(Duration.ZERO, this::pass);
    this.polling = clock.every(LIVE_POLL, this::pass);
  }

  /**
   * Opens the console over {@code repository} and the sandbox of {@code kubeconfig}, on {@code
   * clock}; its first pass is the clock's first task.
   *
   * @param changes a number that moves whenever the sandbox's objects change (its resourceVersion)
   */
  static ConsoleScenarioEngine open(Path repository, Path kubeconfig, GitSettings settings, String user,
      EngineClock clock, LongSupplier changes) throws ClusterException {
    GitSource git = JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock);
    try {
      KubeClusterGateway gateway =
          KubeClusterGateway.connect(Kubeconfig.fromFiles(List.of(kubeconfig)), "weir-sandbox", clock);
      Console.Options options = Console.Options.defaults(user, LeaseHolder.forThisProcess(user, "weir sandbox drill"));
      // analyses query the sandbox's Prometheus through the API server's service proxy, found as a
      // real cluster's is (monitoring/prometheus): the path a console takes against any cluster
      MetricProvider metrics = PrometheusSelection.discovering(gateway, PrometheusAccess.none(), clock);
      Console console = Console.open(git, gateway, clock, options, metrics, Runnable::run);
      return new ConsoleScenarioEngine(git, gateway, console, clock, options.refreshInterval(), changes);
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
  }

  /**
   * A drill ready to play on {@code sandbox}: the engine follows a work copy of the seeded
   * repository (a scenario may commit to it; the user's repository is never touched), with clones
   * and Git's cache in the scratch folder, deleted with it.
   *
   * @param context the scenario's context
   * @param engine the console engine, when the scenario uses one and it could be opened
   */
  public record Drill(ScenarioContext context, Optional<ConsoleScenarioEngine> engine) {}

  /**
   * Prepares {@code scenario} on {@code sandbox}; when the engine cannot be opened, the drill
   * plays without it and {@code warnings} is told why.
   */
  public static Drill prepare(ScratchSandbox sandbox, Scenario scenario, Map<String, String> environment,
      Path home, Consumer<String> warnings) {
    Optional<SampleCluster.Seeded> seeded = sandbox.seeded();
    GitSettings settings = GitSettings.from(environment, home).withCacheRoot(sandbox.files().resolve("cache"));
    Optional<Path> repository = Optional.empty();
    if (seeded.isPresent() && Files.isDirectory(seeded.get().repository())) {
      Path copy = sandbox.files().resolve("repository.git");
      ScenarioContext.copyRepository(seeded.get().repository(), copy);
      repository = Optional.of(copy);
    }
    ConsoleScenarioEngine engine = null;
    if (repository.isPresent() && scenario.usesEngine()) {
      try {
        String user = environment.getOrDefault("USER", "someone");
        engine = open(repository.get(), sandbox.kubeconfig(), settings, user, sandbox.clock(),
            sandbox.server().objects()::resourceVersion);
      } catch (ClusterException | GitException e) {
        warnings.accept("playing without the engine: " + e.getMessage());
      }
    }
    ScenarioContext context = new ScenarioContext(sandbox.server(), sandbox.world(),
        repository.or(() -> seeded.map(SampleCluster.Seeded::repository)),
        seeded.map(SampleCluster.Seeded::revision),
        Optional.ofNullable(engine), sandbox.files(), settings);
    return new Drill(context, Optional.ofNullable(engine));
  }

  private void pass() {
    if (!clock.instant().isBefore(nextRefresh)) {
      refresh();
    } else if (changes.getAsLong() != seen) {
      console.reconcileRollouts();
    } else {
      return;
    }
    seen = changes.getAsLong(); // the pass's own writes need no pass
  }

  private void consoleEvent(ConsoleEvent event) {
    if (event.kind() == ConsoleEvent.Kind.ROLLOUT || event.kind() == ConsoleEvent.Kind.ANALYSIS) {
      Event forwarded = new Event(event.at(), event.application(), event.message());
      listeners.forEach(l -> l.accept(forwarded));
    }
  }

  @Override
  public Optional<String> drift(String application) {
    refresh();
    Optional<ApplicationView> view = console.snapshot().application(application);
    if (view.isEmpty() || !view.get().diff().hasDrift()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (ResourceDiff resource : view.get().diff().drifted()) {
      String changes =
          resource.changes().stream().map(c -> c.describe(ZoneOffset.UTC)).collect(Collectors.joining(", "));
      parts.add(resource.key() + (changes.isEmpty() ? " " + resource.status() : ": " + changes));
    }
    return Optional.of(view.get().sync() + ": " + String.join("; ", parts));
  }

  @Override
  public String reconcile(String application) {
    Optional<ApplicationView> view = console.snapshot().application(application);
    if (view.isEmpty() || !view.get().automated()) {
      return application + " is not automated; left as it is";
    }
    // self-heal takes the drifted fields back from whoever edited them, as the reconciler's does
    CommandResult result = console.sync(application, new Console.SyncOptions(false, false, true, false)).join();
    // the drill's line names the application already
    return result
        .message()
        .replace("synced " + application + " to ", "synced to ")
        .replace("sync of " + application + " ", "sync ");
  }

  @Override
  public Optional<RolloutStatus> rollout(String application) {
    return console.rollouts(application).stream().findFirst();
  }

  @Override
  public String refresh() {
    nextRefresh = clock.instant().plus(refreshInterval);
    return console.refresh().join().message();
  }

  @Override
  public AutoCloseable onEvent(Consumer<Event> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public Optional<String> promote(String application, String why) {
    CommandResult result = console.promote(application, Optional.empty(), why).join();
    return result.ok() ? Optional.empty() : Optional.of(result.message());
  }

  @Override
  public String setFlag(String application, String flag, Map<String, Integer> percents, String reason) {
    // the console's flag command: what 'weir flags set --fraction' and both faces send
    CommandResult result =
        console.setFlag(application, flag, new FlagChange.SetFractions(percents), reason, true).join();
    if (!result.ok()) {
      throw new ScenarioException("could not set flag " + flag + " of " + application + ": " + result.message());
    }
    return result.message();
  }

  @Override
  public void close() {
    first.cancel();
    polling.cancel();
    console.close();
    gateway.close();
    git.close();
  }
}
