package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console façade over the sample repository and the sandbox, on a manual clock. */
class ConsoleIT {
  @TempDir Path home;
  TestCluster cluster;
  KubeClusterGateway gateway;
  GitSource git;
  Console console;
  List<String> commits;

  @BeforeEach
  void start() throws Exception {
    Path repo = home.resolve("shop.git");
    commits = SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
    cluster = new TestCluster(home.resolve("cluster"));
    gateway = cluster.gateway();
    git =
        JGitSource.open(
            WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
    console =
        Console.open(
            git,
            gateway,
            cluster.clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")));
  }

  @AfterEach
  void stop() throws Exception {
    console.close();
    git.close();
    cluster.close();
  }

  CommandResult run(java.util.concurrent.CompletableFuture<CommandResult> command) {
    return command.join();
  }

  @Test
  void snapshotsArePublishedOnChangeAtMostOncePerInterval() {
    List<ConsoleSnapshot> seen = new CopyOnWriteArrayList<>();
    console.subscribeOnClockThread(seen::add); // as published, before the listeners' own threads
    assertThat(run(console.refresh()).ok()).isTrue();
    cluster.clock.advance(Duration.ZERO);
    assertThat(seen).as("many changes during the refresh, one snapshot").hasSize(1);
    assertThat(seen.getFirst().applications())
        .extracting(ApplicationView::name)
        .containsExactly(
            "checkout", "inventory", "payments", "platform", "pricing", "search", "storefront");
    assertThat(seen.getFirst().application("storefront").orElseThrow().sync())
        .isEqualTo(SyncStatus.OutOfSync);

    run(console.freeze("storefront", "incident 4711", Duration.ofMinutes(30)));
    run(console.freeze("payments", "incident 4711", Duration.ofMinutes(30)));
    cluster.clock.advance(Duration.ofMillis(50));
    assertThat(seen).hasSize(1);
    cluster.clock.advance(Duration.ofMillis(50));
    assertThat(seen).hasSize(2);
    assertThat(seen.getLast().application("payments").orElseThrow().freeze()).isPresent();
    assertThat(seen.getLast().version()).isGreaterThan(seen.getFirst().version());
  }

  @Test
  void aFreezeIsShownEverywhereRecordedAndEndsByItself() {
    run(console.refresh());
    CommandResult frozen =
        run(console.freeze("storefront", "checkout errors", Duration.ofMinutes(30)));
    assertThat(frozen.message())
        .isEqualTo("froze storefront until 2026-01-01T10:30:00Z: checkout errors");
    ApplicationView view = console.snapshot().application("storefront").orElseThrow();
    assertThat(view.summary())
        .contains("frozen by alice until 2026-01-01T10:30:00Z: checkout errors");
    assertThat(console.snapshot().events())
        .extracting(ConsoleEvent::message)
        .contains("frozen by alice until 2026-01-01T10:30:00Z: checkout errors");

    CommandResult automated = run(console.reconcileOnce());
    assertThat(automated.details())
        .noneMatch(line -> line.startsWith("automated") && line.contains("storefront"));
    assertThat(gateway.get(new ResourceKey("apps", "Deployment", "shop", "storefront"))).isEmpty();

    cluster.clock.advance(Duration.ofMinutes(31));
    run(console.refresh());
    assertThat(console.snapshot().application("storefront").orElseThrow().freeze()).isEmpty();
    assertThat(console.snapshot().events())
        .extracting(ConsoleEvent::message)
        .contains("freeze ended");
  }

  @Test
  void theLeaseHolderIsShownAndASyncWhileSomeoneElseHoldsItIsRefused() {
    run(console.refresh());
    run(console.sync("platform", Console.SyncOptions.plain()));
    gateway.acquireLease(
        "shop", "weir-app-storefront", "bob@laptop (console)", Duration.ofSeconds(30));
    run(console.refresh());
    ApplicationView view = console.snapshot().application("storefront").orElseThrow();
    assertThat(view.lease().orElseThrow().holder()).isEqualTo("bob@laptop (console)");
    assertThat(view.summary()).contains("being synced by bob@laptop (console)");

    CommandResult refused = run(console.sync("storefront", Console.SyncOptions.plain()));
    assertThat(refused.status()).isEqualTo(CommandResult.Status.REFUSED);
    assertThat(refused.message()).contains("storefront is being synced by bob@laptop (console)");

    cluster.clock.advance(Duration.ofSeconds(31));
    assertThat(run(console.sync("storefront", Console.SyncOptions.plain())).ok())
        .as("a dead holder's Lease expires")
        .isTrue();
  }

  /**
   * The shared-bastion case: two {@code weir sync} runs of one user on one host, each a console of
   * its own with its own gateway. The first holds storefront's Lease, taken through its gateway as
   * its sync takes it; the second is refused, names the first, plans nothing and changes nothing.
   */
  @Test
  void aSecondConsoleOfTheSameUserOnTheSameHostIsRefusedWhileTheFirstHoldsTheLease()
      throws Exception {
    KubeClusterGateway firstGateway = cluster.gateway();
    KubeClusterGateway secondGateway = cluster.gateway();
    LeaseHolder firstHolder = LeaseHolder.forThisProcess("alice", "weir sync");
    try (Console first =
            Console.open(
                git, firstGateway, cluster.clock, Console.Options.defaults("alice", firstHolder));
        Console second =
            Console.open(
                git,
                secondGateway,
                cluster.clock,
                Console.Options.defaults(
                    "alice", LeaseHolder.forThisProcess("alice", "weir sync")))) {
      run(first.refresh());
      run(second.refresh());
      assertThat(run(first.sync("platform", Console.SyncOptions.plain())).ok()).isTrue();
      ResourceKey deployment = new ResourceKey("apps", "Deployment", "shop", "storefront");
      assertThat(gateway.get(deployment)).isEmpty();
      firstGateway.acquireLease(
          "shop",
          "weir-app-storefront",
          first.reconciler().holder().identity(),
          Duration.ofSeconds(30));

      CommandResult refused = run(second.sync("storefront", Console.SyncOptions.plain()));

      String holder =
          "alice@"
              + java.net.InetAddress.getLocalHost().getHostName()
              + " (pid "
              + ProcessHandle.current().pid()
              + ", weir sync)";
      assertThat(refused.status()).isEqualTo(CommandResult.Status.REFUSED);
      assertThat(refused.message())
          .isEqualTo(
              "sync of storefront refused: storefront is being synced by "
                  + holder
                  + " since 2026-01-01T10:00:00Z; try again when it finishes (Lease"
                  + " shop/weir-app-storefront, held until 2026-01-01T10:00:30Z unless renewed)");
      assertThat(refused.details()).as("no plan, no step").isEmpty();
      assertThat(gateway.get(deployment)).as("nothing applied").isEmpty();

      run(second.refresh());
      ApplicationView view = second.snapshot().application("storefront").orElseThrow();
      assertThat(view.summary())
          .contains("being synced by " + holder + " since 2026-01-01T10:00:00Z");
      assertThat(ConsoleJson.status(second.snapshot()))
          .contains("\"" + holder + "\"")
          .contains("\"" + firstHolder.identity() + "\"");

      CommandResult synced = run(first.sync("storefront", Console.SyncOptions.plain()));
      assertThat(synced.ok()).as("the holder's own sync goes on: %s", synced.message()).isTrue();
      assertThat(synced.details()).contains("created apps/Deployment shop/storefront");
      assertThat(gateway.readLease("shop", "weir-app-storefront")).isEmpty();

      CommandResult again = run(second.sync("storefront", Console.SyncOptions.plain()));
      assertThat(again.ok()).as(again.message()).isTrue();
      assertThat(again.details())
          .as("planned after the first sync ended: nothing left to configure")
          .noneMatch(line -> line.startsWith("created") || line.startsWith("configured"));
    }
  }

  @Test
  void aHotfixedFieldIsNotDriftShowsBackportPendingAndSelfHealLeavesIt() {
    run(console.refresh());
    assertThat(run(console.reconcileOnce()).ok()).isTrue();
    ResourceKey storefront = new ResourceKey("apps", "Deployment", "shop", "storefront");
    gateway.apply(
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", "storefront", "namespace", "shop"),
            "spec",
            Map.of("replicas", 8)),
        new ApplyOptions("kubectl-edit", true, false));
    run(console.refresh());
    assertThat(console.snapshot().application("storefront").orElseThrow().sync())
        .isEqualTo(SyncStatus.OutOfSync);

    CommandResult hotfix =
        run(
            console.hotfix(
                "storefront",
                storefront,
                "/spec/replicas",
                "black friday traffic",
                Duration.ofHours(4)));
    assertThat(hotfix.message())
        .contains(
            "hotfix on apps/Deployment shop/storefront /spec/replicas by alice",
            "(backport pending)");
    ApplicationView view = console.snapshot().application("storefront").orElseThrow();
    assertThat(view.sync()).isEqualTo(SyncStatus.Synced);
    assertThat(view.summary()).contains("1 hotfix, backport pending");
    assertThat(view.resources())
        .filteredOn(r -> r.key().equals(storefront))
        .singleElement()
        .satisfies(r -> assertThat(r.hotfixed()).isTrue());

    run(console.reconcileOnce());
    assertThat(gateway.get(storefront).orElseThrow().at("spec.replicas")).contains(8L);
  }

  @Test
  void aHotfixIsBackportedToGitAsACommitAndThenEnds() throws Exception {
    run(console.refresh());
    run(console.reconcileOnce());
    ResourceKey storefront = new ResourceKey("apps", "Deployment", "shop", "storefront");
    gateway.apply(
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", "storefront", "namespace", "shop"),
            "spec",
            Map.of("replicas", 7)),
        new ApplyOptions("kubectl-edit", true, false));
    run(
        console.hotfix(
            "storefront", storefront, "/spec/replicas", "traffic spike", Duration.ofHours(4)));

    CommandResult backport = run(console.backport("storefront", storefront, true));
    assertThat(backport.ok()).as(backport.message()).isTrue();
    assertThat(backport.message()).contains("pushed to main");
    try (RepoBuilder remote = RepoBuilder.open(home.resolve("shop.git"))) {
      assertThat(remote.read("main", "apps/storefront/deployment.yaml")).contains("replicas: 7");
      assertThat(remote.parse("main").getFullMessage())
          .contains("Reason: traffic spike", "Weir-Action: backport");
    }
    ApplicationView view = console.snapshot().application("storefront").orElseThrow();
    assertThat(view.hotfixes()).isEmpty();
    assertThat(view.sync()).isEqualTo(SyncStatus.Synced);
  }

