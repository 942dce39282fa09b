package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.MetricProvider;
import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.QueryResult;
import dev.weir.engine.analysis.TimeSeries;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.git.GitIdentity;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An A/B experiment whose segment is a feature flag's fractional split, in the sandbox in virtual
 * time: the experiment step commits the split (20% on, 80% off), the console judges each flag
 * variant's conversions with the same always-valid test as a routed experiment, and concluding
 * promote B makes the flag's default and split B (a commit, synced), keep A aborts and the abort
 * puts the flag back as Git had it (the rollout's commit).
 *
 * <p>The conversions per flag variant come from {@link VariantConversions}, a stand-in: the
 * sandbox's services do not split requests by the flags ConfigMap on this branch (that is the
 * {@code flags-sandbox} work), so no real part can count a flag variant's conversions here. It
 * answers exactly the two queries with the {@code variant} label, from counters that grow with
 * the virtual clock; Git, the cluster, the rollout and the judge are all real.
 */
class FlagExperimentIT {
  static final String FILE = RolloutFlagStepIT.FILE;
  static final ResourceKey FLAGS = RolloutFlagStepIT.FLAGS;
  static final String FLAGD = RolloutFlagStepIT.FLAGD;
  static final String ROLLOUT =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Rollout
      metadata: {name: storefront}
      spec:
        targetRef: {kind: Deployment, name: storefront}
        strategy:
          canary:
            trafficRouting: {gatewayAPI: {httpRoute: storefront}}
            stableService: storefront-stable
            canaryService: storefront-canary
            steps:
            - setCanaryScale: {replicas: 1}
            - experiment:
                name: new-checkout
                segment: {flag: new-checkout-button, a: "off", b: "on", percent: 20}
                conversions:
                  successes: sum(conversions_total{service="storefront",variant="{{variant.name}}"})
                  trials: sum(http_requests_total{service="storefront",variant="{{variant.name}}"})
                alpha: 0.05
                maxSamples: 6000
      """;

  /**
   * Stand-in for per-variant metrics (see the class comment): 200 requests a second, 20% of them
   * on variant "on", converting at {@code rateOn}, the rest on "off" at 10%.
   */
  record VariantConversions(ManualClock clock, Instant from, double rateOn) implements MetricProvider {
    @Override
    public QueryResult<MetricValue> instant(String query, Instant at) {
      double seconds = Math.max(0, Duration.between(from, clock.instant()).toSeconds());
      boolean on = query.contains("variant=\"on\"");
      if (!on && !query.contains("variant=\"off\"")) {
        return QueryResult.ok(MetricValue.vector(List.of()));
      }
      double trials = Math.floor(seconds * (on ? 40 : 160));
      double successes = Math.floor(trials * (on ? rateOn : 0.10));
      return QueryResult.ok(
          MetricValue.scalar(query.startsWith("sum(conversions_total") ? successes : trials));
    }

    @Override
    public QueryResult<List<TimeSeries>> range(
        String query, Instant start, Instant end, Duration step) {
      return QueryResult.ok(List.of());
    }
  }

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  TestCluster cluster;
  ClusterGateway gateway;
  GitSource git;
  Path repo;
  Console console;

  void start(double rateOn) throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(5));
    gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    repo = dir.resolve("shop.git");
    try (RepoBuilder remote = RepoBuilder.init(repo)) {
      remote
          .commit("storefront 2.4.0")
          .add("apps/storefront/application.yaml", ExperimentSandboxIT.APP)
          .add("apps/storefront/deployment.yaml", ExperimentSandboxIT.deployment("2.4.0", 0.10))
          .add("apps/storefront/services.yaml", ExperimentSandboxIT.SERVICES)
          .add("apps/storefront/httproute.yaml", ExperimentSandboxIT.ROUTE)
          .add("apps/storefront/rollout.yaml", ROLLOUT)
          .add(FILE, FLAGD)
          .create();
    }
    git =
        JGitSource.open(
            WorkspaceSpec.of(repo.toString()),
            GitSettings.from(Map.of(), dir.resolve("home"))
                .withCredentialHelper(false)
                .withIdentity(new GitIdentity("Alice Example", "alice@example.com")),
            clock);
    console =
        Console.open(
            git,
            gateway,
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "console")),
            new VariantConversions(clock, clock.instant(), rateOn),
            Runnable::run);
    assertThat(console.refresh().join().ok()).isTrue();
    CommandResult synced = console.sync("storefront", Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message()).isTrue();
    drive(Duration.ofSeconds(30));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      remote
          .commit("storefront 2.4.1: the new checkout button behind its flag")
          .add("apps/storefront/deployment.yaml", ExperimentSandboxIT.deployment("2.4.1", 0.10))
          .create();
    }
    console.refresh().join();
  }

  @AfterEach
  void stop() throws Exception {
    if (console != null) {
      console.close();
    }
    if (git != null) {
      git.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  RolloutStatus rollout() {
    return console.snapshot().application("storefront").orElseThrow().rollouts().getFirst();
  }

  Optional<ExperimentView> experiment() {
    return console.snapshot().experiments("storefront").stream().findFirst();
  }

  @SuppressWarnings("unchecked")
  String configMap() {
    return (String) ((Map<String, Object>) gateway.get(FLAGS).orElseThrow().object().get("data")).get("flagd.json");
  }

  String remoteFile() {
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      return remote.read("main", FILE);
    }
  }

  void drive(Duration how) {
    for (long second = 0; second < how.toSeconds(); second += 5) {
      console.reconcileRollouts();
      clock.advance(Duration.ofSeconds(5));
      if (second % 15 == 10) {
        console.refresh().join();
      }
    }
    console.refresh().join();
  }

  void driveUntilStopped(Duration limit) {
    Instant from = clock.instant();
    while (Duration.between(from, clock.instant()).compareTo(limit) < 0) {
      drive(Duration.ofSeconds(15));
      if (experiment().map(ExperimentView::stopped).orElse(false)) {
        return;
      }
    }
    throw new AssertionError("not stopped in " + limit + ": " + experiment());
  }

  static final String SPLIT =
      FLAGD.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");

  @Test
  void aBetterFlagVariantWinsAndPromotingMakesItTheFlagsDefault() throws Exception {
    start(0.13);
    drive(Duration.ofSeconds(30));
    assertThat(remoteFile()).as("the experiment's split, committed").isEqualTo(SPLIT);
    assertThat(configMap()).isEqualTo(SPLIT);

    driveUntilStopped(Duration.ofMinutes(30));
    ExperimentView view = experiment().orElseThrow();
    assertThat(view.outcome()).as(view.message()).isEqualTo("B wins");
    assertThat(view.segment()).isEqualTo("flag new-checkout-button = on (20%, fractional)");
    assertThat(view.variants().get(1).trials()).isLessThan(6000);

    Preview preview =
        console.previewConclude("storefront", ExperimentConclusion.PROMOTE, "on converts better").join();
    assertThat(preview.lines())
        .contains("flag new-checkout-button: default variant on and its split on 100%, one commit, pushed"
            + " and synced (before the rollout moves)");
    CommandResult concluded =
        console.conclude("storefront", ExperimentConclusion.PROMOTE, "on converts better").join();
    assertThat(concluded.ok()).as(concluded.message()).isTrue();

    String on = SPLIT.replace("\"defaultVariant\": \"off\"", "\"defaultVariant\": \"on\"")
        .replace("[[\"on\", 20], [\"off\", 80]]", "[[\"on\", 100], [\"off\", 0]]");
    assertThat(remoteFile()).isEqualTo(on);
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      RevCommit head = remote.parse("main");
      assertThat(head.getShortMessage())
          .isEqualTo("Set flag new-checkout-button of storefront: default variant on, fractional on 100% / off 0%");
      assertThat(head.getFullMessage()).contains("on converts better");
      assertThat(remote.repository().parseCommit(head.getParent(0)).getShortMessage())
          .isEqualTo("Experiment new-checkout of storefront: promote B v2.4.1 over v2.4.0");
    }
    drive(Duration.ofSeconds(30));
    assertThat(configMap()).isEqualTo(on);
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(remoteFile()).as("promotion keeps the flag as concluded").isEqualTo(on);
  }

  @Test
  void keepingAPutsTheFlagBackAsGitHadIt() throws Exception {
    start(0.10);
    drive(Duration.ofSeconds(30));
    assertThat(remoteFile()).isEqualTo(SPLIT);

    CommandResult kept =
        console.conclude("storefront", ExperimentConclusion.KEEP, "no measurable gain").join();
    assertThat(kept.ok()).as(kept.message()).isTrue();
    drive(Duration.ofSeconds(15));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(remoteFile()).isEqualTo(FLAGD);
    assertThat(configMap()).isEqualTo(FLAGD);
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      RevCommit head = remote.parse("main");
      assertThat(head.getAuthorIdent().getName()).isEqualTo("weir rollout storefront");
      assertThat(head.getFullMessage()).contains("rollout storefront of v2.4.1 stopped: flags back to Git's at");
    }
  }
}
