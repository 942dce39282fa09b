package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's {@code inventory} (automated, no {@code syncPolicy.retry}) on the sandbox's API
 * server: its automated sync to Git's revision meets the replica count {@code kubectl-edit} owns
 * and fails. As in Argo CD, that revision is not tried again by itself — not by the next pass, not
 * minutes later, not by a console that starts afresh — and the application says what failed, for
 * the person it now waits for.
 */
class AutomatedSyncRetryIT {
  @TempDir Path home;
  TestCluster cluster;
  Path repository;
  GitSettings settings;

  @BeforeEach
  void start() throws Exception {
    repository = home.resolve("shop.git");
    SampleRepository.write(repository, Instant.parse("2026-11-20T10:00:00Z"));
    cluster = new TestCluster(home.resolve("cluster"));
    settings = GitSettings.from(Map.of(), home);
    try (GitSource source =
        JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, cluster.clock)) {
      SampleCluster.seed(cluster.server, source, "HEAD~1", repository);
    }
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  Console open(GitSource git, String user) {
    return Console.open(
        git,
        cluster.gateway(),
        cluster.clock,
        Console.Options.defaults(user, LeaseHolder.of(user + "@bastion", "weir reconcile")));
  }

  @Test
  void aFailedAutomatedSyncWaitsForAPersonAndSaysWhy() throws Exception {
    try (GitSource git =
            JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, cluster.clock);
        Console console = open(git, "alice")) {
      CommandResult first = console.reconcileOnce().join();
      assertThat(first.details())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("automated (Git moved to ")
                      .contains("inventory")
                      .contains("conflict with \"kubectl-edit\""));

      for (int pass = 0; pass < 3; pass++) {
        cluster.clock.advance(Duration.ofMinutes(5));
        CommandResult again = console.reconcileOnce().join();
        assertThat(again.details()).noneMatch(line -> line.contains("inventory"));
      }
      ApplicationView inventory = console.snapshot().application("inventory").orElseThrow();
      assertThat(inventory.message())
          .contains("last sync (automated, ")
          .contains(") failed: apps/Deployment shop/inventory: ")
          .contains("conflict with \"kubectl-edit\"");
      // the line both faces show on the application's page, as its first note
      assertThat(inventory.failedSyncLine().orElseThrow())
          .startsWith("last sync (automated, 10:00) failed: apps/Deployment shop/inventory: ")
          .contains("conflict with \"kubectl-edit\"")
          .endsWith("(1 failed, 2 skipped)");
      assertThat(console.snapshot().events())
          .filteredOn(e -> e.application().equals("inventory"))
          .filteredOn(e -> e.kind() == ConsoleEvent.Kind.SYNC)
          .hasSize(1);
    }
    // a console that starts afresh reads the failure from the cluster and does not retry either
    try (GitSource git =
            JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, cluster.clock);
        Console console = open(git, "bob")) {
      CommandResult pass = console.reconcileOnce().join();
      assertThat(pass.details()).noneMatch(line -> line.contains("inventory"));
      assertThat(console.snapshot().application("inventory").orElseThrow().summary())
          .startsWith("OutOfSync, ")
          .contains(": 1 drifted (Deployment inventory: kubectl-edit changed spec.replicas 3→5")
          .contains("; last sync (automated, 10:00) failed: apps/Deployment shop/inventory: ");
    }
  }
}
