package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.cluster.ClusterGateway;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.cluster.kube.Kubeconfig;
import dev.weir.engine.diff.ResourceDiff;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
import dev.weir.drills.SampleRepository;
import dev.weir.sandbox.api.SandboxOptions;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching kubeconfig context at run time: two sandbox API servers, one kubeconfig with a context
 * for each, one console that follows the switch.
 */
class SwitchableConsoleIT {
  private static final LeaseHolder HOLDER = LeaseHolder.of("alice@bastion", "weir tui");
  private static final ResourceKey STOREFRONT =
      new ResourceKey("apps", "Deployment", "shop", "storefront");

  @TempDir Path home;
  final ManualClock clock = new ManualClock();
  TestCluster prod;
  TestCluster staging;
  GitSource git;
  SwitchableConsole consoles;
  final List<KubeClusterGateway> connected = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path repo = home.resolve("shop.git");
    SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z"));
    prod = new TestCluster(home.resolve("prod"), clock, SandboxOptions.builder().ephemeral());
    staging = new TestCluster(home.resolve("staging"), clock, SandboxOptions.builder().ephemeral());
    Map<String, TestCluster> contexts = new LinkedHashMap<>();
    contexts.put("prod", prod);
    contexts.put("staging", staging);
    Path kubeconfig = TestCluster.writeContexts(home.resolve("kube/config"), contexts);
    git =
        JGitSource.open(
            WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), clock);
    Console.Options options = Console.Options.defaults("alice", HOLDER);
    // the production connector, recording the gateways it makes so the test can look at them
    SwitchableConsole.Connector connector =
        context -> {
          KubeClusterGateway gateway =
              KubeClusterGateway.connect(
                  Kubeconfig.fromFile(kubeconfig), context, clock, KubeClusterGateway.Options.defaults());
          connected.add(gateway);
          return gateway;
        };
    consoles =
        SwitchableConsole.open(
            connector,
            gateway -> Console.open(git, gateway, clock, options),
            null,
            clock,
            Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    consoles.close();
    git.close();
    prod.close();
    staging.close();
  }

  private static CommandResult run(java.util.concurrent.CompletableFuture<CommandResult> command) {
    return command.join();
  }

  private static ResourceDiff.Status storefrontDeployment(ConsoleSnapshot snapshot) {
    return snapshot.application("storefront").orElseThrow().resources().stream()
        .filter(r -> r.key().equals(STOREFRONT))
        .findFirst()
        .orElseThrow()
        .diff()
        .status();
  }

  @Test
  void afterASwitchLiveStateInformersAndSnapshotsComeFromTheNewContext() throws Exception {
    List<ConsoleSnapshot> published = new CopyOnWriteArrayList<>();
    consoles.subscribe(published::add);
    CompletableFuture<ConsoleSnapshot> stagingPublished = new CompletableFuture<>();
    consoles.subscribe(
        s -> {
          if (s.cluster().context().equals("staging") && !s.applications().isEmpty()) {
            stagingPublished.complete(s);
          }
        });
    List<String> events = new CopyOnWriteArrayList<>();
    consoles.onEvent(e -> events.add(e.message()));
    assertThat(run(consoles.start()).ok()).isTrue();
    assertThat(run(consoles.console().reconcileOnce()).ok()).isTrue();
    ConsoleSnapshot onProd = consoles.snapshot();
    assertThat(onProd.cluster().context()).isEqualTo("prod");
    assertThat(onProd.application("storefront").orElseThrow().sync()).isEqualTo(SyncStatus.Synced);
    KubeClusterGateway prodGateway = connected.getFirst();
    assertThat(prodGateway.openInformers()).as("watch mode on prod").isPositive();

    CommandResult switched = run(consoles.switchContext("staging"));

    assertThat(switched.ok()).as(switched.message()).isTrue();
    assertThat(switched.message())
        .startsWith("switched from context prod to staging (" + staging.server.url() + "): ");
    assertThat(consoles.context()).isEqualTo("staging");
    assertThat(prodGateway.openInformers()).as("the old context's informers are closed").isZero();
    KubeClusterGateway stagingGateway = connected.getLast();
    assertThat(stagingGateway.openInformers()).as("watch mode goes on on staging").isPositive();

    ConsoleSnapshot onStaging = consoles.snapshot();
    assertThat(onStaging.cluster().context()).isEqualTo("staging");
    assertThat(onStaging.cluster().server()).isEqualTo(staging.server.url().toString());
    assertThat(onStaging.application("storefront").orElseThrow().sync())
        .as("nothing was synced on staging")
        .isEqualTo(SyncStatus.OutOfSync);
    assertThat(storefrontDeployment(onStaging)).isEqualTo(ResourceDiff.Status.MISSING);
    assertThat(storefrontDeployment(onProd)).isNotEqualTo(ResourceDiff.Status.MISSING);

    clock.advance(Duration.ofSeconds(1));
    ConsoleSnapshot newest = stagingPublished.get(10, TimeUnit.SECONDS);
    assertThat(newest.cluster().context())
        .as("the newest published snapshot shows the new context")
        .isEqualTo("staging");
    assertThat(published).extracting(ConsoleSnapshot::version).isSorted().doesNotHaveDuplicates();
    assertThat(newest.version())
        .as("versions go on increasing across the switch")
        .isGreaterThan(
            published.stream()
                .filter(p -> p.cluster().context().equals("prod"))
                .mapToLong(ConsoleSnapshot::version)
                .max()
                .orElse(0));
    assertThat(events)
        .contains("switched from context prod to staging (" + staging.server.url() + ")");
    assertThat(run(consoles.console().sync("platform", Console.SyncOptions.plain())).ok())
        .isTrue();
    assertThat(staging.gateway().get(new ResourceKey("", "Namespace", "", "shop")))
        .as("commands reach the new context")
        .isPresent();
  }

  @Test
  void leasesThisConsoleHoldsOnTheOldClusterAreGivenUpOthersAreLeft() {
    run(consoles.console().refresh());
    run(consoles.console().sync("platform", Console.SyncOptions.plain())); // the namespaces
    ClusterGateway onProd = prod.gateway();
    // as a sync in flight, or a renewing `weir reconcile --watch`, leaves them
    onProd.acquireLease("shop", "weir-app-storefront", HOLDER.identity(), Duration.ofMinutes(5));
    onProd.acquireLease("shop", "weir-app-checkout", "bob@laptop (console)", Duration.ofMinutes(5));

    CommandResult switched = run(consoles.switchContext("staging"));

    assertThat(switched.details())
        .contains("released Lease shop/weir-app-storefront on context prod");
    assertThat(onProd.readLease("shop", "weir-app-storefront")).isEmpty();
    assertThat(onProd.readLease("shop", "weir-app-checkout").orElseThrow().holder())
        .isEqualTo("bob@laptop (console)");
  }

  @Test
  void aSwitchAwayFromAClusterThatNoLongerAnswersDoesNotWaitForIt() throws Exception {
    run(consoles.console().refresh());
    prod.server.close(); // prod is down: the SRE moves to staging

    CommandResult switched = run(consoles.switchContext("staging"));

    assertThat(switched.ok()).as(switched.message()).isTrue();
    assertThat(switched.details())
        .contains("context prod does not answer: its Leases are left to expire by themselves");
    assertThat(consoles.snapshot().cluster().context()).isEqualTo("staging");
    assertThat(consoles.snapshot().cluster().isReachable()).isTrue();
  }

  @Test
  void anUnknownContextIsOneLineAndTheCurrentContextKeepsWorking() {
    run(consoles.console().refresh());
    Console before = consoles.console();

    CommandResult unknown = run(consoles.switchContext("dev"));

    assertThat(unknown.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(unknown.message())
        .startsWith("no context named 'dev' in ")
        .endsWith("; known: prod, staging; still on context prod")
        .doesNotContain("\n");
    assertThat(consoles.console()).isSameAs(before);
    assertThat(consoles.context()).isEqualTo("prod");
    assertThat(run(consoles.console().refresh()).ok()).isTrue();
    assertThat(consoles.snapshot().cluster().context()).isEqualTo("prod");
  }
}
