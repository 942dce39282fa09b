package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.RepoBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JGitWriter restoring paths in a local repository, pushing through file://. */
class JGitWriterTest {
  @TempDir Path tmp;

  private final ManualClock clock = new ManualClock();
  private RepoBuilder remote;
  private JGitSource source;
  private String c1;
  private String c2;
  private String c3;

  @BeforeEach
  void createRemoteAndClone() {
    remote = RepoBuilder.init(tmp.resolve("shop.git"));
    c1 =
        remote
            .commit("add storefront and checkout")
            .add("apps/storefront/deploy.yaml", "replicas: 1\n")
            .add("apps/storefront/config.yaml", "color: blue\n")
            .add("apps/checkout/deploy.yaml", "replicas: 2\n")
            .create();
    c2 =
        remote
            .commit("storefront: 3 replicas and an HPA")
            .add("apps/storefront/deploy.yaml", "replicas: 3\n")
            .delete("apps/storefront/config.yaml")
            .add("apps/storefront/hpa.yaml", "max: 5\n")
            .create();
    c3 =
        remote
            .commit("checkout: 4 replicas")
            .add("apps/checkout/deploy.yaml", "replicas: 4\n")
            .create();
    source =
        JGitSource.open(
            new WorkspaceSpec(remote.directory().toString(), "main"),
            JGitSourceTest.settings(tmp),
            clock);
  }

  @AfterEach
  void close() {
    source.close();
    remote.close();
  }

  @Test
  void restoreMakesThePathExactlyTheOldRevisionInANewCommitOnTopAndPushesIt() {
    clock.advance(Duration.ofMinutes(7));

    WriteResult result =
        source.writer().restorePath("storefront", "apps/storefront", c1, "5xx after deploy", true);

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.PUSHED);
    assertThat(result.pushed()).isTrue();
    assertThat(result.message())
        .isEqualTo(
            "Rolled back storefront to "
                + c1.substring(0, 7)
                + " as "
                + result.shortCommit()
                + ", pushed to main");
    assertThat(remote.head()).isEqualTo(result.commit());
    RevCommit commit = remote.parse(result.commit());
    assertThat(commit.getParent(0).name()).as("on top of the old head, history kept").isEqualTo(c3);
    assertThat(commit.getFullMessage())
        .isEqualTo(
            "Roll back storefront to "
                + c1.substring(0, 7)
                + "\n\n"
                + "Reason: 5xx after deploy\n"
                + "Restores apps/storefront from "
                + c1.substring(0, 7)
                + " (was "
                + c2.substring(0, 7)
                + ").\n"
                + "Weir-Action: rollback\n");
    assertThat(commit.getAuthorIdent().getName()).isEqualTo("Weir Tester");
    assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("weir@example.com");
    assertThat(commit.getAuthorIdent().getWhenAsInstant()).isEqualTo(clock.instant());

    assertThat(remote.paths(result.commit()))
        .containsExactly(
            "apps/checkout/deploy.yaml",
            "apps/storefront/config.yaml",
            "apps/storefront/deploy.yaml");
    assertThat(remote.read(result.commit(), "apps/storefront/deploy.yaml"))
        .isEqualTo("replicas: 1\n");
    assertThat(remote.read(result.commit(), "apps/storefront/config.yaml"))
        .isEqualTo("color: blue\n");
    assertThat(remote.read(result.commit(), "apps/checkout/deploy.yaml"))
        .as("other paths untouched")
        .isEqualTo("replicas: 4\n");

    assertThat(source.head().revision())
        .as("the source serves the restore at once")
        .isEqualTo(result.commit());
    assertThat(source.history("apps/storefront", 1).get(0).sha()).isEqualTo(result.commit());
  }

  @Test
  void restoringAPathThatAlreadyMatchesMakesNoCommit() {
    WriteResult result = source.writer().restorePath("storefront", "apps/storefront", c2, "", true);

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.NO_CHANGE);
    assertThat(result.commit()).isNull();
    assertThat(result.message())
        .isEqualTo("apps/storefront already matches " + c2.substring(0, 7) + ": nothing to commit");
    assertThat(remote.head()).isEqualTo(c3);
  }

  @Test
  void restoringToARevisionWithoutThePathRemovesIt() {
    String c4 =
        remote
            .commit("add payments")
            .add("apps/payments/a.yaml", "a\n")
            .add("apps/payments/b/c.yaml", "c\n")
            .create();
    source.fetch();

    WriteResult result =
        source.writer().restorePath("payments", "apps/payments/", c3, "not ready", true);

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.PUSHED);
    assertThat(remote.parse(result.commit()).getParent(0).name()).isEqualTo(c4);
    assertThat(remote.paths(result.commit()))
        .containsExactly(
            "apps/checkout/deploy.yaml", "apps/storefront/deploy.yaml", "apps/storefront/hpa.yaml");
  }

  @Test
  void withoutPushTheCommitStaysInTheCloneAndTheResultSaysWhere() throws IOException {
    WriteResult result =
        source.writer().restorePath("storefront", "apps/storefront", c1, "drill", false);

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.COMMITTED_LOCALLY);
    assertThat(result.pushed()).isFalse();
    assertThat(result.pushError()).isEmpty();
    assertThat(result.message())
        .startsWith(
            "Rolled back storefront to "
                + c1.substring(0, 7)
                + " as "
                + result.shortCommit()
                + " in the local clone, not pushed, as asked. Nothing is lost: it is kept as"
                + " refs/weir/unpushed/main/")
        .contains(source.cloneDirectory().toString());
    assertThat(remote.head()).isEqualTo(c3);
    assertThat(source.head().revision()).as("Git, not the clone, is the truth").isEqualTo(c3);
    try (Repository clone = RepoBuilder.open(source.cloneDirectory()).repository()) {
      assertThat(clone.exactRef("refs/weir/unpushed/main/" + result.commit())).isNotNull();
      assertThat(clone.parseCommit(clone.resolve(result.commit())).getParent(0).name())
          .isEqualTo(c3);
    }
  }

  @Test
  void restoringToAnUnknownRevisionIsNotFound() {
    assertThatThrownBy(
            () ->
                source.writer().restorePath("storefront", "apps/storefront", "deadbeef", "", true))
        .isInstanceOfSatisfying(
            GitException.class, e -> assertThat(e.reason()).isEqualTo(GitError.Reason.NOT_FOUND));
    assertThat(remote.head()).isEqualTo(c3);
  }

  @Test
  void restoringTheWholeRepositoryIsRefused() {
    assertThatThrownBy(() -> source.writer().restorePath("all", "/", c1, "", true))
        .isInstanceOfSatisfying(
            GitException.class,
            e -> assertThat(e.reason()).isEqualTo(GitError.Reason.INVALID_REQUEST));
  }
}
