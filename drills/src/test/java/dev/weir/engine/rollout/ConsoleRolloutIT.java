package dev.weir.engine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.ResourceType;
import dev.weir.engine.console.ApplicationView;
import dev.weir.engine.console.CommandResult;
import dev.weir.engine.console.Console;
import dev.weir.engine.console.ConsoleEvent;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.LiveObject;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.traffic.TrafficRouter;
import dev.weir.engine.traffic.TrafficRoutingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import dev.weir.engine.telemetry.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console drives rollouts: Git (a bare repository with the sample storefront) and the sandbox
 * API server through client-java, in virtual time; the test plays the Deployment controller and a
 * person at the console.
 */
class ConsoleRolloutIT {
  static final String SAMPLE = "/dev/weir/drills/sample/01-bootstrap/apps/storefront/";
  static final List<String> FILES =
      List.of(
          "analysis.yaml",
          "application.yaml",
          "deployment.yaml",
          "httproute.yaml",
          "rollout.yaml",
          "services.yaml");
  static final ResourceKey STABLE = new ResourceKey("apps", "Deployment", "shop", "storefront");
  static final ResourceKey CANARY =
      new ResourceKey("apps", "Deployment", "shop", "storefront-canary");

  @TempDir Path home;
  TestCluster cluster;
  ClusterGateway gateway;
  GitSource git;
  Console console;
  RepoBuilder remote;

