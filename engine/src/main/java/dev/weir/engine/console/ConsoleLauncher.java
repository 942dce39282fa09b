package dev.weir.engine.console;

import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.cluster.ClusterException;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.InClusterConfig;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.shard.ShardKeeper;
import dev.weir.engine.telemetry.WeirMetrics;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.telemetry.PushgatewayTelemetry;
import dev.weir.engine.telemetry.Telemetry;
import dev.weir.engine.telemetry.TelemetrySettings;
import dev.weir.engine.time.EngineClock;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Opens a {@link Console} from plain {@link ConsoleSettings}: clones or fetches the repository,
 * connects to the cluster, chooses the Prometheus analyses query and starts the push of Weir's own
 * metrics. A face holds the returned {@link LaunchedConsole} and never builds Git sources, gateways
 * or metric providers itself.
 */
public final class ConsoleLauncher {
  private ConsoleLauncher() {}

  /**
   * Opens a console on the system clock; call {@link Console#refresh()} or {@link Console#start()}
   * next.
   *
   * @throws ConsoleException with one line when the repository cannot be reached, the kubeconfig
   *     or its context cannot be used, or the Prometheus settings are wrong
   */
  public static LaunchedConsole open(ConsoleSettings settings) {
    return open(settings, EngineClock.system());
  }

  static LaunchedConsole open(ConsoleSettings settings, EngineClock clock) {
    GitSource git = settings.repository().open(clock);
    KubeClusterGateway gateway;
    try {
      gateway =
          KubeClusterGateway.connect(
              kubeconfig(settings), settings.context().orElse(null), clock);
    } catch (ClusterException e) {
      git.close();
      throw new ConsoleException(ConsoleException.Kind.BAD_INPUT, e.getMessage());
    } catch (RuntimeException e) {
      git.close();
      throw e;
    }
    PrometheusSelection selection = null;
    PushgatewayTelemetry pushing = null;
    // a replica serves its metrics on /metrics, the same ones a console pushes
    WeirMetrics served = settings.replica().isPresent() ? new WeirMetrics() : null;
    try {
      if (settings.metrics() || settings.drive()) {
        selection = selection(settings, gateway, clock);
      }
      if (settings.pushgateway().isPresent()) {
        pushing =
            new PushgatewayTelemetry(
                TelemetrySettings.of(settings.pushgateway().get()),
                clock,
                served == null ? new WeirMetrics() : served);
        pushing.start();
      }
    } catch (RuntimeException e) {
      gateway.close();
      git.close();
      throw e;
    }
    String user =
        settings
            .repository()
            .environment()
            .getOrDefault("USER", System.getProperty("user.name", "someone"));
    LeaseHolder holder =
        settings
            .replica()
            .map(r -> LeaseHolder.of(r.name(), "weir " + settings.role()))
            .orElseGet(() -> LeaseHolder.forThisProcess(user, "weir " + settings.role()));
    Console.Options options =
        Console.Options.defaults(user, holder)
            .withTelemetry(
                pushing != null ? pushing : served != null ? served : Telemetry.noop());
    if (settings.gitPoll().isPresent()) {
      options = options.withRefreshInterval(settings.gitPoll().get());
    }
    Console console =
        settings.drive()
            ? Console.open(git, gateway, clock, options, selection, null)
            : selection != null && settings.readSeries()
                // reads rollouts' metric series back (weir rollout status), drives nothing
                ? Console.openReading(git, gateway, clock, options, selection)
                : Console.open(git, gateway, clock, options);
    if (settings.replica().isPresent()) {
      console.awaitShards();
    }
    return new LaunchedConsole(console, git, gateway, selection, pushing, clock, settings, holder, served);
  }

