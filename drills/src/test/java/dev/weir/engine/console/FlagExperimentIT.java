package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.analysis.MetricValue;
import dev.weir.engine.analysis.PrometheusAccess;
import dev.weir.engine.analysis.PrometheusSelection;
import dev.weir.engine.analysis.QueryResult;
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
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An A/B experiment whose segment is a feature flag's fractional split, end to end in the sandbox
 * in virtual time: the experiment step commits the split (20% on, 80% off) and syncs it, so the
 * flags ConfigMap in the cluster changes; the sandbox's storefront pods read that ConfigMap and
 * split their requests by flagd's evaluation of it (their pod template names the flag, {@code
 * sandbox.weir.dev/flag}, and gives variant "on" its own conversion rate, {@code
 * sandbox.weir.dev/variant-profiles}); the console reads each flag variant's conversions from the
 * cluster's Prometheus — found by discovery and queried through the API server's service proxy, as
 * for any experiment — by the {@code variant} label, and judges them with the same always-valid
 * test as a routed experiment. "on" converting at 13% against "off"'s 10% is stopped early with B
 * the winner, and concluding promote B makes the flag's default and split B (a commit, synced);
 * keep A aborts, and the abort puts the flag back as Git had it (the rollout's commit), after which
 * the sandbox serves every request "off" again. No in-process metric provider is involved.
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
   * storefront's Deployment: four pods converting at 10%, whose requests the flag splits; the
   * variant "on" (the new checkout button, behind the flag since this version) converts at {@code
   * rateOn}.
   */
  static String deployment(String version, double rateOn) {
    return ExperimentSandboxIT.deployment(version, 0.10)
        .replace(
            "sandbox.weir.dev/startup-delay: 5s}",
            "sandbox.weir.dev/startup-delay: 5s, sandbox.weir.dev/flag: new-checkout-button,"
                + " sandbox.weir.dev/variant-profiles: '{\"on\": {\"conversion-rate\": \""
                + rateOn
                + "\"}}'}");
  }

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  TestCluster cluster;
  ClusterGateway gateway;
  GitSource git;
  PrometheusSelection metrics;
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
          .commit("storefront 2.4.0: the new checkout button behind its flag, off")
          .add("apps/storefront/application.yaml", ExperimentSandboxIT.APP)
          .add("apps/storefront/deployment.yaml", deployment("2.4.0", rateOn))
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
    metrics = PrometheusSelection.discovering(gateway, PrometheusAccess.none(), clock);
    console =
        Console.open(
            git,
            gateway,
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@laptop", "console")),
            metrics,
            Runnable::run);
    assertThat(console.refresh().join().ok()).isTrue();
    CommandResult synced = console.sync("storefront", Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message()).isTrue();
    drive(Duration.ofSeconds(30));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      remote
          .commit("storefront 2.4.1")
          .add("apps/storefront/deployment.yaml", deployment("2.4.1", rateOn))
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

  /**
   * The requests variant {@code variant} of the flag served in the last minute, as the cluster's
   * Prometheus (through the service proxy) answers.
   */
  double lastMinute(String variant) {
    QueryResult<MetricValue> result =
        metrics.instant(
            "sum(increase(http_requests_total{service=\"storefront\",variant=\""
                + variant
                + "\"}[1m]))",
            clock.instant());
    if (!(result instanceof QueryResult.Ok<MetricValue> ok)) {
      throw new AssertionError("the sandbox's Prometheus did not answer: " + result);
    }
    return ok.value().isEmpty() ? 0 : ok.value().first();
  }

  static final String SPLIT =
      FLAGD.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");

  @Test
  void aBetterFlagVariantWinsAndPromotingMakesItTheFlagsDefault() throws Exception {
    start(0.13);
    drive(Duration.ofSeconds(30));
    assertThat(remoteFile()).as("the experiment's split, committed").isEqualTo(SPLIT);
    assertThat(configMap()).isEqualTo(SPLIT);

    drive(Duration.ofMinutes(1));
    double on = lastMinute("on");
    double off = lastMinute("off");
    assertThat(on / (on + off))
        .as("the sandbox splits storefront's requests by the committed flag: on " + on + ", off " + off)
        .isBetween(0.15, 0.25);

    driveUntilStopped(Duration.ofMinutes(30));
    assertThat(metrics.describe())
        .isEqualTo("prometheus via service proxy monitoring/prometheus:9090");
    ExperimentView view = experiment().orElseThrow();
    assertThat(view.outcome()).as(view.message()).isEqualTo("B wins");
    assertThat(view.decision()).isEqualTo("promote");
    assertThat(view.segment()).isEqualTo("flag new-checkout-button = on (20%, fractional)");
    ExperimentView.Variant a = view.variants().get(0);
    ExperimentView.Variant b = view.variants().get(1);
    assertThat(b.trafficShare()).as("the flag's 20%, as flagd buckets the users").isBetween(0.15, 0.25);
    assertThat(b.trials()).as("early: before the sample limit").isLessThan(6000);
    assertThat(b.rate()).as("on converts at 13%").isBetween(0.10, 0.16);
    assertThat(a.rate()).as("off converts at 10%").isBetween(0.08, 0.12);
    assertThat(view.uplift()).as("on ahead").isPositive().isBetween(view.lower(), view.upper());
    assertThat(view.message()).contains("B wins: promote B");

    Preview preview =
        console.previewConclude("storefront", ExperimentConclusion.PROMOTE, "on converts better").join();
    assertThat(preview.lines())
        .contains("flag new-checkout-button: default variant on and its split on 100%, one commit, pushed"
            + " and synced (before the rollout moves)");
    CommandResult concluded =
        console.conclude("storefront", ExperimentConclusion.PROMOTE, "on converts better").join();
    assertThat(concluded.ok()).as(concluded.message()).isTrue();

    String promoted = SPLIT.replace("\"defaultVariant\": \"off\"", "\"defaultVariant\": \"on\"")
        .replace("[[\"on\", 20], [\"off\", 80]]", "[[\"on\", 100], [\"off\", 0]]");
    assertThat(remoteFile()).isEqualTo(promoted);
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      RevCommit head = remote.parse("main");
      assertThat(head.getShortMessage())
          .isEqualTo("Set flag new-checkout-button of storefront: default variant on, fractional on 100% / off 0%");
      assertThat(head.getFullMessage()).contains("on converts better");
      assertThat(remote.repository().parseCommit(head.getParent(0)).getShortMessage())
          .isEqualTo("Experiment new-checkout of storefront: promote B v2.4.1 over v2.4.0");
    }
    drive(Duration.ofSeconds(30));
    assertThat(configMap()).isEqualTo(promoted);
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(remoteFile()).as("promotion keeps the flag as concluded").isEqualTo(promoted);
    drive(Duration.ofMinutes(2));
    assertThat(lastMinute("on")).as("every user gets on").isPositive();
    assertThat(lastMinute("off")).as("no user gets off").isZero();
  }

  @Test
  void keepingAPutsTheFlagBackAsGitHadIt() throws Exception {
    start(0.10);
    drive(Duration.ofMinutes(1));
    assertThat(remoteFile()).isEqualTo(SPLIT);
    assertThat(lastMinute("on")).as("the split serves on").isPositive();

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
    drive(Duration.ofMinutes(2));
    assertThat(lastMinute("on")).as("the flag back at 0%: no user gets on").isZero();
    assertThat(lastMinute("off")).isPositive();
  }
}