  static String sample(String file) {
    try (InputStream in = ConsoleRolloutIT.class.getResourceAsStream(SAMPLE + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void start() throws Exception {
    Path repo = home.resolve("shop.git");
    remote = RepoBuilder.init(repo);
    RepoBuilder.Commit bootstrap = remote.commit("storefront 2.4.0");
    for (String file : FILES) {
      bootstrap.add("apps/storefront/" + file, sample(file));
    }
    bootstrap.create();
    cluster = new TestCluster(home.resolve("cluster"));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    git =
        JGitSource.open(
            WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
    ScriptedMetrics metrics =
        new ScriptedMetrics()
            .asVectors()
            .set("http_requests_total", 0.995)
            .set("histogram_quantile", 0.12);
    console =
        Console.open(
            git,
            gateway,
            cluster.clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")),
            metrics,
            Runnable::run);
  }

  @AfterEach
  void stop() throws Exception {
    console.close();
    git.close();
    remote.close();
    cluster.close();
  }

  void podsReady() {
    ResourceType deployments = gateway.resourceType("apps/v1", "Deployment");
    for (LiveObject deployment : gateway.list(deployments, "shop", "")) {
      long replicas = deployment.at("spec.replicas").map(v -> ((Number) v).longValue()).orElse(1L);
      gateway.patchStatus(
          deployment.key(),
          Map.of(
              "observedGeneration", deployment.generation(),
              "replicas", replicas,
              "updatedReplicas", replicas,
              "readyReplicas", replicas,
              "availableReplicas", replicas),
          "kube-controller-manager");
    }
  }

  int weight() {
    return TrafficRouter.of(
            new TrafficRoutingSpec.GatewayApi("storefront"),
            "shop",
            "storefront-stable",
            "storefront-canary")
        .weight(gateway)
        .orElseThrow();
  }

  String image(ResourceKey key) {
    Object containers =
        gateway.get(key).orElseThrow().at("spec.template.spec.containers").orElseThrow();
    return String.valueOf(((Map<?, ?>) ((List<?>) containers).getFirst()).get("image"));
  }

  ApplicationView view() {
    return console.snapshot().application("storefront").orElseThrow();
  }

  RolloutStatus rollout() {
    return view().rollouts().stream().findFirst().orElseThrow();
  }

  /** Storefront synced at 2.4.0, then Git at 2.4.1: the canary runs at 5%. */
  void canaryAtFivePercent() {
    newVersionInGit();
    for (int i = 0; i < 5 && weight() != 5; i++) {
      podsReady();
      console.reconcileRollouts();
    }
    console.refresh().join();
    assertThat(weight()).isEqualTo(5);
    assertThat(image(CANARY)).isEqualTo("registry.example/shop/storefront:2.4.1");
    assertThat(rollout().weight()).isEqualTo(5);
    assertThat(rollout().step()).as("the 2-minute pause after setWeight 5").isEqualTo(2);
    assertThat(view().summary()).contains("rollout storefront " + rollout().phase().word());
    assertThat(
            view().resources().stream()
                .filter(r -> r.key().equals(STABLE))
                .findFirst()
                .orElseThrow()
                .sync())
        .as("the new template is the rollout's, not drift")
        .isEqualTo(SyncStatus.Synced);
  }

  /** Storefront synced at 2.4.0 and at rest, then Git at 2.4.1 and a refresh. */
  void newVersionInGit() {
    assertThat(console.refresh().join().ok()).isTrue();
    CommandResult synced = console.sync("storefront", Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message()).isTrue();
    podsReady();
    console.refresh().join();
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);

    remote
        .commit("storefront 2.4.1")
        .add(
            "apps/storefront/deployment.yaml",
            sample("deployment.yaml").replace("2.4.0", "2.4.1"))
        .create();
    console.refresh().join();
  }

  /**
   * Issue 17, §3: the rollout kept saying {@code waiting for canary pods} while its pods were
   * Ready, until the next comparison of the application (the Git poll). A pass that moves the
   * rollout is in the snapshot at once, and in what subscribers are handed, without a refresh.
   */
  @Test
  void aPassThatMovesTheRolloutIsInTheSnapshotWithoutARefresh() {
    newVersionInGit();
    assertThat(rollout().message()).endsWith("setWeight 5, waiting for canary pods");
    List<dev.weir.engine.console.ConsoleSnapshot> published =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    console.subscribe(published::add);

    podsReady();
    console.reconcileRollouts(); // what the informer's event of the canary's pods makes it do
    cluster.clock.advance(Duration.ofMillis(100)); // the publisher's coalescing interval

    assertThat(weight()).isEqualTo(5);
    assertThat(rollout().weight()).isEqualTo(5);
    assertThat(rollout().message()).doesNotContain("waiting for canary pods").contains("paused");
    assertThat(published.getLast().application("storefront").orElseThrow().rollouts().getFirst().weight())
        .isEqualTo(5);
    assertThat(view().rolloutViews().getFirst().status().weight()).isEqualTo(5);
  }

  @Test
  void aGoodCanaryIsPromotedEndToEndThroughConsoleCommands() {
    canaryAtFivePercent();

    boolean promoted = false;
    for (int tick = 0; tick < 100; tick++) {
      podsReady();
      console.reconcileRollouts();
      console.refresh().join();
      RolloutStatus status = rollout();
      if (status.phase() == RolloutPhase.HEALTHY && status.stableVersion().equals("v2.4.1")) {
        break;
      }
      if (status.message().endsWith("paused until promoted")) {
        CommandResult result =
            console.promote("storefront", Optional.empty(), "dashboards look fine").join();
        assertThat(result.ok()).as(result.message()).isTrue();
        promoted = true;
      }
      cluster.clock.advance(Duration.ofSeconds(30));
    }

    assertThat(promoted).as("the indefinite pause waited for a person").isTrue();
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(rollout().stableVersion()).isEqualTo("v2.4.1");
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.1");
    assertThat(weight()).isZero();
    assertThat(view().sync()).isEqualTo(SyncStatus.Synced);
    assertThat(view().summary()).doesNotContain("rollout storefront");
    assertThat(console.snapshot().events())
        .extracting(ConsoleEvent::message)
        .anyMatch(m -> m.startsWith("rollout ") && m.contains("alice"));
  }

  @Test
  void anAbortThroughTheConsoleSendsAllTrafficToStableAtOnce() {
    canaryAtFivePercent();

    CommandResult aborted =
        console.abort("storefront", Optional.empty(), "checkout errors").join();

    assertThat(aborted.ok()).as(aborted.message()).isTrue();
    assertThat(weight()).isZero();
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.0");
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(view().health().status())
        .as("an aborted rollout makes its application Degraded")
        .isEqualTo(dev.weir.engine.model.HealthStatus.Degraded);
    assertThat(view().summary())
        .startsWith("Synced, Degraded: v2.4.1 aborted by alice")
        .containsPattern("checkout errors; revert in Git: weir rollback storefront --to [0-9a-f]{7}")
        .doesNotContain("\n");
    assertThat(console.snapshot().events())
        .extracting(ConsoleEvent::message)
        .anyMatch(m -> m.startsWith("rollout ABORTED") && m.contains("checkout errors"));
  }

  @Test
  void previewsOfAbortAndSetWeightShowTheSplitAfterwardsAndChangeNothing() {
    canaryAtFivePercent();

    dev.weir.engine.console.Preview abort =
        console.previewAbort("storefront", Optional.empty()).join();
    dev.weir.engine.console.Preview setWeight =
        console.previewSetWeight("storefront", Optional.empty(), 30).join();

    assertThat(abort.title()).startsWith("Abort rollout storefront (");
    assertThat(abort.lines())
        .containsExactly(
            "now: stable v2.4.0 95%, canary v2.4.1 5%",
            "afterwards: stable v2.4.0 100%, canary v2.4.1 0%",
            "the canary v2.4.1 gets no traffic; the rollout stays Aborted until retried or Git"
                + " changes");
    assertThat(abort.needsConfirmation()).isTrue();
    assertThat(setWeight.title()).isEqualTo("Set the canary weight of rollout storefront to 30%");
    assertThat(setWeight.lines())
        .containsExactly(
            "now: stable v2.4.0 95%, canary v2.4.1 5%",
            "afterwards: stable v2.4.0 70%, canary v2.4.1 30%",
            // no analysis has measured yet: what the weight means is not known
            "30% to the canary: req/s unknown · errors/min unknown",
            "held there until resumed or promoted");
    assertThat(weight()).as("previews change nothing").isEqualTo(5);
    assertThat(console.previewSetWeight("storefront", Optional.empty(), 130).join().status())
        .isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(console.previewAbort("storefront", Optional.of("nope")).join().lines())
        .containsExactly("storefront has no rollout named 'nope'");

    console.abort("storefront", Optional.empty(), "checkout errors").join();
    assertThat(weight()).as("the abort leaves what its preview said").isZero();
  }

  @Test
  void withoutAMetricProviderTheCanaryPausesAsInconclusiveAndNeverPromotes() {
    console.close();
    // Our own Telemetry port, recorded in memory: what the console would push to a Pushgateway.
    List<String> pushed = new java.util.concurrent.CopyOnWriteArrayList<>();
    Telemetry recording =
        new Telemetry() {
          @Override
          public void recordReconcile(String application, Duration duration) {}

          @Override
          public void setDrift(String application, int resources) {}

          @Override
          public void recordSyncError(String application, String reason) {}

          @Override
          public void setRollout(String rollout, String phase, int canaryWeight) {
            pushed.add("rollout " + rollout + " " + phase + " " + canaryWeight);
          }

          @Override
          public void recordAnalysisVerdict(String rollout, String metric, String verdict) {
            pushed.add("verdict " + rollout + " " + verdict);
          }
        };
    console =
        Console.open(
            git,
            gateway,
            cluster.clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui"))
                .withTelemetry(recording),
            null,
            Runnable::run);
    newVersionInGit();

    for (int tick = 0; tick < 40; tick++) {
      podsReady();
      console.reconcileRollouts();
      cluster.clock.advance(Duration.ofSeconds(30));
    }
    console.refresh().join();

    assertThat(rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(rollout().stableVersion()).isEqualTo("v2.4.0");
    assertThat(image(STABLE)).isEqualTo("registry.example/shop/storefront:2.4.0");
    assertThat(weight()).isLessThanOrEqualTo(5);
    assertThat(view().summary()).contains("rollout storefront Paused");
    assertThat(console.snapshot().events())
        .extracting(ConsoleEvent::message)
        .anyMatch(m -> m.startsWith("rollout ANALYSIS_INCONCLUSIVE"));
    assertThat(pushed).contains("verdict storefront inconclusive").anyMatch(p -> p.startsWith("rollout storefront PAUSED"));
  }

  @Test
  void aRolloutCommandForAnApplicationWithoutRolloutsIsRefused() {
    console.refresh().join();

    CommandResult refused =
        console.pause("no-such-app", Optional.empty(), "just looking").join();

    assertThat(refused.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
  }
}
