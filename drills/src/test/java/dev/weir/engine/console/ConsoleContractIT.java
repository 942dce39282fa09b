package dev.weir.engine.console;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The façade's contract against the real console, opened as a face opens it ({@link
 * ConsoleOpening}): the sample repository cloned with JGit, the sandbox API server reached through
 * a kubeconfig and client-java, on a manual clock.
 */
class ConsoleContractIT extends ConsoleApiContract {
  @TempDir Path home;
  TestCluster cluster;
  Path repo;

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z"));
    cluster = new TestCluster(home.resolve("cluster"));
  }

  @AfterEach
  void stop() throws Exception {
    closeConsoles(); // before the cluster goes
    cluster.close();
  }

  @Override
  protected ConsoleApi open(CompletableFuture<Void> proceed) {
    WorkspaceSpec spec = WorkspaceSpec.of(repo.toString());
    GitSettings settings = GitSettings.from(Map.of(), home);
    Kubeconfig kubeconfig = Kubeconfig.fromFile(cluster.kubeconfig);
    Console.Options options =
        Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui"));
    ConsoleOpening.Opener opener =
        ConsoleOpening.opener(
            spec,
            settings,
            kubeconfig,
            null,
            cluster.clock,
            options,
            KubeClusterGateway.Options.defaults(),
            false);
    return ConsoleOpening.open(
        steps -> {
          proceed.join();
          return opener.open(steps);
        },
        spec,
        settings,
        kubeconfig,
        null,
        cluster.clock);
  }

  @Override
  protected void tick() {
    cluster.clock.advance(Duration.ofMillis(200));
  }

  @Override
  protected String application() {
    return "storefront";
  }

  @Override
  protected void change(ConsoleApi console) throws Exception {
    CommandResult frozen =
        console.freeze("payments", "contract change", Duration.ofMinutes(30)).get();
    if (!frozen.ok()) {
      throw new AssertionError(frozen.message());
    }
  }
}
