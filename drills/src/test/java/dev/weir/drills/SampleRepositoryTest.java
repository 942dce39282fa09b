package dev.weir.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleRepositoryTest {
  private static final Instant NEWEST = Instant.parse("2026-11-20T10:00:00Z");

  @Test
  void writesARealRepositoryWithHistoryEndingInTheBadStorefrontRelease(@TempDir Path dir) throws Exception {
    var written = SampleRepository.write(dir.resolve("shop"), NEWEST);

    assertThat(written.commits()).hasSize(5);
    try (Git git = Git.open(dir.resolve("shop").toFile())) {
      List<RevCommit> log = new ArrayList<>();
      git.log().call().forEach(log::add);
      assertThat(log).extracting(RevCommit::getShortMessage)
          .containsExactly(
              "storefront: release v2.4.1",
              "checkout: release v1.5.0",
              "payments: fix the indentation of spec.selector",
              "payments: four replicas for the weekend sale",
              "Bootstrap the shop: namespaces and six applications");
      assertThat(log.get(0).getAuthorIdent().getWhenAsInstant()).isEqualTo(NEWEST);
      assertThat(git.getRepository().isBare()).as("bare, like a Git server's, so pushes never strand a work tree").isTrue();
      assertThat(git.remoteList().call()).isEmpty();
      assertThat(read(git, "apps/storefront/deployment.yaml")).contains("sandbox.weir.dev/error-rate: \"0.08\"", "storefront:2.4.1");
      assertThat(read(git, "apps/pricing/flags.flagd.json")).contains("new-checkout-button");
    }
    assertThat(SampleRepository.isSample(dir.resolve("shop"))).isTrue();
    assertThat(SampleRepository.isSample(dir)).isFalse();
  }

  private static String read(Git git, String path) throws Exception {
    var repo = git.getRepository();
    return new String(repo.open(repo.resolve("main:" + path)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void sameInstantGivesSameCommitIds(@TempDir Path dir) throws Exception {
    var first = SampleRepository.write(dir.resolve("a"), NEWEST);
    var second = SampleRepository.write(dir.resolve("b"), NEWEST);
    assertThat(second.commits()).isEqualTo(first.commits());
  }

  @Test
  void refusesAFolderThatIsNotEmpty(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    assertThatThrownBy(() -> SampleRepository.write(dir, NEWEST)).hasMessageContaining("exists and is not empty");
    assertThat(dir.resolve("precious.txt")).hasContent("keep me");
  }
}
