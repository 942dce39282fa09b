package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir status} as a new user meets it: {@code weir sandbox init}, then {@code weir status
 * --sandbox} on the sample repository, with and without Application files broken by a push.
 */
class StatusCommandIT {
  @TempDir Path home;
  Path repository;

  @BeforeEach
  void init() {
    repository = home.resolve("shop");
    CliRun init = CliRun.weir(home, "sandbox", "init", repository.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
  }

  CliRun status(String... more) {
    List<String> args = new ArrayList<>(List.of("status", "--repo", repository.toString(), "--sandbox"));
    args.addAll(List.of(more));
    return CliRun.weir(home, args.toArray(String[]::new));
  }

  /** Clones the repository, edits {@code file} by replacing {@code from} with {@code to}, pushes. */
  void push(String file, String from, String to) throws Exception {
    Path work = home.resolve("work-" + Math.abs((file + from).hashCode()));
    try (Git git = Git.cloneRepository().setURI(repository.toUri().toString()).setDirectory(work.toFile()).call()) {
      Path path = work.resolve(file);
      String text = Files.readString(path);
      assertThat(text).as(file).contains(from);
      Files.writeString(path, text.replace(from, to));
      PersonIdent alice = new PersonIdent("alice", "alice@example.com");
      git.commit().setAll(true).setMessage("edit " + file).setAuthor(alice).setCommitter(alice).call();
      git.push().call();
    }
  }

  @Test
  void anApplicationWhoseDefinitionDoesNotLoadIsARowWithFileLineAndColumnAndStatusExitsOne()
      throws Exception {
    // a YAML error: the application's name cannot be read
    push("apps/pricing/application.yaml", "destination: {namespace: shop}", "destination: {namespace: shop");
    // a missing field: the application is known by name
    push("apps/search/application.yaml", "source: {path: apps/search/overlay}", "source: {}");

    CliRun status = status();

    assertThat(status.exitCode()).as(status.err()).isEqualTo(1);
    assertThat(status.out())
        .containsPattern("(?m)^search +Unknown +Unknown +[0-9a-f]{7} +apps/search/application\\.yaml:6:11")
        .containsPattern("(?m)^\\? +Unknown +Unknown +- +apps/pricing/application\\.yaml:8:13")
        .doesNotContainPattern("(?m)^pricing ")
        .containsPattern("(?m)^checkout +Synced +\\w+ +[0-9a-f]{7}\\b");
    assertThat(status.err().lines().toList())
        .as("each failure whole on stderr, whatever the width")
        .contains("weir: apps/search/application.yaml:6:11: Application search: spec.source.path is required")
        .anyMatch(line -> line.startsWith("weir: apps/pricing/application.yaml:8:13: could not look for Applications: invalid YAML"));

    CliRun wide = status("-o", "wide");
    assertThat(wide.exitCode()).isEqualTo(1);
    assertThat(wide.out())
        .containsPattern("(?m)^search +Unknown +Unknown +[0-9a-f]{7} +nobody +apps/search/application\\.yaml:6:11: spec\\.source\\.path is required$")
        .containsPattern("(?m)^\\? +Unknown +Unknown +- +- +apps/pricing/application\\.yaml:8:13: invalid YAML: .*expected ',' or '}'");

    CliRun json = status("-o", "json");
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode failures = new ObjectMapper().readTree(json.out()).path("definitionFailures");
    assertThat(failures).hasSize(2);
    assertThat(failures.get(0).path("file").asText()).isEqualTo("apps/pricing/application.yaml");
    assertThat(failures.get(0).path("application").isNull()).isTrue();
    assertThat(failures.get(0).path("line").asInt()).isEqualTo(8);
    assertThat(failures.get(0).path("reason").asText()).isEqualTo("SYNTAX");
    assertThat(failures.get(1).path("application").asText()).isEqualTo("search");
    assertThat(failures.get(1).path("column").asInt()).isEqualTo(11);
    assertThat(failures.get(1).path("problem").asText()).isEqualTo("Application search: spec.source.path is required");
  }

  @Test
  void everyLineFitsEightyColumnsWithTheMessageCutAndWideShowsItWhole() {
    CliRun table = status();
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().lines().toList())
        .allSatisfy(line -> assertThat(line.codePointCount(0, line.length())).as(line).isLessThanOrEqualTo(80))
        .anySatisfy(line -> assertThat(line).startsWith("inventory ").hasSize(80).endsWith("…"));
    assertThat(table.out()).startsWith("NAME").containsPattern("(?m)^platform +Synced +Healthy +[0-9a-f]{7}$")
        // no replica in the sandbox, and status drives nothing: said once, under the table
        .contains(
            "\nnobody drives these applications: no reconciler replica holds their Leases\n");

    CliRun wide = status("-o", "wide");
    assertThat(wide.exitCode()).as(wide.err()).isZero();
    assertThat(wide.out())
        .containsPattern(
            "(?m)^inventory +OutOfSync +\\w+ +[0-9a-f]{7} +nobody +1 drifted \\(Deployment inventory: kubectl-edit changed"
                + " spec\\.replicas 3→5 at \\d\\d:\\d\\d\\)$")
        .containsPattern("(?m)^platform +Synced +Healthy +[0-9a-f]{7} +nobody$")
        .doesNotContain("…");
  }
}
