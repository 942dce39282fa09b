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
 */
public record ConsoleSnapshot(
    long version,
    Instant at,
    Optional<GitStatus> git,
    ClusterStatus cluster,
    List<ApplicationView> applications,
    List<ConsoleEvent> events) {

  public ConsoleSnapshot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(cluster, "cluster");
    applications = List.copyOf(applications);
    events = List.copyOf(events);
  }

  public Optional<ApplicationView> application(String name) {
    return applications.stream().filter(a -> a.name().equals(name)).findFirst();
  }
}
