package dev.weir.tui.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.drills.SampleRepository;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir flags list|eval|set} on the sample repository's pricing flags, against the sandbox
 * API server through a kubeconfig: what a user reads, the commit made, the ConfigMap synced.
 */
class FlagsCommandIT {
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

  CliRun weir(String... args) {
    List<String> all = new ArrayList<>(List.of("flags"));
    all.addAll(List.of(args));
    all.addAll(List.of("--repo", repo.toString(), "--kubeconfig", cluster.kubeconfig.toString()));
    return CliRun.weir(home, all.toArray(String[]::new));
  }

  @Test
  void listShowsEachFlagWithItsStateDefaultSplitAndTargeting() {
    CliRun list = weir("list", "pricing");

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out())
        .contains(
            "FLAG                     STATE  DEFAULT     SPLIT                 TARGETING\n",
            "new-checkout-button      on     off         on 0% / off 100%      fractional on 0% / off 100%\n",
            "free-shipping-threshold  on     standard    -                     none\n")
        .endsWith("2 flags in pricing\n");
  }

  @Test
  void evalPrintsTheVariantItsValueAndTheReasonAsTextAndJson() {
    CliRun text = weir("eval", "pricing", "free-shipping-threshold", "--context", "{\"targetingKey\": \"u1\"}");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .isEqualTo("variant: standard\nvalue:   50\nreason:  STATIC — static: no targeting, the default variant\n");

    CliRun json = weir("eval", "pricing", "new-checkout-button", "--context", "{\"targetingKey\": \"user-1\"}", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out())
        .contains("\"flag\" : \"new-checkout-button\"", "\"reason\" : \"TARGETING_MATCH\"")
        .as("the sample's flag starts off for everyone (on 0)")
        .contains("\"variant\" : \"off\"", "\"value\" : false");

    CliRun bad = weir("eval", "pricing", "new-checkout-button", "--context", "[1]");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(bad.err()).contains("--context is not a JSON object: [1]");
  }

  @Test
  void setCommitsTheChangeWithItsReasonAfterShowingItAndABadOneChangesNothing() throws Exception {
    CliRun set = weir("set", "pricing", "new-checkout-button", "--fraction", "on=50", "--reason", "staff liked it");

    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out())
        .startsWith("Set flag new-checkout-button of pricing: fractional on 50%\n")
        .contains("    | Set flag new-checkout-button of pricing: fractional on 50%\n");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.parse("main").getFullMessage()).contains("staff liked it");
      assertThat(remote.read("main", "apps/pricing/flags.flagd.json"))
          .contains("\"targeting\": {\"fractional\": [[\"on\", 50], [\"off\", 50]]}");
    }

    CliRun bad = weir("set", "pricing", "new-checkout-button", "--default", "maybe", "--reason", "typo");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(bad.err()).contains("flag new-checkout-button has no variant 'maybe' (variants: on, off)");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.parse("main").getShortMessage()).isEqualTo("Set flag new-checkout-button of pricing: fractional on 50%");
    }
  }

  @Test
  void segmentsAreAddedAndRemovedAsCommitsAndRemovingRestoresTheFile() throws Exception {
    String before;
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      before = remote.read("main", "apps/pricing/flags.flagd.json");
    }

    CliRun staff = weir("set", "pricing", "new-checkout-button", "--add-segment", "on:email-domain=example.com",
        "--reason", "staff first");
    assertThat(staff.exitCode()).as(staff.err()).isZero();
    assertThat(staff.out()).startsWith(
        "Set flag new-checkout-button of pricing: add segment email ends_with @example.com → on\n");
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.parse("main").getFullMessage()).contains("staff first");
      assertThat(remote.read("main", "apps/pricing/flags.flagd.json")).isEqualTo(before.replace(
          "\"targeting\": {\"fractional\": [[\"on\", 0], [\"off\", 100]]}",
          "\"targeting\": {\"if\": [{\"ends_with\": [{\"var\": \"email\"}, \"@example.com\"]}, \"on\","
              + " {\"fractional\": [[\"on\", 0], [\"off\", 100]]}]}"));
    }
    CliRun ann = weir("eval", "pricing", "new-checkout-button",
        "--context", "{\"targetingKey\": \"u9\", \"email\": \"ann@example.com\"}");
    assertThat(ann.out()).startsWith("variant: on\n").contains("TARGETING_MATCH");

    CliRun testers = weir("set", "pricing", "free-shipping-threshold", "--add-segment",
        "low:users=ann@example.com,bo@example.com", "--reason", "testers");
    assertThat(testers.exitCode()).as(testers.err()).isZero();
    CliRun germany = weir("set", "pricing", "free-shipping-threshold", "--add-segment", "low:country=DE,AT",
        "--reason", "DACH promotion");
    assertThat(germany.exitCode()).as(germany.err()).isZero();
    CliRun bo = weir("eval", "pricing", "free-shipping-threshold",
        "--context", "{\"targetingKey\": \"u2\", \"email\": \"bo@example.com\"}");
    assertThat(bo.out()).startsWith("variant: low\n");
    CliRun berlin = weir("eval", "pricing", "free-shipping-threshold",
        "--context", "{\"targetingKey\": \"u3\", \"country\": \"DE\"}");
    assertThat(berlin.out()).startsWith("variant: low\n");
    CliRun paris = weir("eval", "pricing", "free-shipping-threshold",
        "--context", "{\"targetingKey\": \"u4\", \"country\": \"FR\"}");
    assertThat(paris.out()).startsWith("variant: standard\n").contains("DEFAULT");

    for (String[] removal : List.of(
        new String[] {"new-checkout-button", "on:email-domain=@example.com"},
        new String[] {"free-shipping-threshold", "low:country=DE,AT"},
        new String[] {"free-shipping-threshold", "low:users=ann@example.com,bo@example.com"})) {
      CliRun removed = weir("set", "pricing", removal[0], "--remove-segment", removal[1], "--reason", "done");
      assertThat(removed.exitCode()).as(removed.err()).isZero();
    }
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.read("main", "apps/pricing/flags.flagd.json")).isEqualTo(before);
      assertThat(remote.parse("main").getShortMessage())
          .isEqualTo("Set flag free-shipping-threshold of pricing: remove segment email in [ann@example.com, bo@example.com] → low");
    }
  }

  @Test
  void aBadSegmentIsOneLineAndNoCommit() throws Exception {
    String head;
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      head = remote.parse("main").name();
    }
    CliRun syntax = weir("set", "pricing", "new-checkout-button", "--add-segment", "country=DE", "--reason", "x");
    assertThat(syntax.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(syntax.err()).contains("--add-segment is VARIANT:email-domain=DOMAIN, VARIANT:users=EMAIL[,EMAIL…]"
        + " or VARIANT:ATTRIBUTE=VALUE[,VALUE…] (e.g. on:country=DE,FR); not country=DE");

    CliRun variant = weir("set", "pricing", "new-checkout-button", "--add-segment", "maybe:country=DE", "--reason", "x");
    assertThat(variant.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(variant.err()).contains("flag new-checkout-button has no variant 'maybe' (variants: on, off)");

    CliRun absent = weir("set", "pricing", "new-checkout-button", "--remove-segment", "on:country=DE", "--reason", "x");
    assertThat(absent.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(absent.err()).contains("flag new-checkout-button has no segment country in [DE] → on in its targeting");

    CliRun two = weir("set", "pricing", "new-checkout-button", "--on", "--add-segment", "on:country=DE", "--reason", "x");
    assertThat(two.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    try (RepoBuilder remote = RepoBuilder.open(repo)) {
      assertThat(remote.parse("main").name()).isEqualTo(head);
    }
  }
}
