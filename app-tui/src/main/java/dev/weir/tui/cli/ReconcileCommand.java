package dev.weir.tui.cli;

import dev.weir.engine.console.CommandResult;
import java.io.PrintWriter;
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
            + " polling Git, until interrupted.")
final class ReconcileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RepoOptions repo;
  @Mixin ClusterOptions cluster;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--once", description = "One pass, then exit.")
    boolean once;

    @Option(names = "--watch", description = "Keep reconciling until interrupted.")
    boolean watch;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ConsoleSession session = ConsoleSession.open(repo, cluster, environment(), "reconcile")) {
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
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
      return ExitCodes.OK;
    }
  }

  private CliEnvironment environment() {
    return ((WeirCommand) spec.root().userObject()).environment();
  }
}
