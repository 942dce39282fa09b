package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The repository URL a console's header shows never carries a login, token or SSH user. */
class RepositoryUrlDisplayTest {
  record Case(String name, String given, String shown) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("plain https", "https://git.example.com/shop.git", "https://git.example.com/shop.git"),
        new Case("user and password", "https://alice:s3cret@git.example.com/shop.git", "https://git.example.com/shop.git"),
        new Case("token alone", "https://ghp_abc123@github.com/acme/shop.git", "https://github.com/acme/shop.git"),
        new Case("ssh user", "ssh://git@git.example.com:2222/shop.git", "ssh://git.example.com:2222/shop.git"),
        new Case("scp-like", "git@github.com:acme/shop.git", "github.com:acme/shop.git"),
        new Case("local path", "/srv/git/shop.git", "file:///srv/git/shop.git"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void showsNoUserInfo(Case c) {
    assertThat(JGitSource.displayUrl(WorkspaceSpec.of(c.given()))).isEqualTo(c.shown());
  }
}
