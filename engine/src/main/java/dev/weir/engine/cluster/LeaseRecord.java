package dev.weir.engine.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A coordination.k8s.io/v1 Lease as Weir reads it: who holds it and until when. Immutable.
 *
 * @param namespace the Lease's namespace
 * @param name the Lease's name
 * @param holder {@code spec.holderIdentity}
 * @param renewedAt {@code spec.renewTime}
 * @param expiresAt {@code renewTime + leaseDurationSeconds}; a Lease past it is free to take
 * @param acquired whether the asking holder holds it now
 */
public record LeaseRecord(
    String namespace,
    String name,
    String holder,
    Instant renewedAt,
    Instant expiresAt,
    boolean acquired) {

  public LeaseRecord {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(renewedAt, "renewedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** {@code held by alice@bastion (console) until 10:42:30Z}. */
  public String describe() {
    return "held by " + holder + " until " + expiresAt;
  }
}
