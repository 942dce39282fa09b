package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.drills.LocalSandbox;
import dev.weir.sandbox.api.SandboxStateLocation;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir sandbox init}, {@code run --scenario} and {@code reset} as a user runs them, on the
 * sandbox kept under the (test's) data directory. Every drill is played three times at {@code
 * --speed max} while two threads of this JVM hog the CPU, and must print the same lines each time,
 * times included: sandbox time is virtual, so a busy machine changes nothing but how long it
 * takes. No step deadline here is wall time.
 */
class SandboxScenariosIT {
  private static final List<Thread> HOGS = new ArrayList<>();
  private static volatile boolean hogging;

  @TempDir Path home;
  Path repository;

  @BeforeAll
  static void hogTheCpu() {
    hogging = true;
    for (int i = 0; i < 2; i++) {
      Thread hog = new Thread(() -> {
        long spin = 0;
        while (hogging) {
          spin = spin * 31 + 7; // busy: the drills must not notice
        }
        if (spin == 42) {
          System.out.println(spin);
        }
      }, "cpu-hog-" + i);
      hog.setDaemon(true);
      hog.start();
      HOGS.add(hog);
    }
  }

  @AfterAll
  static void stopHogging() throws InterruptedException {
    hogging = false;
    for (Thread hog : HOGS) {
      hog.join();
    }
  }

  @BeforeEach
  void init() {
    repository = home.resolve("shop");
    CliRun init = CliRun.weir(home, "sandbox", "init", repository.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.out())
        .contains("wrote the sample repository to " + repository)
        .containsPattern("seeded the sandbox \\(.*state\\.json\\): 7 applications, 19 objects, as Git stood at [0-9a-f]{7} \\(HEAD~1\\)")
        .contains("drift made by hand: inventory scaled from 3 to 5 replicas by kubectl-edit");
  }

