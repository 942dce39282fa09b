package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.ConsoleException;
import dev.weir.engine.console.ConsoleSettings;
import dev.weir.engine.console.ReplicaSettings;
import java.time.Duration;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weir reconcile}: the reconciler without a UI, one log line per action. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description =
        "Runs the reconciler headless: compares every application with the cluster and applies its"
            + " policy (automated sync of new revisions, self-heal of drift, prune when allowed;"
            + " freezes and pins respected), logging one line per action. --once does one pass and"
            + " exits (1 if an action failed); --watch keeps going, watching the cluster and"
            + " polling Git, until interrupted, and drives rollouts, their analyses querying the"
            + " Prometheus of --prometheus, of a template's address, or found in the cluster."
            + " --in-cluster (or no kubeconfig inside a pod) runs it as one replica of the"
            + " in-cluster reconciler: the pod's service account, applications shared with the"
            + " other replicas on Leases, /healthz, /readyz and /metrics on --listen.")
final class ReconcileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;
  @Mixin MetricsOptions metrics;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--once", description = "One pass, then exit.")
    boolean once;

    @Option(names = "--watch", description = "Keep reconciling until interrupted.")
    boolean watch;
  }

  @Option(
      names = "--pushgateway",
      paramLabel = "URL",
      description =
          "Push Weir's own metrics (reconcile duration, drift per application, sync errors, rollout phase and"
              + " weight) to this Prometheus Pushgateway, job weir, instance user@host. A failing push is logged"
              + " once per outage and never slows reconciling.")
  URI pushgateway;

  @Option(
      names = "--in-cluster",
      description =
          "Reach the cluster as a pod does: the service account's token (read again when it"
              + " rotates) and CA (in WEIR_SERVICEACCOUNT_DIR, default"
              + " /var/run/secrets/kubernetes.io/serviceaccount) and KUBERNETES_SERVICE_HOST/PORT."
              + " With --watch: run as one replica, sharing the applications with the others on"
              + " Leases. The default inside a pod when no kubeconfig is given or found.")
  boolean inCluster;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve /healthz, /readyz and /metrics (Prometheus format) here; a replica's default"
              + " 0.0.0.0:8080 (port 0: any free port, printed).")
  String listen;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json: one JSON object per line, log lines and events alike.")
  String logFormat;

  @Option(
      names = "--lease-duration",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description =
          "A replica's Leases last this many seconds without renewal (renewed every third of it):"
              + " the longest a dead replica's applications wait for another (default 15).")
  int leaseDuration;

  @Option(
      names = "--git-poll",
      paramLabel = "SECONDS",
      description =
          "With --watch: fetch Git and compare every application this often (default 180). A"
              + " commit reaches the cluster within about this long.")
  Integer gitPoll;

  @Option(
      names = "--lease-namespace",
      paramLabel = "NS",
      description = "Where replicas keep their Leases (default: the pod's namespace).")
  String leaseNamespace;

  @Option(
      names = "--replica-name",
      paramLabel = "NAME",
      description = "This replica's name in Leases (default: POD_NAME, else HOSTNAME).")
  String replicaName;

  @Override
  public Integer call() throws Exception {
    boolean json;
    switch (logFormat) {
      case "text" -> json = false;
      case "json" -> json = true;
      default ->
          throw new CommandException(
              ExitCodes.BAD_INPUT, "--log-format: text or json, not '" + logFormat + "'");
    }
    if (json) {
      JsonLogLines.configureSimpleLogger();
      System.setErr(JsonLogLines.wrap(System.err, java.time.Clock.systemUTC()));
    }
    CliEnvironment environment = ((WeirCommand) spec.root().userObject()).environment();
    boolean podLike = inCluster || cluster.target == null && noKubeconfig(environment);
    if (gitPoll != null && gitPoll < 1) {
      throw new CommandException(ExitCodes.BAD_INPUT, "--git-poll: at least 1 second, not " + gitPoll);
    }
    if (leaseDuration < 1) {
      throw new CommandException(
          ExitCodes.BAD_INPUT, "--lease-duration: at least 1 second, not " + leaseDuration);
    }
    String name =
        replicaName != null
            ? replicaName
            : firstSet(environment, "POD_NAME", "HOSTNAME").orElse("weir");
    boolean replica = podLike && mode.watch;
    String listenAt = listen != null ? listen : replica ? "0.0.0.0:8080" : null;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // closing the session pushes Weir's own metrics one last time, before the process ends
    try (ConsoleSession session =
        ConsoleSession.open(
            repo,
            cluster,
            "reconcile",
            settings -> {
              ConsoleSettings more =
                  metrics
                      .applyTo(settings)
                      .withDrive(mode.watch)
                      .withPushgateway(Optional.ofNullable(pushgateway));
              if (gitPoll != null) {
                more = more.withGitPoll(Duration.ofSeconds(gitPoll));
              }
              return replica
                  ? more.withReplica(
                      new ReplicaSettings(
                          name,
                          Optional.ofNullable(leaseNamespace),
                          Duration.ofSeconds(leaseDuration)))
                  : more;
            },
            podLike)) {
      session.console.onEvent(
          event -> {
            synchronized (out) {
              out.println(json ? JsonLogLines.event(event) : event.toString());
              out.flush();
            }
          });
      if (mode.once) {
        CommandResult result = ConsoleSession.await(session.console.reconcileOnce());
        (result.ok() ? out : err).println((result.ok() ? "" : "weir: ") + result.message());
        out.flush();
        return ConsoleSession.exitCode(result);
      }
      CommandResult first = ConsoleSession.await(session.console.start());
      say(out, json, first.message());
      session.launched.metricsSource().ifPresent(m -> say(out, json, "metrics: " + m.message()));
      session.launched.startReplica().ifPresent(line -> say(out, json, line));
      if (listenAt != null) {
        int colon = listenAt.lastIndexOf(':');
        int port;
        try {
          port = Integer.parseInt(listenAt.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          throw new CommandException(
              ExitCodes.BAD_INPUT, "--listen: HOST:PORT, not '" + listenAt + "'");
        }
        String host = colon <= 0 ? "0.0.0.0" : listenAt.substring(0, colon);
        try {
          int bound = session.launched.serve(host, port);
          say(out, json, "listening on " + host + ":" + bound + " (/healthz, /readyz, /metrics)");
        } catch (ConsoleException e) {
          throw new CommandException(ExitCodes.BAD_INPUT, e.getMessage());
        }
      }
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop.countDown();
                    // SIGTERM (a rolling update): let the session close, giving the Leases up so
                    // the other replicas take the applications at once, not after they expire
                    try {
                      closed.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      try {
        stop.await();
      } finally {
        session.close();
        closed.countDown();
      }
      return ExitCodes.OK;
    }
  }

  private static void say(PrintWriter out, boolean json, String line) {
    synchronized (out) {
      out.println(json ? JsonLogLines.line("INFO", line, java.time.Clock.systemUTC()) : line);
      out.flush();
    }
  }

  /** Inside a pod with no kubeconfig to use: neither KUBECONFIG nor ~/.kube/config. */
  private static boolean noKubeconfig(CliEnvironment environment) {
    String variable = environment.variables().get("KUBECONFIG");
    return (variable == null || variable.isBlank())
        && !java.nio.file.Files.isRegularFile(environment.home().resolve(".kube/config"))
        && !environment.variables().getOrDefault("KUBERNETES_SERVICE_HOST", "").isBlank();
  }

  private static Optional<String> firstSet(CliEnvironment environment, String... names) {
    for (String variable : names) {
      String value = environment.variables().get(variable);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.strip());
      }
    }
    return Optional.empty();
  }
}
