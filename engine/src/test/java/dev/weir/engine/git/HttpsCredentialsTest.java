package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The credentials provider on its own; the credential helper tests run the real {@code git
 * credential fill} with a stand-in helper script, configured through a temporary GIT_CONFIG_GLOBAL.
 */
class HttpsCredentialsTest {
  private static final String TOKEN = "tok-Secret-77";
  private static final RemoteUrl REPOSITORY =
      RemoteUrl.parse("https://git.example.com/team/shop.git");

  @TempDir Path tmp;

  private final HttpsCredentials credentials =
      new HttpsCredentials(
          Map.of(GitSettings.TOKEN_VARIABLE, TOKEN), false, Duration.ofSeconds(5), REPOSITORY);

  private record Answer(boolean given, String user, String password) {}

  private static Answer ask(HttpsCredentials credentials, String uri) throws Exception {
    CredentialItem.Username user = new CredentialItem.Username();
    CredentialItem.Password password = new CredentialItem.Password();
    boolean given = credentials.get(new URIish(uri), user, password);
    return new Answer(
        given,
        user.getValue(),
        password.getValue() == null ? null : new String(password.getValue()));
  }

  @Test
  void theTokenAnswersForTheRepositoryOverHttpsWithTheDefaultUserName() throws Exception {
    assertThat(ask(credentials, "https://git.example.com/team/shop.git"))
        .isEqualTo(new Answer(true, "x-access-token", TOKEN));
    assertThat(ask(credentials, "https://GIT.example.com:443/team/other.git").given())
        .as("same host and port, another path")
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://git.example.com/team/shop.git",
        "https://git.example.com:8443/team/shop.git",
        "https://evil.example.com/team/shop.git",
        "https://git.example.com.evil.example/team/shop.git",
        "ssh://git@git.example.com/team/shop.git"
      })
  void nothingIsGivenForAnyOtherSchemeHostOrPort(String uri) throws Exception {
    assertThat(ask(credentials, uri)).isEqualTo(new Answer(false, null, null));
  }

  @Test
  void aRepositoryOverPlainHttpGetsNothingAndSaysWhy() throws Exception {
    HttpsCredentials overHttp =
        new HttpsCredentials(
            Map.of(GitSettings.TOKEN_VARIABLE, TOKEN),
            false,
            Duration.ofSeconds(5),
            RemoteUrl.parse("http://alice:pw-Secret-1@git.example.com/shop.git"));

    assertThat(ask(overHttp, "http://git.example.com/shop.git").given()).isFalse();
    assertThat(overHttp.problem())
        .isEqualTo(
            "Weir sends credentials only over https, and http://***@git.example.com/shop.git is"
                + " not");
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
  void aLoginInTheUrlComesFirstAndAUserNameAloneIsALogin() throws Exception {
    HttpsCredentials login =
        new HttpsCredentials(
            Map.of(GitSettings.TOKEN_VARIABLE, TOKEN),
            false,
            Duration.ofSeconds(5),
            RemoteUrl.parse("https://alice:p%40ss+word@git.example.com/shop.git"));
    HttpsCredentials userOnly =
        new HttpsCredentials(
            Map.of(),
            false,
            Duration.ofSeconds(5),
            RemoteUrl.parse("https://ghp_tokenAsUser@git.example.com/shop.git"));

    assertThat(ask(login, "https://git.example.com/shop.git"))
        .isEqualTo(new Answer(true, "alice", "p@ss+word"));
    assertThat(ask(userOnly, "https://git.example.com/shop.git"))
        .isEqualTo(new Answer(true, "ghp_tokenAsUser", ""));
    assertThat(userOnly.scrub("bad user ghp_tokenAsUser")).isEqualTo("bad user ***");
  }

  @Test
  void theTokenIsScrubbedFromMessages() {
    assertThat(credentials.scrub("server said tok-Secret-77 is expired"))
        .isEqualTo("server said *** is expired");
  }

  private Map<String, String> helper(String body) throws IOException {
    Path script = tmp.resolve("helper");
    Files.writeString(script, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Path gitconfig = tmp.resolve("gitconfig");
    Files.writeString(gitconfig, "[credential]\n\thelper = " + script + "\n");
    return Map.of(
        "PATH", System.getenv("PATH"),
        "HOME", tmp.toString(),
        "GIT_CONFIG_GLOBAL", gitconfig.toString(),
        "GIT_CONFIG_NOSYSTEM", "1");
  }

  @Test
  void aHelperThatAnswersSuppliesTheLoginAndItIsScrubbed() throws Exception {
    Path request = tmp.resolve("request");
    HttpsCredentials fromHelper =
        new HttpsCredentials(
            helper("cat > " + request + "\necho username=bob\necho password=helper-Pa55\n"),
            true,
            Duration.ofSeconds(20),
            REPOSITORY);

    assertThat(ask(fromHelper, "https://git.example.com/team/shop.git"))
        .isEqualTo(new Answer(true, "bob", "helper-Pa55"));
    assertThat(Files.readString(request))
        .contains("protocol=https\n")
        .contains("host=git.example.com\n");
    assertThat(fromHelper.scrub("denied for helper-Pa55")).isEqualTo("denied for ***");
  }

  @Test
  void aHelperThatNeverAnswersIsStoppedWithinTheTimeout() throws Exception {
    Path pid = tmp.resolve("pid");
    HttpsCredentials hanging =
        new HttpsCredentials(
            helper("echo $$ > " + pid + "\nexec sleep 600\n"),
            true,
            Duration.ofMillis(1500),
            REPOSITORY);

    assertThat(ask(hanging, "https://git.example.com/team/shop.git").given()).isFalse();

    assertThat(hanging.problem())
        .isEqualTo("the git credential helper did not answer within 1500 ms and was stopped");
    Optional<ProcessHandle> helper =
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
    if (helper.isPresent()) {
      helper.get().onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(helper.map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }

  @Test
  void theHelperIsNeverAskedForAnotherHost() throws Exception {
    Path asked = tmp.resolve("asked");
    HttpsCredentials recording =
        new HttpsCredentials(
            helper("touch " + asked + "\necho username=bob\necho password=helper-Pa55\n"),
            true,
            Duration.ofSeconds(20),
            REPOSITORY);

    assertThat(ask(recording, "https://elsewhere.example.com/team/shop.git").given()).isFalse();

    assertThat(asked).doesNotExist();
    assertThat(recording.problem())
        .isEqualTo(
            "the remote sent Weir to https://elsewhere.example.com, and Weir sends credentials"
                + " only to the repository's own host git.example.com over https");
  }
}
