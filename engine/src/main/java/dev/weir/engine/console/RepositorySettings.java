package dev.weir.engine.console;

import dev.weir.engine.git.GitException;
import dev.weir.engine.git.GitSettings;
import dev.weir.engine.git.GitSource;
import dev.weir.engine.git.JGitSource;
import dev.weir.engine.git.WorkspaceSpec;
import dev.weir.engine.time.EngineClock;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The GitOps repository a console follows, in plain values a face reads from its user: where it is
 * (a local path, an https:// or ssh URL), which branch, tag or commit, the keyring commits must be
 * signed by, and the environment and home folder that credentials and the clone cache come from
 * ({@code WEIR_GIT_TOKEN}, {@code ~/.ssh}, {@code $XDG_CACHE_HOME}). Immutable.
 *
 * @param location a local path or URL
 * @param branch the branch, tag or commit to follow; empty for the repository's default branch
 * @param trustedKeys an OpenPGP public keyring; when present, only commits signed by one of its keys
 *     are used
 * @param environment the environment variables
 * @param home the user's home folder
 */
public record RepositorySettings(
    String location,
    Optional<String> branch,
    Optional<Path> trustedKeys,
    Map<String, String> environment,
    Path home) {

  public RepositorySettings {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(trustedKeys, "trustedKeys");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(home, "home");
  }

  /** The repository at {@code location}, its default branch, credentials from {@code environment}. */
  public static RepositorySettings of(String location, Map<String, String> environment, Path home) {
    return new RepositorySettings(location, Optional.empty(), Optional.empty(), environment, home);
  }

  public RepositorySettings withBranch(Optional<String> value) {
    return new RepositorySettings(location, value, trustedKeys, environment, home);
  }

  public RepositorySettings withTrustedKeys(Optional<Path> value) {
    return new RepositorySettings(location, branch, value, environment, home);
  }

  /**
   * Clones or fetches the repository into the user's cache.
   *
   * @throws ConsoleException when it cannot be reached or read (one line, no secret)
   */
  GitSource open(EngineClock clock) {
    GitSettings settings = GitSettings.from(environment, home);
    if (trustedKeys.isPresent()) {
      settings = settings.withTrustedKeys(trustedKeys.get());
    }
    try {
      return JGitSource.open(new WorkspaceSpec(location, branch.orElse(null)), settings, clock);
    } catch (GitException e) {
      throw ConsoleException.of(e).orElseThrow();
    }
  }
}
