package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.FlagChange;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature flags through the façade: the sample repository's pricing flags in the snapshot, their
 * ConfigMap in the sandbox cluster after a sync (read back over the API), an edit previewed,
 * committed with its reason, pushed and synced, and a bad edit that changes nothing.
 */
class ConsoleFlagsIT {
  static final ResourceKey FLAGS = new ResourceKey("", "ConfigMap", "shop", "pricing-flags");
  static final String FILE = "apps/pricing/flags.flagd.json";

  @TempDir Path home;
  Path repo;
  TestCluster cluster;
  KubeClusterGateway gateway;
  GitSource git;
  Console console;
  List<String> commits;

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    commits = SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
    cluster = new TestCluster(home.resolve("cluster"));
    gateway = cluster.gateway();
    git = JGitSource.open(WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
    console =
        Console.open(
            git,
            gateway,
            cluster.clock,
            Console.Options.defaults("alice", LeaseHolder.of("alice@bastion", "weir tui")));
    assertThat(console.refresh().join().ok()).isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    console.close();
    git.close();
    cluster.close();
  }

  @SuppressWarnings("unchecked")
  private String servedFlags() {
    return (String) ((Map<String, Object>) gateway.get(FLAGS).orElseThrow().object().get("data")).get("flagd.json");
  }

  private static Map<String, Integer> percents(String variant, int percent) {
    Map<String, Integer> out = new LinkedHashMap<>();
    out.put(variant, percent);
    return out;
  }

  @Test
  void theSnapshotListsTheFlagsAndASyncPutsThemInTheCluster() throws Exception {
    FlagView button = console.snapshot().application("pricing").orElseThrow().flag("new-checkout-button").orElseThrow();
    assertThat(button.enabled()).isTrue();
    assertThat(button.defaultVariant()).isEqualTo("off");
    assertThat(button.variants()).containsExactly(Map.entry("on", "true"), Map.entry("off", "false"));
    assertThat(button.splitText()).isEqualTo("on 0% / off 100%");
    assertThat(button.targeting()).isEqualTo("fractional on 0% / off 100%");
    assertThat(button.file()).isEqualTo(FILE + ":4:5");
    assertThat(button.lastChange()).hasValueSatisfying(c -> assertThat(c).startsWith(commits.getFirst().substring(0, 7)));

    assertThat(console.sync("pricing", Console.SyncOptions.plain()).join().ok()).isTrue();

    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(servedFlags()).isEqualTo(remote.read("main", FILE));
    }
    assertThat(gateway.get(FLAGS).orElseThrow().object().get("metadata").toString()).contains("weir.dev/flagd=true");
  }

  @Test
  void aFlagEditIsPreviewedThenCommittedWithItsReasonPushedAndSynced() throws Exception {
    assertThat(console.sync("pricing", Console.SyncOptions.plain()).join().ok()).isTrue();
    FlagChange half = new FlagChange.SetFractions(percents("on", 50));

    Preview preview = console.previewSetFlag("pricing", "new-checkout-button", half, "staff liked it", true).join();

    assertThat(preview.ok()).as(preview.lines().toString()).isTrue();
    assertThat(preview.lines())
        .contains(
            "edit " + FILE + " in place (formatting and key order kept)",
            "  | Set flag new-checkout-button of pricing: fractional on 50%",
            "then sync pricing: ConfigMap pricing-flags (flagd.json) follows Git, and flagd serves the new flags");
    String before;
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).as("a preview commits nothing").isEqualTo(commits.getLast());
      before = remote.read("main", FILE);
    }

    CommandResult set = console.setFlag("pricing", "new-checkout-button", half, "staff liked it", true).join();

    assertThat(set.ok()).as(set.message()).isTrue();
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      var head = remote.parse("main");
      assertThat(head.getShortMessage()).isEqualTo("Set flag new-checkout-button of pricing: fractional on 50%");
      assertThat(head.getFullMessage()).contains("staff liked it");
      String after = remote.read("main", FILE);
      assertThat(after)
          .as("only the weights changed")
          .isEqualTo(before.replace("[[\"on\", 0], [\"off\", 100]]", "[[\"on\", 50], [\"off\", 50]]"));
      assertThat(servedFlags()).as("synced: the cluster serves the new split").isEqualTo(after);
    }
    assertThat(console.snapshot().application("pricing").orElseThrow().flag("new-checkout-button").orElseThrow().splitText())
        .isEqualTo("on 50% / off 50%");
  }

  @Test
  void aBadEditIsRefusedAndChangesNothing() throws Exception {
    assertThat(console.sync("pricing", Console.SyncOptions.plain()).join().ok()).isTrue();
    String served = servedFlags();

    CommandResult refused =
        console.setFlag("pricing", "new-checkout-button", new FlagChange.SetDefault("maybe"), "typo", true).join();

    assertThat(refused.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(refused.message()).isEqualTo("flag new-checkout-button has no variant 'maybe' (variants: on, off)");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).isEqualTo(commits.getLast());
    }
    assertThat(servedFlags()).isEqualTo(served);
  }

  @Test
  void evaluationSaysTheVariantItsValueAndWhy() {
    FlagAnswer answer =
        console.evaluateFlag("pricing", "free-shipping-threshold", Map.of("targetingKey", "u1")).join();
    assertThat(answer.result().ok()).isTrue();
    assertThat(answer.variant()).contains("standard");
    assertThat(answer.value()).contains("50");
    assertThat(answer.reason()).isEqualTo("STATIC");

    FlagAnswer unknown = console.evaluateFlag("pricing", "nope", Map.of()).join();
    assertThat(unknown.result().status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(unknown.why()).isEqualTo("pricing has no flag named 'nope'; flags: new-checkout-button, free-shipping-threshold");
  }
}