  /**
   * The kubeconfig the settings name: the pod's own cluster when {@link
   * ConsoleSettings#inCluster()}, else the kubeconfig files merged.
   */
  private static Kubeconfig kubeconfig(ConsoleSettings settings) {
    if (!settings.inCluster()) {
      return Kubeconfig.fromFiles(settings.kubeconfigs());
    }
    InClusterConfig config =
        InClusterConfig.fromEnvironment(settings.repository().environment())
            .orElseThrow(
                () ->
                    new ClusterException(
                        dev.weir.engine.cluster.ClusterError.of(
                            dev.weir.engine.cluster.ClusterError.Reason.CONFIGURATION,
                            "--in-cluster: KUBERNETES_SERVICE_HOST is not set (not in a pod?);"
                                + " give --kubeconfig FILE instead")));
    return Kubeconfig.inCluster(config);
  }

  private static PrometheusSelection selection(
      ConsoleSettings settings, ClusterGateway gateway, EngineClock clock) {
    return selection(settings, gateway, clock, access(settings));
  }

  private static PrometheusAccess access(ConsoleSettings settings) {
    try {
      return PrometheusAccess.fromEnvironment(
          settings.repository().environment(), settings.prometheusCa());
    } catch (IllegalArgumentException e) {
      throw new ConsoleException(ConsoleException.Kind.BAD_INPUT, e.getMessage());
    }
  }

  private static PrometheusSelection selection(
      ConsoleSettings settings, ClusterGateway gateway, EngineClock clock, PrometheusAccess access) {
    if (settings.prometheus().isEmpty()) {
      return PrometheusSelection.discovering(gateway, access, clock);
    }
    URI address;
    try {
      address = new URI(settings.prometheus().get().strip());
    } catch (URISyntaxException e) {
      throw new ConsoleException(
          ConsoleException.Kind.BAD_INPUT, "--prometheus: not a URL: " + e.getReason());
    }
    try {
      return PrometheusSelection.given(address, access, clock);
    } catch (IllegalArgumentException e) {
      throw new ConsoleException(ConsoleException.Kind.BAD_INPUT, "--prometheus: " + e.getMessage());
    }
  }

  /**
   * Opens a console for a face that must show something at once (the terminal and desktop
   * consoles): returns a {@link ConsoleOpening} whose first snapshot, marked loading ({@code
   * cloning URL} or {@code fetching URL}), is there before this returns, while Git is cloned or
   * fetched, the cluster connected and the applications read on a thread of its own. Underneath is
   * a {@link SwitchableConsole}, so the face can switch contexts; each context's console chooses
   * its Prometheus as {@link #open} does and, when {@link ConsoleSettings#drive()}, drives
   * rollouts and their analyses. Once open the console watches ({@link ConsoleApi#start()}).
   * Closing the opening closes the console (releasing its Leases), the gateways and the Git source.
   * A Pushgateway in the settings is not used here.
   *
   * @throws ConsoleException when the kubeconfig cannot be read or the Prometheus settings are
   *     wrong (checked before anything runs); failures of Git or the cluster come later, as the
   *     opening's last snapshot ({@code FAILED}) and the answer of every command
   */
  public static ConsoleOpening openAsync(ConsoleSettings settings) {
    return openAsync(settings, EngineClock.system(), KubeClusterGateway.Options.defaults());
  }

  static ConsoleOpening openAsync(
      ConsoleSettings settings, EngineClock clock, KubeClusterGateway.Options gatewayOptions) {
    Prepared prepared = prepare(settings, clock, gatewayOptions);
    return ConsoleOpening.open(
        prepared.opener(), prepared.spec(), prepared.git(), prepared.kubeconfig(), prepared.context(), clock);
  }

  /**
   * As {@link #openAsync(ConsoleSettings)}, when the settings are known only after a step that may
   * take a while (starting a local cluster, reading a file): the first snapshot ({@code preparing},
   * marked loading) is there before this returns; {@code prepare} then runs on the opening's thread,
   * may hand what it starts to {@link ConsoleOpening.Steps#own} (closed after the console), and its
   * settings are opened as {@link #openAsync(ConsoleSettings)} opens them. What {@code prepare}
   * throws, and bad settings, end the opening ({@code FAILED}, with the message).
   */
  public static ConsoleOpening openAsync(
      String preparing, Function<ConsoleOpening.Steps, ConsoleSettings> prepare) {
    EngineClock clock = EngineClock.system();
    ConsoleOpening.Opener opener =
        steps -> {
          Prepared prepared = prepare(prepare.apply(steps), clock, KubeClusterGateway.Options.defaults());
          boolean cached = JGitSource.cached(prepared.spec(), prepared.git());
          String url = JGitSource.displayUrl(prepared.spec());
          steps.stage(
              cached ? ConsoleSnapshot.Loading.Stage.FETCHING : ConsoleSnapshot.Loading.Stage.CLONING,
              (cached ? "fetching " : "cloning ") + url);
          return prepared.opener().open(steps);
        };
    return ConsoleOpening.open(
        opener, clock, "", "", "", List.of(), ConsoleSnapshot.Loading.Stage.CONNECTING, preparing);
  }