  /**
   * Plays {@code scenario} three times as fast as possible and returns what it printed, the same
   * each time; the shared sandbox's state and the user's repository are left as they were.
   */
  String playThrice(String scenario, String... more) throws Exception {
    Path state = home.resolve("data/weir/sandbox/state.json");
    byte[] stateBefore = Files.readAllBytes(state);
    String mainBefore = main();
    List<Path> cacheBefore = files(home.resolve("cache"));
    List<String> outputs = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<String> args = new ArrayList<>(List.of("sandbox", "run", "--scenario", scenario, "--speed", "max"));
      args.addAll(List.of(more));
      long started = System.nanoTime();
      CliRun run = CliRun.weir(home, args.toArray(String[]::new));
      millis.add((System.nanoTime() - started) / 1_000_000);
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      outputs.add(run.out());
    }
    System.out.printf("drill %s, three runs at --speed max with two CPU hogs: %s ms%n", scenario, millis);
    assertThat(outputs.get(1)).as("the second run tells the same story").isEqualTo(outputs.get(0));
    assertThat(outputs.get(2)).as("the third run tells the same story").isEqualTo(outputs.get(0));
    assertThat(Files.readAllBytes(state)).as("the shared sandbox is never touched").isEqualTo(stateBefore);
    assertThat(main()).as("the user's repository is never touched").isEqualTo(mainBefore);
    assertThat(files(home.resolve("cache"))).as("no clone is left in the user's cache").isEqualTo(cacheBefore);
    return outputs.getFirst();
  }

  static List<Path> files(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.sorted().toList();
    }
  }

  String main() throws Exception {
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(repository.toFile())) {
      return git.getRepository().resolve("refs/heads/main").getName();
    }
  }

  @Test
  void initSeedsTheSandboxOnceAsGitStoodOneCommitBeforeTheNewestWithTheDrift() throws Exception {
    assertThat(Files.isRegularFile(home.resolve("data/weir/sandbox/state.json"))).isTrue();
    CliRun status = CliRun.weir(home, "status", "--repo", repository.toString(), "--sandbox", "-o", "json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    Map<String, String> sync = new HashMap<>();
    for (JsonNode application : new ObjectMapper().readTree(status.out()).path("applications")) {
      sync.put(application.path("name").asText(), application.path("sync").asText());
    }
    assertThat(sync)
        .containsEntry("inventory", "OutOfSync") // the drift made by hand
        .containsEntry("storefront", "Synced") // its new template belongs to its rollout
        .containsEntry("checkout", "Synced")
        .containsEntry("search", "Synced");
    assertThat(CliRun.weir(home, "status", "--repo", repository.toString(), "--sandbox", "-o", "wide").out())
        .as("the status line names the drifted field and who changed it")
        .containsPattern(
            "inventory +OutOfSync +\\w+ +\\w+ +nobody +1 drifted \\(Deployment inventory: kubectl-edit changed"
                + " spec.replicas 3→5 at \\d\\d:\\d\\d\\)");
    CliRun rollout =
        CliRun.weir(home, "rollout", "status", "storefront", "--repo", repository.toString(), "--sandbox");
    assertThat(rollout.out())
        .as("the newest commit waits to roll out")
        .startsWith("storefront  Progressing  v2.4.1 due beside v2.4.0");

    CliRun again = CliRun.weir(home, "sandbox", "init", repository.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out())
        .contains("sample repository already at " + repository + "; left as it is")
        .contains("already holds applications seeded from " + repository + "; left as it is");
  }

  @Test
  void resetStartsTheSandboxAfresh() {
    CliRun reset = CliRun.weir(home, "sandbox", "reset");
    assertThat(reset.exitCode()).isZero();
    assertThat(reset.out()).startsWith("reset the sandbox: deleted ");
    assertThat(Files.exists(home.resolve("data/weir/sandbox/state.json"))).isFalse();
    CliRun drift = CliRun.weir(home, "sandbox", "run", "--scenario", "drift", "--speed", "max");
    assertThat(drift.exitCode()).isEqualTo(1);
    assertThat(drift.out()).contains("the sandbox has no Deployment shop/checkout: run 'weir sandbox init DIR' first");
  }

  @Test
  void driftIsMadeDetectedAndSelfHealedByTheEngine() throws Exception {
    String out = playThrice("drift", "--seed", "7");
    assertThat(out)
        .startsWith("scenario drift on a scratch copy of the sandbox, seed 7, as fast as possible\n")
        .contains("+00:00  checkout    Deployment shop/checkout scaled from 3 to 1 in the cluster by kubectl-edit")
        .containsPattern("checkout    drift detected: OutOfSync: apps/Deployment shop/checkout: kubectl-edit changed spec.replicas 3→1")
        .containsPattern("checkout    reconciled: synced to [0-9a-f]{7}")
        .contains("scaled up replica set checkout-")
        .contains("healed: 3/3 pods ready, as in Git (drift gone)")
        .containsPattern("drift played out in (\\d+m)?\\d+s of sandbox time\n$");
  }

  @Test
  void latencySpikeCrossesTheThresholdAndRecovers() throws Exception {
    String out = playThrice("latency-spike");
    assertThat(out)
        .containsPattern("\\+01:0\\d  storefront  p99 latency 0\\.[12]\\ds \\(before the spike")
        .contains("storefront  a dependency slows down: latency ×4 for 3m (drill: latency-spike)")
        .containsPattern("storefront  p99 latency \\d\\.\\d\\ds \\(above the 0.3s threshold of the latency analysis\\)")
        .containsPattern("storefront  p99 latency back to 0\\.2\\ds \\(the fault ended\\)")
        .contains("latency-spike played out in ");
  }

  @Test
  void crashloopStallsTheRolloutAndRecoversAfterTheRollback() throws Exception {
    String out = playThrice("crashloop");
    assertThat(out)
        .contains("pricing     pod template changed in the cluster: sandbox.weir.dev/crashloop=true")
        .contains("container crashed, back-off 10s restarting (restart 1)")
        .containsPattern("is in CrashLoopBackOff after 3 restarts; 2 pods still serve")
        .contains("pricing     pod template restored (kubectl rollout undo)")
        .contains("recovered: 2/2 pods ready")
        .contains("crashloop played out in ");
  }

  @Test
  void gitUnreachableKeepsTheLastStateMarkedStale() throws Exception {
    String out = playThrice("git-unreachable");
    assertThat(out)
        .containsPattern("workspace   git: following [0-9a-f]{7}; 7 applications rendered \\(fresh\\)")
        .contains("workspace   git: fetch failed: ")
        .containsPattern("serving the last state: [0-9a-f]{7}, 7 applications kept, marked stale")
        .containsPattern("git: [0-9a-f]{7}, fetched 1m ago \\(stale: ")
        .containsPattern("git: remote back; fresh at [0-9a-f]{7}")
        .contains("git-unreachable played out in ");
  }

  @Test
  void badCanaryFailsItsAnalysisAndAbortsBackToStableAndPlaysAgainAfterTheQuickStartsInitAgain()
      throws Exception {
    String out = playThrice("bad-canary");
    assertThat(out)
        .containsPattern("storefront  rollout STARTED: v2\\.4\\.1 rollout started beside v2\\.4\\.0")
        .containsPattern("storefront  rollout WEIGHT: canary weight 0% → 5%")
        .containsPattern("storefront  rollout ANALYSIS_MEASURED: .*\\d\\.\\d+")
        .containsPattern("storefront  rollout ROLLED_BACK: v2\\.4\\.1 rolled back: \\S+ [\\d.]+ \\(result\\[0\\] [<>=]+ [\\d.]+ not met\\)")
        .containsPattern("storefront  aborted: weight 0%, all traffic on v2\\.4\\.0 \\(.+\\)")
        .contains("bad-canary played out in ");

    // the Quick start, a second time: init leaves what is there (the shared sandbox, on real time,
    // has lived meanwhile), and the drill plays again; at the README's speed, which paces it for a
    // person and changes nothing else
    CliRun init = CliRun.weir(home, "sandbox", "init", repository.toString());
    assertThat(init.exitCode()).as(init.out() + init.err()).isZero();
    assertThat(init.out()).contains("left as it is");
    CliRun fast = CliRun.weir(home, "sandbox", "run", "--scenario", "bad-canary", "--speed", "max");
    CliRun paced = CliRun.weir(home, "sandbox", "run", "--scenario", "bad-canary", "--speed", "60");
    assertThat(paced.exitCode()).as(paced.out() + paced.err()).isZero();
    assertThat(paced.out()).startsWith("scenario bad-canary on a scratch copy of the sandbox, seed 1, at 60×\n");
    assertThat(paced.out().lines().skip(1).toList()).isEqualTo(fast.out().lines().skip(1).toList());
    assertThat(paced.out()).contains("storefront  aborted: weight 0%, all traffic on v2.4.0");
  }

  @Test
  void goodCanaryEndsWithTheNewVersionTakingAllTraffic() throws Exception {
    String out = playThrice("good-canary");
    assertThat(out)
        .containsPattern("checkout    git: committed [0-9a-f]{7} checkout: release v1.5.1")
        .contains("checkout    rollout WEIGHT: canary weight 0% → 20%")
        .containsPattern("checkout    rollout ANALYSIS_SUCCESSFUL: step 3/5 analysis success-rate Successful: 4 measured \\(last: success-rate [\\d.]+\\)")
        .contains("checkout    rollout PROMOTED: v1.5.1 promoted: 100% on stable")
        .containsPattern("checkout    v1\\.5\\.1 takes 100% of the traffic \\(promoted\\)")
        .contains("good-canary played out in ");
  }

  @Test
  void blueGreenWaitsForAPersonThenSwitchesAtOnce() throws Exception {
    String out = playThrice("blue-green");
    assertThat(out)
        .containsPattern("payments    git: committed [0-9a-f]{7} payments: release v3.2.0")
        .contains("payments    rollout STARTED: v3.2.0 deployed to preview beside active v3.1.0")
        .contains("payments    rollout PAUSED: v3.2.0 ready in preview; waiting for promote")
        .contains("payments    alice promotes v3.2.0 (a person at the console: weir rollout promote payments)")
        .contains("payments    rollout SWITCHED: active service switched to v3.2.0; v3.1.0 stays scaled for 5m")
        .contains("payments    rollout SCALED_DOWN: v3.1.0 scaled down")
        .contains("payments    v3.2.0 is active and stable; the previous color is scaled down (promoted)")
        .contains("blue-green played out in ");
  }

  @Test
  void flagRolloutCommitsTheFlagUpAndTheMetricsByVariantFollow() throws Exception {
    String out = playThrice("flag-rollout");
    assertThat(out)
        .doesNotContain("no commit");
    for (int percent : new int[] {10, 50, 100}) {
      assertThat(out)
          .as("the sample's flag starts at 0: every step is a commit")
          .containsPattern("pricing     flag new-checkout-button: fractional on " + percent + "%: Set flag"
              + " new-checkout-button of pricing: fractional on " + percent + "% as [0-9a-f]{7}, pushed to main;"
              + " synced pricing to [0-9a-f]{7}");
    }
    assertThat(out)
        .containsPattern("\\+05:00  pricing     new-checkout-button at 10%: \\d+ requests, on \\d+\\.\\d% \\(p50")
        .containsPattern("\\+10:00  pricing     new-checkout-button at 50%: \\d+ requests, on \\d+\\.\\d% \\(p50")
        .containsPattern("\\+15:00  pricing     new-checkout-button at 100%: \\d+ requests, on 100\\.0% \\(p50 \\d+ms,"
            + " \\d\\.\\d% errors\\), off 0\\.0%")
        .contains("flag-rollout played out in 15m00s of sandbox time");
  }

  @Test
  void aDrillPlaysWhileTheSharedSandboxIsServedAndLeavesItAsItWas() throws Exception {
    SandboxStateLocation location = SandboxStateLocation.resolve(
        Map.of("XDG_DATA_HOME", home.resolve("data").toString()), home);
    try (LocalSandbox served = LocalSandbox.serve(location, EngineClock.system(), 0, home.resolve("served.kubeconfig"))) {
      CliRun run = CliRun.weir(home, "sandbox", "run", "--scenario", "drift", "--speed", "max");
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("healed: 3/3 pods ready, as in Git (drift gone)");
      assertThat(served.server().orElseThrow().objects()
              .get("apps/v1", "Deployment", "shop", "checkout").orElseThrow()
              .path("spec").path("replicas").asInt())
          .as("the served sandbox's checkout was not scaled by the drill")
          .isEqualTo(3);
    }
  }
}
