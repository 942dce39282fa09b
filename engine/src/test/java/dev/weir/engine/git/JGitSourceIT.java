package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.engine.testkit.HttpGitServer;
import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.SshGitServer;
import dev.weir.engine.testkit.TestTls;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JGitSource and JGitWriter against real servers on loopback: Apache MINA sshd serving JGit's
 * upload-pack/receive-pack, and JGit's GitServlet in Jetty behind basic authentication, over https
 * (a throw-away certificate, trusted through GIT_SSL_CAINFO) and plain http. The HTTP servers
 * record every request, so the tests see which credentials reached which server.
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

  /** Secrets no test of the nested classes below may see in anything Weir logged. */
  private final List<String> secrets = new ArrayList<>(List.of(PASSWORD));

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private PrintStream stderr;

  /** slf4j-simple writes to System.err: keep what Weir (and JGit, Jetty) log during a test. */
  private void captureLog() {
    stderr = System.err;
    System.setErr(new PrintStream(new TeeStream(stderr, logged), true, StandardCharsets.UTF_8));
  }

  private String releaseLog() {
    System.setErr(stderr);
    String log = logged.toString(StandardCharsets.UTF_8);
    for (String secret : secrets) {
      assertThat(log).as("the log").doesNotContain(secret);
    }
    return log;
  }

  private Path script(String name, String body) throws IOException {
    Path file = tmp.resolve("bin").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /** The environment in which {@code git credential fill} runs {@code helper}, and only it. */
  private Map<String, String> helperEnvironment(String helper) throws IOException {
    Path gitconfig = tmp.resolve("gitconfig");
    Files.writeString(gitconfig, "[credential]\n\thelper = " + helper + "\n");
    return Map.of(
        "HOME",
        home.toString(),
        "GIT_CONFIG_GLOBAL",
        gitconfig.toString(),
        "GIT_CONFIG_NOSYSTEM",
        "1");
  }

  private static Map<String, String> token(String token) {
    return Map.of(GitSettings.TOKEN_VARIABLE, token, GitSettings.USERNAME_VARIABLE, "alice");
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new HashMap<>(a);
    all.putAll(b);
    return all;
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static List<Path> filesContaining(Path root, String text) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                try {
                  // Byte for byte: ISO-8859-1 maps every byte to one char.
                  return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                      .contains(text);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  /**
   * Over https with a certificate the client trusts through {@code GIT_SSL_CAINFO}: where
   * credentials are sent, and where they are not.
   */
  @Nested
  class OverHttps {
    private TestTls tls;
    private HttpGitServer https;
    private Path ca;

    @BeforeEach
    void startServer() {
      tls = TestTls.generate();
      https = HttpGitServer.startHttps(tmp.resolve("srv"), "alice", PASSWORD, tls);
      ca = tls.writeCertificate(tmp.resolve("ca.pem"));
      captureLog();
    }

    @AfterEach
    void stopServer() {
      https.close();
      releaseLog();
    }

    private GitSettings trusting(Map<String, String> env) {
      return settings(with(env, Map.of("GIT_SSL_CAINFO", ca.toString())));
    }

    private JGitSource open(String url, GitSettings settings) {
      return JGitSource.open(new WorkspaceSpec(url, "main"), settings, clock);
    }

    @Test
    void clonesFetchesAndPushesWithTheTokenFromTheEnvironment() {
      try (JGitSource source = open(https.url("shop.git"), trusting(token(PASSWORD)))) {
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
      secrets.add(wrong);
      assertThatThrownBy(() -> open(https.url("shop.git"), trusting(token(wrong))))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage())
                    .contains("refused the token from WEIR_GIT_TOKEN")
                    .doesNotContain(wrong);
                assertThat(e.error().toString()).doesNotContain(wrong);
              });
      assertThat(https.refusedLogins()).isPositive();
    }

    @Test
    void aLoginInTheUrlIsUsedButNeverStoredNorShownAndTheCloneIsOwnerOnly() throws IOException {
      String url = https.url("shop.git").replace("https://", "https://alice:" + PASSWORD + "@");

      try (JGitSource source = open(url, trusting(Map.of()))) {
        assertThat(source.head().revision()).isEqualTo(c2);
        clock.advance(Duration.ofMinutes(3));
        assertThat(source.fetch().isStale()).isFalse(); // the config is written again
        WriteResult pushed =
            source.writer().restorePath("storefront", "apps/storefront", c1, "slow", true);
        assertThat(pushed.outcome()).isEqualTo(WriteResult.Outcome.PUSHED);

        assertThat(source.remote())
            .isEqualTo(https.url("shop.git").replace("https://", "https://***@"));
        Path config = source.cloneDirectory().resolve("config");
        assertThat(Files.readString(config))
            .contains("url = " + https.url("shop.git") + "\n")
            // auto-gc runs inside the fetch, never in a thread still writing after it returned
            .contains("autoDetach = false")
            .doesNotContain(PASSWORD)
            .doesNotContain("alice");
        assertThat(filesContaining(tmp.resolve("cache"), PASSWORD)).isEmpty();
        assertThat(permissions(config)).isEqualTo("rw-------");
        assertThat(permissions(source.cloneDirectory())).isEqualTo("rwx------");
        assertThat(permissions(tmp.resolve("cache"))).isEqualTo("rwx------");
      }
      assertThat(https.authorizations()).isNotEmpty();
    }

    @Test
    void aCloneWhoseConfigStillHoldsALoginIsCleanedWhenOpened() throws IOException {
      String url = https.url("shop.git").replace("https://", "https://alice:" + PASSWORD + "@");
      Path directory;
      try (JGitSource source = open(url, trusting(Map.of()))) {
        directory = source.cloneDirectory();
      }
      // As an earlier Weir left it: the login in the stored URL, readable by everyone.
      Path config = directory.resolve("config");
      Files.writeString(config, Files.readString(config).replace(https.url("shop.git"), url));
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(
          tmp.resolve("cache"), PosixFilePermissions.fromString("rwxr-xr-x"));
      assertThat(Files.readString(config)).contains(PASSWORD);

      try (JGitSource source = open(url, trusting(Map.of()))) {
        assertThat(source.cloneDirectory()).isEqualTo(directory);
        assertThat(source.status().isStale()).isFalse();
      }

      assertThat(Files.readString(config)).doesNotContain(PASSWORD).doesNotContain("alice");
      assertThat(filesContaining(tmp.resolve("cache"), PASSWORD)).isEmpty();
      assertThat(permissions(config)).isEqualTo("rw-------");
      assertThat(permissions(directory)).isEqualTo("rwx------");
      assertThat(permissions(tmp.resolve("cache"))).isEqualTo("rwx------");
    }

    @Test
    void aWrongPasswordInTheUrlIsMaskedWholeInErrorsAndDescriptions() {
      String wrong = "url-Pa55word-555";
      secrets.add(wrong);
      String url = https.url("shop.git").replace("https://", "https://alice:" + wrong + "@");
      WorkspaceSpec spec = new WorkspaceSpec(url, "main");
      assertThat(spec.toString()).contains("https://***@127.0.0.1").doesNotContain(wrong);

      assertThatThrownBy(() -> JGitSource.open(spec, trusting(Map.of()), clock))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "clone "
                            + https.url("shop.git").replace("https://", "https://***@")
                            + " failed: the remote refused the login in the URL");
              });
    }

    @Test
    void aTokenGivenAsTheUrlUserNameIsUsedAndNeverShown() throws IOException {
      String token = "tokVALUE-9f8e7d6c5b";
      String wrong = "tokWRONG-1a2b3c4d5e";
      secrets.addAll(List.of(token, wrong));
      String wrongUrl = https.url("shop.git").replace("https://", "https://" + wrong + "@");
      assertThat(new WorkspaceSpec(wrongUrl, null).toString()).doesNotContain(wrong);

      assertThatThrownBy(() -> open(wrongUrl, trusting(Map.of())))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage())
                    .startsWith("clone https://***@127.0.0.1:" + https.port() + "/git/shop.git")
                    .doesNotContain(wrong);
                assertThat(e.error().toString()).doesNotContain(wrong);
              });

      try (HttpGitServer tokenServer =
          HttpGitServer.startHttps(tmp.resolve("srv"), token, "", tls)) {
        String url = tokenServer.url("shop.git").replace("https://", "https://" + token + "@");
        try (JGitSource source = open(url, trusting(Map.of()))) {
          assertThat(source.head().revision()).isEqualTo(c2);
          assertThat(source.remote()).doesNotContain(token).startsWith("https://***@127.0.0.1");
          assertThat(filesContaining(tmp.resolve("cache"), token)).isEmpty();
        }
      }
    }

    @ParameterizedTest(name = "to {0}, another port")
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void aRedirectElsewhereGetsNoCredentials(String otherHost) {
      try (HttpGitServer other =
          HttpGitServer.startHttps(tmp.resolve("srv"), "alice", PASSWORD, tls)) {
        https.redirectAuthorizedTo(other.base(otherHost));

        assertThatThrownBy(() -> open(https.url("shop.git"), trusting(token(PASSWORD))))
            .isInstanceOfSatisfying(
                GitException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "clone "
                              + https.url("shop.git")
                              + " failed: the remote sent Weir to "
                              + other.base(otherHost)
                              + ", and Weir sends credentials only to the repository's own host"
                              + " 127.0.0.1:"
                              + https.port()
                              + " over https");
                });

        assertThat(https.authorizations()).as("the repository's own host").isNotEmpty();
        assertThat(other.received()).as("the redirect was followed").isNotEmpty();
        assertThat(other.authorizations()).as("what the other server received").isEmpty();
      }
      assertThat(releaseLog()).contains("no credentials for " + "https://");
      captureLog();
    }

    @Test
    void aCredentialTheHelperHoldsForTheHostARedirectLeadsToIsNotSentThere() throws IOException {
      try (HttpGitServer other =
          HttpGitServer.startHttps(tmp.resolve("srv"), "alice", PASSWORD, tls)) {
        Path store = tmp.resolve("credentials");
        Files.writeString(
            store,
            "https://alice:"
                + PASSWORD
                + "@127.0.0.1:"
                + https.port()
                + "\n"
                + "https://alice:"
                + PASSWORD
                + "@localhost:"
                + other.port()
                + "\n");
        https.redirectAuthorizedTo(other.base("localhost"));

        assertThatThrownBy(
                () ->
                    open(
                        https.url("shop.git"),
                        trusting(helperEnvironment("store --file=" + store))
                            .withCredentialHelper(true)))
            .isInstanceOfSatisfying(
                GitException.class,
                e -> assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED));

        assertThat(https.authorizations()).isNotEmpty();
        assertThat(other.received()).isNotEmpty();
        assertThat(other.authorizations()).isEmpty();
      }
    }

    @Test
    void aCertificateThatIsNotTrustedIsRefusedBeforeAnyCredentialIsSent() {
      assertThatThrownBy(() -> open(https.url("shop.git"), settings(token(PASSWORD))))
          .isInstanceOfSatisfying(
              GitException.class,
              e ->
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "clone "
                              + https.url("shop.git")
                              + " failed: the server's TLS certificate is not trusted or does not"
                              + " name this host; if it is the right server, set GIT_SSL_CAINFO to"
                              + " a PEM file with the certificate of its CA"));
      assertThat(https.received()).as("no HTTP request without a trusted TLS session").isEmpty();
    }

    @Test
    void aGitConfigThatTurnsTlsVerificationOffIsNotObeyed() throws IOException {
      Path config;
      try (JGitSource source = open(https.url("shop.git"), trusting(token(PASSWORD)))) {
        config = source.cloneDirectory().resolve("config");
      }
      Files.writeString(config, Files.readString(config) + "[http]\n\tsslVerify = false\n");
      int before = https.received().size();

      try (JGitSource source = open(https.url("shop.git"), settings(token(PASSWORD)))) {
        assertThat(source.status().isStale()).isTrue();
        assertThat(source.status().lastError().message())
            .contains("the server's TLS certificate is not trusted");
      }
      assertThat(https.received()).as("nothing sent without a trusted TLS session").hasSize(before);
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsOneClearLine() throws IOException {
      Path bad = Files.writeString(tmp.resolve("bad.pem"), "not a certificate\n");

      assertThatThrownBy(
              () -> open(https.url("shop.git"), settings(Map.of("GIT_SSL_CAINFO", bad.toString()))))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.INVALID_REQUEST);
                assertThat(e.getMessage())
                    .startsWith("GIT_SSL_CAINFO=" + bad + ": cannot read the certificates to trust")
                    .doesNotContain("\n");
              });
      assertThat(https.received()).isEmpty();
    }

    @Test
    void theGitCredentialHelperSuppliesTheLogin() throws IOException {
      Path store = tmp.resolve("credentials");
      Files.writeString(store, "https://alice:" + PASSWORD + "@127.0.0.1:" + https.port() + "\n");

      try (JGitSource source =
          open(
              https.url("shop.git"),
              trusting(helperEnvironment("store --file=" + store)).withCredentialHelper(true))) {
        assertThat(source.head().revision()).isEqualTo(c2);
      }
    }

    @Test
    void aCredentialHelperThatNeverAnswersIsStoppedAndSaidSoInOneLine() throws Exception {
      Path pid = tmp.resolve("helper.pid");
      Path helper = script("hanging-helper", "echo $$ > " + pid + "\nexec sleep 600\n");

      assertThatThrownBy(
              () ->
                  open(
                      https.url("shop.git"),
                      trusting(helperEnvironment(helper.toString()))
                          .withCredentialHelper(true)
                          .withNetworkTimeout(Duration.ofSeconds(2))))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "clone "
                            + https.url("shop.git")
                            + " failed: the git credential helper did not answer within 2 s and"
                            + " was stopped");
              });

      Optional<ProcessHandle> process =
          ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
      if (process.isPresent()) {
        process.get().onExit().get(30, TimeUnit.SECONDS);
      }
      assertThat(process.map(ProcessHandle::isAlive))
          .as("the helper")
          .isNotEqualTo(Optional.of(true));
      assertThat(https.authorizations()).isEmpty();
    }

    @Test
    void whenTheRemoteGoesAwayTheLastTreeIsServedStaleAndARestoreIsKeptLocally()
        throws IOException {
      try (JGitSource source = open(https.url("shop.git"), trusting(token(PASSWORD)))) {
        https.close();
        clock.advance(Duration.ofMinutes(10));

        GitStatus status = source.fetch();

        assertThat(status.isStale()).isTrue();
        assertThat(status.lastError().reason()).isEqualTo(GitError.Reason.UNREACHABLE);
        assertThat(status.age(clock.instant())).isEqualTo(Duration.ofMinutes(10));
        assertThat(status.describe(clock.instant()))
            .isEqualTo(
                c2.substring(0, 7)
                    + ", fetched 10m ago (stale: fetch "
                    + https.url("shop.git")
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
                    + https.url("shop.git"))
            .contains("Nothing is lost");
        assertThat(remote.head()).isEqualTo(c2);
      }
    }
  }

  /** Over plain http: whatever the source of a credential, none is ever sent. */
  @Nested
  class OverPlainHttp {
    private HttpGitServer http;

    @BeforeEach
    void startServer() {
      http = HttpGitServer.start(tmp.resolve("srv"), "alice", PASSWORD);
      captureLog();
    }

    @AfterEach
    void stopServer() {
      http.close();
      releaseLog();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"WEIR_GIT_TOKEN", "a login in the URL", "the credential helper"})
    void noCredentialIsEverSentOverPlainHttp(String source) throws IOException {
      Path asked = tmp.resolve("helper-was-asked");
      Path helper =
          script(
              "recording-helper",
              "touch " + asked + "\necho username=alice\necho password=" + PASSWORD + "\n");
      Map<String, String> env = new HashMap<>(helperEnvironment(helper.toString()));
      if (source.equals("WEIR_GIT_TOKEN")) {
        env.putAll(token(PASSWORD));
      }
      String url =
          source.equals("a login in the URL")
              ? http.url("shop.git").replace("http://", "http://alice:" + PASSWORD + "@")
              : http.url("shop.git");
      String shown = Redaction.url(url);

      assertThatThrownBy(
              () ->
                  JGitSource.open(
                      new WorkspaceSpec(url, "main"),
                      settings(env).withCredentialHelper(true),
                      clock))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GitError.Reason.AUTH_FAILED);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "clone "
                            + shown
                            + " failed: the remote asks for credentials, and Weir sends them only"
                            + " over https: use the repository's https:// URL");
              });

      assertThat(http.received()).as("the server was asked").isNotEmpty();
      assertThat(http.authorizations()).as("Authorization headers received").isEmpty();
      assertThat(asked).as("the credential helper was never run").doesNotExist();
      assertThat(tmp.resolve("cache")).isEmptyDirectory();
    }
  }

  /** Copies everything written to both streams. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    TeeStream(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
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