  @Test
  void aPinEndsByItselfWhenGitCatchesUp() throws Exception {
    run(console.refresh());
    run(console.reconcileOnce());
    String good = commits.get(3);
    CommandResult rollback =
        run(console.rollback("storefront", good, "v2.4.1 fails checkouts", false));
    assertThat(rollback.ok()).as(rollback.message()).isTrue();
    assertThat(console.snapshot().application("storefront").orElseThrow().pin()).isPresent();

    try (RepoBuilder remote = RepoBuilder.open(home.resolve("shop.git"))) {
      String file = remote.read(good, "apps/storefront/deployment.yaml");
      remote
          .commit("Roll back storefront by hand")
          .add("apps/storefront/deployment.yaml", file)
          .create();
    }
    run(console.refresh());
    ApplicationView view = console.snapshot().application("storefront").orElseThrow();
    assertThat(view.pin()).isEmpty();
    assertThat(console.snapshot().events())
        .extracting(ConsoleEvent::message)
        .anyMatch(m -> m.startsWith("Git caught up with the pin at " + good.substring(0, 7)));
    assertThat(view.sync()).isEqualTo(SyncStatus.Synced);
  }

  @Test
  void unknownApplicationsAreBadInput() {
    run(console.refresh());
    CommandResult result = run(console.sync("nope", Console.SyncOptions.plain()));
    assertThat(result.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(result.message()).startsWith("no application named 'nope'; known: ");
  }
}
