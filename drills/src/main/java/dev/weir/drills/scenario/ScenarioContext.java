package dev.weir.drills.scenario;

import dev.weir.engine.git.GitSettings;
import dev.weir.sandbox.api.SandboxApiServer;
import dev.weir.sandbox.world.SandboxWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scenario plays on: the sandbox (its API server and world, in this process; for {@code
 * weir sandbox run} a scratch copy on a {@link dev.weir.engine.time.DiscreteEventClock}), the
 * sample repository it was seeded from, the engine when one is attached, and a scratch folder.
 *
 * @param repository the workspace's repository (the sample), when known
 * @param revision the revision the cluster was seeded from, when known
 * @param engine the engine's reconciler, when attached; without it drift is detected by the
 *     scenario itself and not healed
 * @param scratch a folder the scenario may write to (clones, a copy of the remote)
 * @param git how to reach Git (clone caches under {@code scratch})
 */
public record ScenarioContext(
    SandboxApiServer server,
    SandboxWorld world,
    Optional<Path> repository,
    Optional<String> revision,
    Optional<ScenarioEngine> engine,
    Path scratch,
    GitSettings git) {
  public ScenarioContext {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(world, "world");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(scratch, "scratch");
    Objects.requireNonNull(git, "git");
  }

  /** The repository, or a failure saying how to get one. */
  Path requireRepository() {
    return repository.orElseThrow(
        () ->
            new ScenarioException(
                "this scenario needs the sample repository: run 'weir sandbox init DIR' first"));
  }

  /**
   * Copies the repository folder {@code from} into {@code to} (a work copy a scenario may commit
   * to, or a stand-in remote), so that the user's repository is never touched.
   */
  public static void copyRepository(Path from, Path to) {
    if (!Files.isDirectory(from)) {
      throw new ScenarioException(
          "the sample repository is not at " + from + ": run 'weir sandbox init DIR' again");
    }
    try (var paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
