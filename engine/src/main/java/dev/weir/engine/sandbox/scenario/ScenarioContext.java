package dev.weir.engine.sandbox.scenario;

import dev.weir.engine.git.GitSettings;
import dev.weir.engine.sandbox.api.SandboxApiServer;
import dev.weir.engine.sandbox.world.SandboxWorld;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scenario plays on: the sandbox (its API server and world, in this process), the sample
 * repository it was seeded from, the engine when one is attached, and a scratch folder.
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
}
