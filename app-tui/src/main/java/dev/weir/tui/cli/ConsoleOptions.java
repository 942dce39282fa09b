package dev.weir.tui.cli;

import dev.weir.engine.console.ConsoleLauncher;
import dev.weir.engine.console.ConsoleOpening;
import dev.weir.sandbox.api.SandboxStateLocation;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options both consoles take, {@code weir tui} and {@code weir desktop}: the cluster (the
 * sandbox when none is given), the metrics source, {@code --repo} and {@code --branch}. One class
 * so the two faces cannot drift apart in what they accept or how they open.
 */
final class ConsoleOptions {
  @Mixin ClusterOptions cluster;
  @Mixin MetricsOptions metrics;

  @Option(
      names = "--repo",
      paramLabel = "PATH|URL",
      description =
          "The GitOps repository (default on the sandbox: the sample repository, written on first use).")
  String repo;

  @Option(
      names = "--branch",
      paramLabel = "B",
      description = "The branch, tag or commit to follow (default: the repository's default branch).")
  String branch;

  /** How a face opens its console once its first frame is up. */
  @FunctionalInterface
  interface Opener {
    /** Starts opening the console behind the loading frame; never blocks on the cluster. */
    ConsoleOpening open();
  }

  /**
   * Checks a given kubeconfig now, so bad input ends before the terminal or a window is taken, and
   * returns how to open the console: the sandbox (which may take a while to start) or the checked
   * cluster, the repository cloned and the cluster read, all behind the first frame.
   */
  Opener checked(CliEnvironment environment, SandboxStateLocation location, String face) {
    boolean sandbox = cluster.target == null || cluster.target.sandbox;
    ClusterOptions.ClusterConnection given = sandbox ? null : cluster.connect(false, environment);
    return () ->
        ConsoleLauncher.openAsync(
            sandbox ? "starting the sandbox" : "reading the kubeconfig",
            steps ->
                ConsoleTarget.settings(
                    steps.own(given != null ? given : cluster.connect(true, environment)),
                    metrics,
                    repo,
                    branch,
                    location,
                    environment,
                    face));
  }
}
