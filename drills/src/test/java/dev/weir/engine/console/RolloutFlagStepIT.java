package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SandboxMetricProvider;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.git.CommitInfo;
import dev.weir.engine.git.GitIdentity;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.GitStatus;
import dev.weir.engine.git.GitWriter;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.RevisionTree;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.git.WritePlan;
import dev.weir.engine.git.WriteResult;
import dev.weir.engine.model.FlagChange;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.rollout.RolloutPhase;
import dev.weir.engine.rollout.RolloutStatus;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import dev.weir.engine.time.EngineClock;
import dev.weir.engine.time.ManualClock;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.sandbox.world.SandboxWorld;
import dev.weir.sandbox.world.WorldSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A rollout that moves traffic and a feature flag in one plan, end to end in the sandbox in
 * virtual time: Git (a bare repository the console clones and pushes to), the sandbox's API
 * server through client-java, its world running the pods and the HTTPRoute. The {@code setFlag}
 * steps commit the flag file (author: the rollout; the reason names rollout and step), push it and
 * sync, so the flags ConfigMap follows; a console that takes over the rollout (the first one gone,
 * as after a crash) commits nothing again, and its abort sends the traffic to stable and puts the
 * flag back as Git had it before the rollout, as a commit, in one action.
 */
class RolloutFlagStepIT {
  static final String FILE = "apps/storefront/flags.flagd.json";
  static final ResourceKey FLAGS = new ResourceKey("", "ConfigMap", "shop", "storefront-flags");
  static final String FLAGD =
      """
      {
        "$schema": "https://flagd.dev/schema/v0/flags.json",
        "flags": {
          "new-checkout-button": {
            "state": "ENABLED",
            "variants": {"on": true, "off": false},
            "defaultVariant": "off",
            "targeting": {"fractional": [["on", 0], ["off", 100]]}
          }
        }
      }
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
            - setWeight: 20
            - setFlag: {flag: new-checkout-button, fraction: {"on": 20, "off": 80}}
            - pause: {}
            - setWeight: 50
            - setFlag: {flag: new-checkout-button, variant: "on"}
            - pause: {}
      """;

  /** Where a console's process dies in a rollout's flag commit. */
  enum DieAt {
    /** Before the commit: Git never gets it. */
    BEFORE_THE_COMMIT,
    /** Right after the commit was pushed: before the pass ends and the application is synced. */
    AFTER_THE_PUSH
  }

  /** The process dying: thrown where it dies, after which the test closes that console. */
  static final class ProcessDied extends RuntimeException {
    ProcessDied() {
      super("the console's process died here (simulated)", null, false, false);
    }
  }

  /**
   * The console's real Git source (JGit, a clone of the bare repository) with a writer that, once
   * armed with {@link #dieAt}, throws {@link ProcessDied} in the next commit a rollout makes on its
   * own account ({@link GitWriter#writeFileAs}: its flag commits and restores), before or after
   * doing it, and in every use after ({@link #dead}: a dead process does nothing more). The only
   * stand-in here: a process cannot be killed at that exact point otherwise.
   */
  static final class DyingGit implements GitSource {
    final GitSource real;
    volatile DieAt dieAt;
    volatile boolean dead;

    DyingGit(GitSource real) {
      this.real = real;
    }

    @Override
    public GitStatus fetch() {
      alive();
      return real.fetch();
    }

    @Override
    public GitStatus status() {
      alive();
      return real.status();
    }

    @Override
    public RevisionTree head() {
      alive();
      return real.head();
    }

    @Override
    public RevisionTree tree(String rev) {
      alive();
      return real.tree(rev);
    }

    @Override
    public String resolve(String rev) {
      alive();
      return real.resolve(rev);
    }

    @Override
    public List<CommitInfo> history(String path, int max) {
      alive();
      return real.history(path, max);
    }

    @Override
    public EngineClock.Scheduled poll(Duration interval, Consumer<GitStatus> onFetch) {
      alive();
      return real.poll(interval, onFetch);
    }

    @Override
    public String repositoryUrl() {
      return real.repositoryUrl();
    }

    @Override
    public String followedRef() {
      return real.followedRef();
    }

    @Override
    public void close() {
      real.close();
    }

    /** A dead process reads nothing more either. */
    void alive() {
      if (dead) {
        throw new ProcessDied();
      }
    }

