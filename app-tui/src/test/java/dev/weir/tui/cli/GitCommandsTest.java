package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.drills.SampleRepository;
import dev.weir.engine.testkit.RepoBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir render}, {@code history} and {@code rollback} on the sample repository, cloned from a local path. */
class GitCommandsTest {
  @TempDir Path home;
  private Path repo;
  private List<String> commits; // oldest first: bootstrap, payments typo, payments fix, checkout, storefront

  @BeforeEach
  void sample() throws Exception {
    repo = home.resolve("shop.git");
    commits = SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
  }

  private CliRun weir(String... args) {
    return CliRun.weir(home, args);
  }

  @Test
  void renderPrintsEveryApplicationsObjectsAsYamlWithoutWeirKinds() {
    CliRun run = weir("render", "--repo", repo.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("kind: Deployment", "name: storefront", "name: search", "kind: Namespace", "namespace: shop")
        .doesNotContain("kind: Rollout", "kind: AnalysisTemplate", "kind: Application", "apiVersion: weir.dev/");
  }

  @Test
  void renderOneApplicationAsAKubectlList() throws Exception {
    CliRun run = weir("render", "--repo", repo.toString(), "--app", "storefront", "-o", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode list = new ObjectMapper().readTree(run.out());
    assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items").findValuesAsText("kind"))
        .containsExactly("Service", "Service", "Deployment", "HTTPRoute");
  }

  @Test
  void renderAtARevisionThatDoesNotRenderSaysWhereAndPrintsNothing() {
    CliRun run = weir("render", "--repo", repo.toString(), "--rev", commits.get(1).substring(0, 7), "--app", "payments");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).startsWith("apps/payments/deployment.yaml:9:2: ").doesNotContain("\n");
  }

  @Test
  void renderOfTheWholeRepositoryPrintsWhatRendersAndNamesWhatDoesNot() {
    CliRun run = weir("render", "--repo", repo.toString(), "--rev", commits.get(1).substring(0, 7));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains("kind: Deployment", "name: search").doesNotContain("name: payments");
    assertThat(run.err().lines().toList())
        .anySatisfy(line -> assertThat(line).startsWith("apps/payments/deployment.yaml:9:2: "))
        .last()
        .asString()
        .matches("did not render: payments \\(1 of \\d+ applications\\)");
  }

  @Test
  void renderOfAnUnknownApplicationNamesTheKnownOnes() {
    CliRun run = weir("render", "--repo", repo.toString(), "--app", "nope");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no application named 'nope'", "checkout, inventory, payments");
  }

  @Test
  void renderOfAMissingRepositoryFailsInOneLine() {
    CliRun run = weir("render", "--repo", home.resolve("nowhere").toString());

    assertThat(run.exitCode()).isIn(2, 3);
    assertThat(run.err().strip()).startsWith("weir: ").doesNotContain("\n").doesNotContain("Exception");
  }

  @Test
  void anUnknownOutputFormatIsBadUsage() {
    CliRun run = weir("render", "--repo", repo.toString(), "-o", "xml");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("xml");
  }

  @Test
  void historyListsTheCommitsTouchingTheApplicationNewestFirst() {
    CliRun run = weir("history", "payments", "--repo", repo.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().skip(2).map(line -> line.substring(0, 7)).toList())
        .containsExactly(commits.get(2).substring(0, 7), commits.get(1).substring(0, 7), commits.get(0).substring(0, 7));
    assertThat(run.out()).contains("payments: fix the indentation of spec.selector", "Carmen Diaz");
  }

  @Test
  void rollbackCommitsOnTopWithTheReasonAndPushes() throws Exception {
    String bootstrap = commits.get(0).substring(0, 7);
    CliRun run = weir("rollback", "storefront", "--repo", repo.toString(), "--to", bootstrap,
        "--reason", "v2.4.1 fails 8% of checkouts");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Rolled back storefront to " + bootstrap).contains("pushed to main");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      var head = remote.parse("main");
      assertThat(head.getParent(0).getName()).isEqualTo(commits.getLast());
      assertThat(head.getFullMessage()).contains("Reason: v2.4.1 fails 8% of checkouts", "Restores apps/storefront from " + bootstrap);
      assertThat(remote.read("main", "apps/storefront/deployment.yaml")).contains("storefront:2.4.0");
      assertThat(remote.read("main", "apps/checkout/deployment.yaml")).contains("checkout:1.5.0");
    }
    assertThat(weir("render", "--repo", repo.toString(), "--app", "storefront").out()).contains("storefront:2.4.0");
  }

  @Test
  void rollbackToARevisionThatDoesNotRenderIsRefusedAndCommitsNothing() {
    CliRun run = weir("rollback", "payments", "--repo", repo.toString(), "--to", commits.get(1));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("payments does not render at", "apps/payments/deployment.yaml:9:2", "refusing");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).isEqualTo(commits.getLast());
    }
  }

  @Test
  void rollbackWithNoPushLeavesTheRemoteAsItWasAndSaysWhereTheCommitIs() {
    CliRun run = weir("rollback", "checkout", "--repo", repo.toString(), "--to", commits.get(0), "--no-push");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("not pushed");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.head()).isEqualTo(commits.getLast());
    }
  }
}
