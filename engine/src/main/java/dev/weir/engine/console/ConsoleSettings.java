package dev.weir.engine.console;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a console, in plain values a face reads from its user (flags, a settings dialog):
 * the repository, the cluster (kubeconfig files merged in order as kubectl does, and a context),
 * the Prometheus analyses query, and whether the console drives rollouts. {@link
 * ConsoleLauncher#open(ConsoleSettings)} builds the Git source, the cluster gateway and the metric
 * provider from them. Immutable.
 *
 * @param repository the GitOps repository
 * @param kubeconfigs kubeconfig files, merged in order
 * @param context the kubeconfig context; empty for its current one
 * @param role what the console is for, recorded in the Leases it holds ({@code weir status})
 * @param metrics whether to choose a Prometheus for analyses (always when {@code drive})
 * @param prometheus the Prometheus every analysis queries ({@code --prometheus}); empty to use a
 *     template's own address, else the one found in the cluster through the API server's service
 *     proxy
 * @param prometheusCa a PEM file of certificates to trust for Prometheus addresses
 * @param drive whether the console drives rollouts and their analyses
 * @param pushgateway where to push Weir's own metrics; empty for nowhere
 * @param readSeries whether a console that does not drive rollouts reads their metric series back
 *     from the chosen Prometheus (only {@code weir rollout status} shows them)
 * @param inCluster whether to reach the cluster as a pod does (service account token and CA,
 *     {@code KUBERNETES_SERVICE_HOST}) instead of through the kubeconfigs
 * @param replica when present, the console is one replica of the in-cluster reconciler and drives
 *     only the applications whose Leases it holds
 * @param gitPoll how often watch mode fetches Git and compares every application; empty for the
 *     default, {@link Console.Options#defaults every 3 minutes}
 */
public record ConsoleSettings(
    RepositorySettings repository,
    List<Path> kubeconfigs,
    Optional<String> context,
    String role,
    boolean metrics,
    Optional<String> prometheus,
    Optional<Path> prometheusCa,
    boolean drive,
    Optional<URI> pushgateway,
    boolean readSeries,
    boolean inCluster,
    Optional<ReplicaSettings> replica,
    Optional<Duration> gitPoll) {

  public ConsoleSettings {
    Objects.requireNonNull(repository, "repository");
    kubeconfigs = List.copyOf(kubeconfigs);
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(prometheus, "prometheus");
    Objects.requireNonNull(prometheusCa, "prometheusCa");
    Objects.requireNonNull(pushgateway, "pushgateway");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(gitPoll, "gitPoll");
    if (gitPoll.isPresent() && gitPoll.get().toSeconds() < 1) {
      throw new IllegalArgumentException("Git is polled at most every second, not " + gitPoll.get());
    }
  }

  /** Settings neither in a cluster nor a replica. */
  public ConsoleSettings(
      RepositorySettings repository,
      List<Path> kubeconfigs,
      Optional<String> context,
      String role,
      boolean metrics,
      Optional<String> prometheus,
      Optional<Path> prometheusCa,
      boolean drive,
      Optional<URI> pushgateway,
      boolean readSeries) {
    this(
        repository, kubeconfigs, context, role, metrics, prometheus, prometheusCa, drive,
        pushgateway, readSeries, false, Optional.empty(), Optional.empty());
  }

  /**
   * These settings, reaching the cluster as a pod does: its service account ({@code
   * WEIR_SERVICEACCOUNT_DIR} of the repository's environment, else the kubelet's mount) and {@code
   * KUBERNETES_SERVICE_HOST}/{@code PORT}.
   */
  public ConsoleSettings withInCluster() {
    return new ConsoleSettings(
        repository, List.of(), Optional.empty(), role, metrics, prometheus, prometheusCa, drive,
        pushgateway, readSeries, true, replica, gitPoll);
  }

  /** These settings, as one replica of the in-cluster reconciler. */
  public ConsoleSettings withReplica(ReplicaSettings value) {
    return new ConsoleSettings(
        repository, kubeconfigs, context, role, metrics, prometheus, prometheusCa, drive,
        pushgateway, readSeries, inCluster, Optional.of(value), gitPoll);
  }

  /** These settings, fetching Git every {@code value} in watch mode ({@code --git-poll}). */
  public ConsoleSettings withGitPoll(Duration value) {
    return new ConsoleSettings(
        repository, kubeconfigs, context, role, metrics, prometheus, prometheusCa, drive,
        pushgateway, readSeries, inCluster, replica, Optional.of(value));
  }

  /** A read-only console ({@code role}) over {@code repository} and the cluster of the kubeconfigs. */
  public static ConsoleSettings of(
      RepositorySettings repository, List<Path> kubeconfigs, Optional<String> context, String role) {
    return new ConsoleSettings(
        repository,
        kubeconfigs,
        context,
        role,
        false,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        false);
  }

  /** These settings, choosing a Prometheus: {@code address} or, when empty, discovery. */
  public ConsoleSettings withMetrics(Optional<String> address, Optional<Path> ca) {
    return new ConsoleSettings(
        repository, kubeconfigs, context, role, true, address, ca, drive, pushgateway, readSeries,
        inCluster, replica, gitPoll);
  }

  /** These settings, driving rollouts (or not). */
  public ConsoleSettings withDrive(boolean value) {
    return new ConsoleSettings(
        repository, kubeconfigs, context, role, metrics, prometheus, prometheusCa, value, pushgateway,
        readSeries, inCluster, replica, gitPoll);
  }

  /** These settings, pushing Weir's own metrics to {@code value}. */
  public ConsoleSettings withPushgateway(Optional<URI> value) {
    return new ConsoleSettings(
        repository, kubeconfigs, context, role, metrics, prometheus, prometheusCa, drive, value,
        readSeries, inCluster, replica, gitPoll);
  }

  /**
   * These settings, reading rollouts' metric series back from the chosen Prometheus without driving
   * them ({@code weir rollout status}); other one-shot commands need no series and skip the reads.
   */
  public ConsoleSettings withSeries() {
    return new ConsoleSettings(
        repository, kubeconfigs, context, role, metrics, prometheus, prometheusCa, drive, pushgateway,
        true, inCluster, replica, gitPoll);
  }
}
