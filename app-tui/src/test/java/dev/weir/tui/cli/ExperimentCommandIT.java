package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.cluster.ApplyOptions;
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
 * {@code weir experiment status|conclude} against the sandbox API server on the sample repository,
 * where no experiment runs: what a user sees, the exit codes, and that a refused conclusion commits
 * nothing. A running experiment, judged and concluded, is {@code ExperimentSandboxIT} (drills),
 * through the same façade calls.
 */
class ExperimentCommandIT {
  @TempDir Path home;
  Path repo;
  String head;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    List<String> commits =
        SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z")).commits();
    head = commits.getLast();
    cluster = new TestCluster(home.resolve("cluster"));
    cluster
        .gateway()
        .apply(
            Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop")),
            ApplyOptions.weir());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  CliRun weir(String... args) {
    List<String> all = new ArrayList<>(List.of("experiment"));
    all.addAll(List.of(args));
    all.addAll(List.of("--repo", repo.toString(), "--kubeconfig", cluster.kubeconfig.toString()));
    return CliRun.weir(home, all.toArray(String[]::new));
  }

  @Test
  void statusSaysWhenNoExperimentRuns() {
    CliRun run = weir("status", "storefront");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("storefront: no experiment is running\n");

    CliRun json = weir("status", "storefront", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out())
        .isEqualTo("{\n  \"application\" : \"storefront\",\n  \"experiments\" : [ ]\n}\n");
  }

  @Test
  void anUnknownApplicationOrFormatIsBadInput() {
    CliRun unknown = weir("status", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no application named 'nope'");

    CliRun format = weir("status", "storefront", "-o", "yaml");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("-o: expected text or json, got 'yaml'");
  }

  @Test
  void concludeWithoutAnExperimentIsRefusedAndCommitsNothing() throws Exception {
    CliRun run = weir("conclude", "storefront", "--keep", "--reason", "no gain");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "no experiment is running in storefront: none of its rollouts stands at an"
                + " experiment step");
    try (RepoBuilder git = RepoBuilder.open(repo)) {
      assertThat(git.head()).isEqualTo(head);
    }
  }

  @Test
  void concludeNeedsExactlyOneOfPromoteAndKeep() {
    CliRun neither = weir("conclude", "storefront", "--reason", "x");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("--promote").contains("--keep");

    CliRun both = weir("conclude", "storefront", "--promote", "--keep", "--reason", "x");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }
}
