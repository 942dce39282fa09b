package dev.weir.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whether an Argo CD Application's {@code source.repoURL} names the workspace's repository, in the
 * spellings Argo CD's documentation uses (user-guide/private-repositories/: https, ssh, scp-like).
 */
class RepositoryUrlMatchTest {

  record Case(String repoUrl, String workspace, boolean same) {}

  static Stream<Case> cases() {
    return Stream.of(
        new Case("https://github.com/org/repo.git", "https://github.com/org/repo", true),
        new Case("https://GitHub.com/org/repo/", "git@github.com:org/repo.git", true),
        new Case("ssh://git@github.com/org/repo.git", "github.com:org/repo.git", true),
        new Case("https://token@github.com/org/repo.git", "https://github.com/org/repo", true),
        new Case("https://github.com/org/repo", "https://github.com/org/Repo", false),
        new Case("https://github.com/org/other.git", "https://github.com/org/repo.git", false),
        new Case("https://gitlab.com/org/repo.git", "https://github.com/org/repo.git", false));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesTheSpellingsOfOneRepository(Case c) {
    assertThat(ArgoApplicationReader.sameRepository(c.repoUrl(), List.of(c.workspace())))
        .as("%s vs %s", c.repoUrl(), c.workspace())
        .isEqualTo(c.same());
  }
}
