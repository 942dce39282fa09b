package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;

class HttpsCredentialsTest {
  private final HttpsCredentials credentials =
      new HttpsCredentials(
          Map.of(GitSettings.TOKEN_VARIABLE, "tok-Secret-77"), false, Duration.ofSeconds(5));

  @Test
  void theTokenAnswersForHttpsWithTheDefaultUserName() throws Exception {
    CredentialItem.Username user = new CredentialItem.Username();
    CredentialItem.Password password = new CredentialItem.Password();

    assertThat(credentials.get(new URIish("https://git.example.com/shop.git"), user, password))
        .isTrue();

    assertThat(user.getValue()).isEqualTo("x-access-token");
    assertThat(new String(password.getValue())).isEqualTo("tok-Secret-77");
  }

  @Test
  void theTokenIsNeverOfferedToSshForExampleAsAKeyPassphrase() throws Exception {
    CredentialItem.Password passphrase =
        new CredentialItem.Password("Passphrase for /home/u/.ssh/id_ed25519");

    assertThat(credentials.get(new URIish("ssh://git@git.example.com/shop.git"), passphrase))
        .isFalse();
    assertThat(passphrase.getValue()).isNull();
    assertThat(credentials.isInteractive()).isFalse();
  }

  @Test
  void theTokenIsScrubbedFromMessages() {
    assertThat(credentials.scrub("server said tok-Secret-77 is expired"))
        .isEqualTo("server said *** is expired");
  }
}
