package dev.weir.engine.console;

import dev.weir.engine.cluster.ClusterStatus;
import dev.weir.engine.git.GitStatus;
import dev.weir.engine.reconcile.Freeze;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a console shows, at one moment: Git's state, the cluster's reachability, every
 * application, and the recent events. Immutable; a UI renders the newest it has.
 *
 * <p>The header a face draws comes from {@link #cluster()} (context, server, unreachable since
 * when), {@link #contexts()}, {@link #repository()}, {@link #branch()}, {@link #git()} (revision,
 * time of the last fetch, stale since when and why) and {@link #globalFreeze()}.
 *
 * @param version increases with every snapshot, across context switches
 * @param at when it was made
 * @param git the Git source's status (revision, fetched when, stale since when); empty before the
 *     first fetch
 * @param cluster which kubeconfig context and API server the snapshot shows ({@link
 *     ClusterStatus#context()}, {@link ClusterStatus#server()}), whether it answers, and since when
 *     it does not; after {@link SwitchableConsole#switchContext}, the new context's
 * @param applications by name
 * @param events the latest events of every application, newest last
 * @param loading present while the console is still being opened (Git cloned or fetched, the
 *     cluster connected, the first comparison made): what it is doing; then {@link #applications()}
 *     is empty. Empty once the console shows the cluster
 * @param repository the Git repository's URL, never with a login or token in it; "" when unknown
 * @param branch the branch followed ({@code main}); {@code tag v1.2} or {@code commit 3f2a1c9} when
 *     the workspace follows a tag or a commit; "" when unknown
 * @param contexts the kubeconfig's contexts an SRE can switch to, in the kubeconfig's order; at
 *     least the current one when known
 * @param globalFreeze the freeze of every application, while it is active
 * @param definitionFailures application definitions that do not load ({@link DefinitionFailure}),
 *     in file order; an application whose definition fails to load and whose name is known is
 *     also among {@code applications}, failing to render
 * @param attention the needs-attention queue ({@link Attention}), most urgent first
 * @param applicationEvents each application's own recent events, oldest first ("" for the
 *     console's), each list bounded on its own
 * @param experiments the A/B experiments of every application ({@link ExperimentView}), by
 *     application then rollout
 */
public record ConsoleSnapshot(
    long version,
    Instant at,
    Optional<GitStatus> git,
    ClusterStatus cluster,
    List<ApplicationView> applications,
    List<ConsoleEvent> events,
    Optional<Loading> loading,
    String repository,
    String branch,
    List<String> contexts,
    Optional<Freeze> globalFreeze,
    List<DefinitionFailure> definitionFailures,
    List<AttentionItem> attention,
    Map<String, List<ConsoleEvent>> applicationEvents,
    List<ExperimentView> experiments) {

  /**
   * What a console being opened is doing, for the face's loading screen. Immutable.
   *
   * @param stage what it is doing
   * @param message one line naming the repository or context, e.g. {@code cloning
   *     https://git.example.com/shop.git} or {@code connecting to context prod-eu}; for {@link
   *     Stage#FAILED}, why the console could not be opened
   */
  public record Loading(Stage stage, String message) {
    /** The steps of opening a console, in order. */
    public enum Stage {
      /** Cloning the repository into the cache (no clone there yet). */
      CLONING,
      /** Fetching into the clone already in the cache. */
      FETCHING,
      /** Connecting to the kubeconfig context's API server. */
      CONNECTING,
      /** Rendering every application and comparing it with the cluster. */
      READING,
      /** Opening failed; the console shows nothing more and commands answer as it did. */
      FAILED
    }

    public Loading {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(message, "message");
    }
  }

  public ConsoleSnapshot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(cluster, "cluster");
    applications = List.copyOf(applications);
    events = List.copyOf(events);
    Objects.requireNonNull(loading, "loading");
    repository = repository == null ? "" : repository;
    branch = branch == null ? "" : branch;
    contexts = List.copyOf(contexts);
    Objects.requireNonNull(globalFreeze, "globalFreeze");
    definitionFailures = List.copyOf(definitionFailures);
    attention = List.copyOf(attention);
    applicationEvents = Map.copyOf(applicationEvents);
    experiments = experiments == null ? List.of() : List.copyOf(experiments);
  }

  /** As the canonical constructor, without experiments. */
  public ConsoleSnapshot(
      long version,
      Instant at,
      Optional<GitStatus> git,
      ClusterStatus cluster,
      List<ApplicationView> applications,
      List<ConsoleEvent> events,
      Optional<Loading> loading,
      String repository,
      String branch,
      List<String> contexts,
      Optional<Freeze> globalFreeze,
      List<DefinitionFailure> definitionFailures,
      List<AttentionItem> attention,
      Map<String, List<ConsoleEvent>> applicationEvents) {
    this(version, at, git, cluster, applications, events, loading, repository, branch, contexts,
        globalFreeze, definitionFailures, attention, applicationEvents, List.of());
  }

  /** The experiments of {@code application}, by rollout. */
  public List<ExperimentView> experiments(String application) {
    return experiments.stream().filter(e -> e.application().equals(application)).toList();
  }

  /**
   * As the canonical constructor, the queue computed from the applications alone (no kept
   * freezes) and each application's events {@code events} grouped.
   */
  public ConsoleSnapshot(
      long version,
      Instant at,
      Optional<GitStatus> git,
      ClusterStatus cluster,
      List<ApplicationView> applications,
      List<ConsoleEvent> events,
      Optional<Loading> loading,
      String repository,
      String branch,
      List<String> contexts,
      Optional<Freeze> globalFreeze,
      List<DefinitionFailure> definitionFailures) {
    this(version, at, git, cluster, applications, events, loading, repository, branch, contexts,
        globalFreeze, definitionFailures,
        Attention.of(Attention.Input.of(at, applications, Map.of(), List.of(), events), List.of()),
        events.stream()
            .collect(java.util.stream.Collectors.groupingBy(ConsoleEvent::application)));
  }

  /**
   * As the canonical constructor, every application definition loading (the shape before
   * definition failures were carried).
   */
  public ConsoleSnapshot(
      long version,
      Instant at,
      Optional<GitStatus> git,
      ClusterStatus cluster,
      List<ApplicationView> applications,
      List<ConsoleEvent> events,
      Optional<Loading> loading,
      String repository,
      String branch,
      List<String> contexts,
      Optional<Freeze> globalFreeze) {
    this(version, at, git, cluster, applications, events, loading, repository, branch, contexts,
        globalFreeze, List.of());
  }

  /** A loaded snapshot without header details beyond Git's status and the cluster's. */
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
        Optional.empty(),
        "",
        "",
        List.of(cluster.context()),
        Optional.empty());
  }

  /** Whether the console is still being opened (or failed to open). */
  public boolean isLoading() {
    return loading.isPresent();
  }

  /** The recent events of {@code application}, oldest first. */
  public List<ConsoleEvent> eventsOf(String application) {
    return applicationEvents.getOrDefault(application, List.of());
  }

  /** What the header shows, in plain values. */
  public HeaderView header() {
    return HeaderView.of(this);
  }

  public Optional<ApplicationView> application(String name) {
    return applications.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The same snapshot with another version (a façade numbering snapshots across consoles). */
  public ConsoleSnapshot withVersion(long value) {
    return new ConsoleSnapshot(
        value, at, git, cluster, applications, events, loading, repository, branch, contexts,
        globalFreeze, definitionFailures, attention, applicationEvents, experiments);
  }

  /** The same snapshot listing {@code value} as the contexts to switch to. */
  public ConsoleSnapshot withContexts(List<String> value) {
    return new ConsoleSnapshot(
        version, at, git, cluster, applications, events, loading, repository, branch, value,
        globalFreeze, definitionFailures, attention, applicationEvents, experiments);
  }
}
