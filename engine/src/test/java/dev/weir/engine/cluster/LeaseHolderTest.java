package dev.weir.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lease holder identities: this version's, earlier versions', other tools'. */
class LeaseHolderTest {

  record Case(String name, String identity, LeaseHolder read, String described) {}

  static Stream<Case> identities() {
    return Stream.of(
        new Case(
            "this version: user, host, process, program and instance",
            "alice@bastion (pid 4242, weir sync) #5f0c9e1a2b3c4d6e",
            new LeaseHolder("alice@bastion", 4242, "weir sync", "5f0c9e1a2b3c4d6e"),
            "alice@bastion (pid 4242, weir sync)"),
        new Case(
            "an earlier version's sync",
            "root@bastion (sync)",
            new LeaseHolder("root@bastion", 0, "sync", ""),
            "root@bastion (sync)"),
        new Case(
            "an earlier version's console",
            "bob@laptop (console)",
            new LeaseHolder("bob@laptop", 0, "console", ""),
            "bob@laptop (console)"),
        new Case(
            "an earlier version's sandbox scenario",
            "alice (sandbox scenario)",
            new LeaseHolder("alice", 0, "sandbox scenario", ""),
            "alice (sandbox scenario)"),
        new Case(
            "leader election's host_uuid",
            "node-1_8c9d3b1e-0d1f-4c55-9a57-1f2a3b4c5d6e",
            new LeaseHolder("node-1_8c9d3b1e-0d1f-4c55-9a57-1f2a3b4c5d6e", 0, "", ""),
            "node-1_8c9d3b1e-0d1f-4c55-9a57-1f2a3b4c5d6e"),
        new Case(
            "anything else, word for word",
            "someone (with (brackets)) #zz",
            new LeaseHolder("someone (with (brackets)) #zz", 0, "", ""),
            "someone (with (brackets)) #zz"));
  }

  @ParameterizedTest
  @MethodSource("identities")
  void identitiesAreReadAndWrittenBackWordForWord(Case c) {
    LeaseHolder read = LeaseHolder.parse(c.identity());
    assertThat(read).as(c.name()).isEqualTo(c.read());
    assertThat(read.identity()).as(c.name()).isEqualTo(c.identity());
    assertThat(read.describe()).as(c.name()).isEqualTo(c.described());
    assertThat(read.current()).as(c.name()).isEqualTo(read.pid() > 0);
  }

  @Test
  void twoConsolesOfOneUserInOneProcessAreTwoHolders() {
    LeaseHolder first = LeaseHolder.forThisProcess("alice", "weir sync");
    LeaseHolder second = LeaseHolder.forThisProcess("alice", "weir sync");

    assertThat(first.describe()).isEqualTo(second.describe());
    assertThat(first.describe())
        .startsWith("alice@")
        .endsWith(" (pid " + ProcessHandle.current().pid() + ", weir sync)");
    assertThat(first.identity()).isNotEqualTo(second.identity());
    assertThat(first.instance()).matches("[0-9a-f]{16}");
    assertThat(LeaseHolder.parse(first.identity())).isEqualTo(first);
  }

  @Test
  void anIdentityOfThisVersionNeverEqualsAnEarlierOneOfTheSameUser() {
    LeaseHolder now = LeaseHolder.of("root@bastion", "sync");
    assertThat(now.identity()).isNotEqualTo("root@bastion (sync)");
    assertThat(LeaseHolder.of(" ", "(odd) name ").identity())
        .as("blank users and brackets in the program cannot break the format")
        .matches("someone \\(pid \\d+, odd name\\) #[0-9a-f]{16}");
  }
}
