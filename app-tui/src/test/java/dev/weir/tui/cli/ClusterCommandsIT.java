package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.cluster.ApplyOptions;
import dev.weir.engine.model.ResourceKey;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Files;
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
 * {@code weir diff}, {@code sync}, {@code status}, {@code reconcile}, {@code rollback} and the
 * incident controls ({@code freeze}, {@code unfreeze}, {@code hotfix}, {@code backport}, {@code
 * unpin}) against the sandbox API server, through a kubeconfig file, on the sample repository.
 */
class ClusterCommandsIT {
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
  void diffShowsWhatASyncWouldCreateThenSyncMakesTheClusterMatchAndDiffIsQuiet() throws Exception {
    CliRun before = weir("diff", "--app", "storefront", "--color", "never");
    assertThat(before.exitCode()).as(before.err()).isEqualTo(1);
    assertThat(before.out())
        .contains("# storefront: apps/Deployment shop/storefront missing in the cluster")
        .contains("+++ git/apps.Deployment.shop.storefront");

    CliRun sync = weir("sync");
    assertThat(sync.exitCode()).as(sync.err() + sync.out()).isZero();
    assertThat(sync.out())
        .contains("created Namespace shop")
        .contains("synced platform to ")
        .contains("created gateway.networking.k8s.io/HTTPRoute shop/storefront")
        .contains("synced storefront to " + commits.getLast().substring(0, 7));
    assertThat(sync.out().indexOf("synced platform"))
        .as("the application creating Namespaces goes first")
        .isLessThan(sync.out().indexOf("synced checkout"));

    CliRun after = weir("diff");
    assertThat(after.exitCode()).as(after.out() + after.err()).isZero();
    assertThat(after.out()).isEmpty();

    CliRun status = weir("status", "-o", "json");
    assertThat(status.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(status.out());
    assertThat(json.path("cluster").path("reachable").asBoolean()).isTrue();
    assertThat(json.path("applications").findValuesAsText("sync")).containsOnly("Synced");
    assertThat(json.path("applications").get(0).path("lastSync").path("outcome").asText())
        .isEqualTo("SUCCEEDED");
  }

  /** A replica's Lease on {@code application}, renewed at {@code renewed} for {@code seconds}. */
  void shardLease(String application, Instant renewed, int seconds) {
    lease("weir-shard-" + application, "weir-7d9f-x2x (pid 1, weir reconcile) #0123456789abcdef", renewed, seconds);
  }

  /** A Lease {@code name} in namespace weir held by {@code holder}, renewed at {@code renewed}. */
  void lease(String name, String holder, Instant renewed, int seconds) {
    String time = java.time.format.DateTimeFormatter.ISO_INSTANT.format(renewed.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    cluster.gateway().apply(
        Map.of(
            "apiVersion", "coordination.k8s.io/v1",
            "kind", "Lease",
            "metadata", Map.of("name", name, "namespace", "weir"),
            "spec",
                Map.of(
                    "holderIdentity", holder,
                    "leaseDurationSeconds", seconds,
                    "acquireTime", time,
                    "renewTime", time)),
        ApplyOptions.weir());
  }

  @Test
  void statusSaysWhichReplicaDrivesEachApplicationAndWhichNobodyDrives() throws Exception {
    cluster.gateway().apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "weir")),
        ApplyOptions.weir());
    // the Leases are compared with this command's own clock: held for an hour from now, or
    // expired an hour ago, whatever the clock says to the second
    Instant now = Instant.now();
    shardLease("checkout", now, 3600);
    shardLease("storefront", now.minusSeconds(7215), 15);

    CliRun table = weir("status");
    assertThat(table.out())
        .startsWith("NAME ")
        .containsPattern("(?m)^NAME +SYNC +HEALTH +REV +DRIVER +MESSAGE$")
        .containsPattern("(?m)^checkout +\\w+ +\\w+ +[0-9a-f]{7} +weir-7d9f-x2x\\b")
        .containsPattern("(?m)^storefront +\\w+ +\\w+ +[0-9a-f]{7} +nobody\\b");

