package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.git.GitStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a console shows, at one moment: Git's state, the cluster's reachability, every
 * application, the recent events and what needs attention. Immutable; a UI renders the newest it
 * has.
 *
 * @param version increases with every snapshot
 * @param at when it was made
 * @param git the Git source's status (revision, fetched when, stale since when); empty before the
 *     first fetch
 * @param cluster which kubeconfig context and API server the snapshot shows ({@link
 *     ClusterStatus#context()}, {@link ClusterStatus#server()}), whether it answers, and since when
 *     it does not; after {@link SwitchableConsole#switchContext}, the new context's
 * @param applications by name
 * @param events the latest events of every application, newest last
 * @param attention the needs-attention queue ({@link Attention}), most urgent first
 * @param applicationEvents each application's own recent events, oldest first ("" for the
 *     console's), each list bounded on its own
 */
public record ConsoleSnapshot(
    long version,
    Instant at,
    Optional<GitStatus> git,
    ClusterStatus cluster,
    List<ApplicationView> applications,
    List<ConsoleEvent> events,
    List<AttentionItem> attention,
    Map<String, List<ConsoleEvent>> applicationEvents) {

  public ConsoleSnapshot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(cluster, "cluster");
    applications = List.copyOf(applications);
    events = List.copyOf(events);
    attention = List.copyOf(attention);
    applicationEvents = Map.copyOf(applicationEvents);
  }

  /**
   * A snapshot whose queue is computed from its applications alone (no kept freezes, no
   * definitions), and whose per-application events are {@code events} grouped.
   */
  public ConsoleSnapshot(
      long version,
      Instant at,
      Optional<GitStatus> git,
      ClusterStatus cluster,
      List<ApplicationView> applications,
      List<ConsoleEvent> events) {
    this(
        version,
        at,
        git,
        cluster,
        applications,
        events,
        Attention.of(Attention.Input.of(at, applications, Map.of(), List.of(), events), List.of()),
        events.stream()
            .collect(java.util.stream.Collectors.groupingBy(ConsoleEvent::application)));
  }

  public Optional<ApplicationView> application(String name) {
    return applications.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The recent events of {@code application}, oldest first. */
  public List<ConsoleEvent> eventsOf(String application) {
    return applicationEvents.getOrDefault(application, List.of());
  }
}
