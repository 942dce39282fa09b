package dev.weir.engine.console;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a console's header shows, in plain values, computed once from a {@link ConsoleSnapshot}
 * ({@link ConsoleSnapshot#header()}) for both faces. Immutable.
 *
 * @param context the kubeconfig context shown
 * @param contexts the contexts one can switch to
 * @param server the API server's address
 * @param repository the repository's URL, never with a login in it
 * @param branch the branch followed (or {@code tag …}, {@code commit …})
 * @param revision the revision compared, short ({@code 3f2a1c9}); "" before the first fetch
 * @param fetchedAt when Git was last fetched
 * @param gitStaleSince since when Git cannot be fetched (the last revision is kept)
 * @param gitProblem why Git cannot be fetched, one line; "" when it can
 * @param clusterUnreachableSince since when the cluster does not answer
 * @param clusterProblem why, one line; "" when it answers
 * @param freeze the freeze of every application, one line ({@code frozen by alice until …: why})
 * @param freezeUntil when that freeze ends
 */
public record HeaderView(
    String context,
    List<String> contexts,
    String server,
    String repository,
    String branch,
    String revision,
    Optional<Instant> fetchedAt,
    Optional<Instant> gitStaleSince,
    String gitProblem,
    Optional<Instant> clusterUnreachableSince,
    String clusterProblem,
    Optional<String> freeze,
    Optional<Instant> freezeUntil) {

  public HeaderView {
    Objects.requireNonNull(context, "context");
    contexts = List.copyOf(contexts);
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(gitProblem, "gitProblem");
    Objects.requireNonNull(clusterProblem, "clusterProblem");
  }

  /** The header of {@code snapshot}. */
  static HeaderView of(ConsoleSnapshot snapshot) {
    var git = snapshot.git();
    var cluster = snapshot.cluster();
    return new HeaderView(
        cluster.context(),
        snapshot.contexts(),
        cluster.server(),
        snapshot.repository(),
        snapshot.branch(),
        git.map(g -> g.shortRevision()).orElse(""),
        git.map(g -> g.fetchedAt()),
        git.flatMap(g -> Optional.ofNullable(g.staleSince())),
        git.flatMap(g -> g.error()).map(e -> e.message()).orElse(""),
        Optional.ofNullable(cluster.unreachableSince()),
        cluster.error().map(e -> e.message()).orElse(""),
        snapshot.globalFreeze().map(f -> f.describe()),
        snapshot.globalFreeze().map(f -> f.until()));
  }

  /** The repository's last path segment without {@code .git} ({@code deploy}), for narrow headers. */
  public String repositoryName() {
    String trimmed = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
    int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':'));
    String name = slash >= 0 ? trimmed.substring(slash + 1) : trimmed;
    return name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
  }
}
