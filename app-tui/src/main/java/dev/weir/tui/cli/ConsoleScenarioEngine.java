package dev.weir.tui.cli;

import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.sandbox.scenario.ScenarioEngine;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The engine for a scenario: the {@link Console} over the sample repository and the sandbox,
 * reached through its kubeconfig like any cluster. Drift is what the console's comparison finds;
 * a reconcile of an application whose policy is automated is the console's sync of it. The console
 * drives rollouts with the sandbox's metrics on the scenario's clock.
 */
final class ConsoleScenarioEngine implements ScenarioEngine, AutoCloseable {
  private final GitSource git;
  private final KubeClusterGateway gateway;
  private final Console console;
  private final ConcurrentLinkedQueue<ConsoleEvent> events = new ConcurrentLinkedQueue<>();

  private ConsoleScenarioEngine(GitSource git, KubeClusterGateway gateway, Console console) {
    this.git = git;
    this.gateway = gateway;
    this.console = console;
    console.onEvent(events::add);
  }

  static ConsoleScenarioEngine open(Path repository, Path kubeconfig, GitSettings settings, String user,
      EngineClock clock, MetricProvider metrics) throws ClusterException {
    GitSource git = JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock);
    try {
      KubeClusterGateway gateway =
          KubeClusterGateway.connect(Kubeconfig.fromFiles(List.of(kubeconfig)), "weir-sandbox", EngineClock.system());
      Console console =
          Console.open(
              git,
              gateway,
              clock,
              Console.Options.defaults(
                  user, LeaseHolder.forThisProcess(user, "weir sandbox scenario")),
              metrics,
              null);
      return new ConsoleScenarioEngine(git, gateway, console);
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
  }

  @Override
  public Optional<String> drift(String application) {
    console.refresh().join();
    Optional<ApplicationView> view =
        console.snapshot().applications().stream().filter(a -> a.name().equals(application)).findFirst();
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
    Optional<ApplicationView> view =
        console.snapshot().applications().stream().filter(a -> a.name().equals(application)).findFirst();
    if (view.isEmpty() || !view.get().automated()) {
      return application + " is not automated; left as it is";
    }
    // self-heal takes the drifted fields back from whoever edited them, as the reconciler's does
    CommandResult result = console.sync(application, new Console.SyncOptions(false, false, true, false)).join();
    return result.message();
  }

  @Override
  public Optional<RolloutStatus> rollout(String application) {
    console.refresh().join();
    console.reconcileRollouts();
    return console.snapshot().application(application).flatMap(a -> a.rollouts().stream().findFirst());
  }

  @Override
  public List<String> events(String application) {
    List<String> lines = new ArrayList<>();
    for (ConsoleEvent event = events.poll(); event != null; event = events.poll()) {
      if (event.application().equals(application) && event.message().startsWith("rollout ")) {
        lines.add(event.message());
      }
    }
    return lines;
  }

  @Override
  public String promote(String application, String why) {
    return console.promote(application, Optional.empty(), why).join().message();
  }

  @Override
  public void close() {
    console.close();
    gateway.close();
    git.close();
  }

}
