package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.drills.SampleCluster;
import dev.weir.drills.SampleRepository;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary analysis against the cluster's own Prometheus, the way a real cluster is analysed: the
 * console finds the Prometheus Service by discovery and queries it through the API server's service
 * proxy with the kubeconfig's credentials — here the sandbox (seeded with the sample repository, on
 * the engine's clock), whose Service {@code monitoring/prometheus} answers from the simulated
 * traffic, as a real Prometheus scraping its {@code /metrics} would ({@code
 * PrometheusServiceProxyIT} shows they agree). A canary that fails on those metrics is rolled back;
 * one that passes is promoted. No in-process metric provider is involved.
 */
class ServiceProxyCanaryIT {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  final List<String> events = new CopyOnWriteArrayList<>();
  TestCluster cluster;
  Path repository;
  GitSettings settings;
  GitSource git;
  PrometheusSelection metrics;
  Console console;

  @BeforeEach
  void seed() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(3));
    repository = dir.resolve("shop.git");
    SampleRepository.write(repository, Instant.parse("2026-01-01T09:00:00Z"));
    settings =
        GitSettings.from(Map.of("PATH", System.getenv("PATH")), dir.resolve("home"))
            .withCredentialHelper(false);
    try (JGitSource source =
        JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock)) {
      SampleCluster.seed(cluster.server, source, "HEAD~1", repository);
    }
    clock.advance(Duration.ofMinutes(2));
    git = JGitSource.open(WorkspaceSpec.of(repository.toString()), settings, clock);
    KubeClusterGateway gateway = cluster.gateway();
    metrics = PrometheusSelection.discovering(gateway, PrometheusAccess.none(), clock);
    console =
        Console.open(
            git,
            gateway,
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "console")),
            metrics,
            Runnable::run);
    console.onEvent(e -> events.add(e.application() + " " + e.message()));
  }

  @AfterEach
  void stop() throws Exception {
    if (console != null) {
      console.close();
    }
    if (git != null) {
      git.close();
    }
    cluster.close();
  }

  @Test
  void aCanaryThatFailsOnThePrometheusMetricsIsRolledBack() {
    // storefront's v2.4.1, the sample's newest commit, fails 8% of its requests
    RolloutStatus status = drive("storefront", "ROLLED_BACK");

    assertThat(metrics.describe())
        .isEqualTo("prometheus via service proxy monitoring/prometheus:9090");
    assertThat(status.phase()).isIn(RolloutPhase.ABORTED, RolloutPhase.DEGRADED);
    assertThat(status.weight()).isZero();
    assertThat(status.stableVersion()).isEqualTo("v2.4.0");
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e)
                    .matches(
                        "storefront rollout ANALYSIS_MEASURED: step 3/7 analysis"
                            + " success-rate: .*\\(last: success-rate 0\\.9\\d*\\)"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .matches(
                        "storefront rollout ROLLED_BACK: v2\\.4\\.1 rolled back: \\S+"
                            + " [\\d.]+ \\(result\\[0\\] [<>=]+ [\\d.]+ not met\\).*"))
        .noneSatisfy(e -> assertThat(e).contains("Inconclusive"));
  }

  @Test
  void aCanaryThatPassesOnThePrometheusMetricsIsPromoted() throws Exception {
    commit("apps/checkout/deployment.yaml", "1.5.0", "1.5.1");

    RolloutStatus status = drive("checkout", "PROMOTED");

    assertThat(metrics.describe())
        .isEqualTo("prometheus via service proxy monitoring/prometheus:9090");
    assertThat(status.phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(status.stableVersion()).isEqualTo("v1.5.1");
    assertThat(status.weight()).isZero();
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e)
                    .matches(
                        "checkout rollout ANALYSIS_SUCCESSFUL: step 3/5 analysis"
                            + " success-rate Successful: 4 measured \\(last: success-rate"
                            + " 0\\.9\\d*\\)"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("rollout PROMOTED: v1.5.1 promoted: 100% on stable"));
  }

  /**
   * Lets the console drive {@code application}'s rollout on the engine's clock (5 s at a time, up
   * to 20 minutes), as a console would, until it records an event with {@code reason}; then the
   * rollout as the console shows it.
   */
  private RolloutStatus drive(String application, String reason) {
    console.refresh().join();
    String prefix = application + " rollout " + reason + ":";
    for (int second = 0; second <= 20 * 60; second += 5) {
      if (events.stream().anyMatch(e -> e.startsWith(prefix))) {
        console.refresh().join();
        return rollout(application).orElseThrow();
      }
      console.reconcileRollouts();
      clock.advance(Duration.ofSeconds(5));
    }
    throw new AssertionError(
        application + " saw no " + reason + " in 20 minutes:\n" + String.join("\n", events));
  }

  private Optional<RolloutStatus> rollout(String application) {
    return console
        .snapshot()
        .application(application)
        .flatMap(a -> a.rollouts().stream().findFirst());
  }

  /** A person's commit of a new version, pushed to the repository the console follows. */
  private void commit(String file, String from, String to) throws Exception {
    Path work = dir.resolve("work");
    try (Git clone =
        Git.cloneRepository()
            .setURI(repository.toUri().toString())
            .setDirectory(work.toFile())
            .setBranch("main")
            .call()) {
      Path path = work.resolve(file);
      Files.writeString(
          path,
          Files.readString(path, StandardCharsets.UTF_8).replace(from, to),
          StandardCharsets.UTF_8);
      clone.add().addFilepattern(file).call();
      PersonIdent alice =
          new PersonIdent("alice", "alice@shop.example", clock.instant(), ZoneOffset.UTC);
      clone
          .commit()
          .setMessage("checkout: release v" + to)
          .setAuthor(alice)
          .setCommitter(alice)
          .setSign(false)
          .call();
      clone.push().setRemote("origin").add("main").call();
    }
  }
}
