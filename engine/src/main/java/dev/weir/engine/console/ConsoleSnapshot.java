package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.git.GitStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a console shows, at one moment: Git's state, the cluster's reachability, every
 * application, and the recent events. Immutable; a UI renders the newest it has.
 *
 * @param version increases with every snapshot
 * @param at when it was made
 * @param git the Git source's status (revision, fetched when, stale since when); empty before the
 *     first fetch
 * @param cluster which kubeconfig context and API server the snapshot shows ({@link
 *     ClusterStatus#context()}, {@link ClusterStatus#server()}), whether it answers, and since when
 *     it does not; after {@link SwitchableConsole#switchContext}, the new context's
 * @param applications by name
 * @param events the latest events, newest last
 * @param definitionFailures application definitions that do not load ({@link DefinitionFailure}),
 *     in file order; an application whose definition fails to load and whose name is known is
 *     also among {@code applications}, failing to render
 */
public record ConsoleSnapshot(
    long version,
    Instant at,
    Optional<GitStatus> git,
    ClusterStatus cluster,
    List<ApplicationView> applications,
    List<ConsoleEvent> events,
    List<DefinitionFailure> definitionFailures) {

  public ConsoleSnapshot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(cluster, "cluster");
    applications = List.copyOf(applications);
    events = List.copyOf(events);
    definitionFailures = List.copyOf(definitionFailures);
  }

  /** A snapshot in which every application definition loads. */
  public ConsoleSnapshot(
      long version,
      Instant at,
      Optional<GitStatus> git,
      ClusterStatus cluster,
      List<ApplicationView> applications,
      List<ConsoleEvent> events) {
    this(version, at, git, cluster, applications, events, List.of());
  }

  public Optional<ApplicationView> application(String name) {
    return applications.stream().filter(a -> a.name().equals(name)).findFirst();
  }
}
