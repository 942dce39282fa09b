package dev.weir.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.cluster.LeaseHolder;
import dev.weir.engine.cluster.kube.KubeClusterGateway;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.model.SyncStatus;
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

/**
 * The façade's previews and its commands of many (sync of all in order, backport of all), history,
 * hotfix by the path the diff shows and switch context: the real console over the sample
 * repository and the sandbox, on a manual clock.
 */
class ConsoleCommandsIT {
  static final ResourceKey STOREFRONT = new ResourceKey("apps", "Deployment", "shop", "storefront");
  static final ResourceKey INVENTORY = new ResourceKey("apps", "Deployment", "shop", "inventory");

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
    git =
        JGitSource.open(
            WorkspaceSpec.of(repo.toString()), GitSettings.from(Map.of(), home), cluster.clock);
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

  @Test
  void aRollbackPreviewShowsTheExactCommitItsBranchThePushAndTheSyncThatFollows()
      throws Exception {
    assertThat(console.syncAll(Console.SyncOptions.plain()).join().ok()).isTrue();
    String good = commits.get(3).substring(0, 7);

    Preview preview =
        console.previewRollback("storefront", good, "v2.4.1 fails checkouts", true).join();

    assertThat(preview.ok()).as(preview.lines().toString()).isTrue();
    assertThat(preview.needsConfirmation()).isTrue();
    assertThat(preview.title()).isEqualTo("Roll back storefront to " + good);
    assertThat(preview.lines().getFirst())
        .startsWith("commit on branch main (on top of " + commits.getLast().substring(0, 7) + ")");
    assertThat(preview.lines())
        .contains(
            "push: to main on the remote; if the push fails the commit stays in the local clone and"
                + " storefront is pinned at "
                + good
                + " (synced to it, not Git's head) until Git catches up",
            "rollout storefront: all traffic to stable at once, the canary (or preview) scaled"
                + " down, and the restored version on stable (no steps, no analysis)",
            "then sync storefront to apps/storefront as at " + good + ":");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).as("a preview commits nothing").isEqualTo(commits.getLast());
    }

    CommandResult rolledBack =
        console.rollback("storefront", good, "v2.4.1 fails checkouts", true).join();

    assertThat(rolledBack.ok()).as(rolledBack.message()).isTrue();
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      List<String> previewed =
          preview.lines().stream()
              .filter(l -> l.startsWith("  | "))
              .map(l -> l.substring(4))
              .toList();
      assertThat(previewed)
          .as("the preview's message is the commit's, line for line")
          .isEqualTo(remote.parse("main").getFullMessage().strip().lines().toList());
      assertThat(previewed.getFirst()).isEqualTo("Roll back storefront to " + good);
    }
  }

  @Test
  void aRollbackPreviewWithoutPushSaysThePinAndOneToARevisionThatDoesNotRenderIsRefused() {
    String good = commits.get(3).substring(0, 7);
    Preview local = console.previewRollback("storefront", good, "bad release", false).join();
    assertThat(local.lines())
        .contains(
            "push: no; the commit stays in the local clone and storefront is pinned at "
                + good
                + " (synced to it, not Git's head) until Git catches up");

    Preview broken =
        console.previewRollback("payments", commits.get(1), "typo", true).join();
    assertThat(broken.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(broken.needsConfirmation()).isFalse();
    assertThat(broken.lines().getFirst())
        .startsWith("payments does not render at " + commits.get(1))
        .endsWith("refusing to roll back to it");

    Preview unknown = console.previewRollback("nope", good, "x", true).join();
    assertThat(unknown.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(unknown.lines().getFirst()).startsWith("no application named 'nope'; known: ");
  }

  @Test
  void aDiffBetweenTwoRevisionsShowsEachObjectThatChangedAndAnUnknownRevisionIsBadInput() {
    String good = commits.get(3).substring(0, 7);
    String head = commits.getLast().substring(0, 7);

    RevisionDiff diff = console.diffRevisions("storefront", good, commits.getLast()).join();

    assertThat(diff.ok()).as(diff.message()).isTrue();
    assertThat(diff.from()).isEqualTo(good);
    assertThat(diff.to()).isEqualTo(head);
    assertThat(diff.resources())
        .anySatisfy(
            r -> {
              assertThat(r.name()).contains("Deployment").endsWith("/storefront");
              assertThat(r.change()).isEqualTo(RevisionDiff.Change.CHANGED);
            });
    assertThat(diff.lines())
        .anyMatch(l -> l.startsWith("--- a/" + good + "/apps.Deployment."))
        .anyMatch(l -> l.startsWith("-") && l.contains("registry.example/shop/storefront:2.4.0"))
        .anyMatch(l -> l.startsWith("+") && l.contains("registry.example/shop/storefront:2.4.1"));
    assertThat(console.diffRevisions("storefront", good, good).join().resources()).isEmpty();

    RevisionDiff unknown = console.diffRevisions("storefront", "0000000", head).join();
    assertThat(unknown.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
  }

  @Test
  void aSyncPreviewIsThePlanAndChangesNothing() {
    console.sync("platform", Console.SyncOptions.plain()).join();

    Preview preview = console.previewSync("inventory", Console.SyncOptions.plain()).join();

    assertThat(preview.ok()).isTrue();
    assertThat(preview.title()).isEqualTo("Sync inventory to " + commits.getLast().substring(0, 7));
    assertThat(preview.lines())
        .contains("create apps/Deployment shop/inventory (wave 0)", "create ConfigMap shop/inventory-config (wave 0)");
    assertThat(preview.needsConfirmation()).isTrue();
    assertThat(gateway.get(INVENTORY)).as("a preview applies nothing").isEmpty();

    console.sync("inventory", Console.SyncOptions.plain()).join();
    Preview again = console.previewSync("inventory", Console.SyncOptions.plain()).join();
    assertThat(again.lines()).containsExactly("nothing to do: in sync");
    assertThat(again.needsConfirmation()).isFalse();
  }

  @Test
  void aPrunePreviewListsWhatGoes() throws Exception {
    console.syncAll(Console.SyncOptions.plain()).join();
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      remote.commit("inventory: the config moves to the database")
          .delete("apps/inventory/configmap.yaml")
          .create();
    }
    console.refresh().join();

    Preview prune = console.previewPrune("inventory").join();

    assertThat(prune.lines()).containsExactly("prune ConfigMap shop/inventory-config");
    assertThat(prune.needsConfirmation()).isTrue();
    assertThat(gateway.get(new ResourceKey("", "ConfigMap", "shop", "inventory-config")))
        .as("a preview deletes nothing")
        .isPresent();
    assertThat(console.previewPrune("checkout").join().lines()).containsExactly("nothing to prune");
  }

  @Test
  void syncAllGoesInTheEngineOrderNamespacesFirstAndAnswersWithTheWorstStatus() {
    List<String> heard = new CopyOnWriteArrayList<>();

    Preview plan = console.previewSyncAll(Console.SyncOptions.plain()).join();
    CommandResult all =
        console.syncAll(Console.SyncOptions.plain(), r -> heard.add(r.message())).join();

    assertThat(plan.title()).isEqualTo("Sync 7 applications in order");
    assertThat(plan.lines().getFirst()).startsWith("Sync platform to ");
    assertThat(plan.lines()).contains("  create Namespace shop (wave 0)");
    assertThat(heard).hasSize(7);
    assertThat(heard.getFirst()).startsWith("synced platform to ");
    assertThat(all.message())
        .isEqualTo(
            "synced 7 applications in order: platform, checkout, inventory, payments, pricing,"
                + " search, storefront");
    assertThat(all.ok()).isTrue();
    assertThat(console.snapshot().applications())
        .extracting(ApplicationView::sync)
        .containsOnly(SyncStatus.Synced);

  }

  @Test
  void aHotfixByThePathTheDiffShowsKeepsThatFieldAndBackportAllWritesEveryHotfixToGit()
      throws Exception {
    console.syncAll(Console.SyncOptions.plain()).join();
    kubectlEdit("storefront", Map.of("replicas", 7));
    kubectlEdit(
        "inventory",
        Map.of(
            "template",
            Map.of(
                "spec",
                Map.of(
                    "containers",
                    List.of(Map.of("name", "inventory", "image", "registry.example/shop/inventory:9.9.9"))))));
    console.refresh().join();
    ApplicationView inventory = console.snapshot().application("inventory").orElseThrow();
    String shown =
        inventory.resources().stream()
            .filter(r -> r.key().equals(INVENTORY))
            .flatMap(r -> r.diff().changes().stream())
            .map(c -> c.path().toString())
            .filter(p -> p.endsWith(".image"))
            .findFirst()
            .orElseThrow();
    assertThat(shown).isEqualTo("spec.template.spec.containers[name=inventory].image");

    CommandResult byPath =
        console
            .hotfixField("inventory", INVENTORY.toString(), shown, "hot patch", Duration.ofHours(2))
            .join();
    CommandResult byName =
        console
            .hotfixField("storefront", "deployment/storefront", "spec.replicas", "sale", Duration.ofHours(2))
            .join();

    assertThat(byPath.ok()).as(byPath.message()).isTrue();
    assertThat(byPath.message())
        .startsWith("hotfix on apps/Deployment shop/inventory /spec/template/spec/containers/0/image by alice");
    assertThat(byName.message()).startsWith("hotfix on apps/Deployment shop/storefront /spec/replicas");
    assertThat(console.snapshot().application("inventory").orElseThrow().sync())
        .isEqualTo(SyncStatus.Synced);
    CommandResult unknown =
        console.hotfixField("inventory", "Deployment/nope", "spec.replicas", "x", Duration.ofHours(1)).join();
    assertThat(unknown.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(unknown.message()).isEqualTo("inventory has no object Deployment/nope");

    Preview storefront = console.previewBackport("storefront", "Deployment/storefront", true).join();
    assertThat(storefront.lines().getFirst())
        .isEqualTo("set /spec/replicas=7 in apps/storefront/deployment.yaml");
    Preview everything = console.previewBackportAll(null, true).join();
    assertThat(everything.lines())
        .filteredOn(l -> !l.startsWith(" "))
        .containsExactly(
            "Backport the hotfix of apps/Deployment shop/inventory to Git",
            "Backport the hotfix of apps/Deployment shop/storefront to Git");

    List<CommandResult> each = new CopyOnWriteArrayList<>();
    CommandResult all = console.backportAll(null, true, each::add).join();

    assertThat(all.ok()).as(all.message() + all.details()).isTrue();
    assertThat(all.message()).isEqualTo("backported 2 hotfixed objects, pushed");
    assertThat(each).extracting(CommandResult::details)
        .containsExactly(
            List.of("/spec/template/spec/containers/0/image=registry.example/shop/inventory:9.9.9"),
            List.of("/spec/replicas=7"));
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.read("main", "apps/inventory/deployment.yaml")).contains("inventory:9.9.9");
      assertThat(remote.read("main", "apps/storefront/deployment.yaml")).contains("replicas: 7");
      assertThat(
              storefront.lines().stream()
                  .filter(l -> l.startsWith("  | "))
                  .map(l -> l.substring(4))
                  .toList())
          .as("the preview's message is the commit's, line for line")
          .isEqualTo(remote.parse("main").getFullMessage().strip().lines().toList());
    }
    assertThat(console.snapshot().applications())
        .allSatisfy(v -> assertThat(v.hotfixes()).isEmpty());
    assertThat(console.backportAll(null, true).join().message())
        .isEqualTo("no application has a hotfixed field to backport");
  }

  @Test
  void historyListsTheCommitsThatTouchedTheApplicationNewestFirst() {
    ApplicationHistory history = console.history("payments", 10).join();

    assertThat(history.ok()).isTrue();
    assertThat(history.path()).isEqualTo("apps/payments");
    assertThat(history.commits())
        .extracting(ApplicationHistory.Commit::sha)
        .containsExactly(commits.get(2), commits.get(1), commits.get(0));
    assertThat(history.commits().getFirst().subject())
        .isEqualTo("payments: fix the indentation of spec.selector");

    ApplicationHistory unknown = console.history("nope", 10).join();
    assertThat(unknown.status()).isEqualTo(CommandResult.Status.BAD_INPUT);
    assertThat(unknown.message()).startsWith("no application named 'nope'");
  }

  @Test
  void aConsoleSwitchesOnlyToItsOwnContextAndSaysSo() {
    String context = gateway.context();
    assertThat(console.switchContext(context).join().message())
        .isEqualTo("already on context " + context);
    CommandResult other = console.switchContext("prod").join();
    assertThat(other.status()).isEqualTo(CommandResult.Status.REFUSED);
    assertThat(other.message())
        .isEqualTo(
            "this console is bound to context "
                + context
                + "; open a switchable console to switch to prod");
  }

  private void kubectlEdit(String name, Map<String, Object> spec) {
    gateway.apply(
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", name, "namespace", "shop"),
            "spec",
            spec),
        new ApplyOptions("kubectl-edit", true, false));
  }
}