    CliRun status = weir("status", "-o", "json");
    JsonNode apps = new ObjectMapper().readTree(status.out()).path("applications");
    JsonNode checkout = null;
    JsonNode storefront = null;
    for (JsonNode app : apps) {
      if (app.path("name").asText().equals("checkout")) {
        checkout = app.path("driver");
      } else if (app.path("name").asText().equals("storefront")) {
        storefront = app.path("driver");
      }
    }
    assertThat(checkout.path("kind").asText()).isEqualTo("replica");
    assertThat(checkout.path("who").asText()).isEqualTo("weir-7d9f-x2x");
    assertThat(checkout.path("holder").asText()).isEqualTo("weir-7d9f-x2x (pid 1, weir reconcile)");
    assertThat(checkout.path("message").asText())
        .matches("driven by replica weir-7d9f-x2x · Lease renewed \\d+ s ago");
    assertThat(Instant.parse(checkout.path("expiresAt").asText()))
        .isEqualTo(Instant.parse(checkout.path("renewedAt").asText()).plusSeconds(3600));
    assertThat(storefront.path("kind").asText()).isEqualTo("nobody");
    assertThat(storefront.path("message").asText())
        .isEqualTo(
            "nobody drives storefront: replica weir-7d9f-x2x's Lease expired 2 h ago and this"
                + " console does not drive it");
    assertThat(apps.findValuesAsText("kind")).contains("replica", "nobody");
  }

  @Test
  void statusNamesThePersonWhoseConsoleAnnouncesItDrivesAnApplication() throws Exception {
    cluster.gateway().apply(
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "weir")),
        ApplyOptions.weir());
    // alice's watching console announces storefront (decision 0049); a console that died
    // announced checkout two hours ago: ignored
    Instant now = Instant.now();
    lease("weir-console-storefront", "alice@laptop (pid 4242, weir tui) #0123456789abcdef", now, 3600);
    lease("weir-console-checkout", "bob@bastion (pid 77, weir tui) #fedcba9876543210", now.minusSeconds(7215), 30);

    CliRun table = weir("status");
    assertThat(table.out())
        .containsPattern("(?m)^NAME +SYNC +HEALTH +REV +DRIVER +MESSAGE$")
        .containsPattern("(?m)^storefront +\\w+ +\\w+ +[0-9a-f]{7} +alice@laptop\\b")
        .containsPattern("(?m)^checkout +\\w+ +\\w+ +[0-9a-f]{7} +nobody\\b")
        .doesNotContain("bob@bastion");

    JsonNode apps = new ObjectMapper().readTree(weir("status", "-o", "json").out()).path("applications");
    JsonNode storefront = null;
    for (JsonNode app : apps) {
      if (app.path("name").asText().equals("storefront")) {
        storefront = app.path("driver");
      }
    }
    assertThat(storefront.path("kind").asText()).isEqualTo("console");
    assertThat(storefront.path("who").asText()).isEqualTo("alice@laptop");
    assertThat(storefront.path("holder").asText()).isEqualTo("alice@laptop (pid 4242, weir tui)");
    assertThat(storefront.path("message").asText())
        .matches("driven by alice@laptop's console · announced \\d+ s ago");
    assertThat(Instant.parse(storefront.path("expiresAt").asText()))
        .isEqualTo(Instant.parse(storefront.path("renewedAt").asText()).plusSeconds(3600));
  }

  @Test
  void diffNamesWhoChangedAFieldRedactsSecretsAndHonoursIgnoreRules() {
    assertThat(weir("sync").exitCode()).isZero();
    var gateway = cluster.gateway();
    cluster.clock.advance(java.time.Duration.ofMinutes(42));
    for (String app : List.of("storefront", "payments")) {
      gateway.apply(
          Map.of(
              "apiVersion",
              "apps/v1",
              "kind",
              "Deployment",
              "metadata",
              Map.of("name", app, "namespace", "shop"),
              "spec",
              Map.of("replicas", 9)),
          new ApplyOptions("kubectl-edit", true, false));
    }
    gateway.apply(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Secret",
            "metadata",
            Map.of("name", "payments-gateway", "namespace", "shop"),
            "stringData",
            Map.of("api-key", "leaked-by-hand")),
        new ApplyOptions("kubectl-edit", true, false));

    CliRun diff = weir("diff", "--color", "never");
    assertThat(diff.exitCode()).isEqualTo(1);
    assertThat(diff.out())
        .contains("# storefront: apps/Deployment shop/storefront drifted")
        .containsPattern("kubectl-edit changed spec.replicas \\d+→9 at \\d\\d:\\d\\d")
        .contains("data.api-key: <redacted, changed>")
        .doesNotContain("leaked-by-hand")
        .doesNotContain("sandbox-not-a-real-key")
        .doesNotContain("apps/Deployment shop/payments drifted");

    CliRun json = weir("diff", "--app", "storefront", "-o", "json");
    assertThat(json.exitCode()).isEqualTo(1);
    assertThat(json.out())
        .contains("\"manager\" : \"kubectl-edit\"", "\"path\" : \"spec.replicas\"");
  }

  @Test
  void syncDryRunChangesNothingAndANonExistentAppIsBadInput() {
    CliRun dry = weir("sync", "--app", "platform", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("would apply Namespace shop (create)", "dry run of platform to ");
    assertThat(cluster.gateway().get(new ResourceKey("", "Namespace", "", "shop"))).isEmpty();

    CliRun unknown = weir("sync", "--app", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no application named 'nope'");
  }

  @Test
  void anUnreachableClusterIsExitCodeThreeWithOneLine() throws Exception {
    Path dead = home.resolve("dead-kubeconfig");
    Files.writeString(
        dead,
        Files.readString(cluster.kubeconfig).replace(":" + cluster.server.url().getPort(), ":1"));
    CliRun run =
        CliRun.weir(home, "diff", "--repo", repo.toString(), "--kubeconfig", dead.toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err().strip())
        .startsWith("weir: ")
        .contains("cannot reach the API server")
        .doesNotContain("\n");
  }

  @Test
  void reconcileOnceSyncsAutomatedApplicationsAndSelfHealsDriftLoggingOneLinePerAction() {
    CliRun first = weir("reconcile", "--once");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("platform: Git moved to ")
        .contains("storefront: Git moved to ")
        .as("who synced, once, after what happened")
        .containsPattern("storefront: Git moved to \\w+: [^\n]*  \\(automated\\)")
        .doesNotContain("automated (");

    cluster
        .gateway()
        .apply(
            Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "storefront", "namespace", "shop"),
                "spec",
                Map.of("replicas", 9)),
            new ApplyOptions("kubectl-edit", true, false));
    CliRun heal = weir("reconcile", "--once");
    assertThat(heal.exitCode()).as(heal.err()).isZero();
    assertThat(heal.out()).containsPattern("storefront: the cluster drifted from \\w+: [^\n]*  \\(self-heal\\)");
    assertThat(
            cluster
                .gateway()
                .get(new ResourceKey("apps", "Deployment", "shop", "storefront"))
                .orElseThrow()
                .at("spec.replicas"))
        .isNotEqualTo(java.util.Optional.of(9L));
  }

  @Test
  void rollbackThatCannotPushPinsTheApplicationSoSelfHealKeepsTheOldRevision() {
    assertThat(weir("sync").exitCode()).isZero();
    String good = commits.get(3);
    CliRun rollback =
        weir(
            "rollback",
            "storefront",
            "--to",
            good.substring(0, 7),
            "--no-push",
            "--reason",
            "v2.4.1 fails checkouts");
    assertThat(rollback.exitCode()).as(rollback.err() + rollback.out()).isZero();
    assertThat(rollback.out())
        .contains("not pushed")
        .contains("storefront is pinned at " + good.substring(0, 7));
    String image = image();
    assertThat(image).endsWith("/storefront:2.4.0");

    CliRun status = weir("status", "-o", "wide");
    assertThat(status.out()).contains("pinned at " + good.substring(0, 7));
    CliRun reconcile = weir("reconcile", "--once");
    assertThat(reconcile.exitCode()).as(reconcile.err()).isZero();
    assertThat(image())
        .as("self-heal holds to the pin, never the bad head")
        .endsWith("/storefront:2.4.0");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).isEqualTo(commits.getLast());
    }
  }

  @Test
  void rollbackThatPushesSyncsTheClusterToTheNewHead() {
    assertThat(weir("sync").exitCode()).isZero();
    CliRun rollback =
        weir(
            "rollback",
            "storefront",
            "--to",
            commits.get(3).substring(0, 7),
            "--reason",
            "bad release");
    assertThat(rollback.exitCode()).as(rollback.err() + rollback.out()).isZero();
    assertThat(rollback.out())
        .contains("pushed to main")
        .as("the rollout puts the restored version on stable at once, no canary steps")
        .contains("rollout storefront: rolled back to v2.4.0 (was v2.4.1) by ")
        .contains("storefront is in sync with ");
    assertThat(image()).endsWith("/storefront:2.4.0");
    assertThat(weir("status", "-o", "wide").out()).doesNotContain("pinned");
  }

  @Test
  void aFrozenApplicationShowsInStatusIsNotSyncedByReconcileAndUnfreezeRestoresIt()
      throws Exception {
    CliRun freeze =
        weir("freeze", "storefront", "--reason", "incident 42: checkout errors", "--for", "2h");
    assertThat(freeze.exitCode()).as(freeze.err()).isZero();
    assertThat(freeze.out().strip())
        .startsWith("froze storefront until ")
        .endsWith(": incident 42: checkout errors")
        .doesNotContain("\n");

    CliRun status = weir("status", "-o", "wide");
    assertThat(status.out())
        .containsPattern("storefront .*frozen by \\S+ until .*: incident 42: checkout errors");
    JsonNode json = new ObjectMapper().readTree(weir("status", "-o", "json").out());
    JsonNode storefront = application(json, "storefront");
    assertThat(storefront.path("frozen").path("reason").asText())
        .isEqualTo("incident 42: checkout errors");
    assertThat(application(json, "platform").path("frozen").isNull()).isTrue();

    CliRun frozen = weir("reconcile", "--once");
    assertThat(frozen.exitCode()).as(frozen.err()).isZero();
    assertThat(frozen.out())
        .contains("platform: Git moved to ")
        .doesNotContain("storefront: Git moved to");
    ResourceKey deployment = new ResourceKey("apps", "Deployment", "shop", "storefront");
    assertThat(cluster.gateway().get(deployment))
        .as("a frozen application is not synced")
        .isEmpty();

    CliRun unfreeze = weir("unfreeze", "storefront");
    assertThat(unfreeze.exitCode()).as(unfreeze.err()).isZero();
    assertThat(unfreeze.out().strip()).isEqualTo("unfroze storefront");
    CliRun thawed = weir("reconcile", "--once");
    assertThat(thawed.out()).contains("storefront: Git moved to ");
    assertThat(cluster.gateway().get(deployment)).isPresent();
    assertThat(weir("status", "-o", "wide").out()).doesNotContain("frozen");
  }

  @Test
  void freezeAllHoldsEveryApplicationUntilUnfreezeAll() {
    CliRun freeze = weir("freeze", "--all", "--reason", "release freeze");
    assertThat(freeze.exitCode()).as(freeze.err()).isZero();
    assertThat(freeze.out()).startsWith("froze every application until ");
    CliRun frozen = weir("reconcile", "--once");
    assertThat(frozen.exitCode()).as(frozen.err()).isZero();
    assertThat(frozen.out()).doesNotContain("(automated)");
    assertThat(cluster.gateway().get(new ResourceKey("", "Namespace", "", "shop"))).isEmpty();

    assertThat(weir("unfreeze", "--all").out().strip()).isEqualTo("unfroze every application");
    assertThat(weir("reconcile", "--once").out()).contains("platform: Git moved to ");

    CliRun neither = weir("freeze", "--reason", "x");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err().strip())
        .isEqualTo("weir: name one application, or --all for every application");
  }

  @Test
  void badDurationsAreExitCodeTwoWithOneLine() {
    CliRun freeze = weir("freeze", "storefront", "--reason", "x", "--for", "2 hours");
    assertThat(freeze.exitCode()).isEqualTo(2);
    assertThat(freeze.err().strip())
        .isEqualTo("weir: --for '2 hours' is not a duration; use e.g. 30m, 2h, 1h30m or 1d");
    CliRun hotfix =
        weir(
            "hotfix",
            "storefront",
            "--resource",
            "Deployment/storefront",
            "--reason",
            "x",
            "--for",
            "0h");
    assertThat(hotfix.exitCode()).isEqualTo(2);
    assertThat(hotfix.err().strip())
        .startsWith("weir: --for '0h' is not a duration")
        .doesNotContain("\n");
    assertThat(
            cluster
                .gateway()
                .get(new ResourceKey("", "ConfigMap", "shop", "weir-state-storefront")))
        .as("nothing recorded")
        .isEmpty();
  }

  @Test
  void aHotfixedFieldSurvivesReconcileShowsBackportPendingAndBackportCommitsItToGit()
      throws Exception {
    assertThat(weir("reconcile", "--once").exitCode()).isZero();
    ResourceKey deployment = new ResourceKey("apps", "Deployment", "shop", "storefront");
    cluster
        .gateway()
        .apply(
            Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "storefront", "namespace", "shop"),
                "spec",
                Map.of("replicas", 9)),
            new ApplyOptions("kubectl-edit", true, false));

    CliRun hotfix =
        weir(
            "hotfix",
            "storefront",
            "--resource",
            "deployment/storefront",
            "--field",
            "spec.replicas",
            "--reason",
            "scaled up for the sale",
            "--for",
            "4h");
    assertThat(hotfix.exitCode()).as(hotfix.err()).isZero();
    assertThat(hotfix.out()).contains("/spec/replicas").contains("scaled up for the sale");
    assertThat(weir("status", "-o", "wide").out()).contains("1 hotfix, backport pending");

    CliRun reconcile = weir("reconcile", "--once");
    assertThat(reconcile.exitCode()).as(reconcile.err()).isZero();
    assertThat(cluster.gateway().get(deployment).orElseThrow().at("spec.replicas"))
        .as("self-heal leaves the hotfixed field alone")
        .isEqualTo(java.util.Optional.of(9L));

    CliRun backport = weir("backport", "storefront");
    assertThat(backport.exitCode()).as(backport.err() + backport.out()).isZero();
    assertThat(backport.out()).contains("/spec/replicas=9").contains("pushed to main");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).isNotEqualTo(commits.getLast());
      assertThat(remote.parse(remote.head()).getFullMessage())
          .startsWith("Backport hotfix of ")
          .contains("scaled up for the sale");
      assertThat(remote.read(remote.head(), "apps/storefront/deployment.yaml"))
          .contains("replicas: 9");
    }
    assertThat(weir("status", "-o", "wide").out()).doesNotContain("backport pending");
    assertThat(weir("diff", "--app", "storefront").exitCode())
        .as("Git and the cluster agree")
        .isZero();

    CliRun nothing = weir("backport", "storefront");
    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err().strip())
        .isEqualTo("weir: storefront has no hotfixed field to backport");
  }

  @Test
  void hotfixEndLetsSelfHealRestoreGitsValue() {
    assertThat(weir("reconcile", "--once").exitCode()).isZero();
    ResourceKey deployment = new ResourceKey("apps", "Deployment", "shop", "storefront");
    cluster
        .gateway()
        .apply(
            Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                Map.of("name", "storefront", "namespace", "shop"),
                "spec",
                Map.of("replicas", 9)),
            new ApplyOptions("kubectl-edit", true, false));
    assertThat(
            weir(
                    "hotfix",
                    "storefront",
                    "--resource",
                    "Deployment/shop/storefront",
                    "--reason",
                    "x")
                .exitCode())
        .isZero();
    CliRun end = weir("hotfix", "storefront", "--resource", "Deployment/storefront", "--end");
    assertThat(end.exitCode()).as(end.err()).isZero();
    assertThat(end.out().strip()).isEqualTo("ended the hotfixes of " + deployment);
    assertThat(weir("status", "-o", "wide").out()).doesNotContain("backport pending");
    assertThat(weir("reconcile", "--once").out()).containsPattern("storefront: the cluster drifted from \\w+: [^\n]*  \\(self-heal\\)");
    assertThat(cluster.gateway().get(deployment).orElseThrow().at("spec.replicas"))
        .isNotEqualTo(java.util.Optional.of(9L));

    CliRun unknown = weir("hotfix", "storefront", "--resource", "Deployment/nope", "--reason", "x");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().strip()).isEqualTo("weir: storefront has no object Deployment/nope");
  }

  @Test
  void unpinMakesAPinnedApplicationFollowGitsHeadAgain() {
    assertThat(weir("sync").exitCode()).isZero();
    String good = commits.get(3).substring(0, 7);
    assertThat(weir("rollback", "storefront", "--to", good, "--no-push").exitCode()).isZero();
    assertThat(weir("status", "-o", "wide").out()).contains("pinned at " + good);

    CliRun unpin = weir("unpin", "storefront");
    assertThat(unpin.exitCode()).as(unpin.err()).isZero();
    assertThat(unpin.out().strip()).isEqualTo("unpinned storefront");
    assertThat(weir("status", "-o", "wide").out())
        .doesNotContain("pinned")
        .as("Git's head goes out through the storefront's canary, not through a sync")
        .contains("rollout storefront Progressing: v2.4.1 due beside v2.4.0");
    weir("reconcile", "--once");
    assertThat(image()).endsWith("/storefront:2.4.0");
  }

  private static JsonNode application(JsonNode status, String name) {
    for (JsonNode app : status.path("applications")) {
      if (app.path("name").asText().equals(name)) {
        return app;
      }
    }
    throw new AssertionError("no application " + name + " in " + status);
  }

  @SuppressWarnings("unchecked")
  private String image() {
    var web =
        cluster
            .gateway()
            .get(new ResourceKey("apps", "Deployment", "shop", "storefront"))
            .orElseThrow();
    var containers =
        (List<Map<String, Object>>)
            ((Map<String, Object>) ((Map<String, Object>) web.spec().get("template")).get("spec"))
                .get("containers");
    return (String)
        containers.stream()
            .filter(c -> c.get("name").equals("storefront"))
            .findFirst()
            .orElse(containers.getFirst())
            .get("image");
  }
}