    @Override
    public GitWriter writer() {
      alive();
      GitWriter writer = real.writer();
      return new GitWriter() {
        @Override
        public WriteResult restorePath(
            String app, String path, String toRevision, String reason, boolean push) {
          return writer.restorePath(app, path, toRevision, reason, push);
        }

        @Override
        public WritePlan planRestore(String app, String path, String toRevision, String reason) {
          return writer.planRestore(app, path, toRevision, reason);
        }

        @Override
        public WriteResult writeFile(
            String app, String path, byte[] content, String message, String reason, boolean push) {
          return writer.writeFile(app, path, content, message, reason, push);
        }

        @Override
        public WriteResult writeFileAs(
            GitIdentity author, String app, String path, byte[] content, String message,
            String reason, boolean push) {
          DieAt at = dieAt;
          if (dead || at == DieAt.BEFORE_THE_COMMIT) {
            dead = true;
            throw new ProcessDied();
          }
          WriteResult written = writer.writeFileAs(author, app, path, content, message, reason, push);
          if (at == DieAt.AFTER_THE_PUSH) {
            dead = true;
            throw new ProcessDied();
          }
          return written;
        }

        @Override
        public WritePlan planFile(
            String app, String path, byte[] content, String message, String reason) {
          return writer.planFile(app, path, content, message, reason);
        }
      };
    }
  }

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  final List<AutoCloseable> opened = new ArrayList<>();
  TestCluster cluster;
  SandboxWorld world;
  ClusterGateway gateway;
  Path repo;
  DyingGit git;
  Console console;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), clock, SandboxOptions.builder().ephemeral());
    world = SandboxWorld.attach(cluster.server, WorldSettings.defaults().withSeed(7));
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
    console = open("home");
    CommandResult synced = console.sync("storefront", Console.SyncOptions.plain()).join();
    assertThat(synced.ok()).as(synced.message()).isTrue();
    drive(Duration.ofSeconds(30));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(configMap()).isEqualTo(FLAGD);

    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      remote
          .commit("storefront 2.4.1: the new checkout button")
          .add("apps/storefront/deployment.yaml", ExperimentSandboxIT.deployment("2.4.1", 0.10))
          .create();
    }
    console.refresh().join();
  }

  /**
   * A console of its own clone ({@code home}), driving rollouts, as Alice; its Git ({@link #git})
   * can be made to die in a rollout's flag commit.
   */
  Console open(String home) {
    git =
        new DyingGit(
            JGitSource.open(
                WorkspaceSpec.of(repo.toString()),
                GitSettings.from(Map.of(), dir.resolve(home))
                    .withCredentialHelper(false)
                    .withIdentity(new GitIdentity("Alice Example", "alice@example.com")),
                clock));
    opened.add(git);
    Console opening =
        Console.open(
            git,
            gateway,
            clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@" + home, "console")),
            new SandboxMetricProvider(world.metrics()),
            Runnable::run);
    opened.add(opening);
    assertThat(opening.refresh().join().ok()).isTrue();
    return opening;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  RolloutStatus rollout() {
    return console.snapshot().application("storefront").orElseThrow().rollouts().getFirst();
  }

  @SuppressWarnings("unchecked")
  String configMap() {
    return (String) ((Map<String, Object>) gateway.get(FLAGS).orElseThrow().object().get("data")).get("flagd.json");
  }

  /** The console drives the rollouts 5 s at a time, refreshing every 15 s. */
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

  List<RevCommit> commits() throws Exception {
    try (RepoBuilder remote = RepoBuilder.open(repo); Git git = new Git(remote.repository())) {
      List<RevCommit> all = new ArrayList<>();
      git.log().call().forEach(all::add);
      return all;
    }
  }

  String remoteFile() {
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      return remote.read("main", FILE);
    }
  }

  @Test
  void theFlagMovesWithTheTrafficAndATakenOverRolloutAbortsBothInOneAction() throws Exception {
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(rollout().weight()).isEqualTo(20);
    String fifth = FLAGD.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");
    assertThat(remoteFile()).isEqualTo(fifth);
    RevCommit step = commits().getFirst();
    assertThat(step.getAuthorIdent().getName()).isEqualTo("weir rollout storefront");
    assertThat(step.getCommitterIdent().getName()).isEqualTo("Alice Example");
    assertThat(step.getFullMessage())
        .startsWith("Set flag new-checkout-button of storefront: fractional on 20% / off 80%")
        .contains("rollout storefront step 2/6 (setFlag new-checkout-button fractional on 20% / off 80%),"
            + " v2.4.1 beside v2.4.0");
    assertThat(configMap()).as("synced: flagd serves the new split").isEqualTo(fifth);

    // the first console is gone (as after a crash); another one takes the rollout over
    int before = commits().size();
    console.close();
    console = open("home-2");
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(commits()).as("the flag step is not applied twice").hasSize(before);

    CommandResult aborted = console.abort("storefront", Optional.empty(), "checkout errors").join();
    assertThat(aborted.ok()).as(aborted.message()).isTrue();
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(rollout().weight()).isZero();
    assertThat(remoteFile()).as("the flag as Git had it before the rollout").isEqualTo(FLAGD);
    RevCommit restore = commits().getFirst();
    assertThat(restore.getAuthorIdent().getName()).isEqualTo("weir rollout storefront");
    assertThat(restore.getShortMessage())
        .isEqualTo("Set flag new-checkout-button of storefront: restored as at "
            + step.getParent(0).abbreviate(7).name() + " (fractional on 0% / off 100%)");
    assertThat(restore.getFullMessage()).contains("rollout storefront of v2.4.1 stopped: flags back to Git's at");
    assertThat(configMap()).isEqualTo(FLAGD);
    assertThat(commits()).hasSize(before + 1);

    // the aborted state re-asserted by yet another pass commits nothing more
    drive(Duration.ofMinutes(1));
    assertThat(commits()).hasSize(before + 1);
  }

  @Test
  void promotingWalksTheNextFlagStepAndPromotionKeepsTheFlag() throws Exception {
    drive(Duration.ofMinutes(1));
    CommandResult promoted = console.promote("storefront", Optional.empty(), "20% looks fine").join();
    assertThat(promoted.ok()).as(promoted.message()).isTrue();
    drive(Duration.ofMinutes(1));
    assertThat(rollout().weight()).isEqualTo(50);
    String on = FLAGD.replace("\"defaultVariant\": \"off\"", "\"defaultVariant\": \"on\"")
        .replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");
    assertThat(remoteFile()).isEqualTo(on);
    assertThat(configMap()).isEqualTo(on);

    console.promoteFull("storefront", Optional.empty(), "ship it").join();
    drive(Duration.ofMinutes(2));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(remoteFile()).as("a promoted rollout leaves the flags as its steps set them").isEqualTo(on);
  }

  /** The console's process dies in the middle of an action: nothing more of it runs. */
  void dies(Console dying) {
    dying.close(); // what runs no more in a dead process; its Lease is let go, as on expiry
  }

  @ParameterizedTest(name = "dies {0}")
  @EnumSource(DieAt.class)
  void anAbortWhoseFlagRestoreDiedWithItsConsoleIsCompletedByTheNextOnceOnly(DieAt dieAt)
      throws Exception {
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
    String fifth = FLAGD.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");
    assertThat(remoteFile()).isEqualTo(fifth);
    int before = commits().size();

    git.dieAt = dieAt;
    CommandResult aborted = console.abort("storefront", Optional.empty(), "checkout errors").join();
    assertThat(aborted.ok()).as("the console died in it: %s", aborted.message()).isFalse();
    assertThat(git.dead).isTrue();
    dies(console);
    assertThat(weightInCluster()).as("the traffic went back before the flags").isZero();
    assertThat(remoteFile())
        .isEqualTo(dieAt == DieAt.BEFORE_THE_COMMIT ? fifth : FLAGD);
    assertThat(configMap()).as("never synced").isEqualTo(fifth);

    console = open("home-2");
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
    assertThat(rollout().weight()).isZero();
    assertThat(remoteFile()).as("the flag as Git had it before the rollout").isEqualTo(FLAGD);
    assertThat(commits()).as("one restore, never two").hasSize(before + 1);
    RevCommit restore = commits().getFirst();
    assertThat(restore.getAuthorIdent().getName()).isEqualTo("weir rollout storefront");
    assertThat(restore.getFullMessage())
        .as("by the abort's own pass, or by the next console re-asserting the aborted state")
        .contains(
            "rollout storefront of v2.4.1 "
                + (dieAt == DieAt.BEFORE_THE_COMMIT ? "aborted" : "stopped")
                + ": flags back to Git's at");
    assertThat(configMap()).as("synced: flagd serves Git's flags").isEqualTo(FLAGD);

    console = open("home-3");
    drive(Duration.ofMinutes(1));
    assertThat(commits()).hasSize(before + 1);
  }

  @ParameterizedTest(name = "dies {0}")
  @EnumSource(DieAt.class)
  void aCancelWhoseFlagRestoreDiedWithItsConsoleIsCompletedByTheNextAndThenForgotten(DieAt dieAt)
      throws Exception {
    drive(Duration.ofMinutes(1));
    String fifth = FLAGD.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");
    assertThat(remoteFile()).isEqualTo(fifth);

    // a person reverts the version in Git: the rollout is cancelled, its flag to be put back
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      remote
          .commit("Revert \"storefront 2.4.1: the new checkout button\"")
          .add("apps/storefront/deployment.yaml", ExperimentSandboxIT.deployment("2.4.0", 0.10))
          .create();
    }
    int before = commits().size();
    git.dieAt = dieAt;
    console.refresh().join();
    assertThat(git.dead).as("the console died in the cancel's flag restore").isTrue();
    dies(console);
    assertThat(remoteFile()).isEqualTo(dieAt == DieAt.BEFORE_THE_COMMIT ? fifth : FLAGD);

    console = open("home-2");
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(rollout().stableVersion()).isEqualTo("v2.4.0");
    assertThat(remoteFile()).as("the flag as Git had it before the rollout").isEqualTo(FLAGD);
    assertThat(commits()).as("one restore, never two").hasSize(before + 1);
    assertThat(commits().getFirst().getFullMessage())
        .contains("rollout storefront of v2.4.1 stopped: flags back to Git's at");
    assertThat(configMap()).isEqualTo(FLAGD);

    // the restore done and seen done, a person's later edit is theirs: no later console reverts it
    Map<String, Integer> five = new java.util.LinkedHashMap<>();
    five.put("on", 5);
    CommandResult set =
        console.setFlag("storefront", "new-checkout-button", new FlagChange.SetFractions(five),
            "staff only, by hand", true).join();
    assertThat(set.ok()).as(set.message()).isTrue();
    String person = remoteFile();
    console.close();
    console = open("home-3");
    drive(Duration.ofMinutes(1));
    assertThat(remoteFile()).isEqualTo(person);
    assertThat(commits()).hasSize(before + 2);
  }

  @ParameterizedTest(name = "dies {0}")
  @EnumSource(DieAt.class)
  void aSupersededCanarysFlagRestoreIsOwedByTheNewRolloutAndCarriedOutOnceThoughItsConsoleDied(
      DieAt dieAt) throws Exception {
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
    String fifth = FLAGD.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");
    assertThat(remoteFile()).isEqualTo(fifth);
    String started = commits().get(1).abbreviate(7).name(); // where v2.4.1's rollout started

    // a newer version lands in Git while v2.4.1's canary holds the flag at 20 %
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      remote
          .commit("storefront 2.4.2: the button, fixed")
          .add("apps/storefront/deployment.yaml", ExperimentSandboxIT.deployment("2.4.2", 0.10))
          .create();
    }
    int before = commits().size();
    git.dieAt = dieAt;
    console.refresh().join();
    assertThat(git.dead).as("the console died in the superseded canary's flag restore").isTrue();
    dies(console);
    assertThat(weightInCluster()).as("the traffic went back before the flags").isZero();
    assertThat(remoteFile()).isEqualTo(dieAt == DieAt.BEFORE_THE_COMMIT ? fifth : FLAGD);
    assertThat(configMap()).as("never synced").isEqualTo(fifth);

    console = open("home-2");
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(rollout().newVersion()).contains("v2.4.2");
    assertThat(rollout().weight()).isEqualTo(20);
    List<RevCommit> after = commits().subList(0, commits().size() - before);
    assertThat(after)
        .as("the old canary's restore once, then the new canary's own flag step")
        .extracting(RevCommit::getFullMessage)
        .satisfiesExactly(
            step -> assertThat(step).contains("rollout storefront step 2/6").contains("v2.4.2 beside v2.4.0"),
            restore ->
                assertThat(restore)
                    .contains("rollout storefront of v2.4.1 stopped: flags back to Git's at " + started));
    assertThat(after).allSatisfy(c -> assertThat(c.getAuthorIdent().getName()).isEqualTo("weir rollout storefront"));
    assertThat(remoteFile()).isEqualTo(fifth);
    assertThat(configMap()).isEqualTo(fifth);

    // the new canary aborted: the flag back as before v2.4.1 (where the restore put it), not as
    // Git had it when v2.4.2 was committed (at 20 %, v2.4.1's)
    CommandResult aborted = console.abort("storefront", Optional.empty(), "still failing").join();
    assertThat(aborted.ok()).as(aborted.message()).isTrue();
    assertThat(remoteFile()).isEqualTo(FLAGD);
    assertThat(configMap()).isEqualTo(FLAGD);
    assertThat(commits()).hasSize(before + 3);
    assertThat(commits().getFirst().getFullMessage())
        .contains("rollout storefront of v2.4.2 stopped: flags back to Git's at " + started);

    console = open("home-3");
    drive(Duration.ofMinutes(1));
    assertThat(commits()).as("nothing owed any more").hasSize(before + 3);
  }

  @Test
  void aRollbackLeavesTheFlagsAsTheRevisionRolledBackToHasThemAndRecordsThePersonsRollback()
      throws Exception {
    RevCommit target = commits().getLast(); // storefront 2.4.0: the button at 0 %, default off
    // a newer version whose commit also turns the button's default on: its rollout starts there
    String defaultOn = FLAGD.replace("\"defaultVariant\": \"off\"", "\"defaultVariant\": \"on\"");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      remote
          .commit("storefront 2.4.2, the button on by default")
          .add("apps/storefront/deployment.yaml", ExperimentSandboxIT.deployment("2.4.2", 0.10))
          .add(FILE, defaultOn)
          .create();
    }
    console.refresh().join();
    drive(Duration.ofMinutes(1));
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.PAUSED);
    assertThat(rollout().newVersion()).contains("v2.4.2");
    String fifthOn =
        defaultOn.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 20], [\"off\", 80]]");
    assertThat(remoteFile()).isEqualTo(fifthOn);
    int before = commits().size();

    CommandResult rolledBack =
        console.rollback("storefront", target.abbreviate(7).name(), "checkout errors", true).join();
    assertThat(rolledBack.ok()).as(rolledBack.message()).isTrue();
    assertThat(remoteFile())
        .as("the flags as the revision rolled back to has them, not as at the rollout's start")
        .isEqualTo(FLAGD);
    assertThat(configMap()).isEqualTo(FLAGD);
    assertThat(commits()).as("the rollback is one commit, flags included").hasSize(before + 1);
    RevCommit rollback = commits().getFirst();
    assertThat(rollback.getAuthorIdent().getName()).isEqualTo("Alice Example");
    assertThat(rollback.getFullMessage()).contains("checkout errors");
    assertThat(rollout().phase()).isEqualTo(RolloutPhase.HEALTHY);
    assertThat(rollout().stableVersion()).isEqualTo("v2.4.0");
    assertThat(rollout().message()).isEqualTo("rolled back to v2.4.0 by alice: checkout errors");
    List<String> events =
        console.snapshot().events().stream().map(ConsoleEvent::message).toList();
    assertThat(events)
        .as("the person's rollback, not Git's cancellation")
        .contains("rollout ROLLED_BACK: rolled back to v2.4.0 by alice: checkout errors")
        .noneMatch(e -> e.startsWith("rollout CANCELLED"));

    console = open("home-2");
    drive(Duration.ofMinutes(1));
    assertThat(remoteFile()).isEqualTo(FLAGD);
    assertThat(commits()).as("nothing more: the restore was seen done").hasSize(before + 1);
  }

  /** The canary's weight in the HTTPRoute, as the cluster has it. */
  @SuppressWarnings("unchecked")
  int weightInCluster() {
    Map<String, Object> spec =
        (Map<String, Object>)
            gateway
                .get(new ResourceKey("gateway.networking.k8s.io", "HTTPRoute", "shop", "storefront"))
                .orElseThrow()
                .object()
                .get("spec");
    List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
    for (Map<String, Object> backend : (List<Map<String, Object>>) rules.getFirst().get("backendRefs")) {
      if ("storefront-canary".equals(backend.get("name"))) {
        return ((Number) backend.get("weight")).intValue();
      }
    }
    throw new AssertionError("no canary backend in " + rules);
  }
}
