package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteUrlTest {

  @Test
  void aLoginInAnHttpsUrlIsTakenOutOfTheStoredUrlAndKeptDecoded() {
    RemoteUrl url = RemoteUrl.parse("https://alice:p%40ss+w@Git.Example.com:8443/team/shop.git");

    assertThat(url.stored()).isEqualTo("https://Git.Example.com:8443/team/shop.git");
    assertThat(url.user()).isEqualTo("alice");
    assertThat(url.password()).isEqualTo("p@ss+w");
    assertThat(url.host()).isEqualTo("git.example.com");
    assertThat(url.port()).isEqualTo(8443);
    assertThat(url.display()).isEqualTo("https://***@Git.Example.com:8443/team/shop.git");
    assertThat(url.toString()).doesNotContain("alice").doesNotContain("p%40ss");
  }

  @Test
  void aTokenAsTheUserNameIsTakenOutToo() {
    RemoteUrl url = RemoteUrl.parse("https://TOKENVALUE@git.example.com/shop.git");

    assertThat(url.stored()).isEqualTo("https://git.example.com/shop.git");
    assertThat(url.user()).isEqualTo("TOKENVALUE");
    assertThat(url.password()).isNull();
    assertThat(url.port()).isEqualTo(443);
    assertThat(url.display()).isEqualTo("https://***@git.example.com/shop.git");
  }

  @Test
  void anSshUserIsKeptAndAnSshPasswordDropped() {
    assertThat(RemoteUrl.parse("ssh://git@git.example.com:2222/shop.git").stored())
        .isEqualTo("ssh://git@git.example.com:2222/shop.git");
    RemoteUrl withPassword = RemoteUrl.parse("ssh://git:hunter22@git.example.com/shop.git");
    assertThat(withPassword.stored()).isEqualTo("ssh://git@git.example.com/shop.git");
    assertThat(withPassword.user()).as("SSH logins never go to HTTP").isNull();
    assertThat(RemoteUrl.parse("git@github.com:o/r.git").stored())
        .isEqualTo("git@github.com:o/r.git");
  }

  @Test
  void theOriginComparesSchemeHostAndPortWithTheirDefaults() {
    RemoteUrl url = RemoteUrl.parse("https://git.example.com/shop.git");

    assertThat(url.sameOrigin("https", "GIT.example.com", -1)).isTrue();
    assertThat(url.sameOrigin("https", "git.example.com", 443)).isTrue();
    assertThat(url.sameOrigin("https", "git.example.com", 8443)).isFalse();
    assertThat(url.sameOrigin("http", "git.example.com", 443)).isFalse();
    assertThat(url.sameOrigin("https", "other.example.com", 443)).isFalse();
    assertThat(RemoteUrl.parse("https://[::1]:8443/r").sameOrigin("https", "[::1]", 8443)).isTrue();
    assertThat(RemoteUrl.parse("https://[::1]:8443/r").hostAndPort()).isEqualTo("[::1]:8443");
  }

  @Test
  void localFileUrlsHaveNoLogin() {
    RemoteUrl url = RemoteUrl.parse("file:///srv/git/shop.git");

    assertThat(url.stored()).isEqualTo("file:///srv/git/shop.git");
    assertThat(url.hasLogin()).isFalse();
  }
}
