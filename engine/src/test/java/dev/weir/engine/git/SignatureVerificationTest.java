package dev.weir.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.engine.time.ManualClock;
import dev.weir.engine.testkit.RepoBuilder;
import dev.weir.engine.testkit.TestPgpKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only commits signed by a key of the trusted keyring are used; real OpenPGP signatures. */
class SignatureVerificationTest {
  private static TestPgpKey trusted;
  private static TestPgpKey stranger;

  @TempDir Path tmp;

  private final ManualClock clock = new ManualClock();
  private RepoBuilder remote;
  private GitSettings settings;

  @BeforeAll
  static void keys() {
    trusted = TestPgpKey.generate("Release Bot <release@example.com>");
    stranger = TestPgpKey.generate("Mallory <mallory@example.com>");
  }

  @BeforeEach
  void setUp() {
    remote = RepoBuilder.init(tmp.resolve("shop.git"));
    Path keyring = trusted.writePublicKeyring(tmp.resolve("trusted.asc"));
    settings = JGitSourceTest.settings(tmp).withTrustedKeys(keyring);
  }

  @AfterEach
  void close() {
    remote.close();
  }

  private JGitSource open() {
    return JGitSource.open(
        new WorkspaceSpec(remote.directory().toString(), "main"), settings, clock);
  }

  @Test
  void aCommitSignedByATrustedKeyIsServed() {
    String signed =
        remote.commit("signed").add("apps/a/x.yaml", "x: 1\n").signedBy(trusted).create();
    try (JGitSource source = open()) {
      assertThat(source.head().revision()).isEqualTo(signed);
      assertThat(source.status().isStale()).isFalse();
    }
  }

  @Test
  void anUnsignedHeadIsRefusedNamingTheCommit() {
    String unsigned =
        remote.commit("unsigned").author("Eve", "eve@example.com").add("a.yaml", "a\n").create();
    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            GitException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(GitError.Reason.SIGNATURE_REJECTED);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "commit "
                          + unsigned.substring(0, 7)
                          + " (author Eve <eve@example.com>) is not signed");
            });
  }

  @Test
  void aCommitSignedByAnUntrustedKeyIsRefusedNamingTheKey() {
    String signed = remote.commit("by mallory").add("a.yaml", "a\n").signedBy(stranger).create();
    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            GitException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(GitError.Reason.SIGNATURE_REJECTED);
              assertThat(e.getMessage())
                  .startsWith("commit " + signed.substring(0, 7))
                  .contains(
                      "is signed by key "
                          + stranger.keyId()
                          + ", which is not in the trusted keyring trusted.asc");
            });
  }

  @Test
  void aSignatureThatDoesNotMatchTheCommitIsRefusedNamingTheSigner() {
    String forged =
        remote.commit("tampered").add("a.yaml", "a\n").forgedSignatureBy(trusted).create();
    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            GitException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(GitError.Reason.SIGNATURE_REJECTED);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "commit "
                          + forged.substring(0, 7)
                          + " has a BAD signature claiming to be by Release Bot"
                          + " <release@example.com> (key "
                          + trusted.keyId()
                          + "): it was altered after signing");
            });
  }

  @Test
  void anUntrustedNewHeadIsNotServedAndTheStatusSaysWhy() {
    String good = remote.commit("signed").add("a.yaml", "a\n").signedBy(trusted).create();
    try (JGitSource source = open()) {
      String bad = remote.commit("unsigned").add("a.yaml", "b\n").create();

      GitStatus status = source.fetch();

      assertThat(source.head().revision()).isEqualTo(good);
      assertThat(status.isStale()).isTrue();
      assertThat(status.lastError().reason()).isEqualTo(GitError.Reason.SIGNATURE_REJECTED);
      assertThat(status.lastError().message()).contains(bad.substring(0, 7));
      assertThat(source.fetch().lastError())
          .as("still refused on the next, idle poll")
          .isEqualTo(status.lastError());
      assertThatThrownBy(() -> source.tree(bad))
          .isInstanceOfSatisfying(
              GitException.class,
              e -> assertThat(e.reason()).isEqualTo(GitError.Reason.SIGNATURE_REJECTED));

      String fixed = remote.commit("signed again").add("a.yaml", "c\n").signedBy(trusted).create();
      GitStatus recovered = source.fetch();
      assertThat(recovered.isStale()).isFalse();
      assertThat(source.head().revision()).isEqualTo(fixed);
    }
  }

  /** The signatures the test kit makes are ones git itself accepts (when gpg is installed). */
  @Test
  void gitVerifiesTheTestKitsSignaturesToo() throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gpg")), "gpg is not installed");
    String signed = remote.commit("signed").add("a.yaml", "a\n").signedBy(trusted).create();
    String forged =
        remote.commit("forged").add("a.yaml", "b\n").forgedSignatureBy(trusted).create();
    Path gnupg = Files.createDirectories(tmp.resolve("gnupg"));
    Files.setPosixFilePermissions(
        gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env = Map.of("GNUPGHOME", gnupg.toString());
    assertThat(run(env, "gpg", "--batch", "--import", tmp.resolve("trusted.asc").toString()))
        .isZero();
    assertThat(run(env, "git", "--git-dir", remote.directory().toString(), "verify-commit", signed))
        .isZero();
    assertThat(run(env, "git", "--git-dir", remote.directory().toString(), "verify-commit", forged))
        .isNotZero();
  }

  private static int run(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
