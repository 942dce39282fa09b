package dev.weir.engine.git;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How Weir reaches Git remotes and where it keeps its clones. Everything that would otherwise come
 * from the process (home, environment, {@code ~/.ssh}) is here so that tests can point it
 * elsewhere.
 *
 * <p>Credentials, in the order tried: for HTTPS, the login in the repository URL ({@code
 * https://user:password@host/…}), the token in {@value #TOKEN_VARIABLE} (user name from the URL,
 * else {@value #USERNAME_VARIABLE}, default {@code x-access-token}), the user's git credential
 * helper ({@code git credential fill}, given {@link #networkTimeout()} to answer), and last a user
 * name alone in the URL with an empty password (a token given as {@code https://TOKEN@host/…}); for
 * SSH, the keys in {@link #sshDirectory()} and the ssh-agent at {@code SSH_AUTH_SOCK}, with host
 * keys checked strictly against {@code known_hosts}. HTTP credentials are sent only over https and
 * only to the repository's own host and port: never over plain http, never where a redirect leads.
 * TLS trusts the JDK's certificate authorities, or those in the PEM file named by {@code
 * GIT_SSL_CAINFO}, as git does.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the environment.
 *
 * @param cacheRoot the directory holding one clone per workspace
 * @param homeDirectory the user's home (for {@code ~} in SSH configuration)
 * @param sshDirectory the user's SSH directory: keys, {@code known_hosts}, {@code config}
 * @param environment the environment variables to read ({@code SSH_AUTH_SOCK}, tokens, PATH for
 *     git)
 * @param fetchInterval how often {@link GitSource#poll} fetches by default
 * @param networkTimeout the timeout of one network operation
 * @param pushAttempts how many times a push is tried when the remote moved meanwhile
 * @param identity the author of Weir's commits; empty: user.name/user.email from git config
 * @param trustedKeys an OpenPGP public keyring (armored or binary); when present, only commits
 *     signed by one of its keys are used
 * @param credentialHelper whether to ask the user's git credential helper for HTTPS credentials
 */
public record GitSettings(
    Path cacheRoot,
    Path homeDirectory,
    Path sshDirectory,
    Map<String, String> environment,
    Duration fetchInterval,
    Duration networkTimeout,
    int pushAttempts,
    Optional<GitIdentity> identity,
    Optional<Path> trustedKeys,
    boolean credentialHelper) {

  /** Environment variable holding an HTTPS token (used as the password). */
  public static final String TOKEN_VARIABLE = "WEIR_GIT_TOKEN";

  /** Environment variable holding the user name that goes with the token. */
  public static final String USERNAME_VARIABLE = "WEIR_GIT_USERNAME";

  public GitSettings {
    Objects.requireNonNull(cacheRoot, "cacheRoot");
    Objects.requireNonNull(homeDirectory, "homeDirectory");
    Objects.requireNonNull(sshDirectory, "sshDirectory");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(fetchInterval, "fetchInterval");
    Objects.requireNonNull(networkTimeout, "networkTimeout");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(trustedKeys, "trustedKeys");
    if (pushAttempts < 1) {
      throw new IllegalArgumentException("pushAttempts must be at least 1: " + pushAttempts);
    }
    if (fetchInterval.isNegative() || fetchInterval.isZero()) {
      throw new IllegalArgumentException("fetchInterval must be positive: " + fetchInterval);
    }
  }

  /** The settings of the running user: real environment, {@code user.home}, XDG cache. */
  public static GitSettings defaults() {
    return from(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * Settings derived from an environment and a home directory: clones under {@code
   * $XDG_CACHE_HOME/weir/repos} (or {@code HOME/.cache/weir/repos}), SSH files under {@code
   * HOME/.ssh}, fetch every 3 minutes, 30 s network timeout, 3 push attempts.
   */
  public static GitSettings from(Map<String, String> environment, Path home) {
    String xdg = environment.get("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : home.resolve(".cache");
    return new GitSettings(
        cache.resolve("weir").resolve("repos"),
        home,
        home.resolve(".ssh"),
        environment,
        Duration.ofMinutes(3),
        Duration.ofSeconds(30),
        3,
        Optional.empty(),
        Optional.empty(),
        true);
  }

  public GitSettings withCacheRoot(Path value) {
    return new GitSettings(
        value,
        homeDirectory,
        sshDirectory,
        environment,
        fetchInterval,
        networkTimeout,
        pushAttempts,
        identity,
        trustedKeys,
        credentialHelper);
  }

  public GitSettings withSshDirectory(Path value) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        value,
        environment,
        fetchInterval,
        networkTimeout,
        pushAttempts,
        identity,
        trustedKeys,
        credentialHelper);
  }

  public GitSettings withEnvironment(Map<String, String> value) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        sshDirectory,
        value,
        fetchInterval,
        networkTimeout,
        pushAttempts,
        identity,
        trustedKeys,
        credentialHelper);
  }

  public GitSettings withFetchInterval(Duration value) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        sshDirectory,
        environment,
        value,
        networkTimeout,
        pushAttempts,
        identity,
        trustedKeys,
        credentialHelper);
  }

  public GitSettings withNetworkTimeout(Duration value) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        sshDirectory,
        environment,
        fetchInterval,
        value,
        pushAttempts,
        identity,
        trustedKeys,
        credentialHelper);
  }

  public GitSettings withPushAttempts(int value) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        sshDirectory,
        environment,
        fetchInterval,
        networkTimeout,
        value,
        identity,
        trustedKeys,
        credentialHelper);
  }

  public GitSettings withIdentity(GitIdentity value) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        sshDirectory,
        environment,
        fetchInterval,
        networkTimeout,
        pushAttempts,
        Optional.of(value),
        trustedKeys,
        credentialHelper);
  }

  public GitSettings withTrustedKeys(Path keyring) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        sshDirectory,
        environment,
        fetchInterval,
        networkTimeout,
        pushAttempts,
        identity,
        Optional.of(keyring),
        credentialHelper);
  }

  public GitSettings withCredentialHelper(boolean value) {
    return new GitSettings(
        cacheRoot,
        homeDirectory,
        sshDirectory,
        environment,
        fetchInterval,
        networkTimeout,
        pushAttempts,
        identity,
        trustedKeys,
        value);
  }

  /** Shows paths and knobs, never the environment (it may hold a token). */
  @Override
  public String toString() {
    return "GitSettings[cacheRoot="
        + cacheRoot
        + ", sshDirectory="
        + sshDirectory
        + ", fetchInterval="
        + fetchInterval
        + ", networkTimeout="
        + networkTimeout
        + ", pushAttempts="
        + pushAttempts
        + ", identity="
        + identity.map(GitIdentity::email).orElse("git config")
        + ", trustedKeys="
        + trustedKeys.map(Path::toString).orElse("off")
        + ", credentialHelper="
        + credentialHelper
        + "]";
  }
}
