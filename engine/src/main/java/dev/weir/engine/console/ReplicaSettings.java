package dev.weir.engine.console;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A console run as one replica of the in-cluster reconciler ({@code weir reconcile --watch
 * --in-cluster}): it shares the applications with the other replicas on Leases, each application
 * driven by one replica at a time. Plain values. Immutable.
 *
 * @param name who this replica is, for people: the pod's name ({@code HOSTNAME} in a pod)
 * @param namespace where the Leases live; empty for the pod's own namespace (the service
 *     account's {@code namespace} file), else the kubeconfig context's
 * @param leaseDuration how long an application's Lease holds without renewal: a replica that dies
 *     gives its applications up to the others after at most this long
 */
public record ReplicaSettings(String name, Optional<String> namespace, Duration leaseDuration) {
  public ReplicaSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    if (leaseDuration.toSeconds() < 1) {
      throw new IllegalArgumentException("--lease-duration is at least 1s, not " + leaseDuration);
    }
  }

  /** The default lease duration, as Kubernetes' own controllers use. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
}
