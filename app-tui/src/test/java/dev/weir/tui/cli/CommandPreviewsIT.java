package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.model.ResourceKey;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees of the engine's previews and of the commands of many on the command line:
 * {@code weir rollback} (with {@code --preview}), {@code sync} (one and all), {@code hotfix} by the
 * path the diff shows, {@code backport --all} and {@code history}, against the sandbox API server
 * through a kubeconfig, on the sample repository.
 */
class CommandPreviewsIT {
  @TempDir Path home;
  Path repo;
  List<String> commits;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    commits = SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
    cluster = new TestCluster(home.resolve("cluster"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  CliRun weir(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(List.of("--repo", repo.toString(), "--kubeconfig", cluster.kubeconfig.toString()));
    return CliRun.weir(home, all.toArray(String[]::new));
  }

  @Test
  void rollbackPrintsTheExactCommitThePushAndTheSyncBeforeDoingItAndPreviewOnlyChangesNothing()
      throws Exception {
    assertThat(weir("sync").exitCode()).isZero();
    String good = commits.get(3).substring(0, 7);

    CliRun preview =
        weir("rollback", "storefront", "--to", good, "--reason", "bad release", "--preview");

    assertThat(preview.exitCode()).as(preview.err()).isZero();
    assertThat(preview.out())
        .startsWith("Roll back storefront to " + good + "\n")
        .contains(
            "  commit on branch main (on top of " + commits.getLast().substring(0, 7) + "), authored by ",
            "    | Roll back storefront to " + good + "\n",
            "    | Reason: bad release\n",
            "    | Weir-Action: rollback\n",
            "  push: to main on the remote;",
            "  then sync storefront to apps/storefront as at " + good + ":\n",
            "    nothing to do: in sync\n")
        .endsWith("nothing changed: a preview only\n");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).isEqualTo(commits.getLast());
    }

    CliRun rollback = weir("rollback", "storefront", "--to", good, "--reason", "bad release");

    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out().indexOf("    | Reason: bad release"))
        .as("the preview comes before what was done")
        .isGreaterThan(0)
        .isLessThan(rollback.out().indexOf("Rolled back storefront to " + good));
    assertThat(rollback.out()).contains("pushed to main");
  }

  @Test
  void rollbackToARevisionThatDoesNotRenderSaysWhyOnceAndChangesNothing() throws Exception {
    CliRun run = weir("rollback", "payments", "--to", commits.get(1), "--preview");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip())
        .startsWith("weir: payments does not render at " + commits.get(1))
        .endsWith("refusing to roll back to it")
        .doesNotContain("\n");
  }

  @Test
  void rollbackWithoutAClusterPreviewsTheCommitAndSaysNothingIsSynced() {
    String good = commits.get(0).substring(0, 7);
    CliRun run =
        CliRun.weir(
            home, "rollback", "checkout", "--repo", repo.toString(), "--to", good, "--no-push", "--preview");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("Roll back checkout to " + good + "\n")
        .contains("    | Roll back checkout to " + good, "  push: no; the commit stays in the local clone\n")
        .contains("  no cluster: nothing is synced");
  }

  @Test
  void syncPrintsThePlanThenWhatItDidInTheEnginesOrder() {
    CliRun one = weir("sync", "--app", "platform");

    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(one.out())
        .startsWith("Sync platform to " + commits.getLast().substring(0, 7) + "\n")
        .contains("  create Namespace shop (wave 0)\n", "  created Namespace shop");

    CliRun all = weir("sync", "--all");

    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out())
        .startsWith("Sync 7 applications in order\n  Sync platform to ")
        .contains("    create apps/Deployment shop/inventory (wave 0)")
        .endsWith(
            "synced 7 applications in order: platform, checkout, inventory, payments, pricing,"
                + " search, storefront\n");
    assertThat(all.out().indexOf("synced platform"))
        .isLessThan(all.out().indexOf("synced checkout"));

    CliRun both = weir("sync", "--all", "--app", "platform");
    assertThat(both.exitCode()).isEqualTo(2);
  }

  @Test
  void hotfixByThePathTheDiffShowsThenBackportAllWritesItToGit() throws Exception {
    assertThat(weir("sync").exitCode()).isZero();
    cluster
        .gateway()
        .apply(
            Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "inventory", "namespace", "shop"),
                "spec",
                Map.of(
                    "template",
                    Map.of(
                        "spec",
                        Map.of(
                            "containers",
                            List.of(
                                Map.of(
                                    "name",
                                    "inventory",
                                    "image",
                                    "registry.example/shop/inventory:9.9.9")))))),
            new ApplyOptions("kubectl-edit", true, false));
    CliRun diff = weir("diff", "--app", "inventory", "--color", "never");
    assertThat(diff.out()).contains("spec.template.spec.containers[name=inventory].image");

    CliRun hotfix =
        weir(
            "hotfix",
            "inventory",
            "--resource",
            "apps/Deployment shop/inventory",
            "--field",
            "spec.template.spec.containers[name=inventory].image",
            "--reason",
            "hot patch");

    assertThat(hotfix.exitCode()).as(hotfix.err()).isZero();
    assertThat(hotfix.out())
        .startsWith(
            "hotfix on apps/Deployment shop/inventory /spec/template/spec/containers/0/image by ");
    assertThat(weir("diff", "--app", "inventory").exitCode()).as("no drift left").isZero();

    CliRun backport = weir("backport", "--all");

    assertThat(backport.exitCode()).as(backport.err()).isZero();
    assertThat(backport.out())
        .startsWith(
            "Backport every hotfix to Git\n"
                + "  Backport the hotfix of apps/Deployment shop/inventory to Git\n"
                + "    set /spec/template/spec/containers/0/image=registry.example/shop/inventory:9.9.9"
                + " in apps/inventory/deployment.yaml\n")
        .contains(
            "      | Backport hotfix of apps/Deployment shop/inventory:"
                + " /spec/template/spec/containers/0/image=registry.example/shop/inventory:9.9.9\n",
            "      | Reason: hot patch\n",
            "      | Weir-Action: backport\n",
            "    push: to main on the remote; once pushed the hotfix ends\n")
        .contains("  /spec/template/spec/containers/0/image=registry.example/shop/inventory:9.9.9")
        .contains("pushed to main")
        .endsWith("backported 1 hotfixed object, pushed\n");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.read("main", "apps/inventory/deployment.yaml")).contains("inventory:9.9.9");
      assertThat(remote.parse("main").getFullMessage())
          .startsWith("Backport hotfix of apps/Deployment shop/inventory:")
          .contains("Reason: hot patch");
    }
    assertThat(weir("backport", "--all").out())
        .endsWith("\nno application has a hotfixed field to backport\n");
    CliRun neither = weir("backport");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err().strip())
        .isEqualTo("weir: name one application, or --all for every application");
  }

  @Test
  void historyOfAnUnknownApplicationNamesTheKnownOnes() {
    CliRun run = CliRun.weir(home, "history", "nope", "--repo", repo.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .startsWith("weir: no application named 'nope' at " + commits.getLast().substring(0, 7))
        .contains("known: checkout, inventory");
  }
}
