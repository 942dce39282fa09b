package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.engine.testkit.HttpGitServer;
import dev.weir.engine.testkit.ManualClock;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.SshGitServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JGitSource and JGitWriter against real servers on loopback: Apache MINA sshd serving JGit's
 * upload-pack/receive-pack, and JGit's GitServlet in Jetty behind basic authentication.
 */
class JGitSourceIT {
  private static final String PASSWORD = "s3cret-Pa55-42";

  @TempDir Path tmp;

  private final ManualClock clock = new ManualClock();
  private RepoBuilder remote;
  private String c1;
  private String c2;
  private Path home;

  @BeforeEach
  void createRemote() {
    home = tmp.resolve("home");
    remote = RepoBuilder.init(tmp.resolve("srv/shop.git"));
    c1 =
        remote
            .commit("add storefront")
            .add("apps/storefront/deploy.yaml", "replicas: 1\n")
            .add("apps/checkout/deploy.yaml", "replicas: 2\n")
            .create();
    c2 =
        remote
            .commit("storefront: 3 replicas")
            .add("apps/storefront/deploy.yaml", "replicas: 3\n")
            .create();
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  private GitSettings settings(Map<String, String> extraEnvironment) {
    Map<String, String> env = new HashMap<>(extraEnvironment);
    env.put("PATH", System.getenv("PATH"));
    return GitSettings.from(env, home)
        .withCacheRoot(tmp.resolve("cache"))
        .withCredentialHelper(false)
        .withNetworkTimeout(Duration.ofSeconds(20))
        .withIdentity(new GitIdentity("Weir Tester", "weir@example.com"));
  }

  private static int rollbacksIn(RepoBuilder repo, String from) {
    int count = 0;
    for (RevCommit c = repo.parse(from);
        c != null;
        c = c.getParentCount() == 0 ? null : repo.parse(c.getParent(0).name())) {
      if (c.getFullMessage().contains("Weir-Action: rollback")) {
        count++;
      }
    }
    return count;
  }

  @Nested
  class OverSsh {
    private SshGitServer ssh;
    private KeyPair clientKey;
    private Path sshDir;

    @BeforeEach
    void startServer() throws IOException {
      sshDir = home.resolve(".ssh");
      clientKey = SshGitServer.writeClientKey(sshDir);
      ssh = SshGitServer.start(tmp.resolve("srv"), clientKey.getPublic());
      Files.writeString(sshDir.resolve("known_hosts"), ssh.knownHostsLine() + "\n");
    }

    @AfterEach
    void stopServer() {
      ssh.close();
    }

    private JGitSource open(Map<String, String> env) {
      return JGitSource.open(new WorkspaceSpec(ssh.url("shop.git"), "main"), settings(env), clock);
    }

    @Test
    void clonesAndFetchesWithTheKeyFromTheSshDirectory() throws IOException {
      try (JGitSource source = open(Map.of())) {
        assertThat(source.head().revision()).isEqualTo(c2);
        String c3 =
            remote.commit("checkout: 4").add("apps/checkout/deploy.yaml", "replicas: 4\n").create();

        GitStatus status = source.fetch();

        assertThat(status.isStale()).isFalse();
        assertThat(status.revision()).isEqualTo(c3);
        assertThat(source.head().read(source.head().files("apps/checkout").get(0)))
            .asString(StandardCharsets.UTF_8)
            .isEqualTo("replicas: 4\n");
      }
    }

    @Test
    void anUnknownHostKeyIsRefusedShowingItsFingerprint() throws IOException {
      Files.writeString(sshDir.resolve("known_hosts"), "");

      assertThatThrownBy(() -> open(Map.of()))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.HOST_KEY_REJECTED);
                assertThat(e.getMessage())
                    .startsWith(
                        "Unknown host key for [127.0.0.1]:"
                            + ssh.port()
                            + ": ecdsa-sha2-nistp256 key "
                            + SshGitServer.fingerprint(ssh.hostKey())
                            + " is not in known_hosts")
                    .contains("SHA256:");
              });
      assertThat(Files.readString(sshDir.resolve("known_hosts")))
          .as("never silently trusted")
          .isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefusedShowingBothFingerprints() throws Exception {
      KeyPair impostor =
          org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
      Files.writeString(
          sshDir.resolve("known_hosts"),
          SshGitServer.knownHostsLine(ssh.port(), impostor.getPublic()) + "\n");

      assertThatThrownBy(() -> open(Map.of()))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.HOST_KEY_REJECTED);
                assertThat(e.getMessage())
                    .startsWith("HOST KEY CHANGED for [127.0.0.1]:" + ssh.port())
                    .contains(
                        "the server offers ecdsa-sha2-nistp256 key "
                            + SshGitServer.fingerprint(ssh.hostKey()))
                    .contains(
                        "known_hosts has ecdsa-sha2-nistp256 key "
                            + SshGitServer.fingerprint(impostor.getPublic()));
              });
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsAnAuthenticationFailure() {
      SshGitServer.writeClientKey(sshDir);

      assertThatThrownBy(() -> open(Map.of()))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage()).contains("the server accepted none of the SSH keys");
              });
    }

    @Test
    void restorePushesOverSsh() {
      try (JGitSource source = open(Map.of())) {
        WriteResult result =
            source.writer().restorePath("storefront", "apps/storefront", c1, "latency", true);

        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.PUSHED);
        assertThat(remote.head()).isEqualTo(result.commit());
        assertThat(remote.read("main", "apps/storefront/deploy.yaml")).isEqualTo("replicas: 1\n");
        assertThat(source.head().revision()).isEqualTo(result.commit());
      }
    }

    @Test
    void whenTheRemoteMovesBetweenFetchAndPushTheRestoreLandsOnceOnTop() {
      try (JGitSource source = open(Map.of())) {
        String[] hotfix = new String[1];
        ssh.beforeNextPush(
            () ->
                hotfix[0] =
                    remote
                        .commit("checkout hotfix")
                        .add("apps/checkout/deploy.yaml", "replicas: 9\n")
                        .create());

        WriteResult result =
            source.writer().restorePath("storefront", "apps/storefront", c1, "errors", true);

        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.PUSHED);
        assertThat(hotfix[0]).isNotNull();
        RevCommit head = remote.parse("main");
        assertThat(head.name()).isEqualTo(result.commit());
        assertThat(head.getParent(0).name())
            .as("the other commit, then the restore")
            .isEqualTo(hotfix[0]);
        assertThat(remote.parse(hotfix[0]).getParent(0).name()).isEqualTo(c2);
        assertThat(rollbacksIn(remote, "main")).isEqualTo(1);
        assertThat(remote.read("main", "apps/checkout/deploy.yaml"))
            .as("the hotfix kept")
            .isEqualTo("replicas: 9\n");
        assertThat(remote.read("main", "apps/storefront/deploy.yaml")).isEqualTo("replicas: 1\n");
        assertThat(source.history("", 3))
            .extracting(CommitInfo::sha)
            .containsExactly(result.commit(), hotfix[0], c2);
      }
    }

    @Test
    void authenticatesWithAKeyHeldOnlyByTheSshAgent() throws Exception {
      assumeTrue(
          Files.isExecutable(Path.of("/usr/bin/ssh-agent"))
              && Files.isExecutable(Path.of("/usr/bin/ssh-add")),
          "OpenSSH's ssh-agent is not installed");
      Path socket = tmp.resolve("agent.sock");
      Process agent =
          new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
              .redirectErrorStream(true)
              .start();
      try {
        // ssh-agent -D prints its environment lines once the socket listens.
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).startsWith("SSH_AUTH_SOCK=");
        ProcessBuilder add =
            new ProcessBuilder("ssh-add", sshDir.resolve("id_ecdsa").toString())
                .redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process adding = add.start();
        adding.getInputStream().readAllBytes();
        assertThat(adding.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(adding.exitValue()).isZero();
        Files.delete(sshDir.resolve("id_ecdsa"));
        Files.delete(sshDir.resolve("id_ecdsa.pub"));

        try (JGitSource source = open(Map.of("SSH_AUTH_SOCK", socket.toString()))) {
          assertThat(source.head().revision()).isEqualTo(c2);
        }
      } finally {
        agent.destroy();
        agent.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Nested
  class OverHttp {
    private HttpGitServer http;

    @BeforeEach
    void startServer() {
      http = HttpGitServer.start(tmp.resolve("srv"), "alice", PASSWORD);
    }

    @AfterEach
    void stopServer() {
      http.close();
    }

    private JGitSource open(String url, GitSettings settings) {
      return JGitSource.open(new WorkspaceSpec(url, "main"), settings, clock);
    }

    private Map<String, String> token(String token) {
      return Map.of(GitSettings.TOKEN_VARIABLE, token, GitSettings.USERNAME_VARIABLE, "alice");
    }

    @Test
    void clonesFetchesAndPushesWithTheTokenFromTheEnvironment() {
      try (JGitSource source = open(http.url("shop.git"), settings(token(PASSWORD)))) {
        assertThat(source.head().revision()).isEqualTo(c2);
        String c3 =
            remote.commit("more").add("apps/checkout/deploy.yaml", "replicas: 3\n").create();
        assertThat(source.fetch().revision()).isEqualTo(c3);

        WriteResult result =
            source.writer().restorePath("storefront", "apps/storefront", c1, "slow", true);

        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.PUSHED);
        assertThat(remote.head()).isEqualTo(result.commit());
      }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureThatNeverShowsThePassword() {
      String wrong = "wrong-Pa55word-987";
      assertThatThrownBy(() -> open(http.url("shop.git"), settings(token(wrong))))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage())
                    .contains("refused the token from WEIR_GIT_TOKEN")
                    .doesNotContain(wrong);
                assertThat(e.error().toString()).doesNotContain(wrong);
              });
      assertThat(http.refusedLogins()).isPositive();
    }

    @Test
    void aPasswordInTheUrlIsMaskedInErrorsAndDescriptions() {
      String wrong = "url-Pa55word-555";
      String url = http.url("shop.git").replace("http://", "http://alice:" + wrong + "@");
      WorkspaceSpec spec = new WorkspaceSpec(url, "main");
      assertThat(spec.toString()).contains("alice:***@").doesNotContain(wrong);

      assertThatThrownBy(() -> JGitSource.open(spec, settings(Map.of()), clock))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage()).contains("alice:***@127.0.0.1").doesNotContain(wrong);
              });
    }

    @Test
    void theGitCredentialHelperSuppliesTheLogin() throws IOException {
      Path store = tmp.resolve("credentials");
      Files.writeString(store, "http://alice:" + PASSWORD + "@127.0.0.1:" + http.port() + "\n");
      Path gitconfig = tmp.resolve("gitconfig");
      Files.writeString(gitconfig, "[credential]\n\thelper = store --file=" + store + "\n");
      Map<String, String> env =
          Map.of(
              "HOME",
              home.toString(),
              "GIT_CONFIG_GLOBAL",
              gitconfig.toString(),
              "GIT_CONFIG_NOSYSTEM",
              "1");

      try (JGitSource source =
          open(http.url("shop.git"), settings(env).withCredentialHelper(true))) {
        assertThat(source.head().revision()).isEqualTo(c2);
      }
    }

    @Test
    void whenTheRemoteGoesAwayTheLastTreeIsServedStaleAndARestoreIsKeptLocally()
        throws IOException {
      try (JGitSource source = open(http.url("shop.git"), settings(token(PASSWORD)))) {
        http.close();
        clock.advance(Duration.ofMinutes(10));

        GitStatus status = source.fetch();

        assertThat(status.isStale()).isTrue();
        assertThat(status.lastError().reason()).isEqualTo(GitError.Reason.UNREACHABLE);
        assertThat(status.age(clock.instant())).isEqualTo(Duration.ofMinutes(10));
        assertThat(status.describe(clock.instant()))
            .isEqualTo(
                c2.substring(0, 7)
                    + ", fetched 10m ago (stale: fetch "
                    + http.url("shop.git")
                    + " failed: the remote cannot be reached (connection refused))");
        assertThat(source.head().revision()).isEqualTo(c2);
        assertThat(source.head().files("apps/storefront")).hasSize(1);

        WriteResult result =
            source.writer().restorePath("storefront", "apps/storefront", c1, "outage drill", true);

        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.COMMITTED_LOCALLY);
        assertThat(result.pushed()).isFalse();
        assertThat(result.pushError()).map(GitError::reason).contains(GitError.Reason.UNREACHABLE);
        assertThat(result.message())
            .startsWith(
                "Rolled back storefront to "
                    + c1.substring(0, 7)
                    + " as "
                    + result.shortCommit()
                    + " in the local clone, not pushed: fetch "
                    + http.url("shop.git"))
            .contains("Nothing is lost");
        assertThat(remote.head()).isEqualTo(c2);
      }
    }
  }

  @Test
  void historyAndOldTreesWorkTheSameForEveryTransport() throws IOException {
    try (JGitSource source =
        JGitSource.open(
            new WorkspaceSpec(remote.directory().toString(), "main"), settings(Map.of()), clock)) {
      assertThat(source.history("apps/checkout", 5))
          .extracting(CommitInfo::sha)
          .containsExactly(c1);
      assertThat(source.tree(c1).files(""))
          .extracting(RevisionTree.TreeFile::path)
          .isEqualTo(List.of("apps/checkout/deploy.yaml", "apps/storefront/deploy.yaml"));
    }
  }
}
