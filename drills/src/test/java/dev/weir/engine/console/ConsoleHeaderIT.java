package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.testkit.FaultProxy;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot's header as a face draws it: context and the kubeconfig's contexts, repository,
 * branch, revision, last fetch, Git and the cluster stale since when, the global freeze.
 */
class ConsoleHeaderIT {
  @TempDir Path home;
  final ManualClock clock = new ManualClock();
  TestCluster prod;
  TestCluster staging;
  FaultProxy proxy;
  Path repo;
  List<String> commits;
  ConsoleOpening console;

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    commits = SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
    prod = new TestCluster(home.resolve("prod"), clock, SandboxOptions.builder().ephemeral());
    staging = new TestCluster(home.resolve("staging"), clock, SandboxOptions.builder().ephemeral());
    Map<String, TestCluster> contexts = new LinkedHashMap<>();
    contexts.put("prod", prod);
    contexts.put("staging", staging);
    Path written = TestCluster.writeContexts(home.resolve("kube/config"), contexts);
    proxy = new FaultProxy(prod.server.url().getPort());
    Path kubeconfig = proxy.rewrite(written, home.resolve("kube/config-proxied"));
    console =
        ConsoleOpening.open(
            WorkspaceSpec.of(repo.toString()),
            GitSettings.from(Map.of(), home),
            Kubeconfig.fromFile(kubeconfig),
            "prod",
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")),
            KubeClusterGateway.Options.defaults(),
            false);
  }

  @AfterEach
  void stop() throws Exception {
    console.close();
    proxy.close();
    prod.close();
    staging.close();
  }

  private static CommandResult run(java.util.concurrent.CompletableFuture<CommandResult> command)
      throws Exception {
    return command.get(60, TimeUnit.SECONDS);
  }

  @Test
  void theHeaderNamesContextRepositoryBranchRevisionAndStaleness() throws Exception {
    Instant opened = clock.instant();
    console.ready().get(60, TimeUnit.SECONDS);
    ConsoleSnapshot snapshot = console.snapshot();
    assertThat(snapshot.isLoading()).isFalse();
    assertThat(snapshot.cluster().context()).isEqualTo("prod");
    assertThat(snapshot.cluster().isReachable()).isTrue();
    assertThat(snapshot.contexts()).containsExactly("prod", "staging");
    assertThat(snapshot.repository()).endsWith("shop.git").doesNotContain("@");
    assertThat(snapshot.branch()).isEqualTo("main");
    assertThat(snapshot.git().orElseThrow().revision()).isEqualTo(commits.getLast());
    assertThat(snapshot.git().orElseThrow().fetchedAt()).isEqualTo(opened);
    assertThat(snapshot.git().orElseThrow().isStale()).isFalse();
    assertThat(snapshot.globalFreeze()).isEmpty();

    assertThat(run(console.freeze(null, "release train", Duration.ofHours(1))).ok()).isTrue();
    assertThat(console.snapshot().globalFreeze().orElseThrow().reason()).isEqualTo("release train");
    assertThat(console.snapshot().globalFreeze().orElseThrow().by()).isEqualTo("alice");

    // Git's remote goes away: the header says since when Git is stale, and the last fetch
    Files.move(repo, home.resolve("moved.git"));
    clock.advance(Duration.ofMinutes(2));
    Instant gitFailed = clock.instant();
    run(console.refresh());
    ConsoleSnapshot staleGit = console.snapshot();
    assertThat(staleGit.git().orElseThrow().staleSince()).isEqualTo(gitFailed);
    assertThat(staleGit.git().orElseThrow().fetchedAt()).isEqualTo(opened);
    assertThat(staleGit.cluster().isReachable()).isTrue();

    // the API server stops answering: the header says since when
    proxy.down();
    clock.advance(Duration.ofMinutes(1));
    Instant clusterFailed = clock.instant();
    assertThat(run(console.refresh()).status()).isEqualTo(CommandResult.Status.UNREACHABLE);
    ConsoleSnapshot staleCluster = console.snapshot();
    assertThat(staleCluster.cluster().unreachableSince()).isEqualTo(clusterFailed);
    assertThat(staleCluster.git().orElseThrow().staleSince()).isEqualTo(gitFailed);
    assertThat(staleCluster.version()).isGreaterThan(staleGit.version());
  }
}