  /** What opening needs, checked: the steps, and the header of the first loading snapshot. */
  private record Prepared(
      ConsoleOpening.Opener opener,
      WorkspaceSpec spec,
      GitSettings git,
      Kubeconfig kubeconfig,
      String context) {}

  private static Prepared prepare(
      ConsoleSettings settings, EngineClock clock, KubeClusterGateway.Options gatewayOptions) {
    Kubeconfig kubeconfig;
    try {
      kubeconfig = Kubeconfig.fromFiles(settings.kubeconfigs());
    } catch (ClusterException e) {
      throw new ConsoleException(ConsoleException.Kind.BAD_INPUT, e.getMessage());
    }
    PrometheusAccess access =
        settings.metrics() || settings.drive() ? access(settings) : null;
    if (access != null && settings.prometheus().isPresent()) {
      selection(settings, null, clock, access); // a bad --prometheus is bad input now, not later
    }
    RepositorySettings repository = settings.repository();
    GitSettings git = GitSettings.from(repository.environment(), repository.home());
    if (repository.trustedKeys().isPresent()) {
      git = git.withTrustedKeys(repository.trustedKeys().get());
    }
    GitSettings gitSettings = git;
    WorkspaceSpec spec = new WorkspaceSpec(repository.location(), repository.branch().orElse(null));
    String context = settings.context().orElse(null);
    String user = repository.environment().getOrDefault("USER", System.getProperty("user.name", "someone"));
    Console.Options options =
        Console.Options.defaults(user, LeaseHolder.forThisProcess(user, "weir " + settings.role()));
    SwitchableConsole.Connector connector =
        new SwitchableConsole.Connector() {
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
    String url = JGitSource.displayUrl(spec);
    String connecting;
    try {
      connecting = kubeconfig.resolveContext(context);
    } catch (ClusterException e) {
      throw new ConsoleException(ConsoleException.Kind.BAD_INPUT, e.getMessage());
    }
    ConsoleOpening.Opener opener =
        steps -> {
          GitSource source = steps.own(JGitSource.open(spec, gitSettings, clock));
          steps.stage(
              ConsoleSnapshot.Loading.Stage.CONNECTING,
              "connecting to context " + connecting);
          SwitchableConsole console =
              SwitchableConsole.open(
                  connector,
                  gateway ->
                      settings.drive()
                          ? Console.open(
                              source,
                              gateway,
                              clock,
                              options,
                              selection(settings, gateway, clock, access),
                              null)
                          : Console.open(source, gateway, clock, options),
                  context,
                  clock,
                  options.reconcile().leaseDuration());
          steps.stage(ConsoleSnapshot.Loading.Stage.READING, "reading the applications of " + url);
          console.start().join();
          return console;
        };
    return new Prepared(opener, spec, gitSettings, kubeconfig, context);
  }

  /**
   * An open console with what it was built from, closed together.
   */
  public static final class LaunchedConsole implements AutoCloseable {
    private final Console console;
    private final GitSource git;
    private final KubeClusterGateway gateway;
    private final PrometheusSelection metrics;
    private final PushgatewayTelemetry pushing;
    private final EngineClock clock;
    private final ConsoleSettings settings;
    private final LeaseHolder holder;
    private final WeirMetrics served;
    private volatile ShardKeeper keeper;
    private volatile ReplicaEndpoints endpoints;

    private LaunchedConsole(
        Console console,
        GitSource git,
        KubeClusterGateway gateway,
        PrometheusSelection metrics,
        PushgatewayTelemetry pushing,
        EngineClock clock,
        ConsoleSettings settings,
        LeaseHolder holder,
        WeirMetrics served) {
      this.console = console;
      this.git = git;
      this.gateway = gateway;
      this.metrics = metrics;
      this.pushing = pushing;
      this.clock = clock;
      this.settings = settings;
      this.holder = holder;
      this.served = served;
    }

    /**
     * For a replica ({@link ConsoleSettings#replica()}), after {@link Console#start()}: starts
     * sharing the applications with the other replicas on Leases. Answers one line saying who
     * this replica is and where its Leases live; empty for a console that is no replica.
     */
    public Optional<String> startReplica() {
      if (settings.replica().isEmpty() || keeper != null) {
        return Optional.empty();
      }
      ReplicaSettings replica = settings.replica().get();
      String namespace = replica.namespace().orElse(gateway.defaultNamespace());
      keeper =
          console.shard(
              new ShardKeeper.Settings(
                  namespace, replica.leaseDuration(), holder.identity(), holder.instance()));
      return Optional.of(
          "replica "
              + holder.describe()
              + ": Leases in namespace "
              + namespace
              + ", lasting "
              + replica.leaseDuration().toSeconds()
              + "s");
    }

    /**
     * Serves {@code /healthz}, {@code /readyz} and {@code /metrics} on {@code host:port} (port 0:
     * any free one) until closed with the console. Answers the port bound.
     *
     * @throws ConsoleException {@code BAD_INPUT} when the address cannot be bound
     */
    public int serve(String host, int port) {
      WeirMetrics exposed = served != null ? served : new WeirMetrics();
      ReplicaEndpoints started =
          ReplicaEndpoints.start(
              host,
              port,
              new ReplicaEndpoints.Probe() {
                @Override
                public boolean healthy() {
                  ShardKeeper k = keeper;
                  return !console.closed() && (k == null || k.alive());
                }

                @Override
                public boolean ready() {
                  ShardKeeper k = keeper;
                  return console.settled()
                      && gateway.status().isReachable()
                      && (settings.replica().isEmpty() || k != null && k.ready());
                }

                @Override
                public String metrics() {
                  ShardKeeper k = keeper;
                  if (k != null) {
                    exposed.setLeases(
                        holder.identity(), k.holders(), k.liveMembers(), console.queueDepth());
                  }
                  return exposed.exposition();
                }
              });
      endpoints = started;
      return started.port();
    }

    public Console console() {
      return console;
    }

    /**
     * Where analyses' queries go; empty for a console opened without metrics. Runs discovery now
     * if it has not run (a request to the cluster).
     */
    public Optional<MetricsSource> metricsSource() {
      if (metrics == null) {
        return Optional.empty();
      }
      PrometheusSelection.Source source = metrics.source();
      return Optional.of(
          switch (source) {
            case PrometheusSelection.Given given ->
                new MetricsSource("flag", Optional.of(given.address().toString()), source.describe());
            case PrometheusSelection.ServiceProxy proxy ->
                new MetricsSource(
                    "service-proxy", Optional.of(proxy.service().toString()), source.describe());
            case PrometheusSelection.None none ->
                new MetricsSource("none", Optional.empty(), source.describe());
          });
    }

    /** Whether the Prometheus was given by address rather than to be discovered. */
    public boolean metricsGiven() {
      return metrics != null && metrics.givenAddress().isPresent();
    }

    /**
     * Closes the console, then pushes Weir's own metrics one last time (waiting up to ten
     * seconds) and closes the cluster gateway and the Git source.
     */
    @Override
    public void close() {
      try {
        if (endpoints != null) {
          endpoints.close();
        }
        console.close();
      } finally {
        try {
          if (pushing != null) {
            try {
              pushing.pushNow().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (Exception e) {
              // the push logs its own outages; the last figures are lost, nothing else
            } finally {
              pushing.close();
            }
          }
        } finally {
          gateway.close();
          git.close();
        }
      }
    }
  }
}
