package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SandboxMetricProvider;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.git.GitIdentity;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An A/B experiment end to end in the sandbox, in virtual time: Git (a bare repository), the
 * sandbox's API server through client-java, its world simulating pods, the HTTPRoute's header
 * match and each version's conversions (the pod template's {@code sandbox.weir.dev/conversion-rate}),
 * read through the sandbox's metric provider. 20% of the requests carry {@code x-segment: beta}
 * and go to B; A keeps the rest. B converting at 13% against A's 10% is stopped early with B the
 * winner; at equal rates the test runs to its sample limit with no difference; concluding makes a
 * commit with the author and the reason, then promotes or aborts the rollout.
 */
class ExperimentSandboxIT {
  static final String APP =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Application
      metadata: {name: storefront}
      spec:
        source: {path: apps/storefront}
        destination: {namespace: shop}
      """;
  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: storefront}
      spec:
        replicas: 4
        selector:
          matchLabels: {app.kubernetes.io/name: storefront}
        template:
          metadata:
            labels: {app.kubernetes.io/name: storefront, app.kubernetes.io/version: "VERSION"}
            annotations: {sandbox.weir.dev/conversion-rate: "RATE", sandbox.weir.dev/startup-delay: 5s}
          spec:
            containers:
            - {name: storefront, image: "registry.example/shop/storefront:VERSION"}
      """;
  static final String SERVICES =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: storefront-stable}
      spec:
        selector: {app.kubernetes.io/name: storefront}
        ports: [{name: http, port: 80, targetPort: 8080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: storefront-canary}
      spec:
        selector: {app.kubernetes.io/name: storefront}
        ports: [{name: http, port: 80, targetPort: 8080}]
      """;
  static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: storefront
        annotations:
          sandbox.weir.dev/request-rate: "200"
          sandbox.weir.dev/request-classes: '[{"share":0.2,"headers":{"x-segment":"beta"}}]'
      spec:
        parentRefs: [{name: shop-gateway}]
        rules:
        - backendRefs:
          - {name: storefront-stable, port: 80, weight: 100}
          - {name: storefront-canary, port: 80, weight: 0}
      """;
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
                segment:
                  match:
                  - headerName: x-segment
                    headerValue: {exact: beta}
                conversions:
                  successes: sum(conversions_total{service="storefront",rollouts_weir_dev_pod_template_hash="{{variant.hash}}"})
                  trials: sum(http_requests_total{service="storefront",rollouts_weir_dev_pod_template_hash="{{variant.hash}}",code="200"})
                alpha: 0.05
                maxSamples: 6000
      """;

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  final List<String> events = new CopyOnWriteArrayList<>();
  TestCluster cluster;
  RepoBuilder remote;
  GitSource git;
  Console console;

  void start(double rateB) throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    SandboxWorld world = SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(11));
    ClusterGateway gateway = cluster.gateway();
    gateway.apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
        ApplyOptions.weir());
    Path repo = dir.resolve("shop.git");
    remote = RepoBuilder.init(repo);
    remote
        .commit("storefront 2.4.0")
        .add("apps/storefront/application.yaml", APP)
        .add("apps/storefront/deployment.yaml", deployment("2.4.0", 0.10))
        .add("apps/storefront/services.yaml", SERVICES)
        .add("apps/storefront/httproute.yaml", ROUTE)
        .add("apps/storefront/rollout.yaml", ROLLOUT)
        .create();
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
            new SandboxMetricProvider(world.metrics()),
            Runnable::run);
    console.onEvent(e -> events.add(e.application() + " " + e.message()));

    assertThat(console.refresh().join().ok()).isTrue();
    CommandResult synced = console.sync("storefront", Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message()).isTrue();
    drive(Duration.ofSeconds(30));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);

    remote
        .commit("storefront 2.4.1: the new checkout button")
        .add("apps/storefront/deployment.yaml", deployment("2.4.1", rateB))
        .create();
    console.refresh().join();
  }

  static String deployment(String version, double rate) {
    return DEPLOYMENT.replace("VERSION", version).replace("RATE", Double.toString(rate));
  }

  @AfterEach
  void stop() throws Exception {
    if (console != null) {
      console.close();
    }
    if (git != null) {
      git.close();
    }
    if (remote != null) {
      remote.close();
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

  /** The console drives the rollout 5 s at a time, refreshing (and looking) every 15 s. */
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

  /** Drives until the experiment stops, at most {@code limit}; answers the time it took. */
  Duration driveUntilStopped(Duration limit) {
    Instant from = clock.instant();
    while (Duration.between(from, clock.instant()).compareTo(limit) < 0) {
      drive(Duration.ofSeconds(15));
      if (experiment().map(ExperimentView::stopped).orElse(false)) {
        return Duration.between(from, clock.instant());
      }
    }
    throw new AssertionError(
        "not stopped in " + limit + ": " + experiment() + "\n" + String.join("\n", events));
  }

  @Test
  void aBetterBIsStoppedEarlyAsTheWinnerAndPromotedByACommit() throws Exception {
    start(0.13);
    Duration took = driveUntilStopped(Duration.ofMinutes(30));

    ExperimentView view = experiment().orElseThrow();
    assertThat(view.outcome()).as(view.message()).isEqualTo("B wins");
    assertThat(view.decision()).isEqualTo("promote");
    assertThat(view.segment()).isEqualTo("header x-segment = beta");
    ExperimentView.Variant a = view.variants().get(0);
    ExperimentView.Variant b = view.variants().get(1);
    assertThat(a.version()).isEqualTo("v2.4.0");
    assertThat(b.version()).isEqualTo("v2.4.1");
    assertThat(b.trafficShare()).as("the segment is 20% of the requests").isBetween(0.15, 0.25);
    assertThat(b.trials()).as("early: before the sample limit").isLessThan(6000);
    assertThat(b.rate()).isBetween(0.10, 0.16);
    assertThat(a.rate()).isBetween(0.08, 0.12);
    assertThat(view.lower()).as("the interval lies above 0").isPositive();
    assertThat(view.uplift()).isBetween(view.lower(), view.upper());
    assertThat(view.message()).contains("B wins: promote B");
    assertThat(took).isLessThan(Duration.ofMinutes(30));
    assertThat(rollout().phase()).as("waits for a person").isEqualTo(RolloutPhase.PAUSED);

    Preview preview =
        console
            .previewConclude("storefront", ExperimentConclusion.PROMOTE, "B converts better")
            .join();
    assertThat(preview.title()).isEqualTo("Conclude experiment new-checkout: promote B v2.4.1");
    assertThat(preview.lines())
        .anyMatch(l -> l.startsWith("commit on branch main"))
        .contains("  | Experiment new-checkout of storefront: promote B v2.4.1 over v2.4.0");

    CommandResult concluded =
        console.conclude("storefront", ExperimentConclusion.PROMOTE, "B converts better").join();
    assertThat(concluded.ok()).as(concluded.message()).isTrue();

    try (RepoBuilder after = RepoBuilder.open(dir.resolve("shop.git"))) {
      RevCommit head = after.parse("main");
      assertThat(head.getAuthorIdent().getName()).isEqualTo("Alice Example");
      assertThat(head.getFullMessage())
          .startsWith("Experiment new-checkout of storefront: promote B v2.4.1 over v2.4.0")
          .contains("B converts better");
      String record = after.read("main", "apps/storefront/EXPERIMENTS.md");
      assertThat(record)
          .contains("## new-checkout (rollout storefront)")
          .contains("- decision: promote B v2.4.1")
          .contains("- by: alice")
          .contains("- reason: B converts better")
          .contains("- result: B wins: ");
    }
    drive(Duration.ofSeconds(30));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(rollout().stableVersion()).isEqualTo("v2.4.1");
    assertThat(experiment().orElseThrow().concluded())
        .contains("promoted by alice: B converts better");
  }

  @Test
  void equalRatesRunToTheSampleLimitWithNoDifferenceAndKeepAbortsByACommit() throws Exception {
    start(0.10);
    driveUntilStopped(Duration.ofHours(1));

    ExperimentView view = experiment().orElseThrow();
    assertThat(view.outcome()).as(view.message()).isEqualTo("No difference");
    assertThat(view.decision()).isEqualTo("keep");
    assertThat(view.variants().get(1).trials()).isGreaterThanOrEqualTo(6000);
    assertThat(view.lower()).isNegative();
    assertThat(view.upper()).isPositive();

    Preview promoteAnyway =
        console.previewConclude("storefront", ExperimentConclusion.PROMOTE, "ship it").join();
    assertThat(promoteAnyway.lines())
        .contains("note: the test recommends keep; you are choosing to promote");

    CommandResult noReason =
        console.conclude("storefront", ExperimentConclusion.KEEP, " ").join();
    assertThat(noReason.status()).isEqualTo(CommandResult.Status.BAD_INPUT);

    CommandResult kept =
        console.conclude("storefront", ExperimentConclusion.KEEP, "no measurable gain").join();
    assertThat(kept.ok()).as(kept.message()).isTrue();
    try (RepoBuilder after = RepoBuilder.open(dir.resolve("shop.git"))) {
      RevCommit head = after.parse("main");
      assertThat(head.getFullMessage())
          .startsWith("Experiment new-checkout of storefront: keep A v2.4.0 over v2.4.1")
          .contains("no measurable gain");
    }
    drive(Duration.ofSeconds(15));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(rollout().weight()).isZero();
  }
}
