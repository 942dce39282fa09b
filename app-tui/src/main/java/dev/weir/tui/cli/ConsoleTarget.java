package dev.weir.tui.cli;

import dev.weir.drills.LocalSandbox;
import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.console.ConsoleSettings;
import dev.weir.engine.console.RepositorySettings;
import dev.weir.engine.time.EngineClock;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.api.SandboxStateLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What both consoles ({@code weir tui}, {@code weir desktop}) open: the console's settings once the
 * cluster is connected, on the sandbox seeded with the sample repository on first use when no
 * {@code --repo} is given. One place, so that the two faces open the same console from the same
 * options. Stateless.
 */
final class ConsoleTarget {
  /** The sample repository's folder beside the sandbox's, used when no {@code --repo} is given. */
  static final String SAMPLE = "sample";

  private ConsoleTarget() {}

  /** The console's settings once the cluster is connected (and the sandbox seeded). */
  static ConsoleSettings settings(
      ClusterOptions.ClusterConnection connection,
      MetricsOptions metrics,
      String repo,
      String branch,
      SandboxStateLocation location,
      CliEnvironment environment,
      String role) {
    String repository = repo != null ? repo : sample(connection, location, environment);
    return metrics
        .applyTo(
            ConsoleSettings.of(
                RepositorySettings.of(repository, environment.variables(), environment.home())
                    .withBranch(Optional.ofNullable(branch)),
                connection.kubeconfigs(),
                connection.context(),
                role))
        .withDrive(true);
  }

  /**
   * The repository to open on the sandbox when none is given: the one the sandbox was seeded from;
   * else the sample repository beside the sandbox's data, written and seeded now when the sandbox
   * holds nothing yet.
   */
  private static String sample(
      ClusterOptions.ClusterConnection connection,
      SandboxStateLocation location,
      CliEnvironment environment) {
    Path sample = location.directory().resolveSibling(SAMPLE).toAbsolutePath();
    LocalSandbox sandbox =
        connection
            .sandbox()
            .orElseThrow(
                () ->
                    new CommandException(
                        ExitCodes.BAD_INPUT, "give --repo PATH|URL: the GitOps repository to follow"));
    Optional<SandboxApiServer> server = sandbox.server();
    if (server.isEmpty()) {
      if (SampleRepository.isSample(sample)) {
        return sample.toString();
      }
      throw new CommandException(
          ExitCodes.BAD_INPUT,
          "the sandbox is served by another process ("
              + sandbox.url()
              + ") and no sample repository is at "
              + sample
              + "; give --repo PATH");
    }
    Optional<SampleCluster.Seeded> seeded = SampleCluster.seeded(server.get());
    if (seeded.isPresent()) {
      return seeded.get().repository().toString();
    }
    try {
      if (!SampleRepository.isSample(sample)) {
        SampleRepository.write(sample, EngineClock.system().instant());
      }
      if (!SampleCluster.holdsApplications(server.get())) {
        SampleCluster.seed(server.get(), sample, "HEAD~1", environment.variables(), environment.home());
      }
    } catch (IOException | IllegalStateException e) {
      throw new CommandException(
          ExitCodes.FAILED, "could not seed the sandbox with the sample repository: " + e.getMessage());
    }
    return sample.toString();
  }
}
