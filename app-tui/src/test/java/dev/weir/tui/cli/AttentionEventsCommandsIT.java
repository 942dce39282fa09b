package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.drills.SampleRepository;
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
 * {@code weir attention} and {@code weir events} against the sandbox API server, through a
 * kubeconfig file, on the sample repository. Each command is a process of its own as far as the
 * engine is concerned: what one command did, the next reads back from the cluster.
 */
class AttentionEventsCommandsIT {
  @TempDir Path home;
  Path repo;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    repo = home.resolve("shop.git");
    SampleRepository.write(repo, Instant.parse("2026-11-20T10:00:00Z"));
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
    return CliRun.weir(home, Map.of("USER", "alice"), all.toArray(String[]::new));
  }

  @Test
  void attentionListsWhatWantsAPersonInEightyColumnsAndExitsNonZero() throws Exception {
    CliRun before = weir("attention");
    assertThat(before.exitCode()).as(before.err()).isEqualTo(1);
    assertThat(before.out().lines().toList().getFirst())
        .isEqualTo("SEV   AGE    APPLICATION  ACTION    WHAT");
    assertThat(before.out())
        .containsPattern("warn  \\d+s +storefront +sync +OutOfSync: \\d+ missing")
        .containsPattern("warn  \\d+s +checkout +sync +OutOfSync");
    assertThat(before.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));

    assertThat(weir("sync").exitCode()).isZero();
    CliRun synced = weir("attention");
    assertThat(synced.out()).doesNotContain("OutOfSync");

    CliRun frozen = weir("freeze", "storefront", "--reason", "incident 4711", "--for", "10m");
    assertThat(frozen.exitCode()).as(frozen.err()).isZero();
    CliRun json = weir("attention", "-o", "json");
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode items = new ObjectMapper().readTree(json.out()).path("items");
    JsonNode freeze = null;
    for (JsonNode item : items) {
      if (item.path("kind").asText().equals("FREEZE_EXPIRING")) {
        freeze = item;
      }
    }
    assertThat(freeze).as(json.out()).isNotNull();
    assertThat(freeze.path("application").asText()).isEqualTo("storefront");
    assertThat(freeze.path("severity").asText()).isEqualTo("WARNING");
    assertThat(freeze.path("message").asText()).contains("freeze by alice ends at").contains("incident 4711");
    assertThat(freeze.path("command").asText()).startsWith("weir freeze storefront");
  }

  @Test
  void eventsShowWhatEarlierCommandsDidWithWhoAsTextJsonAndMarkdown() throws Exception {
    assertThat(weir("sync", "--app", "storefront").exitCode()).isZero();
    assertThat(weir("freeze", "storefront", "--reason", "incident 4711", "--for", "1h").exitCode())
        .isZero();

    CliRun text = weir("events", "--app", "storefront");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .containsPattern("\\d\\d:\\d\\d:\\d\\d  storefront +synced storefront to [0-9a-f]{7}.*\\(alice\\)")
        .contains("frozen by alice until");

    CliRun markdown = weir("events", "--app", "storefront", "--since", "2h", "-o", "markdown");
    assertThat(markdown.out())
        .startsWith("# Incident timeline: storefront, ")
        .contains("| time (UTC) | application | what | who |")
        .containsPattern("\\| storefront \\| synced storefront to [0-9a-f]{7}[^|]*\\| alice \\|")
        .contains("## Commits")
        .contains("## Rollback\n\nNone in this window.");

    CliRun json = weir("events", "-o", "json");
    JsonNode events = new ObjectMapper().readTree(json.out()).path("events");
    assertThat(events.findValuesAsText("kind")).contains("SYNC", "FREEZE");
    assertThat(events.findValuesAsText("who")).contains("alice");

    CliRun bad = weir("events", "--since", "yesterday");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--since 'yesterday' is not a duration");
  }
}
