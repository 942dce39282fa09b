package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
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
            + " Prometheus of --prometheus, of a template's address, or found in the cluster.")
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

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // closing the session pushes Weir's own metrics one last time, before the process ends
    try (ConsoleSession session =
        ConsoleSession.open(
            repo,
            cluster,
            "reconcile",
            settings ->
                metrics
                    .applyTo(settings)
                    .withDrive(mode.watch)
                    .withPushgateway(Optional.ofNullable(pushgateway)))) {
      session.console.onEvent(
          event -> {
            synchronized (out) {
              out.println(event);
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
      out.println(first.message());
      session.launched.metricsSource().ifPresent(m -> out.println("metrics: " + m.message()));
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
      return ExitCodes.OK;
    }
  }
}
